//! Workshops, for referents and animators: create, edit, delete, and who signed up.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use csc_auth::centres::Centre;
use csc_core::{time, AppError, Coded, Identity};
use csc_db::Db;
use csc_web::{render_status, FieldErrors};

use super::{base_context, done};
use crate::handlers::{managed_centre, WORKSHOP_STAFF};
use crate::workshops::{self, Level, WorkshopForm};

async fn workshops_list_page(
    req: &HttpRequest,
    who: &Identity,
    db: &Db,
    centre: Centre,
    status: StatusCode,
    form: Option<(WorkshopForm, FieldErrors)>,
) -> Result<HttpResponse, AppError> {
    let id = centre.id;
    let since = time::now() - chrono::Duration::days(workshops::SIGNUP_RETENTION_DAYS);
    let list = db
        .run(move |c| Ok(workshops::all_since(c, id, since)?))
        .await?;
    let mut ctx = base_context(&centre, who, "Ateliers numériques");
    ctx.insert("workshops", &list);
    let (values, errors) = form.unwrap_or_else(|| {
        (
            WorkshopForm {
                level: Level::Beginner.code().into(),
                duration_minutes: "90".into(),
                seats: "8".into(),
                ..WorkshopForm::default()
            },
            FieldErrors::new(),
        )
    });
    ctx.insert("values", &values);
    ctx.insert("errors", &errors);
    ctx.insert("levels", &Level::choices());
    render_status(req, status, "kiosque/manage_workshops.html", ctx)
}

pub(super) async fn workshops_page(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let centre = managed_centre(&db, &who, path.into_inner(), WORKSHOP_STAFF).await?;
    workshops_list_page(&req, &who, &db, centre, StatusCode::OK, None).await
}

pub(super) async fn workshop_create(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
    form: web::Form<WorkshopForm>,
) -> Result<HttpResponse, AppError> {
    let centre = managed_centre(&db, &who, path.into_inner(), WORKSHOP_STAFF).await?;
    let form = form.into_inner();
    let data = match form.parse(time::now()) {
        Ok(d) => d,
        Err(e) => {
            return workshops_list_page(
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
    let wid = db
        .write(move |c| Ok(workshops::create(c, id, &data)?))
        .await?;
    done(
        &req,
        &format!("{}/gestion/{id}/ateliers/{wid}", crate::MOUNT),
        "L'atelier a été ajouté.",
    )
}

async fn workshop_page(
    req: &HttpRequest,
    who: &Identity,
    db: &Db,
    centre: Centre,
    id: i64,
    status: StatusCode,
    form: Option<(WorkshopForm, FieldErrors)>,
) -> Result<HttpResponse, AppError> {
    let cid = centre.id;
    let (w, signups) = db
        .run(move |c| {
            let w = workshops::get(c, cid, id)?;
            Ok((w, workshops::signups(c, id)?))
        })
        .await?;
    let (values, errors) = form.unwrap_or_else(|| {
        let local = time::to_paris(w.workshop.starts_at);
        (
            WorkshopForm {
                title: w.workshop.title.clone(),
                topic: w.workshop.topic.clone(),
                level: w.workshop.level.code().into(),
                date: local.format("%Y-%m-%d").to_string(),
                time: local.format("%H:%M").to_string(),
                duration_minutes: w.workshop.duration_minutes.to_string(),
                place: w.workshop.place.clone(),
                seats: w.workshop.seats.to_string(),
                description: w.workshop.description.clone(),
            },
            FieldErrors::new(),
        )
    });
    let mut ctx = base_context(&centre, who, &w.workshop.title);
    ctx.insert("workshop", &w);
    ctx.insert("signups", &signups);
    ctx.insert("values", &values);
    ctx.insert("errors", &errors);
    ctx.insert("levels", &Level::choices());
    render_status(req, status, "kiosque/manage_workshop.html", ctx)
}

pub(super) async fn workshop_show(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (centre_id, id) = path.into_inner();
    let centre = managed_centre(&db, &who, centre_id, WORKSHOP_STAFF).await?;
    workshop_page(&req, &who, &db, centre, id, StatusCode::OK, None).await
}

pub(super) async fn workshop_update(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
    form: web::Form<WorkshopForm>,
) -> Result<HttpResponse, AppError> {
    let (centre_id, id) = path.into_inner();
    let centre = managed_centre(&db, &who, centre_id, WORKSHOP_STAFF).await?;
    let form = form.into_inner();
    let data = match form.parse(time::now()) {
        Ok(d) => d,
        Err(e) => {
            return workshop_page(
                &req,
                &who,
                &db,
                centre,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some((form, e)),
            )
            .await
        }
    };
    db.write(move |c| workshops::update(c, centre_id, id, &data))
        .await?;
    done(
        &req,
        &format!("{}/gestion/{centre_id}/ateliers/{id}", crate::MOUNT),
        "L'atelier a été modifié.",
    )
}

pub(super) async fn workshop_delete(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (centre_id, id) = path.into_inner();
    managed_centre(&db, &who, centre_id, WORKSHOP_STAFF).await?;
    db.write(move |c| workshops::delete(c, centre_id, id))
        .await?;
    done(
        &req,
        &format!("{}/gestion/{centre_id}/ateliers", crate::MOUNT),
        "L'atelier et ses inscriptions ont été supprimés.",
    )
}

pub(super) async fn signup_delete(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (centre_id, id, signup) = path.into_inner();
    managed_centre(&db, &who, centre_id, WORKSHOP_STAFF).await?;
    db.write(move |c| workshops::remove_signup(c, centre_id, id, signup))
        .await?;
    done(
        &req,
        &format!("{}/gestion/{centre_id}/ateliers/{id}", crate::MOUNT),
        "L'inscription a été supprimée.",
    )
}
