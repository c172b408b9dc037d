//! Kiosque « Le numérique à mon service »: the e-administration portal of each centre (no login),
//! the kiosk mode of the centre's dedicated terminals, guides, the help directory, digital
//! workshops, link health, the poster, and the referent's statistics.

#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod cache;
pub mod catalogue;
mod demo;
pub mod directory;
pub mod guide;
mod handlers;
pub mod kiosks;
pub mod links;
mod offers;
pub mod portal;
pub mod poster;
mod schema;
pub mod workshops;

use std::time::Duration;

use csc_core::Settings;
use csc_db::Db;
use csc_web::services::every_day;
use csc_web::services::StaffEntry;
use csc_web::{AppModule, ServiceInfo};

/// Where the app is mounted: every URL of the app is built from it.
pub const MOUNT: &str = "/kiosque";

/// Page templates.
pub static TEMPLATES: include_dir::Dir<'static> =
    include_dir::include_dir!("$CARGO_MANIFEST_DIR/templates");

/// Mail templates.
pub static MAIL_TEMPLATES: include_dir::Dir<'static> =
    include_dir::include_dir!("$CARGO_MANIFEST_DIR/mail");

/// Time allowed to each site by the link check.
pub const LINK_TIMEOUT: Duration = Duration::from_secs(15);

/// Files served at `/kiosque/fichiers/…`: the kiosk's stylesheet, script and icons.
static ASSETS: include_dir::Dir<'static> = include_dir::include_dir!("$CARGO_MANIFEST_DIR/static");

/// The kiosque as an app of the suite, mounted at `/kiosque`.
pub fn module() -> AppModule {
    AppModule {
        assets: Some(&ASSETS),
        templates: Some(&TEMPLATES),
        mail_templates: Some(&MAIL_TEMPLATES),
        links: Some(portal::resolve),
        data: Some(cache::app_data),
        init: Some(catalogue::seed),
        job: Some(daily_job),
        demo: Some(demo::load),
        offers: Some(offers::of),
        ..AppModule::new(
            ServiceInfo {
                key: "kiosque",
                title: "Démarches en ligne",
                mount: MOUNT,
                summary: "Les démarches administratives en ligne, avec une fiche pour chacune, l'aide près de chez vous et les ateliers numériques.",
                listed_for: |_| true,
                staff: Some(StaffEntry {
                    label: "Gérer le kiosque",
                    path: "/gestion",
                    roles: handlers::WORKSHOP_STAFF,
                }),
                topics: &[],
            },
            handlers::routes,
        )
    }
}

/// Once a day (the first time an hour after start-up): the link check, and the deletion of
/// workshop sign-ups past their retention.
fn daily_job(
    db: Db,
    _settings: Settings,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>> {
    Box::pin(every_day(Duration::from_secs(3600), move || {
        let db = db.clone();
        async move {
            match links::check_all(&db, LINK_TIMEOUT).await {
                Ok(s) => tracing::info!(
                    checked = s.checked,
                    broken = s.broken,
                    "kiosque: links checked"
                ),
                Err(e) => tracing::warn!(error = %e, "kiosque: link check failed"),
            }
            match db.write(|c| Ok(workshops::purge_old_signups(c)?)).await {
                Ok(n) => tracing::debug!(deleted = n, "kiosque: old workshop sign-ups deleted"),
                Err(e) => tracing::warn!(error = ?e, "kiosque: sign-up purge failed"),
            }
        }
    }))
}
