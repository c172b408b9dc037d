//! Sign-in throttling: after too many failures in a window, an account (or a client address) is
//! blocked until the window has passed. Blocks are temporary by design, so nobody can lock a
//! user out for good by typing wrong passwords in their name.

use chrono::{Duration, NaiveDateTime};
use csc_core::time;
use csc_db::DbConn;
use diesel::prelude::*;
use sha2::{Digest, Sha256};

use crate::schema::auth_login_failures;

/// The window failures are counted in, and how long a block lasts.
pub const WINDOW_MINUTES: i64 = 15;
/// Failures per account in the window before it is blocked.
pub const MAX_PER_ACCOUNT: i64 = 5;
/// Failures per client address in the window before it is blocked.
pub const MAX_PER_CLIENT: i64 = 30;

/// The stored form of a client address: a hash, not the address itself.
pub fn client_key(addr: &str) -> String {
    Sha256::digest(format!("csc-login:{addr}").as_bytes())
        .iter()
        .take(12)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// When the block on this account or client ends, if one is in force.
pub fn blocked_until(
    conn: &mut DbConn,
    account: &str,
    client: &str,
) -> QueryResult<Option<NaiveDateTime>> {
    let since = time::now() - Duration::minutes(WINDOW_MINUTES);
    let by_account: Vec<NaiveDateTime> = auth_login_failures::table
        .filter(auth_login_failures::account.eq(account))
        .filter(auth_login_failures::failed_at.gt(since))
        .select(auth_login_failures::failed_at)
        .order(auth_login_failures::failed_at.desc())
        .limit(MAX_PER_ACCOUNT)
        .load(conn)?;
    let by_client: Vec<NaiveDateTime> = auth_login_failures::table
        .filter(auth_login_failures::client.eq(client))
        .filter(auth_login_failures::failed_at.gt(since))
        .select(auth_login_failures::failed_at)
        .order(auth_login_failures::failed_at.desc())
        .limit(MAX_PER_CLIENT)
        .load(conn)?;
    // Blocked until the oldest failure that counts leaves the window.
    let until = |v: &[NaiveDateTime], max: i64| {
        (v.len() as i64 >= max)
            .then(|| v.last().map(|t| *t + Duration::minutes(WINDOW_MINUTES)))
            .flatten()
    };
    Ok(until(&by_account, MAX_PER_ACCOUNT).max(until(&by_client, MAX_PER_CLIENT)))
}

/// Records a failed sign-in, and forgets failures older than a day.
pub fn record_failure(conn: &mut DbConn, account: &str, client: &str) -> QueryResult<()> {
    let now = time::now();
    diesel::insert_into(auth_login_failures::table)
        .values((
            auth_login_failures::account.eq(account),
            auth_login_failures::client.eq(client),
            auth_login_failures::failed_at.eq(now),
        ))
        .execute(conn)?;
    diesel::delete(
        auth_login_failures::table
            .filter(auth_login_failures::failed_at.lt(now - Duration::days(1))),
    )
    .execute(conn)?;
    Ok(())
}

/// A successful sign-in clears the account's failures.
pub fn clear_account(conn: &mut DbConn, account: &str) -> QueryResult<usize> {
    diesel::delete(auth_login_failures::table.filter(auth_login_failures::account.eq(account)))
        .execute(conn)
}
