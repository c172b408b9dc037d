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
