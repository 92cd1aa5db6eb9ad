//! The one tool that applies a change: given a preview's token and the same request, it commits
//! exactly what was previewed, once, within the session's spending ceiling (the server runs it).

use serde_json::json;

use crate::registry::{Handler, ToolDef};
use crate::schemas::InputSchema;

/// The commit tool.
pub fn tool() -> ToolDef {
    let input = InputSchema::empty()
        .with("token", json!({"type": "string", "description": "The `token` a preview_* tool returned."}), true)
        .with(
            "preview",
            json!({"type": "string", "description": "The preview tool that issued the token (commitWith.preview)."}),
            true,
        )
        .with(
            "arguments",
            json!({"type": "object", "description": "The arguments of that preview, unchanged (commitWith.arguments)."}),
            true,
        );
    ToolDef {
        name: "commit",
        description: "Applies a previewed change: pass the `commitWith` object of a preview_* result unchanged \
             ({token, preview, arguments}). A token commits once, only the request it was issued for, and \
             expires (expiresInSeconds); a commit that would take the session's committed recurring increase \
             past its spending ceiling is refused. A commit is never retried: if it fails with \
             mayHaveReachedServer true, check the VPS (get_vps_details, list_active_jobs) before previewing \
             again. Returns the server's answer (an operation or job to follow, for actions).",
        input,
        handler: Handler::Commit,
    }
}
