//! Administration of centres: admins create and edit every centre; a referent edits their own.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use csc_core::{AppError, Identity, Role};
use csc_db::Db;
use csc_web::{flash, render, render_status, FieldErrors};
use tera::Context;

use crate::centres::{self, CentreForm};
use crate::config::AuthConfig;

/// Largest accepted logo.
pub const LOGO_MAX_BYTES: usize = 512 * 1024;

/// The centres this user manages: `None` for all (admin), else the ids where they are referent.
pub fn managed_centres(who: &Identity) -> Result<Option<Vec<i64>>, AppError> {
    if who.is_admin {
        return Ok(None);
    }
    let ids = who.centres_with(Role::Referent);
    if ids.is_empty() {
        Err(AppError::Forbidden)
    } else {
        Ok(Some(ids))
    }
}

/// `GET /admin`
pub async fn home(req: HttpRequest, who: Identity) -> Result<HttpResponse, AppError> {
    managed_centres(&who)?;
    let mut ctx = Context::new();
    ctx.insert("title", "Administration");
    render(&req, "admin/home.html", ctx)
}

/// `GET /admin/centres`
pub async fn list(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
) -> Result<HttpResponse, AppError> {
    let scope = managed_centres(&who)?;
    let all = db.run(|c| centres::list(c).map_err(Into::into)).await?;
    let shown: Vec<_> = all
        .into_iter()
        .filter(|c| scope.as_ref().is_none_or(|ids| ids.contains(&c.id)))
        .collect();
    let mut ctx = Context::new();
    ctx.insert("title", "Centres");
    ctx.insert("centres", &shown);
    render(&req, "admin/centres.html", ctx)
}

fn form_page(
    req: &HttpRequest,
    status: StatusCode,
    centre_id: Option<i64>,
    has_logo: bool,
    form: &CentreForm,
    errors: &FieldErrors,
    slug_editable: bool,
) -> Result<HttpResponse, AppError> {
    let mut ctx = Context::new();
    ctx.insert(
        "title",
        if centre_id.is_some() {
            "Modifier le centre"
        } else {
            "Nouveau centre"
        },
    );
    ctx.insert("centre_id", &centre_id);
    ctx.insert("has_logo", &has_logo);
    ctx.insert("values", form);
    ctx.insert("errors", errors);
    ctx.insert("slug_editable", &slug_editable);
    ctx.insert("logo_max_kb", &(LOGO_MAX_BYTES / 1024));
    render_status(req, status, "admin/centre_form.html", ctx)
}

/// `GET /admin/centres/nouveau`
pub async fn new_form(req: HttpRequest, who: Identity) -> Result<HttpResponse, AppError> {
    who.require_admin()?;
    form_page(
        &req,
        StatusCode::OK,
        None,
        false,
        &CentreForm::default(),
        &FieldErrors::new(),
        true,
    )
}

/// `POST /admin/centres`
pub async fn create(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    auth: web::Data<AuthConfig>,
    form: web::Form<CentreForm>,
) -> Result<HttpResponse, AppError> {
    who.require_admin()?;
    let form = form.into_inner();
    let data = match form.parse() {
        Ok(d) => d,
        Err(errors) => {
            return form_page(
                &req,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                false,
                &form,
                &errors,
                true,
            )
        }
    };
    match db.write(move |c| centres::create(c, &data)).await? {
        Ok(centre) => Ok(flash::redirect(
            &format!("/admin/centres/{}", centre.id),
            flash::Level::Success,
            &format!("Le centre « {} » a été créé.", centre.name),
            auth.secure_cookies,
        )),
        Err(errors) => form_page(
            &req,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            false,
            &form,
            &errors,
            true,
        ),
    }
}

/// `GET /admin/centres/{id}`
pub async fn edit_form(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    who.require_role(id, &[Role::Referent])?;
    let centre = db.run(move |c| centres::get(c, id)).await?;
    form_page(
        &req,
        StatusCode::OK,
        Some(id),
        centre.logo_type.is_some(),
        &CentreForm::from_centre(&centre),
        &FieldErrors::new(),
        who.is_admin,
    )
}

/// `POST /admin/centres/{id}`: referents may not change the short name (printed links use it).
pub async fn update(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    auth: web::Data<AuthConfig>,
    path: web::Path<i64>,
    form: web::Form<CentreForm>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    who.require_role(id, &[Role::Referent])?;
    let current = db.write(move |c| centres::get(c, id)).await?;
    let mut form = form.into_inner();
    if !who.is_admin {
        form.slug = current.slug.clone();
    }
    let has_logo = current.logo_type.is_some();
    let data = match form.parse() {
        Ok(d) => d,
        Err(errors) => {
            return form_page(
                &req,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(id),
                has_logo,
                &form,
                &errors,
                who.is_admin,
            )
        }
    };
    match db.write(move |c| centres::update(c, id, &data)).await? {
        Ok(()) => Ok(flash::redirect(
            &format!("/admin/centres/{id}"),
            flash::Level::Success,
            "Les informations du centre ont été enregistrées.",
            auth.secure_cookies,
        )),
        Err(errors) => form_page(
            &req,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(id),
            has_logo,
            &form,
            &errors,
            who.is_admin,
        ),
    }
}

/// `POST /admin/centres/{id}/logo` (multipart; the CSRF token is in the query string).
pub async fn upload_logo(
    who: Identity,
    db: web::Data<Db>,
    auth: web::Data<AuthConfig>,
    path: web::Path<i64>,
    mut payload: Multipart,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    who.require_role(id, &[Role::Referent])?;
    let bytes = match csc_web::upload::read_file(&mut payload, "logo", LOGO_MAX_BYTES).await {
        Ok(b) => b,
        Err(csc_web::upload::UploadError::Missing) => {
            return Err(AppError::bad_request(
                "Choisissez un fichier image pour le logo.",
            ))
        }
        Err(e) => return Err(e.into()),
    };
    let Some(content_type) = centres::sniff_image(&bytes) else {
        return Err(AppError::bad_request(
            "Le logo doit être une image PNG, JPEG ou WebP.",
        ));
    };
    db.write(move |c| centres::set_logo(c, id, bytes, content_type))
        .await?;
    Ok(flash::redirect(
        &format!("/admin/centres/{id}"),
        flash::Level::Success,
        "Le logo a été enregistré.",
        auth.secure_cookies,
    ))
}

/// `GET /centres/{slug}/logo` (public: shown on portals and posters).
pub async fn logo(db: web::Data<Db>, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    let slug = path.into_inner();
    let (bytes, content_type) = db.run(move |c| centres::logo(c, &slug)).await?;
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header(("Cache-Control", "public, max-age=600"))
        .insert_header(("Content-Security-Policy", "default-src 'none'"))
        .body(bytes))
}
