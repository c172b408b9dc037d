//! Pré-inscription en ligne: families join their centre (adhésion) and pre-register their
//! children to what the leisure centre opens, with the price computed from the centre's grid
//! and explained; the reception follows the requests. Families need no account: each household
//! and each request has its private link.

#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod activities;
pub mod decisions;
pub mod exports;
pub mod families;
pub mod grids;
mod handlers;
mod notify;
pub mod requests;
pub mod rgpd;
mod schema;
pub mod summary;

use csc_core::Role;
use csc_web::{AppModule, ServiceInfo};

/// Where the app is mounted: every URL of the app is built from it.
pub const MOUNT: &str = "/preinscription";

/// Page templates.
pub static TEMPLATES: include_dir::Dir<'static> =
    include_dir::include_dir!("$CARGO_MANIFEST_DIR/templates");

/// Mail templates.
pub static MAIL_TEMPLATES: include_dir::Dir<'static> =
    include_dir::include_dir!("$CARGO_MANIFEST_DIR/mail");

/// Who follows the requests of a centre (children's data: only them, and admins).
pub const RECEPTION: [Role; 2] = [Role::Accueil, Role::Referent];

/// Who sets up activities and tariff grids.
pub const MANAGERS: [Role; 1] = [Role::Referent];

/// A write that must touch exactly one row of the centre: none means it is not the centre's.
pub(crate) fn exactly_one(rows: usize) -> Result<(), csc_core::AppError> {
    match rows {
        1 => Ok(()),
        _ => Err(csc_core::AppError::NotFound),
    }
}

/// The pre-registration as an app of the suite, mounted at `/preinscription`.
pub fn module() -> AppModule {
    AppModule {
        info: ServiceInfo {
            key: "preinscription",
            title: "Pré-inscription en ligne",
            mount: MOUNT,
            summary: "Adhérer au centre et pré-inscrire ses enfants à l'accueil de loisirs, avec le prix calculé selon le quotient familial.",
            listed_for: |_| true,
        },
        configure: handlers::configure,
        templates: Some(&TEMPLATES),
        mail_templates: Some(&MAIL_TEMPLATES),
        links: None,
        init: None,
        job: Some(daily_job),
    }
}

/// Once a day (the first time ten minutes after start-up): families whose last request is older
/// than `FAMILY_DATA_MONTHS` are deleted.
fn daily_job(
    db: csc_db::Db,
    settings: csc_core::Settings,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>> {
    Box::pin(async move {
        let start = tokio::time::Instant::now() + std::time::Duration::from_secs(600);
        let mut tick = tokio::time::interval_at(start, std::time::Duration::from_secs(24 * 3600));
        let months = settings.family_data_months;
        loop {
            tick.tick().await;
            match db
                .run(move |c| rgpd::purge(c, csc_core::time::now(), months))
                .await
            {
                Ok(n) => tracing::info!(deleted = n, "preinscription: old family data deleted"),
                Err(e) => tracing::warn!(error = ?e, "preinscription: family data purge failed"),
            }
        }
    })
}
