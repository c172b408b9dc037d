//! Kiosque « Le numérique à mon service »: the e-administration portal of each centre (no login),
//! the kiosk mode of the centre's dedicated terminals, guides, the help directory, digital
//! workshops, link health, the poster, and the referent's statistics.

#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod cache;
pub mod catalogue;
pub mod directory;
pub mod guide;
mod handlers;
pub mod kiosks;
pub mod links;
pub mod portal;
pub mod poster;
mod schema;
pub mod workshops;

use std::time::Duration;

use csc_core::Settings;
use csc_db::Db;
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

/// A write that must touch exactly one row of the centre: none means it is not the centre's (404).
pub(crate) fn exactly_one(rows: usize) -> Result<(), csc_core::AppError> {
    match rows {
        1 => Ok(()),
        _ => Err(csc_core::AppError::NotFound),
    }
}

/// The kiosque as an app of the suite, mounted at `/kiosque`.
pub fn module() -> AppModule {
    AppModule {
        info: ServiceInfo {
            key: "kiosque",
            title: "Démarches en ligne",
            mount: MOUNT,
            summary: "Les démarches administratives en ligne, avec une fiche pour chacune, l'aide près de chez vous et les ateliers numériques.",
            listed_for: |_| true,
        },
        configure: handlers::configure,
        templates: Some(&TEMPLATES),
        mail_templates: Some(&MAIL_TEMPLATES),
        links: Some(portal::resolve),
        init: Some(catalogue::seed),
        job: Some(daily_job),
    }
}

/// Once a day (the first time an hour after start-up): the link check, and the deletion of
/// workshop sign-ups past their retention.
fn daily_job(
    db: Db,
    _settings: Settings,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>> {
    Box::pin(async move {
        let start = tokio::time::Instant::now() + Duration::from_secs(3600);
        let mut tick = tokio::time::interval_at(start, Duration::from_secs(24 * 3600));
        loop {
            tick.tick().await;
            match links::check_all(&db, LINK_TIMEOUT).await {
                Ok(s) => tracing::info!(
                    checked = s.checked,
                    broken = s.broken,
                    "kiosque: links checked"
                ),
                Err(e) => tracing::warn!(error = %e, "kiosque: link check failed"),
            }
            match db.run(|c| Ok(workshops::purge_old_signups(c)?)).await {
                Ok(n) => tracing::debug!(deleted = n, "kiosque: old workshop sign-ups deleted"),
                Err(e) => tracing::warn!(error = ?e, "kiosque: sign-up purge failed"),
            }
        }
    })
}
