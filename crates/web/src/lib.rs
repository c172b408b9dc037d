//! The shared web layer: templates and the base layout, embedded static assets, flash messages,
//! forms and CSRF, security headers, French error pages, and the registry of services.

pub mod assets;
pub mod csrf;
pub mod errors;
pub mod flash;
pub mod forms;
pub mod pages;
pub mod render;
pub mod security;
pub mod services;

pub use forms::FieldErrors;
pub use render::{render, render_status, Ui};
pub use services::{AppModule, ServiceInfo};

/// The layout, error pages and legal pages of the suite.
pub static TEMPLATES: include_dir::Dir<'static> =
    include_dir::include_dir!("$CARGO_MANIFEST_DIR/templates");

/// The client address used for throttling: the peer, or the proxy's `X-Forwarded-For` when trusted.
pub fn client_addr(req: &actix_web::HttpRequest, trust_proxy: bool) -> String {
    if trust_proxy {
        if let Some(ip) = req.connection_info().realip_remote_addr() {
            return ip.to_string();
        }
    }
    req.peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_else(|| "inconnu".into())
}

/// A local path to send the visitor back to; anything else (other sites, `//host`, `\\`) becomes `/`.
pub fn local_path(next: &str) -> String {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(char::is_control);
    if ok {
        next.to_string()
    } else {
        "/".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(local_path("/admin?x=1"), "/admin?x=1");
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "",
            "javascript:alert(1)",
        ] {
            assert_eq!(local_path(bad), "/", "{bad}");
        }
    }
}
