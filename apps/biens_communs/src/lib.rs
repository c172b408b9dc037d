//! Biens communs: the exchange of services by the hour between neighbours (a time bank: 1 h given
//! = 1 h earned, a quota of hours one may owe that grows with what one gives), and the lending of
//! equipment. The reception records for residents far from digital tools.

#![cfg_attr(test, allow(clippy::unwrap_used))]

mod demo;
pub mod duration;
pub mod exchanges;
mod handlers;
pub mod ledger;
pub mod lending;
pub mod members;
pub mod offers;
pub mod reports;
mod schema;

use csc_web::{AppModule, ServiceInfo};

/// Where the app is mounted: every URL of the app is built from it.
pub const MOUNT: &str = "/biens-communs";

/// Page templates.
pub static TEMPLATES: include_dir::Dir<'static> =
    include_dir::include_dir!("$CARGO_MANIFEST_DIR/templates");

/// Mail templates (loan reminders).
pub static MAIL_TEMPLATES: include_dir::Dir<'static> =
    include_dir::include_dir!("$CARGO_MANIFEST_DIR/mail");

/// Biens communs as an app of the suite, mounted at `/biens-communs`, its JSON API at
/// `/api/v1/biens-communs`.
pub fn module() -> AppModule {
    AppModule {
        templates: Some(&TEMPLATES),
        mail_templates: Some(&MAIL_TEMPLATES),
        job: Some(daily_job),
        demo: Some(demo::load),
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

/// Once a day (the first time an hour after start-up): holds past their end expire, and loan
/// reminders are queued (two days before the due date, and once when late).
fn daily_job(
    db: csc_db::Db,
    settings: csc_core::Settings,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>> {
    Box::pin(csc_web::services::every_day(
        std::time::Duration::from_secs(3600),
        move || {
            let db = db.clone();
            let settings = settings.clone();
            async move {
                let mailer = match mailer(&settings) {
                    Ok(m) => m,
                    Err(e) => {
                        tracing::warn!(error = %e, "biens-communs: mail templates");
                        return;
                    }
                };
                let today = csc_core::time::today_paris();
                match db
                    .run(move |c| Ok(c.write_transaction(|c| lending::daily(c, &mailer, today, 2))))
                    .await
                {
                    Ok(Ok(n)) => tracing::info!(mails = n, "biens-communs: loan reminders queued"),
                    Ok(Err(e)) => tracing::warn!(error = ?e, "biens-communs: daily job failed"),
                    Err(e) => tracing::warn!(error = ?e, "biens-communs: daily job failed"),
                }
            }
        },
    ))
}

/// A mailer of the app's templates (the loan reminders), for the daily job.
pub fn mailer(settings: &csc_core::Settings) -> anyhow::Result<csc_mail::Mailer> {
    csc_mail::Mailer::new(&[&MAIL_TEMPLATES], settings.base_url())
}
