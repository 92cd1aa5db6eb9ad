//! The sandbox serves what the spec says: an operation added to a copy of the spec is routed,
//! authenticated, validated and answered from its example with no code for it.

use hostup_sandbox::{Sandbox, fleet};
use serde_json::{Value, json};

use crate::support::http;

/// The embedded spec plus a widget list and a widget creation, operations no handler knows.
fn spec_with_widgets() -> Value {
    let mut spec = hostup_sandbox::embedded_spec();
    let problem = |name: &str| json!({"$ref": format!("#/components/responses/{name}")});
    spec["paths"]["/api/v2/vps/{id}/widgets"] = json!({
        "get": {
            "operationId": "listVpsWidgets",
            "x-required-scopes": ["read:vm"],
            "parameters": [{"$ref": "#/components/parameters/VpsId"}],
            "responses": {
                "200": {"description": "Snapshots.", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/WidgetList"},
                    "example": {"vpsId": "vps_01hxa3b4c5d6e7f8g9h0j1k2m3", "widgets": [{
                        "name": "before-upgrade",
                        "href": "/api/v2/vps/vps_01hxa3b4c5d6e7f8g9h0j1k2m3/widgets/before-upgrade"
                    }]}
                }}},
                "401": problem("Unauthorized"), "403": problem("Forbidden"), "404": problem("NotFound")
            }
        },
        "post": {
            "operationId": "createVpsWidget",
            "x-required-scopes": ["write:vm"],
            "parameters": [{"$ref": "#/components/parameters/VpsId"}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {
                "type": "object",
                "additionalProperties": false,
                "required": ["name"],
                "properties": {"name": {"type": "string", "minLength": 1, "maxLength": 40, "pattern": "^[A-Za-z0-9_-]+$"}}
            }}}},
            "responses": {"202": problem("OperationQueued"), "400": problem("BadRequest"), "404": problem("NotFound")}
        }
    });
    spec["components"]["schemas"]["WidgetList"] = json!({
        "type": "object",
        "required": ["vpsId", "widgets"],
        "properties": {
            "vpsId": {"type": "string"},
            "widgets": {"type": "array", "items": {"type": "object", "required": ["name"], "properties": {
                "name": {"type": "string"}, "href": {"type": "string"}
            }}}
        }
    });
    spec
}

async fn send(request: reqwest::RequestBuilder) -> (u16, reqwest::header::HeaderMap, Value) {
    let response = request.send().await.unwrap();
    let (status, headers) = (response.status().as_u16(), response.headers().clone());
    (status, headers, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn an_operation_added_to_the_spec_is_served_with_no_code() {
    let spec = spec_with_widgets();
    let sandbox = Sandbox::builder().spec(spec.clone()).start().await;
    let url = |id: &str| format!("{}/api/v2/vps/{id}/widgets", sandbox.url());
    let http = http();
    let key = sandbox.api_key();

    let (status, _, body) = send(http.get(url(fleet::MONTHLY_SEK)).bearer_auth(key)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["vpsId"], fleet::MONTHLY_SEK, "the path's id replaces the example's");
    let href = format!("/api/v2/vps/{}/widgets/before-upgrade", fleet::MONTHLY_SEK);
    assert_eq!(body["widgets"][0]["href"], href.as_str());
    let mut validators = hostup_schema::Validators::new(&spec);
    let violations = validators.validate("/components/schemas/WidgetList", &body).unwrap();
    assert!(violations.is_empty(), "{violations:?}");

    let (status, _, body) = send(http.get(url("vps_nope")).bearer_auth(key)).await;
    assert_eq!((status, body["code"].as_str()), (404, Some("vps_not_found")));
    assert_eq!(send(http.get(url(fleet::MONTHLY_SEK))).await.0, 401);
    let power_only = sandbox.key_with_scopes(&["power:vm"]);
    let (status, _, body) = send(http.get(url(fleet::MONTHLY_SEK)).bearer_auth(&power_only)).await;
    assert_eq!((status, &body["extensions"]["missingScopes"]), (403, &json!(["read:vm"])));

    let create = |body: Value| http.post(url(fleet::MONTHLY_SEK)).bearer_auth(key).json(&body);
    let (status, _, body) = send(create(json!({"name": "before-upgrade"}))).await;
    assert_eq!((status, body["operation"]["status"].as_str()), (202, Some("queued")), "{body}");
    let refusals = [
        (json!({"name": "ok", "keep": true}), "/keep", "unknown_field"),
        (json!({}), "/name", "missing_required"),
        (json!({"name": "no spaces"}), "/name", "invalid_format"),
        (json!({"name": 7}), "/name", "invalid_type"),
    ];
    for (sent, pointer, code) in refusals {
        let (status, _, body) = send(create(sent.clone())).await;
        assert_eq!(status, 400, "{sent}: {body}");
        assert_eq!(
            (body["errors"][0]["pointer"].as_str(), body["errors"][0]["code"].as_str()),
            (Some(pointer), Some(code)),
            "{sent}: {body}"
        );
    }
    let (status, headers, _) = send(http.delete(url(fleet::MONTHLY_SEK)).bearer_auth(key)).await;
    assert_eq!((status, headers["allow"].to_str().unwrap()), (405, "GET, POST"));

    // The embedded spec has no such operation: the same request finds no route.
    let plain = Sandbox::start().await;
    let (status, _, _) =
        send(http.get(format!("{}/api/v2/vps/{}/widgets", plain.url(), fleet::MONTHLY_SEK)).bearer_auth(key))
            .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_broken_spec_is_refused_at_start() {
    let err = Sandbox::builder().spec(json!({"openapi": "3.0.3"})).try_start().await.unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
    assert!(err.to_string().contains("paths"), "{err}");
}
