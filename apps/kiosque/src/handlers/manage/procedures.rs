//! The portal's procedures (hide, show, pin, reorder), its local links and the centre's own guides.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use csc_auth::centres::Centre;
use csc_core::{AppError, Identity, WebUrl};
use csc_db::Db;
use csc_web::forms::{optional, required};
use csc_web::{render_status, FieldErrors};
use serde::{Deserialize, Serialize};

use super::{base_context, done};
use crate::catalogue::{self, GUIDE_PART_MAX};
use crate::handlers::{managed_centre, MANAGERS};
use crate::portal::{self, GuideParts};

#[derive(Debug, Default, Deserialize, Serialize)]
pub struct LinkForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    url: String,
    #[serde(default)]
    theme_id: String,
    #[serde(default)]
    pinned: Option<String>,
}

async fn procedures_page(
    req: &HttpRequest,
    who: &Identity,
    db: &Db,
    centre: Centre,
    status: StatusCode,
    link: Option<(LinkForm, FieldErrors)>,
) -> Result<HttpResponse, AppError> {
    let id = centre.id;
    let (view, themes) = db
        .run(move |c| Ok((portal::load(c, id, true)?, catalogue::themes(c)?)))
        .await?;
    let mut ctx = base_context(&centre, who, "Démarches affichées");
    ctx.insert("portal_view", &view);
    ctx.insert("themes", &catalogue::theme_choices(&themes));
    let (values, errors) = link.unwrap_or_default();
    ctx.insert("values", &values);
    ctx.insert("errors", &errors);
    render_status(req, status, "kiosque/manage_procedures.html", ctx)
}

/// `GET /kiosque/gestion/{centre}/demarches`.
pub(super) async fn procedures(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let centre = managed_centre(&db, &who, path.into_inner(), MANAGERS).await?;
    procedures_page(&req, &who, &db, centre, StatusCode::OK, None).await
}

/// `POST /kiosque/gestion/{centre}/demarches/{id}/{action}`: hide, show, pin, unpin, move.
pub(super) async fn arrange(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64, String)>,
) -> Result<HttpResponse, AppError> {
    let (centre_id, proc_id, action) = path.into_inner();
    managed_centre(&db, &who, centre_id, MANAGERS).await?;
    let message = match action.as_str() {
        "masquer" => "La démarche est masquée sur votre portail.",
        "afficher" => "La démarche est de nouveau affichée.",
        "epingler" => "La démarche est épinglée en haut de l'accueil.",
        "desepingler" => "La démarche n'est plus épinglée.",
        "monter" | "descendre" => "L'ordre des démarches a été modifié.",
        _ => return Err(AppError::NotFound),
    };
    db.write(move |c| {
        catalogue::procedure(c, proc_id)?;
        match action.as_str() {
            "monter" => portal::move_procedure(c, centre_id, proc_id, -1),
            "descendre" => portal::move_procedure(c, centre_id, proc_id, 1),
            a => Ok(portal::change_choice(
                c,
                centre_id,
                proc_id,
                |ch| match a {
                    "masquer" => ch.hidden = true,
                    "afficher" => ch.hidden = false,
                    "epingler" => ch.pinned = true,
                    _ => ch.pinned = false,
                },
            )?),
        }
    })
    .await?;
    done(
        &req,
        &format!("{}/gestion/{centre_id}/demarches#d-{proc_id}", crate::MOUNT),
        message,
    )
}

/// `POST /kiosque/gestion/{centre}/liens`: a local link (the town hall's site, say).
pub(super) async fn add_link(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
    form: web::Form<LinkForm>,
) -> Result<HttpResponse, AppError> {
    let centre = managed_centre(&db, &who, path.into_inner(), MANAGERS).await?;
    let form = form.into_inner();
    let themes = db.write(|c| Ok(catalogue::themes(c)?)).await?;
    let mut e = FieldErrors::new();
    let title = e.check("title", required(&form.title, 80, "le titre du lien"));
    let description = e.check("description", optional(&form.description, 300));
    let url = e.check("url", WebUrl::parse(&form.url).map(String::from));
    let theme_id = e.check(
        "theme_id",
        match form.theme_id.trim() {
            "" => Ok(None),
            t => t
                .parse::<i64>()
                .ok()
                .filter(|id| themes.iter().any(|th| th.id == *id))
                .map(Some)
                .ok_or_else(|| "Choisissez un thème dans la liste.".to_string()),
        },
    );
    let (Some(title), Some(description), Some(url), Some(theme_id)) =
        (title, description, url, theme_id)
    else {
        return procedures_page(
            &req,
            &who,
            &db,
            centre,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some((form, e)),
        )
        .await;
    };
    let id = centre.id;
    let pinned = form.pinned.is_some();
    db.write(move |c| {
        Ok(portal::add_link(
            c,
            id,
            theme_id,
            &title,
            &description,
            &url,
            pinned,
        )?)
    })
    .await?;
    done(
        &req,
        &format!("{}/gestion/{id}/demarches#liens", crate::MOUNT),
        "Le lien a été ajouté au portail.",
    )
}

/// `POST /kiosque/gestion/{centre}/liens/{id}/supprimer`.
pub(super) async fn remove_link(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (centre_id, id) = path.into_inner();
    managed_centre(&db, &who, centre_id, MANAGERS).await?;
    if !db
        .write(move |c| Ok(portal::remove_link(c, centre_id, id)?))
        .await?
    {
        return Err(AppError::NotFound);
    }
    done(
        &req,
        &format!("{}/gestion/{centre_id}/demarches#liens", crate::MOUNT),
        "Le lien a été retiré.",
    )
}

#[derive(Debug, Default, Deserialize, Serialize)]
pub struct GuideForm {
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    documents: String,
    #[serde(default)]
    steps: String,
    #[serde(default)]
    help: String,
}

async fn guide_page(
    req: &HttpRequest,
    who: &Identity,
    db: &Db,
    centre: Centre,
    proc_id: i64,
    status: StatusCode,
    form: Option<(GuideForm, FieldErrors)>,
) -> Result<HttpResponse, AppError> {
    let id = centre.id;
    let (pr, own) = db
        .run(move |c| {
            let pr = catalogue::procedure(c, proc_id)?;
            Ok((pr, portal::guide_override(c, id, proc_id)?))
        })
        .await?;
    let mut ctx = base_context(&centre, who, &format!("Fiche « {} »", pr.title));
    let (values, errors) = form.unwrap_or_else(|| {
        (
            GuideForm {
                purpose: own.purpose,
                documents: own.documents,
                steps: own.steps,
                help: own.help,
            },
            FieldErrors::new(),
        )
    });
    ctx.insert("procedure", &pr);
    ctx.insert("values", &values);
    ctx.insert("errors", &errors);
    render_status(req, status, "kiosque/manage_guide.html", ctx)
}

/// `GET /kiosque/gestion/{centre}/demarches/{id}/fiche`: the centre's own version of a guide.
pub(super) async fn guide_form(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (centre_id, proc_id) = path.into_inner();
    let centre = managed_centre(&db, &who, centre_id, MANAGERS).await?;
    guide_page(&req, &who, &db, centre, proc_id, StatusCode::OK, None).await
}

/// `POST /kiosque/gestion/{centre}/demarches/{id}/fiche`.
pub(super) async fn guide_save(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
    form: web::Form<GuideForm>,
) -> Result<HttpResponse, AppError> {
    let (centre_id, proc_id) = path.into_inner();
    let centre = managed_centre(&db, &who, centre_id, MANAGERS).await?;
    let form = form.into_inner();
    let mut e = FieldErrors::new();
    let parts = GuideParts {
        purpose: e
            .check("purpose", optional(&form.purpose, GUIDE_PART_MAX))
            .unwrap_or_default(),
        documents: e
            .check("documents", optional(&form.documents, GUIDE_PART_MAX))
            .unwrap_or_default(),
        steps: e
            .check("steps", optional(&form.steps, GUIDE_PART_MAX))
            .unwrap_or_default(),
        help: e
            .check("help", optional(&form.help, GUIDE_PART_MAX))
            .unwrap_or_default(),
    };
    if !e.is_empty() {
        return guide_page(
            &req,
            &who,
            &db,
            centre,
            proc_id,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some((form, e)),
        )
        .await;
    }
    db.write(move |c| {
        catalogue::procedure(c, proc_id)?;
        Ok(portal::set_guide_override(c, centre_id, proc_id, &parts)?)
    })
    .await?;
    done(
        &req,
        &format!("{}/gestion/{centre_id}/demarches#d-{proc_id}", crate::MOUNT),
        "La fiche de votre centre a été enregistrée.",
    )
}
