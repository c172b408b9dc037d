//! The registry of services (apps) mounted in the suite: what each app is, its routes with their
//! access, and the hooks the suite calls (start-up, daily job, demo data, each user's work).

use std::sync::Arc;

use actix_web::web::ServiceConfig;
use csc_core::{AppError, Identity, Settings};
use csc_db::{Db, DbConn};
use include_dir::Dir;
use serde::Serialize;

use crate::routes::Routes;

/// How a service presents itself.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct ServiceInfo {
    /// Stable key, also the statistics label, the `--apps` name and the settings section.
    pub key: &'static str,
    /// French name shown in menus.
    pub title: &'static str,
    /// Where it is mounted, e.g. `/kiosque`: every URL of the app is built from it.
    pub mount: &'static str,
    /// One plain sentence saying what it is for.
    pub summary: &'static str,
    /// Whether it is listed for this visitor.
    #[serde(skip)]
    pub listed_for: fn(Option<&Identity>) -> bool,
    /// The staff's way in (« Pré-inscriptions : accueil »), in the navigation of those who hold
    /// one of its roles in a centre (and of administrators).
    pub staff: Option<StaffEntry>,
    /// The mails the app sends a centre's team about new work, each of which a member may turn
    /// off on « Mon compte ».
    #[serde(skip)]
    pub topics: &'static [Topic],
}

/// A kind of mail to a centre's team, that each member may turn off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Topic {
    /// Stable key, `app.what` (stored for those who turned it off).
    pub key: &'static str,
    /// What the mail tells, as the account page says it.
    pub label: &'static str,
    /// Who gets it: the holders of these roles in the centre.
    #[serde(skip)]
    pub roles: &'static [csc_core::Role],
}

/// The staff's entry page of an app.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct StaffEntry {
    /// What the link says.
    pub label: &'static str,
    /// Its path after the app's mount.
    pub path: &'static str,
    /// Who sees it.
    #[serde(skip)]
    pub roles: &'static [csc_core::Role],
}

/// Resolves an outbound link key of an app for a centre to its URL (only such known targets are
/// redirected to by `/go/…`).
pub type LinkResolver = fn(&mut DbConn, i64, &str) -> Result<Option<String>, AppError>;

/// Prepares an app's data once the database is migrated, before serving (seed data, say).
pub type Init = fn(&mut DbConn) -> anyhow::Result<()>;

/// A background job of an app (a scheduled check, say), started with the server and stopped with it.
pub type Job = fn(Db, Settings) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>;

/// Registers an app's own data (a cache, its settings) in each worker's configuration.
pub type AppData = Arc<dyn Fn(&mut ServiceConfig) + Send + Sync>;

/// Builds an app's own data once per process, checking its settings section: a start-up error
/// when they are wrong.
pub type MakeData = fn(&Settings) -> anyhow::Result<AppData>;

/// Adds the app's demo data to the demo centre (`centre_id`) when missing; returns what to show
/// in the terminal: (what, address relative to the suite).
pub type Demo = fn(&mut DbConn, i64) -> Result<Vec<(String, String)>, AppError>;

/// What the app offers a signed-in user: their work in it, per centre.
pub type Offers = fn(&mut DbConn, &Identity) -> Result<Vec<Offer>, AppError>;

/// One piece of a user's work in an app, on their home page and in the navigation:
/// « 3 nouvelles demandes de pré-inscription », « Ateliers de la semaine : 2 ».
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Offer {
    /// The centre it is about, when it is about one.
    pub centre: Option<String>,
    /// What it is, in a few words.
    pub label: String,
    /// Where to do it (absolute path).
    pub href: String,
    /// How many things wait, when it counts something.
    pub count: Option<i64>,
}

/// One app of the suite: its presentation, routes, templates and hooks.
#[derive(Clone, Copy)]
pub struct AppModule {
    pub info: ServiceInfo,
    /// Declares and registers the app's routes, relative to its mount point.
    pub routes: fn(&mut Routes),
    /// Files served at `{mount}/fichiers/…` (stylesheets, scripts, icons).
    pub assets: Option<&'static Dir<'static>>,
    /// Page templates, under a folder named after the app.
    pub templates: Option<&'static Dir<'static>>,
    /// Mail templates (`name.subject.txt`, `name.txt`, `name.html`).
    pub mail_templates: Option<&'static Dir<'static>>,
    /// Outbound links this app lets `/go/{app}/{centre}/{key}` redirect to.
    pub links: Option<LinkResolver>,
    /// The app's own data, built once per process.
    pub data: Option<MakeData>,
    /// Run at start-up, after the migrations.
    pub init: Option<Init>,
    /// Runs in the background while the server serves.
    pub job: Option<Job>,
    /// Demo data of `csc demo`.
    pub demo: Option<Demo>,
    /// Each signed-in user's work in the app.
    pub offers: Option<Offers>,
    /// The app's JSON routes, served under `/api/v1{mount}` (`/api/v1/glossaire/recherche`),
    /// declared relative to it.
    pub api: Option<fn(&mut Routes)>,
}

impl AppModule {
    /// An app with its presentation and routes, and no hooks yet.
    pub const fn new(info: ServiceInfo, routes: fn(&mut Routes)) -> Self {
        Self {
            info,
            routes,
            assets: None,
            templates: None,
            mail_templates: None,
            links: None,
            data: None,
            init: None,
            job: None,
            demo: None,
            offers: None,
            api: None,
        }
    }

    /// Where the app's JSON routes are served: `/api/v1{mount}`.
    pub fn api_scope(&self) -> String {
        format!("/api/v1{}", self.info.mount)
    }

    /// The app's declared JSON routes, relative to [`AppModule::api_scope`].
    pub fn declared_api(&self) -> Vec<crate::routes::Declared> {
        self.api.map(Routes::declared).unwrap_or_default()
    }

    /// An absolute path of the app: its mount, then `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.info.mount)
    }

    /// Declares (and, over a configuration, registers) the app's routes: its files at
    /// `/fichiers/…`, then its own.
    pub fn register(&self, r: &mut Routes) {
        if let Some(dir) = self.assets {
            r.get(
                "/fichiers/{name:.*}",
                crate::Access::Public,
                move |name: actix_web::web::Path<String>| async move {
                    crate::assets::file(dir, &name.into_inner())
                },
            );
        }
        (self.routes)(r);
    }

    /// The app's declared routes, relative to its mount.
    pub fn declared(&self) -> Vec<crate::routes::Declared> {
        Routes::declared(|r| self.register(r))
    }
}

/// The loop of a daily job: `task` runs once a day, the first time `first_in` after start-up
/// (so that a restart does not run every job at once).
pub async fn every_day<F, Fut>(first_in: std::time::Duration, mut task: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let start = tokio::time::Instant::now() + first_in;
    let mut tick = tokio::time::interval_at(start, std::time::Duration::from_secs(24 * 3600));
    loop {
        tick.tick().await;
        task().await;
    }
}
