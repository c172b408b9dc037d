//! Session tokens: JWT (HS256) signed with the instance secret, recorded by id so they can be revoked.

use std::io::Write;
use std::path::Path;

use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde::{Deserialize, Serialize};

/// What a session token says.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// User id, as a string (the JWT spec wants a string here).
    pub sub: String,
    /// Session id, as recorded in `auth_sessions`.
    pub jti: String,
    pub iat: i64,
    pub exp: i64,
}

/// The signing keys.
#[derive(Clone)]
pub struct Keys {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl Keys {
    /// Keys from a raw secret.
    pub fn from_secret(secret: &[u8]) -> Self {
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
        }
    }

    /// Reads the secret file, creating it (mode 0600) with 64 random bytes when missing.
    pub fn load_or_create(path: &Path) -> anyhow::Result<Self> {
        if let Ok(existing) = std::fs::read(path) {
            anyhow::ensure!(
                existing.len() >= 32,
                "secret trop court dans {}",
                path.display()
            );
            return Ok(Self::from_secret(&existing));
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let mut secret = [0u8; 64];
        rand::rng().fill_bytes(&mut secret);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(path) {
            Ok(mut f) => {
                f.write_all(&secret)?;
                Ok(Self::from_secret(&secret))
            }
            // Another instance created it meanwhile: use theirs.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Self::load_or_create(path),
            Err(e) => Err(anyhow::anyhow!(
                "création de {} impossible : {e}",
                path.display()
            )),
        }
    }

    /// Signs claims.
    pub fn issue(&self, claims: &Claims) -> anyhow::Result<String> {
        encode(&Header::new(Algorithm::HS256), claims, &self.encoding).map_err(Into::into)
    }

    /// Checks signature, algorithm and expiry.
    pub fn verify(&self, token: &str) -> Option<Claims> {
        let mut v = Validation::new(Algorithm::HS256);
        v.leeway = 5;
        v.set_required_spec_claims(&["exp", "sub", "jti"]);
        decode::<Claims>(token, &self.decoding, &v)
            .ok()
            .map(|d| d.claims)
    }

    /// The user id and session id of a valid token.
    pub fn session_of(&self, token: &str) -> Option<(i64, String)> {
        let claims = self.verify(token)?;
        Some((claims.sub.parse().ok()?, claims.jti))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(exp_offset: i64) -> Claims {
        let now = chrono::Utc::now().timestamp();
        Claims {
            sub: "7".into(),
            jti: "abc".into(),
            iat: now,
            exp: now + exp_offset,
        }
    }

    #[test]
    fn valid_tokens_verify_and_others_do_not() {
        let keys = Keys::from_secret(&[1u8; 64]);
        let token = keys.issue(&claims(3600)).expect("issue");
        assert_eq!(keys.verify(&token).map(|c| c.sub), Some("7".to_string()));
        let expired = keys.issue(&claims(-3600)).expect("issue");
        assert!(keys.verify(&expired).is_none());
        let other = Keys::from_secret(&[2u8; 64]);
        assert!(other.verify(&token).is_none());
        let mut tampered = token.clone();
        tampered.insert(tampered.len() - 3, 'x');
        assert!(keys.verify(&tampered).is_none());
    }

    #[test]
    fn secret_file_is_created_once_and_private() {
        let dir = std::env::temp_dir().join(format!("csc-jwt-{}", uuid::Uuid::new_v4()));
        let path = dir.join("jwt.secret");
        let a = Keys::load_or_create(&path).expect("create");
        let b = Keys::load_or_create(&path).expect("load");
        let t = a.issue(&claims(60)).expect("issue");
        assert!(b.verify(&t).is_some());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o077, 0);
        }
        let _ = std::fs::remove_dir_all(dir);
    }
}
