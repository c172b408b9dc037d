//! Sign-in, passwords and invitations: the business rules, free of HTTP.

use chrono::NaiveDateTime;
use csc_core::{AppError, Email, Role};
use csc_db::DbConn;
use csc_mail::Mailer;
use tera::Context;

use crate::tokens::Purpose;
use crate::users::User;
use crate::{password, sessions, throttle, tokens, users};

/// What a sign-in attempt gave.
pub enum LoginOutcome {
    /// Signed in: a new session.
    Success {
        user: User,
        session_id: String,
        expires: NaiveDateTime,
    },
    /// Wrong address or password (which one is not said).
    BadCredentials,
    /// Too many failures: try again after this time.
    Blocked(NaiveDateTime),
}

/// Checks the password and opens a session, unless the account or the client is throttled.
pub fn login(
    conn: &mut DbConn,
    email: &Email,
    pw: &str,
    client_addr: &str,
    hours: i64,
) -> Result<LoginOutcome, AppError> {
    let client = throttle::client_key(client_addr);
    if let Some(until) = throttle::blocked_until(conn, email.as_str(), &client)? {
        return Ok(LoginOutcome::Blocked(until));
    }
    let user = users::by_email(conn, email)?;
    let ok = password::verify(pw, user.as_ref().and_then(|u| u.password_hash.as_deref()));
    match user {
        Some(user) if ok && user.active => {
            throttle::clear_account(conn, email.as_str())?;
            users::touch_login(conn, user.id)?;
            let (session_id, expires) = sessions::open(conn, user.id, hours)?;
            Ok(LoginOutcome::Success {
                user,
                session_id,
                expires,
            })
        }
        _ => {
            throttle::record_failure(conn, email.as_str(), &client)?;
            Ok(LoginOutcome::BadCredentials)
        }
    }
}

/// Changes the password of a signed-in user and revokes their other sessions.
pub fn change_password(
    conn: &mut DbConn,
    user_id: i64,
    keep_session: &str,
    current: &str,
    new_hash: &str,
    client_addr: &str,
) -> Result<Result<(), &'static str>, AppError> {
    let user = users::get(conn, user_id)?;
    // The current password cannot be guessed here faster than at the sign-in: the same
    // failures count, the same block holds.
    let client = throttle::client_key(client_addr);
    if throttle::blocked_until(conn, &user.email, &client)?.is_some() {
        return Ok(Err(
            "Trop d'essais de mot de passe : réessayez dans quelques minutes.",
        ));
    }
    if !password::verify(current, user.password_hash.as_deref()) {
        throttle::record_failure(conn, &user.email, &client)?;
        return Ok(Err("Le mot de passe actuel n'est pas le bon."));
    }
    conn.write_transaction::<_, AppError, _>(|c| {
        users::set_password_hash(c, user_id, new_hash)?;
        sessions::revoke_all(c, user_id, Some(keep_session))?;
        Ok(())
    })?;
    Ok(Ok(()))
}

/// Sends a password-reset link if the address belongs to an active account. Says nothing
/// either way, so the form does not reveal who has an account.
pub fn request_reset(conn: &mut DbConn, mailer: &Mailer, email: &Email) -> Result<(), AppError> {
    let Some(user) = users::by_email(conn, email)? else {
        return Ok(());
    };
    if !user.active || tokens::recent_count(conn, user.id, Purpose::Reset)? >= 3 {
        return Ok(());
    }
    conn.write_transaction::<_, AppError, _>(|c| {
        let token = tokens::create(c, user.id, Purpose::Reset)?;
        let mut ctx = Context::new();
        ctx.insert("name", &user.display_name);
        ctx.insert("token", &token);
        mailer.enqueue(c, email, "auth/password_reset", &ctx, &[])?;
        Ok(())
    })
}

/// Sets a password from a mailed link; the link dies, and so do all sessions of the account.
pub fn set_password_with_token(
    conn: &mut DbConn,
    token: &str,
    new_hash: &str,
) -> Result<User, AppError> {
    conn.write_transaction::<_, AppError, _>(|c| {
        let user_id = tokens::consume(c, token)?;
        let user = users::get(c, user_id)?;
        if !user.active {
            return Err(AppError::Denied(
                "Ce compte a été désactivé. Adressez-vous à votre centre.".into(),
            ));
        }
        users::set_password_hash(c, user_id, new_hash)?;
        sessions::revoke_all(c, user_id, None)?;
        Ok(user)
    })
}

/// Who invites, and to what.
pub struct Invitation<'a> {
    pub email: &'a Email,
    pub display_name: &'a str,
    pub centre_id: i64,
    pub centre_name: &'a str,
    pub role: Role,
    pub invited_by: &'a str,
}

/// Invites someone: creates the account if needed, grants the role, and mails a link to choose a
/// password (or, for an existing account, a note about the new role). Returns whether the
/// account is new.
pub fn invite(conn: &mut DbConn, mailer: &Mailer, inv: &Invitation<'_>) -> Result<bool, AppError> {
    conn.write_transaction::<_, AppError, _>(|c| {
        let existing = users::by_email(c, inv.email)?;
        let is_new = existing.is_none();
        let user = match existing {
            Some(u) => u,
            None => users::create(c, inv.email, inv.display_name, None, false)?,
        };
        users::grant(c, user.id, inv.centre_id, inv.role)?;
        let mut ctx = Context::new();
        ctx.insert("name", &user.display_name);
        ctx.insert("centre", inv.centre_name);
        ctx.insert("role", inv.role.label());
        ctx.insert("invited_by", inv.invited_by);
        if user.is_invited() {
            let token = tokens::create(c, user.id, Purpose::Invitation)?;
            ctx.insert("token", &token);
            mailer.enqueue(c, inv.email, "auth/invitation", &ctx, &[])?;
        } else {
            mailer.enqueue(c, inv.email, "auth/new_role", &ctx, &[])?;
        }
        Ok(is_new)
    })
}

/// Deactivates an account and ends all its sessions.
pub fn deactivate(conn: &mut DbConn, user_id: i64) -> Result<(), AppError> {
    conn.write_transaction::<_, AppError, _>(|c| {
        users::set_active(c, user_id, false)?;
        sessions::revoke_all(c, user_id, None)?;
        Ok(())
    })
}

/// Housekeeping: expired sessions and tokens.
pub fn purge(conn: &mut DbConn) -> Result<usize, AppError> {
    Ok(sessions::purge(conn)? + tokens::purge(conn)?)
}
