//! A fast hasher for short keys (ids) in the analyses' one-pass counts: the standard SipHash
//! costs more than the rest of a pass over 20,000 post-its. Not resistant to crafted keys,
//! which a local document does not need.

use std::hash::{BuildHasherDefault, Hasher};

/// Multiply-rotate hashing, eight bytes at a time.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct FastHasher(u64);

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word))
                .wrapping_mul(0x517c_c1b7_2722_0a95);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Builds [`FastHasher`]s for a `HashMap`.
pub(crate) type FastHash = BuildHasherDefault<FastHasher>;
