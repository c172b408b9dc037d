//! The shared web layer: templates and the base layout, embedded static assets, flash messages,
//! forms and CSRF, security headers, French error pages, and the registry of services.

pub mod assets;
pub mod csrf;
pub mod errors;
pub mod flash;
pub mod forms;
pub mod pages;
pub mod render;
pub mod routes;
pub mod security;
pub mod services;
pub mod upload;

pub use forms::FieldErrors;
pub use render::{render, render_status, Ui};
pub use routes::{Access, Routes};
pub use services::{AppModule, Offer, ServiceInfo};

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

/// The client's IP address, as [`client_addr`] finds it, without formatting it (`None` when the
/// trusted proxy gave something that is not an address, or there is no peer).
pub fn client_ip(req: &actix_web::HttpRequest, trust_proxy: bool) -> Option<std::net::IpAddr> {
    if trust_proxy {
        if let Some(given) = req.connection_info().realip_remote_addr() {
            return parse_ip(given);
        }
    }
    req.peer_addr().map(|a| a.ip())
}

/// `192.0.2.7`, `192.0.2.7:443`, `2001:db8::1` or `[2001:db8::1]:443`.
fn parse_ip(s: &str) -> Option<std::net::IpAddr> {
    let s = s.trim();
    s.parse()
        .ok()
        .or_else(|| s.parse::<std::net::SocketAddr>().ok().map(|a| a.ip()))
        .or_else(|| s.trim_start_matches('[').trim_end_matches(']').parse().ok())
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
    use super::{local_path, parse_ip};

    #[test]
    fn client_ips_are_read_with_or_without_port() {
        let v4: std::net::IpAddr = "192.0.2.7"
            .parse()
            .unwrap_or(std::net::Ipv4Addr::UNSPECIFIED.into());
        let v6: std::net::IpAddr = "2001:db8::1"
            .parse()
            .unwrap_or(std::net::Ipv4Addr::UNSPECIFIED.into());
        assert_eq!(parse_ip("192.0.2.7"), Some(v4));
        assert_eq!(parse_ip(" 192.0.2.7:443"), Some(v4));
        assert_eq!(parse_ip("2001:db8::1"), Some(v6));
        assert_eq!(parse_ip("[2001:db8::1]:443"), Some(v6));
        assert_eq!(parse_ip("[2001:db8::1]"), Some(v6));
        assert_eq!(parse_ip("unknown"), None);
    }

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
