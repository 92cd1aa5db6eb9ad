//! Decodes arbitrary bytes as one of the API's response types, chosen by the first byte, exactly as
//! the generated client does (`serde_json::from_slice`), and runs every failure through the crate's
//! diagnosis (`progenitor_client::Error::InvalidResponsePayload` → `hostup::Error::from`): JSON
//! pointer, redacted excerpt and one-line message. Nothing may panic, and a failure must always be
//! an `Error::Decode` that prints on one line.

#![no_main]

use hostup::types::*;
use libfuzzer_sys::fuzz_target;
use serde::de::DeserializeOwned;

fn decode<T: DeserializeOwned>(body: &[u8]) {
    let Err(e) = serde_json::from_slice::<T>(body) else { return };
    let payload = bytes::Bytes::copy_from_slice(body);
    let err =
        hostup::Error::from(progenitor_client::Error::<ProblemDetails>::InvalidResponsePayload(payload, e));
    let hostup::Error::Decode(d) = &err else { panic!("a failed decode became {err:?}") };
    let line = err.to_string();
    assert!(!line.contains('\n'), "the message spans lines: {line}");
    assert!(d.path.as_deref().is_none_or(|p| p.is_empty() || p.starts_with('/')), "{:?}", d.path);
    assert!(d.excerpt.len() <= 256, "excerpt of {} bytes", d.excerpt.len());
    let _ = format!("{err:?} {err:#?}");
}

/// Every response type of the spec, in a fixed order (the first input byte picks one).
const DECODERS: &[fn(&[u8])] = &[
    decode::<VpsList>,
    decode::<VpsSummary>,
    decode::<VpsDetails>,
    decode::<VpsStatus>,
    decode::<UpgradeOptions>,
    decode::<BillingCycleOptions>,
    decode::<ResourceChangeResult>,
    decode::<PlanChangeResult>,
    decode::<BillingCycleChangeResult>,
    decode::<RenewResult>,
    decode::<PaygResizeResult>,
    decode::<DiskResizeResult>,
    decode::<OperationAccepted>,
    decode::<JobStatusResponse>,
    decode::<LegacyVmDetailsResponse>,
    decode::<LegacyPowerResponse>,
    decode::<ProblemDetails>,
    decode::<LegacyError>,
];

fuzz_target!(|data: &[u8]| {
    if let Some((&pick, body)) = data.split_first() {
        DECODERS[usize::from(pick) % DECODERS.len()](body);
    }
});
