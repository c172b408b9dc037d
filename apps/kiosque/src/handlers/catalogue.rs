//! The federation's catalogue, kept by administrators (`/kiosque/catalogue`).

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use csc_core::{time, AppError, Identity};
use csc_db::Db;
use csc_web::routes::{Access, Routes};
use csc_web::{render, render_status, FieldErrors};
use tera::Context;

use super::manage::done;
use crate::catalogue::{self, Icon, ProcedureForm};
use crate::{links, LINK_TIMEOUT};

pub fn routes(r: &mut Routes) {
    use Access::Admin;
    r.get("/catalogue", Admin, list)
        .post("/catalogue", Admin, create)
        .get("/catalogue/nouvelle", Admin, new_form)
        .post("/catalogue/verifier-liens", Admin, check_links)
        .get("/catalogue/{id}", Admin, edit_form)
        .post("/catalogue/{id}", Admin, update);
}

/// `GET /kiosque/catalogue`: every procedure by theme, and the broken addresses.
async fn list(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
) -> Result<HttpResponse, AppError> {
    who.require_admin()?;
    let (themes, procs, broken, last) = db
        .run(|c| {
            Ok((
                catalogue::themes(c)?,
                catalogue::procedures(c)?,
                links::broken(c, None)?,
                links::last_run(c)?.map(time::format_paris),
            ))
        })
        .await?;
    let mut ctx = Context::new();
    ctx.insert("title", "Catalogue des démarches");
    ctx.insert("themes", &themes);
    ctx.insert("procedures", &procs);
    ctx.insert("broken", &broken);
    ctx.insert("last_check", &last);
    render(&req, "kiosque/catalogue.html", ctx)
}

async fn form_page(
    req: &HttpRequest,
    db: &Db,
    id: Option<i64>,
    status: StatusCode,
    values: &ProcedureForm,
    errors: &FieldErrors,
) -> Result<HttpResponse, AppError> {
    let themes = db.run(|c| Ok(catalogue::themes(c)?)).await?;
    let mut ctx = Context::new();
    ctx.insert(
        "title",
        if id.is_some() {
            "Modifier une démarche"
        } else {
            "Nouvelle démarche"
        },
    );
    ctx.insert("procedure_id", &id);
    ctx.insert("themes", &catalogue::theme_choices(&themes));
    ctx.insert("icons", &<Icon as csc_core::Coded>::choices());
    ctx.insert("values", values);
    ctx.insert("errors", errors);
    render_status(req, status, "kiosque/catalogue_form.html", ctx)
}

async fn new_form(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
) -> Result<HttpResponse, AppError> {
    who.require_admin()?;
    let values = ProcedureForm {
        active: Some("on".into()),
        ..ProcedureForm::default()
    };
    form_page(
        &req,
        &db,
        None,
        StatusCode::OK,
        &values,
        &FieldErrors::new(),
    )
    .await
}

async fn create(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    form: web::Form<ProcedureForm>,
) -> Result<HttpResponse, AppError> {
    who.require_admin()?;
    let form = form.into_inner();
    let themes = db.write(|c| Ok(catalogue::themes(c)?)).await?;
    let data = match form.parse(&themes) {
        Ok(d) => d,
        Err(e) => {
            return form_page(&req, &db, None, StatusCode::UNPROCESSABLE_ENTITY, &form, &e).await
        }
    };
    match db.write(move |c| catalogue::create(c, &data)).await? {
        Ok(_) => done(
            &req,
            &format!("{}/catalogue", crate::MOUNT),
            "La démarche a été ajoutée au catalogue.",
        ),
        Err(e) => form_page(&req, &db, None, StatusCode::UNPROCESSABLE_ENTITY, &form, &e).await,
    }
}

async fn edit_form(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    who.require_admin()?;
    let id = path.into_inner();
    let pr = db.run(move |c| catalogue::procedure(c, id)).await?;
    form_page(
        &req,
        &db,
        Some(id),
        StatusCode::OK,
        &ProcedureForm::from_procedure(&pr),
        &FieldErrors::new(),
    )
    .await
}

async fn update(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
    form: web::Form<ProcedureForm>,
) -> Result<HttpResponse, AppError> {
    who.require_admin()?;
    let id = path.into_inner();
    let form = form.into_inner();
    let themes = db.write(|c| Ok(catalogue::themes(c)?)).await?;
    let data = match form.parse(&themes) {
        Ok(d) => d,
        Err(e) => {
            return form_page(
                &req,
                &db,
                Some(id),
                StatusCode::UNPROCESSABLE_ENTITY,
                &form,
                &e,
            )
            .await
        }
    };
    match db.write(move |c| catalogue::update(c, id, &data)).await? {
        Ok(()) => done(
            &req,
            &format!("{}/catalogue", crate::MOUNT),
            "La démarche a été enregistrée.",
        ),
        Err(e) => {
            form_page(
                &req,
                &db,
                Some(id),
                StatusCode::UNPROCESSABLE_ENTITY,
                &form,
                &e,
            )
            .await
        }
    }
}

/// `POST /kiosque/catalogue/verifier-liens`: checks every address now.
async fn check_links(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
) -> Result<HttpResponse, AppError> {
    who.require_admin()?;
    let s = links::check_all(&db, LINK_TIMEOUT)
        .await
        .map_err(AppError::Internal)?;
    done(
        &req,
        &format!("{}/catalogue#liens", crate::MOUNT),
        &format!(
            "{} adresse{} vérifiée{}, {} en erreur.",
            s.checked,
            if s.checked > 1 { "s" } else { "" },
            if s.checked > 1 { "s" } else { "" },
            s.broken
        ),
    )
}
