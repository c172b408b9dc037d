//! Password hashing (argon2id) and the rules a new password must follow.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

/// Shortest accepted password.
pub const MIN_LEN: usize = 10;

/// Hashes a password with argon2id and a random salt.
pub fn hash(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("password hashing failed: {e}"))
}

/// Checks a password against a stored hash. A missing hash still costs one verification, so
/// timing does not tell whether an account exists.
pub fn verify(password: &str, stored: Option<&str>) -> bool {
    const DUMMY: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$4VS2ePmUKPmOJc3N6gdCKZYw2KNOq8wBVZj3XUZWqUQ";
    let target = stored.unwrap_or(DUMMY);
    let Ok(parsed) = PasswordHash::new(target) else {
        return false;
    };
    let ok = Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok();
    ok && stored.is_some()
}

/// The French reason a new password is refused, if it is.
pub fn check_new(password: &str, confirmation: &str) -> Result<(), String> {
    if password.chars().count() < MIN_LEN {
        return Err(format!(
            "Le mot de passe doit faire au moins {MIN_LEN} caractères. Une phrase facile à retenir convient très bien."
        ));
    }
    if password.len() > 512 {
        return Err("Le mot de passe est trop long (512 caractères au maximum).".into());
    }
    let first = password.chars().next();
    if password.chars().all(|c| Some(c) == first) {
        return Err("Le mot de passe ne doit pas répéter un seul caractère.".into());
    }
    const COMMON: [&str; 6] = [
        "motdepasse",
        "azertyuiop",
        "1234567890",
        "0123456789",
        "password12",
        "qwertyuiop",
    ];
    if COMMON
        .iter()
        .any(|c| password.to_lowercase().starts_with(c))
    {
        return Err("Ce mot de passe est trop courant. Choisissez-en un autre.".into());
    }
    if password != confirmation {
        return Err("Les deux mots de passe saisis ne sont pas identiques.".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_differ_by_salt() {
        let a = hash("une phrase secrète").expect("hash");
        let b = hash("une phrase secrète").expect("hash");
        assert_ne!(a, b);
        assert!(a.starts_with("$argon2id$"));
        assert!(verify("une phrase secrète", Some(&a)));
        assert!(!verify("autre chose", Some(&a)));
        assert!(!verify("une phrase secrète", None));
    }

    #[test]
    fn weak_or_mismatched_passwords_are_refused() {
        assert!(check_new("court", "court").is_err());
        assert!(check_new("aaaaaaaaaaaa", "aaaaaaaaaaaa").is_err());
        assert!(check_new("azertyuiop1", "azertyuiop1").is_err());
        assert!(check_new("une longue phrase", "une longue phrasE").is_err());
        assert!(check_new("une longue phrase", "une longue phrase").is_ok());
    }
}
