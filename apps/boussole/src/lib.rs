//! Boussole parentale: the directory and map of parenting support of the territory (places,
//! services, opening hours, near-me search), for parents and the network's coordinator.

#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod agenda;
pub mod communes;
mod demo;
pub mod export;
mod handlers;
pub mod hours;
pub mod import;
pub mod manage;
pub mod map;
pub mod places;
mod schema;
pub mod search;

use csc_web::services::StaffEntry;
use csc_web::{AppModule, ServiceInfo};

/// Where the app is mounted: every URL of the app is built from it.
pub const MOUNT: &str = "/boussole";

/// Page templates.
pub static TEMPLATES: include_dir::Dir<'static> =
    include_dir::include_dir!("$CARGO_MANIFEST_DIR/templates");

/// Files served at `/boussole/fichiers/…`.
static ASSETS: include_dir::Dir<'static> = include_dir::include_dir!("$CARGO_MANIFEST_DIR/static");

/// The Boussole as an app of the suite, mounted at `/boussole`, its API at `/api/v1/boussole`.
pub fn module() -> AppModule {
    AppModule {
        assets: Some(&ASSETS),
        templates: Some(&TEMPLATES),
        api: Some(handlers::api_routes),
        demo: Some(demo::load),
        ..AppModule::new(
            ServiceInfo {
                key: "boussole",
                title: "Boussole des parents",
                mount: MOUNT,
                summary: "Trouver près de chez soi le bon interlocuteur pour accompagner ses enfants, de la grossesse à 18 ans : lieux, services et horaires.",
                listed_for: |_| true,
                staff: Some(StaffEntry {
                    label: "Gérer la Boussole",
                    path: "/gestion",
                    roles: handlers::COORDINATORS,
                }),
                topics: &[],
            },
            handlers::routes,
        )
    }
}

/// Now, in Paris local time (the hours of places are local).
pub fn paris_now() -> chrono::NaiveDateTime {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Paris)
        .naive_local()
}
