//! A request's private page: its days and their state, cancelling, the PDF summary.

use actix_web::{web, HttpRequest, HttpResponse};
use csc_core::AppError;
use csc_db::Db;
use csc_mail::Mailer;
use csc_web::flash::Level;
use csc_web::{flash, render};
use tera::Context;

use crate::requests;
use crate::summary;

/// `GET /preinscription/demande/{secret}`: the request, its days and their state.
pub(super) async fn request_page(
    req: HttpRequest,
    db: web::Data<Db>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let secret = path.into_inner();
    let doc = db
        .run(move |c| {
            let request = requests::by_secret(c, &secret)?;
            summary::load(c, request, false)
        })
        .await?;
    let mut ctx = Context::new();
    ctx.insert("title", &format!("Votre demande n° {}", doc.request.id));
    ctx.insert("doc", &doc);
    ctx.insert(
        "secret",
        &req.match_info().get("secret").unwrap_or_default(),
    );
    render(&req, "preinscription/request.html", ctx)
}

/// The cancel form: one day (`line`), or the whole request.
#[derive(Debug, serde::Deserialize)]
pub(super) struct CancelForm {
    #[serde(default)]
    line: Option<i64>,
}

/// `POST /preinscription/demande/{secret}/annuler`.
pub(super) async fn request_cancel(
    req: HttpRequest,
    db: web::Data<Db>,
    mailer: web::Data<Mailer>,
    path: web::Path<String>,
    form: web::Form<CancelForm>,
) -> Result<HttpResponse, AppError> {
    let secret = path.into_inner();
    let line = form.into_inner().line;
    let mailer = mailer.into_inner();
    let kept = secret.clone();
    let still_open = db
        .write(move |c| requests::cancel_by_family(c, &mailer, &kept, line))
        .await?;
    if still_open {
        flash::redirect_with(
            &req,
            &format!("{}/demande/{secret}", crate::MOUNT),
            Level::Success,
            "Ce jour est annulé : la place est rendue au centre.",
        )
    } else {
        flash::redirect_with(
            &req,
            crate::MOUNT,
            Level::Success,
            "Votre demande est annulée. Son lien ne fonctionne plus.",
        )
    }
}

/// `GET /preinscription/demande/{secret}/recapitulatif.pdf`.
pub(super) async fn request_pdf(
    db: web::Data<Db>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let secret = path.into_inner();
    let (id, pdf) = db
        .run(move |c| {
            let request = requests::by_secret(c, &secret)?;
            let doc = summary::load(c, request, false)?;
            Ok((doc.request.id, summary::pdf(&doc)?))
        })
        .await?;
    Ok(summary::pdf_response(id, pdf))
}
