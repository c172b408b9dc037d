//! Issued session tokens, recorded so sign-out and password changes revoke them.

use chrono::{Duration, NaiveDateTime};
use csc_core::{time, Identity};
use csc_db::DbConn;
use diesel::prelude::*;

use crate::schema::{auth_sessions, users as users_t};
use crate::users::{self, User};

/// Records a new session for `user_id`; returns its id and expiry.
pub fn open(conn: &mut DbConn, user_id: i64, hours: i64) -> QueryResult<(String, NaiveDateTime)> {
    let id = uuid::Uuid::new_v4().simple().to_string();
    let now = time::now();
    let expires = now + Duration::hours(hours);
    diesel::insert_into(auth_sessions::table)
        .values((
            auth_sessions::id.eq(&id),
            auth_sessions::user_id.eq(user_id),
            auth_sessions::created_at.eq(now),
            auth_sessions::expires_at.eq(expires),
        ))
        .execute(conn)?;
    Ok((id, expires))
}

/// The identity behind a live session of an active user, if any.
pub fn load(conn: &mut DbConn, session_id: &str, user_id: i64) -> QueryResult<Option<Identity>> {
    let user: Option<User> = auth_sessions::table
        .inner_join(users_t::table)
        .filter(auth_sessions::id.eq(session_id))
        .filter(auth_sessions::user_id.eq(user_id))
        .filter(auth_sessions::revoked_at.is_null())
        .filter(auth_sessions::expires_at.gt(time::now()))
        .filter(users_t::active.eq(true))
        .select(User::as_select())
        .first(conn)
        .optional()?;
    match user {
        Some(u) => users::identity(conn, &u, session_id).map(Some),
        None => Ok(None),
    }
}

/// Revokes one session.
pub fn revoke(conn: &mut DbConn, session_id: &str) -> QueryResult<usize> {
    diesel::update(auth_sessions::table.find(session_id))
        .set(auth_sessions::revoked_at.eq(Some(time::now())))
        .execute(conn)
}

/// Revokes every session of a user but `keep`.
pub fn revoke_all(conn: &mut DbConn, user_id: i64, keep: Option<&str>) -> QueryResult<usize> {
    let q = auth_sessions::table
        .filter(auth_sessions::user_id.eq(user_id))
        .filter(auth_sessions::revoked_at.is_null());
    match keep {
        Some(k) => diesel::update(q.filter(auth_sessions::id.ne(k)))
            .set(auth_sessions::revoked_at.eq(Some(time::now())))
            .execute(conn),
        None => diesel::update(q)
            .set(auth_sessions::revoked_at.eq(Some(time::now())))
            .execute(conn),
    }
}

/// Forgets sessions that expired more than a day ago.
pub fn purge(conn: &mut DbConn) -> QueryResult<usize> {
    diesel::delete(
        auth_sessions::table.filter(auth_sessions::expires_at.lt(time::now() - Duration::days(1))),
    )
    .execute(conn)
}
