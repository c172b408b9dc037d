//! The help directory: the help desks near the centre, kept by its referents.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use csc_auth::centres::Centre;
use csc_core::{AppError, Coded, Identity};
use csc_db::Db;
use csc_web::{render, render_status, FieldErrors};

use super::{base_context, done};
use crate::directory::{self, HelpDeskForm, Kind};
use crate::handlers::{managed_centre, MANAGERS};

/// `GET /kiosque/gestion/{centre}/aide`: the help directory.
pub(super) async fn help_desks(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let centre = managed_centre(&db, &who, path.into_inner(), MANAGERS).await?;
    let id = centre.id;
    let list = db.run(move |c| Ok(directory::of_centre(c, id)?)).await?;
    let mut ctx = base_context(&centre, &who, "Annuaire de l'aide");
    ctx.insert("help_desks", &list);
    render(&req, "kiosque/manage_help_desks.html", ctx)
}

fn help_desk_form_page(
    req: &HttpRequest,
    who: &Identity,
    centre: &Centre,
    help_desk_id: Option<i64>,
    status: StatusCode,
    values: &HelpDeskForm,
    errors: &FieldErrors,
) -> Result<HttpResponse, AppError> {
    let mut ctx = base_context(
        centre,
        who,
        if help_desk_id.is_some() {
            "Modifier une structure d'aide"
        } else {
            "Ajouter une structure d'aide"
        },
    );
    ctx.insert("help_desk_id", &help_desk_id);
    ctx.insert("values", values);
    ctx.insert("errors", errors);
    ctx.insert("kinds", &Kind::choices());
    render_status(req, status, "kiosque/manage_help_desk_form.html", ctx)
}

pub(super) async fn help_desk_new(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let centre = managed_centre(&db, &who, path.into_inner(), MANAGERS).await?;
    let values = HelpDeskForm {
        kind: Kind::FranceServices.code().into(),
        ..HelpDeskForm::default()
    };
    help_desk_form_page(
        &req,
        &who,
        &centre,
        None,
        StatusCode::OK,
        &values,
        &FieldErrors::new(),
    )
}

pub(super) async fn help_desk_create(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
    form: web::Form<HelpDeskForm>,
) -> Result<HttpResponse, AppError> {
    let centre = managed_centre(&db, &who, path.into_inner(), MANAGERS).await?;
    let data = match form.parse() {
        Ok(d) => d,
        Err(e) => {
            return help_desk_form_page(
                &req,
                &who,
                &centre,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
                &form,
                &e,
            )
        }
    };
    let id = centre.id;
    db.write(move |c| Ok(directory::create(c, id, &data)?))
        .await?;
    done(
        &req,
        &format!("{}/gestion/{id}/aide", crate::MOUNT),
        "La structure a été ajoutée à l'annuaire.",
    )
}

pub(super) async fn help_desk_edit(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (centre_id, id) = path.into_inner();
    let centre = managed_centre(&db, &who, centre_id, MANAGERS).await?;
    let d = db.run(move |c| directory::get(c, centre_id, id)).await?;
    help_desk_form_page(
        &req,
        &who,
        &centre,
        Some(id),
        StatusCode::OK,
        &HelpDeskForm::from_help_desk(&d),
        &FieldErrors::new(),
    )
}

pub(super) async fn help_desk_update(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
    form: web::Form<HelpDeskForm>,
) -> Result<HttpResponse, AppError> {
    let (centre_id, id) = path.into_inner();
    let centre = managed_centre(&db, &who, centre_id, MANAGERS).await?;
    let data = match form.parse() {
        Ok(d) => d,
        Err(e) => {
            return help_desk_form_page(
                &req,
                &who,
                &centre,
                Some(id),
                StatusCode::UNPROCESSABLE_ENTITY,
                &form,
                &e,
            )
        }
    };
    db.write(move |c| directory::update(c, centre_id, id, &data))
        .await?;
    done(
        &req,
        &format!("{}/gestion/{centre_id}/aide", crate::MOUNT),
        "La structure a été modifiée.",
    )
}

pub(super) async fn help_desk_delete(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (centre_id, id) = path.into_inner();
    managed_centre(&db, &who, centre_id, MANAGERS).await?;
    db.write(move |c| directory::delete(c, centre_id, id))
        .await?;
    done(
        &req,
        &format!("{}/gestion/{centre_id}/aide", crate::MOUNT),
        "La structure a été retirée de l'annuaire.",
    )
}
