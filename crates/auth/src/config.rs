//! What the auth layer needs at run time.

use actix_web::cookie::{Cookie, SameSite};
use csc_core::Settings;

use crate::jwt::Keys;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "csc_session";

/// Shared auth settings and keys.
#[derive(Clone)]
pub struct AuthConfig {
    pub keys: Keys,
    pub session_hours: i64,
    pub secure_cookies: bool,
    pub trust_proxy: bool,
}

impl AuthConfig {
    /// From the settings, loading (or creating) the signing secret.
    pub fn from_settings(s: &Settings) -> anyhow::Result<Self> {
        Ok(Self {
            keys: Keys::load_or_create(&s.jwt_secret_path())?,
            session_hours: s.session_hours,
            secure_cookies: s.secure_cookies(),
            trust_proxy: s.trust_proxy,
        })
    }

    /// The session cookie holding `token`.
    pub fn session_cookie(&self, token: String) -> Cookie<'static> {
        Cookie::build(SESSION_COOKIE, token)
            .path("/")
            .http_only(true)
            .secure(self.secure_cookies)
            .same_site(SameSite::Lax)
            .max_age(actix_web::cookie::time::Duration::hours(self.session_hours))
            .finish()
    }

    /// The cookie that clears the session.
    pub fn removal_cookie(&self) -> Cookie<'static> {
        let mut c = Cookie::build(SESSION_COOKIE, "")
            .path("/")
            .http_only(true)
            .secure(self.secure_cookies)
            .same_site(SameSite::Lax)
            .finish();
        c.make_removal();
        c
    }
}
