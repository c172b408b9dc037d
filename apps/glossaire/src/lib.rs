//! Glossaire « Quand les enfants deviennent profs »: children and teenagers, in workshops led by
//! an adult, explain the words of the internet to seniors in plain words. One engine holds several
//! lexicons (the digital words, the Boussole parentale's parenting acronyms…).
//!
//! The public Rust API for the other services: [`search::search`] (or a [`search::Searcher`]
//! kept for many searches) and [`links::annotate`], which marks a lexicon's words in an HTML
//! fragment with links to their entries.

#![cfg_attr(test, allow(clippy::unwrap_used))]

mod demo;
pub mod digest;
pub mod entries;
mod handlers;
pub mod import;
pub mod links;
mod offers;
pub mod requests;
mod schema;
pub mod search;
pub mod text;
pub mod workshops;

use std::time::Duration;

use csc_core::Role;
use csc_web::services::{every_day, StaffEntry};
use csc_web::{AppModule, ServiceInfo};

pub use links::annotate;
pub use search::{search, Correspondance, Hit, Searcher};

/// Where the app is mounted: every URL of the app is built from it.
pub const MOUNT: &str = "/glossaire";

/// The app's key: statistics label, `--apps` name, settings section.
pub const KEY: &str = "glossaire";

/// Who runs workshops and validates their definitions.
pub const LEADERS: [Role; 1] = [Role::Accompagnateur];

/// Who works in a workshop (the adult, and a young contributor's account if the structure gave
/// one): they write drafts; only the adult validates.
pub const WORKSHOP: [Role; 2] = [Role::Accompagnateur, Role::Contributeur];

/// Page templates.
pub static TEMPLATES: include_dir::Dir<'static> =
    include_dir::include_dir!("$CARGO_MANIFEST_DIR/templates");

/// Mail templates.
pub static MAIL_TEMPLATES: include_dir::Dir<'static> =
    include_dir::include_dir!("$CARGO_MANIFEST_DIR/mail");

/// Stylesheet and scripts that only enhance the pages, served at `/glossaire/fichiers/…`.
static ASSETS: include_dir::Dir<'static> = include_dir::include_dir!("$CARGO_MANIFEST_DIR/static");

/// The glossary as an app of the suite, mounted at `/glossaire`.
pub fn module() -> AppModule {
    AppModule {
        assets: Some(&ASSETS),
        templates: Some(&TEMPLATES),
        mail_templates: Some(&MAIL_TEMPLATES),
        data: Some(app_data),
        job: Some(daily_job),
        demo: Some(demo::load),
        offers: Some(offers::of),
        api: Some(handlers::api_routes),
        ..AppModule::new(
            ServiceInfo {
                key: KEY,
                title: "Glossaire du numérique",
                mount: MOUNT,
                summary: "Les mots d'internet expliqués simplement par des enfants et des jeunes : cherchez un mot, demandez-le s'il manque.",
                listed_for: |_| true,
                staff: Some(StaffEntry {
                    label: "Ateliers du glossaire",
                    path: "/atelier",
                    roles: &WORKSHOP,
                }),
                topics: &[digest::TOPIC],
            },
            handlers::routes,
        )
    }
}

/// The process's search index, shared by its workers.
fn app_data(_settings: &csc_core::Settings) -> anyhow::Result<csc_web::services::AppData> {
    let searcher = actix_web::web::Data::new(Searcher::default());
    Ok(std::sync::Arc::new(move |cfg| {
        cfg.app_data(searcher.clone());
    }))
}

/// Once a day (the first time ten minutes after start-up): the digest of the words asked for.
fn daily_job(
    db: csc_db::Db,
    settings: csc_core::Settings,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>> {
    Box::pin(every_day(Duration::from_secs(600), move || {
        let db = db.clone();
        let mailer = csc_mail::Mailer::new(&[&MAIL_TEMPLATES], settings.base_url());
        async move {
            let mailer = match mailer {
                Ok(m) => m,
                Err(e) => {
                    tracing::warn!(error = ?e, "glossaire: digest templates failed");
                    return;
                }
            };
            match db
                .write(move |c| digest::send(c, &mailer, csc_core::time::now()))
                .await
            {
                Ok(n) => tracing::info!(mails = n, "glossaire: daily digest of requests"),
                Err(e) => tracing::warn!(error = ?e, "glossaire: daily digest failed"),
            }
        }
    }))
}
