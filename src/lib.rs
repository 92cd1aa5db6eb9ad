mod generated {
    include!(concat!(env!("OUT_DIR"), "/client.rs"));
}
mod open_enums {
    include!(concat!(env!("OUT_DIR"), "/open_enums.rs"));
}
pub mod runtime;
pub use generated::Client;
pub mod types {
    pub use crate::generated::types::*;
    pub use crate::open_enums::*;
}
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Secret(String);
