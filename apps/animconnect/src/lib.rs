//! Anim'Connect: the planner of the leisure centres (accueils de loisirs). A library of activity
//! sheets shared between centres (`sheets`), and the staffing rules (`staffing`) that
//! `csc encadrement` prints for directors preparing a day.

#![cfg_attr(test, allow(clippy::unwrap_used))]

mod demo;
mod handlers;
pub mod materials;
pub mod planning;
pub mod project;
pub mod schema;
pub mod sheets;
pub mod staffing;

use csc_core::Role;
use csc_web::services::StaffEntry;
use csc_web::{AppModule, ServiceInfo};

/// Where the app is mounted: every URL of the app is built from it.
pub const MOUNT: &str = "/animconnect";

/// The app's key: statistics label, `--apps` name, settings section.
pub const KEY: &str = "animconnect";

/// Who plans and writes sheets: the animators and the centre's referent (the director).
pub const STAFF: [Role; 2] = [Role::Animateur, Role::Referent];

/// Page templates.
pub static TEMPLATES: include_dir::Dir<'static> =
    include_dir::include_dir!("$CARGO_MANIFEST_DIR/templates");

/// Anim'Connect as an app of the suite, mounted at `/animconnect`.
pub fn module() -> AppModule {
    AppModule {
        templates: Some(&TEMPLATES),
        demo: Some(demo::load),
        ..AppModule::new(
            ServiceInfo {
                key: KEY,
                title: "Anim'Connect",
                mount: MOUNT,
                summary: "Le programme de l'accueil de loisirs pour les familles ; fiches d'activités partagées, plannings et encadrement pour les équipes d'animation.",
                listed_for: |_| true,
                staff: Some(StaffEntry {
                    label: "Fiches d'activités et plannings",
                    path: "/fiches",
                    roles: &STAFF,
                }),
                topics: &[],
            },
            handlers::routes,
        )
    }
}
