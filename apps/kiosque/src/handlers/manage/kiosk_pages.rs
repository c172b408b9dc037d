//! The centre's kiosks: create, rename, set delays, revoke.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use csc_auth::centres::Centre;
use csc_core::{AppError, Identity};
use csc_db::Db;
use csc_web::{render_status, FieldErrors};
use serde::Deserialize;

use super::{base_context, done};
use crate::handlers::{managed_centre, MANAGERS};
use crate::kiosks::{self, KioskForm};

async fn kiosks_list_page(
    req: &HttpRequest,
    who: &Identity,
    db: &Db,
    centre: Centre,
    status: StatusCode,
    form: Option<(KioskForm, FieldErrors)>,
) -> Result<HttpResponse, AppError> {
    let id = centre.id;
    let list = db.run(move |c| Ok(kiosks::of_centre(c, id)?)).await?;
    let mut ctx = base_context(&centre, who, "Bornes du centre");
    ctx.insert("kiosks", &list);
    let (values, errors) = form.unwrap_or_default();
    ctx.insert("values", &values);
    ctx.insert("errors", &errors);
    ctx.insert("min_warning", &kiosks::MIN_WARNING);
    render_status(req, status, "kiosque/manage_kiosks.html", ctx)
}

/// `GET /kiosque/gestion/{centre}/bornes`.
pub(super) async fn kiosks_page(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let centre = managed_centre(&db, &who, path.into_inner(), MANAGERS).await?;
    kiosks_list_page(&req, &who, &db, centre, StatusCode::OK, None).await
}

/// `POST /kiosque/gestion/{centre}/bornes`.
pub(super) async fn kiosk_create(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
    form: web::Form<KioskForm>,
) -> Result<HttpResponse, AppError> {
    let centre = managed_centre(&db, &who, path.into_inner(), MANAGERS).await?;
    let form = form.into_inner();
    let (name, inactivity, warning) = match form.parse() {
        Ok(v) => v,
        Err(e) => {
            return kiosks_list_page(
                &req,
                &who,
                &db,
                centre,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some((form, e)),
            )
            .await
        }
    };
    let id = centre.id;
    db.write(move |c| Ok(kiosks::create(c, id, &name, inactivity, warning)?))
        .await?;
    done(
        &req,
        &format!("{}/gestion/{id}/bornes", crate::MOUNT),
        "La borne a été créée. Ouvrez son adresse sur l'ordinateur de la borne.",
    )
}

/// `POST /kiosque/gestion/{centre}/bornes/{id}`: name and delays.
pub(super) async fn kiosk_update(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
    form: web::Form<KioskForm>,
) -> Result<HttpResponse, AppError> {
    let (centre_id, id) = path.into_inner();
    let centre = managed_centre(&db, &who, centre_id, MANAGERS).await?;
    let form = form.into_inner();
    let (name, inactivity, warning) = match form.parse() {
        Ok(v) => v,
        Err(e) => {
            return kiosks_list_page(
                &req,
                &who,
                &db,
                centre,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some((form, e)),
            )
            .await
        }
    };
    db.write(move |c| kiosks::update(c, centre_id, id, &name, inactivity, warning))
        .await?;
    done(
        &req,
        &format!("{}/gestion/{centre_id}/bornes", crate::MOUNT),
        "La borne a été modifiée.",
    )
}

#[derive(Debug, Deserialize)]
pub struct RevokeForm {
    #[serde(default)]
    renew: Option<String>,
}

/// `POST /kiosque/gestion/{centre}/bornes/{id}/revoquer`: the old address stops working.
pub(super) async fn kiosk_revoke(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
    form: web::Form<RevokeForm>,
) -> Result<HttpResponse, AppError> {
    let (centre_id, id) = path.into_inner();
    managed_centre(&db, &who, centre_id, MANAGERS).await?;
    let renew = form.renew.is_some();
    db.write(move |c| kiosks::revoke(c, centre_id, id, renew))
        .await?;
    done(
        &req,
        &format!("{}/gestion/{centre_id}/bornes", crate::MOUNT),
        if renew {
            "L'ancienne adresse ne fonctionne plus ; une nouvelle adresse a été créée."
        } else {
            "La borne est désactivée : son adresse ne fonctionne plus."
        },
    )
}
