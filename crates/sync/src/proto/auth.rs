//! Proofs of knowledge of a trajectory's join secret.
//!
//! `proof = HMAC-SHA256(key = join secret, label ‖ prover id ‖ verifier id ‖ trajectory id
//! ‖ prover nonce ‖ verifier nonce)`.
//!
//! Both endpoint ids are authenticated by QUIC/TLS, both nonces are fresh per connection,
//! and the prover comes first, so a proof cannot be replayed on another connection nor
//! reflected back to its sender. The secret itself never crosses the wire.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::ids::{DeviceId, JoinSecret, TrajectoryId};

const LABEL: &[u8] = b"leerrijk/sync/1 join proof";

/// Who proves to whom, with which nonces.
#[derive(Debug, Clone, Copy)]
pub struct ProofContext<'a> {
    /// The device that computes the proof.
    pub prover: &'a DeviceId,
    /// The device that checks it.
    pub verifier: &'a DeviceId,
    /// The prover's nonce from its `Hello`.
    pub prover_nonce: &'a [u8; 32],
    /// The verifier's nonce from its `Hello`.
    pub verifier_nonce: &'a [u8; 32],
}

fn mac(
    secret: &JoinSecret,
    trajectory: &TrajectoryId,
    ctx: ProofContext<'_>,
) -> Option<Hmac<Sha256>> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()).ok()?;
    mac.update(LABEL);
    mac.update(ctx.prover.as_bytes());
    mac.update(ctx.verifier.as_bytes());
    let id = trajectory.as_str().as_bytes();
    mac.update(&[id.len() as u8]);
    mac.update(id);
    mac.update(ctx.prover_nonce);
    mac.update(ctx.verifier_nonce);
    Some(mac)
}

/// Computes the proof for `trajectory`.
pub fn prove(secret: &JoinSecret, trajectory: &TrajectoryId, ctx: ProofContext<'_>) -> [u8; 32] {
    match mac(secret, trajectory, ctx) {
        Some(m) => m.finalize().into_bytes().into(),
        // HMAC accepts keys of any length, so this branch is unreachable in practice; an
        // all-zero proof would simply fail verification.
        None => [0; 32],
    }
}

/// Checks a proof in constant time.
pub fn verify(
    secret: &JoinSecret,
    trajectory: &TrajectoryId,
    ctx: ProofContext<'_>,
    proof: &[u8; 32],
) -> bool {
    mac(secret, trajectory, ctx).is_some_and(|m| m.verify_slice(proof).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proofs_bind_direction_nonces_and_secret() {
        let a = DeviceId([1; 32]);
        let b = DeviceId([2; 32]);
        let (na, nb) = ([10u8; 32], [20u8; 32]);
        let t = TrajectoryId::new("t").unwrap();
        let s = JoinSecret([5; 32]);
        let ctx = ProofContext {
            prover: &a,
            verifier: &b,
            prover_nonce: &na,
            verifier_nonce: &nb,
        };
        let p = prove(&s, &t, ctx);
        assert!(verify(&s, &t, ctx, &p));
        // Reflected (b proving to a) does not verify.
        let reflected = ProofContext {
            prover: &b,
            verifier: &a,
            prover_nonce: &nb,
            verifier_nonce: &na,
        };
        assert!(!verify(&s, &t, reflected, &p));
        // Other secret, trajectory or nonce does not verify.
        assert!(!verify(&JoinSecret([6; 32]), &t, ctx, &p));
        assert!(!verify(&s, &TrajectoryId::new("u").unwrap(), ctx, &p));
        let other_nonce = [11u8; 32];
        let ctx2 = ProofContext {
            prover_nonce: &other_nonce,
            ..ctx
        };
        assert!(!verify(&s, &t, ctx2, &p));
    }
}
