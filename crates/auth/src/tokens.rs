//! One-time tokens sent by mail (invitation, password reset). Only their SHA-256 is stored.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::Duration;
use csc_core::{time, AppError};
use csc_db::DbConn;
use diesel::prelude::*;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::schema::auth_tokens;

/// What a token allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Choose a first password (valid 7 days).
    Invitation,
    /// Choose a new password (valid 1 hour).
    Reset,
}

impl Purpose {
    fn code(self) -> &'static str {
        match self {
            Purpose::Invitation => "invitation",
            Purpose::Reset => "reset",
        }
    }

    fn lifetime(self) -> Duration {
        match self {
            Purpose::Invitation => Duration::days(7),
            Purpose::Reset => Duration::hours(1),
        }
    }
}

/// The SHA-256 of a secret, in hex: what is stored instead of the secret itself.
pub fn digest(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A new secret for a link sent by mail: 256 random bits, URL-safe.
pub fn random_secret() -> String {
    let mut raw = [0u8; 32];
    rand::rng().fill_bytes(&mut raw);
    URL_SAFE_NO_PAD.encode(raw)
}

/// Creates a token for `user_id`; the clear value goes in the mail, never in the database.
pub fn create(conn: &mut DbConn, user_id: i64, purpose: Purpose) -> QueryResult<String> {
    let token = random_secret();
    let now = time::now();
    diesel::insert_into(auth_tokens::table)
        .values((
            auth_tokens::token_hash.eq(digest(&token)),
            auth_tokens::user_id.eq(user_id),
            auth_tokens::purpose.eq(purpose.code()),
            auth_tokens::created_at.eq(now),
            auth_tokens::expires_at.eq(now + purpose.lifetime()),
        ))
        .execute(conn)?;
    Ok(token)
}

/// How many tokens of this purpose were made for the user in the last hour.
pub fn recent_count(conn: &mut DbConn, user_id: i64, purpose: Purpose) -> QueryResult<i64> {
    auth_tokens::table
        .filter(auth_tokens::user_id.eq(user_id))
        .filter(auth_tokens::purpose.eq(purpose.code()))
        .filter(auth_tokens::created_at.gt(time::now() - Duration::hours(1)))
        .count()
        .get_result(conn)
}

fn invalid() -> AppError {
    AppError::bad_request(
        "Ce lien n'est plus valable : il a déjà servi ou il a expiré. Demandez un nouveau lien.",
    )
}

/// The user a valid, unused token belongs to (any purpose).
pub fn peek(conn: &mut DbConn, token: &str) -> Result<i64, AppError> {
    auth_tokens::table
        .filter(auth_tokens::token_hash.eq(digest(token)))
        .filter(auth_tokens::used_at.is_null())
        .filter(auth_tokens::expires_at.gt(time::now()))
        .select(auth_tokens::user_id)
        .first(conn)
        .optional()?
        .ok_or_else(invalid)
}

/// Uses a token once; returns its user. Every other pending token of that user dies with it.
pub fn consume(conn: &mut DbConn, token: &str) -> Result<i64, AppError> {
    let user_id = peek(conn, token)?;
    diesel::update(
        auth_tokens::table
            .filter(auth_tokens::user_id.eq(user_id))
            .filter(auth_tokens::used_at.is_null()),
    )
    .set(auth_tokens::used_at.eq(Some(time::now())))
    .execute(conn)?;
    Ok(user_id)
}

/// Forgets tokens expired more than a day ago.
pub fn purge(conn: &mut DbConn) -> QueryResult<usize> {
    diesel::delete(
        auth_tokens::table.filter(auth_tokens::expires_at.lt(time::now() - Duration::days(1))),
    )
    .execute(conn)
}
