//! Length-prefixed frames: a 4-byte big-endian payload length, then the payload.
//!
//! The length is checked against [`MAX_FRAME_LEN`] as soon as the 4 header bytes are known,
//! before any buffer for the payload is allocated.

/// Largest accepted frame payload: 16 MiB.
pub const MAX_FRAME_LEN: usize = 16 * 1024 * 1024;

/// Size of the length prefix.
pub const FRAME_HEADER_LEN: usize = 4;

/// A frame that cannot be accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    /// The announced or actual payload length exceeds [`MAX_FRAME_LEN`].
    #[error("frame of {len} bytes exceeds the {max} byte limit")]
    TooLarge {
        /// Announced payload length.
        len: usize,
        /// The cap.
        max: usize,
    },
    /// A zero-length frame (never sent by a correct peer).
    #[error("empty frame")]
    Empty,
}

/// Checks a 4-byte header against [`MAX_FRAME_LEN`] and returns the payload length it
/// announces.
pub fn decode_header(header: [u8; FRAME_HEADER_LEN]) -> Result<usize, FrameError> {
    decode_header_max(header, MAX_FRAME_LEN)
}

/// Checks a 4-byte header against the cap `max` and returns the payload length it announces.
pub fn decode_header_max(header: [u8; FRAME_HEADER_LEN], max: usize) -> Result<usize, FrameError> {
    let len = u32::from_be_bytes(header) as usize;
    if len == 0 {
        return Err(FrameError::Empty);
    }
    if len > max {
        return Err(FrameError::TooLarge { len, max });
    }
    Ok(len)
}

/// Prefixes `payload` with its length. Fails for payloads over [`MAX_FRAME_LEN`] or empty
/// ones.
pub fn encode_frame(payload: &[u8]) -> Result<Vec<u8>, FrameError> {
    encode_frame_max(payload, MAX_FRAME_LEN)
}

/// Prefixes `payload` with its length. Fails for payloads over the cap `max` (itself at most
/// [`MAX_FRAME_LEN`]) or empty ones.
pub fn encode_frame_max(payload: &[u8], max: usize) -> Result<Vec<u8>, FrameError> {
    let max = max.min(MAX_FRAME_LEN);
    if payload.is_empty() {
        return Err(FrameError::Empty);
    }
    if payload.len() > max {
        return Err(FrameError::TooLarge {
            len: payload.len(),
            max,
        });
    }
    let mut out = Vec::with_capacity(FRAME_HEADER_LEN + payload.len());
    out.extend_from_slice(&(payload.len() as u32).to_be_bytes());
    out.extend_from_slice(payload);
    Ok(out)
}

/// Incremental frame decoder for byte chunks of any size.
///
/// It buffers at most one frame plus the chunk most recently pushed, and rejects an
/// oversized frame from its header alone.
#[derive(Debug)]
pub struct FrameDecoder {
    buf: Vec<u8>,
    failed: Option<FrameError>,
    max: usize,
}

impl Default for FrameDecoder {
    fn default() -> Self {
        Self::new()
    }
}

impl FrameDecoder {
    /// A decoder with an empty buffer and the [`MAX_FRAME_LEN`] cap.
    pub fn new() -> Self {
        Self::with_max(MAX_FRAME_LEN)
    }

    /// A decoder that rejects frames over `max` bytes (itself at most [`MAX_FRAME_LEN`]).
    pub fn with_max(max: usize) -> Self {
        Self {
            buf: Vec::new(),
            failed: None,
            max: max.min(MAX_FRAME_LEN),
        }
    }

    /// Appends received bytes. After an error the decoder ignores further input.
    pub fn push(&mut self, bytes: &[u8]) {
        if self.failed.is_none() {
            self.buf.extend_from_slice(bytes);
        }
    }

    /// The next complete frame's payload, `Ok(None)` if more bytes are needed, or the error
    /// that ends the stream (repeated on every later call).
    pub fn next_frame(&mut self) -> Result<Option<Vec<u8>>, FrameError> {
        if let Some(err) = &self.failed {
            return Err(err.clone());
        }
        let Some(header) = self.buf.first_chunk::<FRAME_HEADER_LEN>() else {
            return Ok(None);
        };
        let len = match decode_header_max(*header, self.max) {
            Ok(len) => len,
            Err(err) => {
                self.buf = Vec::new();
                self.failed = Some(err.clone());
                return Err(err);
            }
        };
        if self.buf.len() < FRAME_HEADER_LEN + len {
            return Ok(None);
        }
        let rest = self.buf.split_off(FRAME_HEADER_LEN + len);
        let mut frame = std::mem::replace(&mut self.buf, rest);
        frame.drain(..FRAME_HEADER_LEN);
        Ok(Some(frame))
    }

    /// Bytes buffered but not yet returned as frames.
    pub fn buffered(&self) -> usize {
        self.buf.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_roundtrip_in_small_chunks() {
        let a = encode_frame(b"hello").unwrap();
        let b = encode_frame(&[9u8; 1000]).unwrap();
        let all: Vec<u8> = a.iter().chain(b.iter()).copied().collect();
        let mut dec = FrameDecoder::new();
        let mut got = Vec::new();
        for chunk in all.chunks(7) {
            dec.push(chunk);
            while let Some(f) = dec.next_frame().unwrap() {
                got.push(f);
            }
        }
        assert_eq!(got, vec![b"hello".to_vec(), vec![9u8; 1000]]);
        assert_eq!(dec.buffered(), 0);
    }

    #[test]
    fn oversized_header_is_rejected_before_payload() {
        let mut dec = FrameDecoder::new();
        dec.push(&((MAX_FRAME_LEN as u32) + 1).to_be_bytes());
        assert!(matches!(dec.next_frame(), Err(FrameError::TooLarge { .. })));
        // Later input is ignored, the error stays.
        dec.push(&[0u8; 100]);
        assert_eq!(dec.buffered(), 0);
        assert!(dec.next_frame().is_err());
    }

    #[test]
    fn cap_is_inclusive() {
        assert_eq!(
            decode_header((MAX_FRAME_LEN as u32).to_be_bytes()),
            Ok(MAX_FRAME_LEN)
        );
        assert_eq!(decode_header([0; 4]), Err(FrameError::Empty));
        assert!(encode_frame(&vec![0u8; MAX_FRAME_LEN + 1]).is_err());
    }

    #[test]
    fn a_smaller_cap_is_enforced_on_both_sides() {
        assert!(encode_frame_max(&[1u8; 100], 100).is_ok());
        assert_eq!(
            encode_frame_max(&[1u8; 101], 100),
            Err(FrameError::TooLarge { len: 101, max: 100 })
        );
        // A cap above the hard one is lowered to it.
        assert!(encode_frame_max(&vec![0u8; MAX_FRAME_LEN + 1], usize::MAX).is_err());
        let mut dec = FrameDecoder::with_max(100);
        dec.push(&encode_frame(&[2u8; 101]).unwrap());
        assert_eq!(
            dec.next_frame(),
            Err(FrameError::TooLarge { len: 101, max: 100 })
        );
        let mut dec = FrameDecoder::with_max(100);
        dec.push(&encode_frame(&[2u8; 100]).unwrap());
        assert_eq!(dec.next_frame(), Ok(Some(vec![2u8; 100])));
    }
}
