//! Ids the sandbox hands out (`job_…`, `req_…`, `inv_…`, API keys, legacy UUIDs), from a seeded
//! generator so a run with the same seed and the same requests gives the same ids.

use std::sync::Mutex;

const ALPHABET: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";

/// A seeded id generator, shared by all connections.
#[derive(Debug)]
pub(crate) struct Ids(Mutex<fastrand::Rng>);

impl Ids {
    pub fn new(seed: u64) -> Self {
        Ids(Mutex::new(fastrand::Rng::with_seed(seed)))
    }

    fn rng(&self) -> std::sync::MutexGuard<'_, fastrand::Rng> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// `prefix` followed by 26 lowercase letters and digits, the shape of every v2 id.
    pub fn public(&self, prefix: &str) -> String {
        let mut rng = self.rng();
        let tail: String = (0..26).map(|_| char::from(ALPHABET[rng.usize(..ALPHABET.len())])).collect();
        format!("{prefix}{tail}")
    }

    /// A UUID-shaped id, as the legacy envelope's `requestId`.
    pub fn uuid(&self) -> String {
        let mut rng = self.rng();
        let hex = |rng: &mut fastrand::Rng, n: usize| -> String {
            (0..n).map(|_| char::from(b"0123456789abcdef"[rng.usize(..16)])).collect()
        };
        let (a, b, c, d, e) =
            (hex(&mut rng, 8), hex(&mut rng, 4), hex(&mut rng, 3), hex(&mut rng, 3), hex(&mut rng, 12));
        format!("{a}-{b}-4{c}-a{d}-{e}")
    }

    /// A number in `range` (invoice numbers).
    pub fn number(&self, range: std::ops::Range<u32>) -> u32 {
        self.rng().u32(range)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_ids() {
        let (a, b) = (Ids::new(7), Ids::new(7));
        assert_eq!(a.public("job_"), b.public("job_"));
        let id = a.public("req_");
        assert_eq!(id.len(), 30);
        assert!(id[4..].bytes().all(|c| ALPHABET.contains(&c)));
        assert_eq!(a.uuid().len(), 36);
    }
}
