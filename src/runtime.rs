#[derive(Clone, Debug)]
pub struct Runtime;
impl progenitor_client::ClientHooks<Runtime> for crate::Client {}
