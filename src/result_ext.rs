//! Generated calls return progenitor's error type; this turns their result into a
//! [`hostup::Result`](crate::Result) of the bare value, so `?` works in any function, whatever its
//! error type implements `From<hostup::Error>` for.

use progenitor_client::ResponseValue;

use crate::Error;

/// `.value()` on the result of a generated call: the decoded body, or a [`hostup::Error`](Error).
///
/// ```no_run
/// use hostup::ResultExt;
/// # async fn run(client: hostup::Client) -> Result<(), Box<dyn std::error::Error>> {
/// let vps = client.get_vps().id("vps_01hxa3b4c5d6e7f8g9h0j1k2m3").send().await.value()?;
/// println!("{:?}", vps.name);
/// # Ok(()) }
/// ```
pub trait ResultExt<T> {
    /// The response body, with the error converted.
    fn value(self) -> crate::Result<T>;
}

impl<T, E> ResultExt<T> for Result<ResponseValue<T>, progenitor_client::Error<E>>
where
    Error: From<progenitor_client::Error<E>>,
{
    fn value(self) -> crate::Result<T> {
        self.map(ResponseValue::into_inner).map_err(Error::from)
    }
}
