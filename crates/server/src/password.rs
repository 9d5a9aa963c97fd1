//! Passwords: hashed with argon2, verified against a stored hash. Kept apart from sign-in so that
//! the store, which writes a hash prepared before its transaction, needs nothing of the HTTP side.

use crate::error::{Error, Result};
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;

/// `N` random bytes from the system's generator, in hex: session tokens, the centre's caller
/// salt, names no other upload has at the same moment.
pub fn random_hex<const N: usize>() -> String {
    let mut bytes = [0u8; N];
    argon2::password_hash::rand_core::RngCore::fill_bytes(&mut OsRng, &mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn hash_password(password: &str) -> Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes(), &SaltString::generate(&mut OsRng))
        .map(|h| h.to_string())
        .map_err(|e| Error::Internal(format!("hashing a password: {e}")))
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// A password hashed before its transaction starts, so the writer never waits for argon2.
#[derive(Clone)]
pub struct Prepared {
    pub password: String,
    pub hash: String,
}
