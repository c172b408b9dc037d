//! Pré-inscription en ligne: families join their centre (adhésion) and pre-register their
//! children to what the leisure centre opens, with the price computed from the centre's grid
//! and explained; the reception follows the requests. Families need no account: each household
//! and each request has its private link.

#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod activities;
pub mod decisions;
mod demo;
pub mod exports;
pub mod families;
pub mod grids;
mod handlers;
mod notify;
mod offers;
pub mod requests;
pub mod rgpd;
mod schema;
pub mod summary;

use csc_core::Role;
use std::time::Duration;

use csc_web::services::{every_day, StaffEntry, Topic};
use csc_web::{AppModule, ServiceInfo};

/// Where the app is mounted: every URL of the app is built from it.
pub const MOUNT: &str = "/preinscription";

/// The app's key: statistics label, `--apps` name, settings section.
pub const KEY: &str = "preinscription";

/// Page templates.
pub static TEMPLATES: include_dir::Dir<'static> =
    include_dir::include_dir!("$CARGO_MANIFEST_DIR/templates");

/// Mail templates.
pub static MAIL_TEMPLATES: include_dir::Dir<'static> =
    include_dir::include_dir!("$CARGO_MANIFEST_DIR/mail");

/// The pré-inscription's own settings (`[preinscription]` in `csc.toml`).
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Months a family's data is kept after its last request (RGPD), then deleted
    /// (`FAMILY_DATA_MONTHS`).
    pub family_data_months: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            family_data_months: 24,
        }
    }
}

/// Who follows the requests of a centre (children's data: only them, and admins).
pub const RECEPTION: [Role; 2] = [Role::Accueil, Role::Referent];

/// The mail that tells the centre's reception of each new request (each member may turn it off).
pub const NEW_REQUEST: Topic = Topic {
    key: "preinscription.nouvelle-demande",
    label: "Une famille envoie une demande de pré-inscription",
    roles: &RECEPTION,
};

/// Who sets up activities and tariff grids.
pub const MANAGERS: [Role; 1] = [Role::Referent];

/// Scripts that only enhance the pages, served at `/preinscription/fichiers/…`.
static ASSETS: include_dir::Dir<'static> = include_dir::include_dir!("$CARGO_MANIFEST_DIR/static");

/// The pre-registration as an app of the suite, mounted at `/preinscription`.
pub fn module() -> AppModule {
    AppModule {
        assets: Some(&ASSETS),
        templates: Some(&TEMPLATES),
        mail_templates: Some(&MAIL_TEMPLATES),
        data: Some(app_data),
        job: Some(daily_job),
        demo: Some(demo::load),
        offers: Some(offers::of),
        ..AppModule::new(
            ServiceInfo {
                key: KEY,
                title: "Pré-inscription en ligne",
                mount: MOUNT,
                summary: "Adhérer au centre et pré-inscrire ses enfants à l'accueil de loisirs, avec le prix calculé selon le quotient familial.",
                listed_for: |_| true,
                staff: Some(StaffEntry {
                    label: "Suivre les pré-inscriptions",
                    path: "/gestion",
                    roles: &RECEPTION,
                }),
                topics: &[NEW_REQUEST],
            },
            handlers::routes,
        )
    }
}

/// The app's settings, checked at start-up and given to its handlers.
fn app_data(settings: &csc_core::Settings) -> anyhow::Result<csc_web::services::AppData> {
    let mine = actix_web::web::Data::new(settings.section::<Settings>(KEY)?);
    Ok(std::sync::Arc::new(move |cfg| {
        cfg.app_data(mine.clone());
    }))
}

/// Once a day (the first time ten minutes after start-up): families whose last request is older
/// than `family_data_months` are deleted.
fn daily_job(
    db: csc_db::Db,
    settings: csc_core::Settings,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>> {
    let months = settings
        .section::<Settings>(KEY)
        .unwrap_or_default()
        .family_data_months;
    Box::pin(every_day(Duration::from_secs(600), move || {
        let db = db.clone();
        async move {
            match db
                .write(move |c| rgpd::purge(c, csc_core::time::now(), months))
                .await
            {
                Ok(n) => tracing::info!(deleted = n, "preinscription: old family data deleted"),
                Err(e) => tracing::warn!(error = ?e, "preinscription: family data purge failed"),
            }
        }
    }))
}
