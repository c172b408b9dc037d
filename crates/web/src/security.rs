//! Security headers on every response.

use actix_web::middleware::DefaultHeaders;

/// The Content-Security-Policy: no inline script, nothing from other origins, no framing.
pub const CSP: &str =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Headers added to every response that does not set its own.
pub fn headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add(("Content-Security-Policy", CSP))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("X-Frame-Options", "DENY"))
        .add(("Referrer-Policy", "same-origin"))
        .add((
            "Permissions-Policy",
            "camera=(), microphone=(), geolocation=(), interest-cohort=()",
        ))
        .add(("Cross-Origin-Opener-Policy", "same-origin"))
}
