//! The lab's one source of randomness, seeded.

use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};

/// Every random choice in a lab (MAC addresses, ICMP ids, ports, jitter) comes from here, so
/// one seed gives one run.
pub struct Rng(ChaCha8Rng);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(ChaCha8Rng::seed_from_u64(seed))
    }
    #[inline]
    pub fn u32(&mut self) -> u32 {
        self.0.next_u32()
    }
    #[inline]
    pub fn u64(&mut self) -> u64 {
        self.0.next_u64()
    }
    pub fn fill(&mut self, buf: &mut [u8]) {
        self.0.fill_bytes(buf)
    }
    /// A uniform value in `lo..hi` (`lo` if the range is empty).
    #[inline]
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        if hi <= lo {
            return lo;
        }
        lo + self.u64() % (hi - lo)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream() {
        let (mut a, mut b, mut c) = (Rng::new(7), Rng::new(7), Rng::new(8));
        let x: Vec<u64> = (0..4).map(|_| a.u64()).collect();
        let y: Vec<u64> = (0..4).map(|_| b.u64()).collect();
        let z: Vec<u64> = (0..4).map(|_| c.u64()).collect();
        assert_eq!(x, y);
        assert_ne!(x, z);
    }
}
