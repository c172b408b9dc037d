//! `/admin/courriels`: the outbox as administrators see it (no bodies: they hold private links).

use actix_web::{web, HttpRequest, HttpResponse};
use csc_core::{AppError, Identity};
use csc_db::Db;
use csc_web::routes::{Access, Routes};
use serde::Deserialize;
use tera::Context;

use crate::outbox;

#[derive(Deserialize)]
struct Filter {
    statut: Option<String>,
}

async fn list(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    filter: web::Query<Filter>,
) -> Result<HttpResponse, AppError> {
    who.require_admin()?;
    let only = match filter.statut.as_deref() {
        None | Some("") => None,
        Some(s @ ("pending" | "sent" | "failed")) => Some(s.to_string()),
        Some(_) => return Err(AppError::bad_request("Ce filtre d'état n'existe pas.")),
    };
    let selected = only.clone();
    let (rows, counts) = db
        .run(move |c| outbox::list(c, only.as_deref(), 200).map_err(AppError::from))
        .await?;
    let mut ctx = Context::new();
    ctx.insert("title", "Courriels envoyés par le service");
    ctx.insert("mails", &rows);
    ctx.insert(
        "counts",
        &counts
            .into_iter()
            .collect::<std::collections::HashMap<_, _>>(),
    );
    ctx.insert("selected", &selected);
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
        "/admin/courriels?statut=pending",
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
