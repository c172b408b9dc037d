//! Check: attendance of families and children per activity session (roll call on a tablet,
//! family visits as one unit, anonymous LAEP tallies, QR family cards), monthly reports for the
//! CAF and the funders, CAF hours of an ALSH, import of past attendance. Built on the shared
//! calendar (`csc-activities`): Check adds to each session its name and whether it is reserved
//! to a group.

#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod caf;
pub mod cli;
mod demo;
mod handlers;
pub mod import;
pub mod model;
pub mod monthly;
pub mod report;
pub mod retention;
pub mod rollcall;
mod schema;
pub mod text;

use std::time::Duration;

use csc_core::Role;
use csc_web::services::{every_day, StaffEntry};
use csc_web::{AppModule, ServiceInfo};

/// Where the app is mounted.
pub const MOUNT: &str = "/check";

/// The app's key.
pub const KEY: &str = "check";

/// Page templates.
pub static TEMPLATES: include_dir::Dir<'static> =
    include_dir::include_dir!("$CARGO_MANIFEST_DIR/templates");

/// Who takes attendance and reads the reports of a centre (and admins).
pub const STAFF: [Role; 3] = [Role::Animateur, Role::Accueil, Role::Referent];

/// Check as an app of the suite, mounted at `/check`.
pub fn module() -> AppModule {
    AppModule {
        templates: Some(&TEMPLATES),
        job: Some(daily_job),
        demo: Some(demo::load),
        ..AppModule::new(
            ServiceInfo {
                key: KEY,
                title: "Check : présences",
                mount: MOUNT,
                summary: "Émargement des familles et des enfants à chaque séance, rapports mensuels pour la CAF et les financeurs, import des présences passées.",
                listed_for: |_| true,
                staff: Some(StaffEntry {
                    label: "Faire l'appel",
                    path: "/equipe",
                    roles: &STAFF,
                }),
                topics: &[],
            },
            handlers::routes,
        )
    }
}

/// Once a day: attendance older than each centre's retention is aggregated, then deleted.
fn daily_job(
    db: csc_db::Db,
    _settings: csc_core::Settings,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>> {
    Box::pin(every_day(Duration::from_secs(900), move || {
        let db = db.clone();
        async move {
            match db
                .write(|c| retention::purge(c, csc_core::time::today_paris()))
                .await
            {
                Ok(n) => {
                    tracing::info!(deleted = n, "check: old attendance aggregated and deleted")
                }
                Err(e) => tracing::warn!(error = ?e, "check: retention job failed"),
            }
        }
    }))
}
