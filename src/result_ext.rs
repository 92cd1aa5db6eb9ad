//! `.value()` on a generated call's result: the decoded body without the response's status and
//! headers, for code that only wants the value.

use progenitor_client::ResponseValue;

/// `.value()` on the result of a generated call: the decoded body, or the call's error.
///
/// ```no_run
/// use hostup::ResultExt;
/// # async fn run(client: hostup::Client) -> Result<(), Box<dyn std::error::Error>> {
/// let vps = client.get_vps().id("vps_01hxa3b4c5d6e7f8g9h0j1k2m3").send().await.value()?;
/// println!("{:?}", vps.name);
/// # Ok(()) }
/// ```
pub trait ResultExt<T> {
    /// The response body.
    fn value(self) -> crate::Result<T>;
}

impl<T> ResultExt<T> for crate::Result<ResponseValue<T>> {
    fn value(self) -> crate::Result<T> {
        self.map(ResponseValue::into_inner)
    }
}
