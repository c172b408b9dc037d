//! The registry of services (apps) mounted in the suite, for navigation and the home page.

use actix_web::web::ServiceConfig;
use csc_core::Identity;
use include_dir::Dir;
use serde::Serialize;

/// How a service presents itself.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct ServiceInfo {
    /// Stable key, also the statistics label.
    pub key: &'static str,
    /// French name shown in menus.
    pub title: &'static str,
    /// Where it is mounted, e.g. `/kiosque`.
    pub mount: &'static str,
    /// One plain sentence saying what it is for.
    pub summary: &'static str,
    /// Whether it is listed for this visitor.
    #[serde(skip)]
    pub listed_for: fn(Option<&Identity>) -> bool,
}

/// Resolves an outbound link key of an app for a centre to its URL (only such known targets are
/// redirected to by `/go/…`).
pub type LinkResolver =
    fn(&mut csc_db::DbConn, i64, &str) -> Result<Option<String>, csc_core::AppError>;

/// Prepares an app's data once the database is migrated, before serving (seed data, say).
pub type Init = fn(&mut csc_db::DbConn) -> anyhow::Result<()>;

/// A background job of an app (a scheduled check, say), started with the server and stopped with it.
pub type Job = fn(
    csc_db::Db,
    csc_core::Settings,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>;

/// One app of the suite: its presentation, routes and templates.
#[derive(Clone, Copy)]
pub struct AppModule {
    pub info: ServiceInfo,
    /// Registers the app's routes, relative to its mount point.
    pub configure: fn(&mut ServiceConfig),
    /// Page templates, under a folder named after the app.
    pub templates: Option<&'static Dir<'static>>,
    /// Mail templates (`name.subject.txt`, `name.txt`, `name.html`).
    pub mail_templates: Option<&'static Dir<'static>>,
    /// Outbound links this app lets `/go/{app}/{centre}/{key}` redirect to.
    pub links: Option<LinkResolver>,
    /// Run at start-up, after the migrations.
    pub init: Option<Init>,
    /// Runs in the background while the server serves.
    pub job: Option<Job>,
}
