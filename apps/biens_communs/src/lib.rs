//! Biens communs: the exchange of services by the hour between neighbours (a time bank: 1 h given
//! = 1 h earned, a quota of hours one may owe that grows with what one gives), and the lending of
//! equipment. The reception records for residents far from digital tools.

#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod duration;
pub mod exchanges;
mod handlers;
pub mod ledger;
pub mod members;
pub mod offers;
mod schema;

use csc_web::{AppModule, ServiceInfo};

/// Where the app is mounted: every URL of the app is built from it.
pub const MOUNT: &str = "/biens-communs";

/// Page templates.
pub static TEMPLATES: include_dir::Dir<'static> =
    include_dir::include_dir!("$CARGO_MANIFEST_DIR/templates");

/// Biens communs as an app of the suite, mounted at `/biens-communs`, its JSON API at
/// `/api/v1/biens-communs`.
pub fn module() -> AppModule {
    AppModule {
        templates: Some(&TEMPLATES),
        api: Some(handlers::api::routes),
        ..AppModule::new(
            ServiceInfo {
                key: "biens-communs",
                title: "Biens communs",
                mount: MOUNT,
                summary: "Échanger des services à l'heure entre voisins (une heure donnée vaut une heure reçue) et se prêter du matériel.",
                listed_for: |_| true,
                staff: Some(csc_web::services::StaffEntry {
                    label: "Gérer les biens communs",
                    path: "/gestion",
                    roles: handlers::STAFF,
                }),
                topics: &[],
            },
            handlers::routes,
        )
    }
}
