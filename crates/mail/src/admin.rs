//! `/admin/courriels`: the outbox as administrators see it (no bodies: they hold private links).

use actix_web::{web, HttpRequest, HttpResponse};
use csc_core::{AppError, Identity};
use csc_db::Db;
use csc_web::routes::{Access, Routes};
use serde::{Deserialize, Serialize};
use tera::Context;

use crate::outbox::{self, OutboxRow, Status};

#[derive(Deserialize)]
struct Filter {
    statut: Option<String>,
}

/// A link of the list's filter: one status, with its count.
#[derive(Serialize)]
struct StatusFilter {
    code: &'static str,
    title: &'static str,
    count: i64,
    current: bool,
}

/// A mail as the list shows it.
#[derive(Serialize)]
struct Listed {
    #[serde(flatten)]
    row: OutboxRow,
    sent: bool,
    failed: bool,
}

/// The title of a status's filter link (the mails of that status).
fn filter_title(s: Status) -> &'static str {
    match s {
        Status::Pending => "En attente",
        Status::Sent => "Envoyés",
        Status::Failed => "En échec",
    }
}

async fn list(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    filter: web::Query<Filter>,
) -> Result<HttpResponse, AppError> {
    who.require_admin()?;
    let only = match filter.statut.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(code) => Some(
            Status::parse(code)
                .ok_or_else(|| AppError::bad_request("Ce filtre d'état n'existe pas."))?,
        ),
    };
    let (rows, counts) = db
        .run(move |c| outbox::list(c, only, 200).map_err(AppError::from))
        .await?;
    let filters: Vec<StatusFilter> = <Status as csc_core::Coded>::ALL
        .iter()
        .map(|&s| StatusFilter {
            code: s.code(),
            title: filter_title(s),
            count: counts.iter().find(|(c, _)| *c == s).map_or(0, |(_, n)| *n),
            current: only == Some(s),
        })
        .collect();
    let mails: Vec<Listed> = rows
        .into_iter()
        .map(|row| Listed {
            sent: row.status == Status::Sent,
            failed: row.status == Status::Failed,
            row,
        })
        .collect();
    let mut ctx = Context::new();
    ctx.insert("title", "Courriels envoyés par le service");
    ctx.insert("mails", &mails);
    ctx.insert("filters", &filters);
    ctx.insert("all", &only.is_none());
    csc_web::render(&req, "mail_admin/outbox.html", ctx)
}

async fn retry(
    who: Identity,
    db: web::Data<Db>,
    ui: web::Data<csc_web::Ui>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    who.require_admin()?;
    let id = path.into_inner();
    db.write(move |c| outbox::retry(c, id)).await?;
    Ok(csc_web::flash::redirect(
        &format!("/admin/courriels?statut={}", Status::Pending.code()),
        csc_web::flash::Level::Success,
        "Le courriel a été remis dans la file d'envoi.",
        ui.secure_cookies,
    ))
}

/// Declares and registers the outbox pages (federation administrators).
pub fn routes(r: &mut Routes) {
    r.get("/admin/courriels", Access::Admin, list).post(
        "/admin/courriels/{id}/relancer",
        Access::Admin,
        retry,
    );
}
