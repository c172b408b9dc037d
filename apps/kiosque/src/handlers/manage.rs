//! The referent's pages (`/kiosque/gestion/{centre}`): portal personalisation, guides, local links,
//! kiosks, help directory; workshops for referents and animators.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use csc_auth::centres::{self, Centre};
use csc_core::{time, AppError, Identity};
use csc_db::Db;
use csc_web::forms::{optional, required};
use csc_web::{flash, render, render_status, FieldErrors};
use serde::{Deserialize, Serialize};
use tera::Context;

use super::{managed_centre, MANAGERS, WORKSHOP_STAFF};
use crate::catalogue::{self, parse_url, GUIDE_PART_MAX};
use crate::directory::{self, PlaceForm};
use crate::kiosks::{self, KioskForm};
use crate::links;
use crate::portal::{self, GuideParts};
use crate::workshops::{self, WorkshopForm};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/gestion", web::get().to(index))
        .route("/gestion/{centre}", web::get().to(overview))
        .route("/gestion/{centre}/accueil", web::post().to(set_welcome))
        .route("/gestion/{centre}/demarches", web::get().to(procedures))
        .route(
            "/gestion/{centre}/demarches/{id}/fiche",
            web::get().to(guide_form),
        )
        .route(
            "/gestion/{centre}/demarches/{id}/fiche",
            web::post().to(guide_save),
        )
        .route(
            "/gestion/{centre}/demarches/{id}/{action}",
            web::post().to(arrange),
        )
        .route("/gestion/{centre}/liens", web::post().to(add_link))
        .route(
            "/gestion/{centre}/liens/{id}/supprimer",
            web::post().to(remove_link),
        )
        .route("/gestion/{centre}/bornes", web::get().to(kiosks_page))
        .route("/gestion/{centre}/bornes", web::post().to(kiosk_create))
        .route(
            "/gestion/{centre}/bornes/{id}",
            web::post().to(kiosk_update),
        )
        .route(
            "/gestion/{centre}/bornes/{id}/revoquer",
            web::post().to(kiosk_revoke),
        )
        .route("/gestion/{centre}/aide", web::get().to(places))
        .route("/gestion/{centre}/aide", web::post().to(place_create))
        .route("/gestion/{centre}/aide/nouvelle", web::get().to(place_new))
        .route("/gestion/{centre}/aide/{id}", web::get().to(place_edit))
        .route("/gestion/{centre}/aide/{id}", web::post().to(place_update))
        .route(
            "/gestion/{centre}/aide/{id}/supprimer",
            web::post().to(place_delete),
        )
        .route("/gestion/{centre}/ateliers", web::get().to(workshops_page))
        .route(
            "/gestion/{centre}/ateliers",
            web::post().to(workshop_create),
        )
        .route(
            "/gestion/{centre}/ateliers/{id}",
            web::get().to(workshop_show),
        )
        .route(
            "/gestion/{centre}/ateliers/{id}",
            web::post().to(workshop_update),
        )
        .route(
            "/gestion/{centre}/ateliers/{id}/supprimer",
            web::post().to(workshop_delete),
        )
        .route(
            "/gestion/{centre}/ateliers/{id}/inscrits/{signup}/supprimer",
            web::post().to(signup_delete),
        );
}

/// After a change: the portals of this database are reloaded, then a redirect with a success
/// message.
pub(crate) fn done(
    req: &HttpRequest,
    location: &str,
    message: &str,
) -> Result<HttpResponse, AppError> {
    crate::cache::invalidate(super::db_key(req));
    let secure = csc_web::render::ui(req)?.secure_cookies;
    Ok(flash::redirect(location, "succes", message, secure))
}

fn base_context(centre: &Centre, who: &Identity, title: &str) -> Context {
    let mut ctx = Context::new();
    ctx.insert("title", title);
    ctx.insert("managed", centre);
    ctx.insert("can_manage", &who.has_any_role(centre.id, MANAGERS));
    ctx
}

/// `GET /kiosque/gestion`: the centres this user looks after.
async fn index(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
) -> Result<HttpResponse, AppError> {
    let me = who.clone();
    let mine = db
        .run(move |c| centres::staffed_by(c, &me, WORKSHOP_STAFF))
        .await?;
    if mine.len() == 1 && !who.is_admin {
        return Ok(HttpResponse::SeeOther()
            .insert_header(("Location", format!("/kiosque/gestion/{}", mine[0].id)))
            .finish());
    }
    let mut ctx = Context::new();
    ctx.insert("title", "Gérer le kiosque");
    ctx.insert("centres", &mine);
    render(&req, "kiosque/manage_index.html", ctx)
}

#[derive(Debug, Default, Deserialize, Serialize)]
pub struct WelcomeForm {
    #[serde(default)]
    welcome: String,
}

async fn overview_page(
    req: &HttpRequest,
    who: &Identity,
    db: &Db,
    centre: Centre,
    status: StatusCode,
    welcome: Option<(WelcomeForm, FieldErrors)>,
) -> Result<HttpResponse, AppError> {
    let id = centre.id;
    let (current, broken, kiosks, last_check) = db
        .run(move |c| {
            Ok((
                portal::welcome(c, id)?,
                links::broken(c, Some(id))?,
                kiosks::of_centre(c, id)?,
                links::last_run(c)?.map(time::format_paris),
            ))
        })
        .await?;
    let mut ctx = base_context(&centre, who, &format!("Kiosque — {}", centre.name));
    let (values, errors) =
        welcome.unwrap_or((WelcomeForm { welcome: current }, FieldErrors::new()));
    ctx.insert("values", &values);
    ctx.insert("errors", &errors);
    ctx.insert("broken", &broken);
    ctx.insert("last_check", &last_check);
    ctx.insert(
        "kiosk_count",
        &kiosks.iter().filter(|k| k.revoked_at.is_none()).count(),
    );
    render_status(req, status, "kiosque/manage.html", ctx)
}

/// `GET /kiosque/gestion/{centre}`.
async fn overview(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let centre = managed_centre(&db, &who, path.into_inner(), WORKSHOP_STAFF).await?;
    overview_page(&req, &who, &db, centre, StatusCode::OK, None).await
}

/// `POST /kiosque/gestion/{centre}/accueil`: the welcome text of the portal.
async fn set_welcome(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
    form: web::Form<WelcomeForm>,
) -> Result<HttpResponse, AppError> {
    let centre = managed_centre(&db, &who, path.into_inner(), MANAGERS).await?;
    let form = form.into_inner();
    let text = match optional(&form.welcome, 500) {
        Ok(t) => t,
        Err(msg) => {
            let mut e = FieldErrors::new();
            e.add("welcome", msg);
            return overview_page(
                &req,
                &who,
                &db,
                centre,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some((form, e)),
            )
            .await;
        }
    };
    let id = centre.id;
    db.run(move |c| Ok(portal::set_welcome(c, id, &text)?))
        .await?;
    done(
        &req,
        &format!("/kiosque/gestion/{id}"),
        "Le texte d'accueil a été enregistré.",
    )
}

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
    ctx.insert("themes", &themes);
    let (values, errors) = link.unwrap_or_default();
    ctx.insert("values", &values);
    ctx.insert("errors", &errors);
    render_status(req, status, "kiosque/manage_procedures.html", ctx)
}

/// `GET /kiosque/gestion/{centre}/demarches`.
async fn procedures(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let centre = managed_centre(&db, &who, path.into_inner(), MANAGERS).await?;
    procedures_page(&req, &who, &db, centre, StatusCode::OK, None).await
}

/// `POST /kiosque/gestion/{centre}/demarches/{id}/{action}`: hide, show, pin, unpin, move.
async fn arrange(
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
    db.run(move |c| {
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
        &format!("/kiosque/gestion/{centre_id}/demarches#d-{proc_id}"),
        message,
    )
}

/// `POST /kiosque/gestion/{centre}/liens`: a local link (the town hall's site, say).
async fn add_link(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
    form: web::Form<LinkForm>,
) -> Result<HttpResponse, AppError> {
    let centre = managed_centre(&db, &who, path.into_inner(), MANAGERS).await?;
    let form = form.into_inner();
    let themes = db.run(|c| Ok(catalogue::themes(c)?)).await?;
    let mut e = FieldErrors::new();
    let title = e.check("title", required(&form.title, 80, "le titre du lien"));
    let description = e.check("description", optional(&form.description, 300));
    let url = e.check("url", parse_url(&form.url));
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
    db.run(move |c| {
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
        &format!("/kiosque/gestion/{id}/demarches#liens"),
        "Le lien a été ajouté au portail.",
    )
}

/// `POST /kiosque/gestion/{centre}/liens/{id}/supprimer`.
async fn remove_link(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (centre_id, id) = path.into_inner();
    managed_centre(&db, &who, centre_id, MANAGERS).await?;
    if !db
        .run(move |c| Ok(portal::remove_link(c, centre_id, id)?))
        .await?
    {
        return Err(AppError::NotFound);
    }
    done(
        &req,
        &format!("/kiosque/gestion/{centre_id}/demarches#liens"),
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
async fn guide_form(
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
async fn guide_save(
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
    db.run(move |c| {
        catalogue::procedure(c, proc_id)?;
        Ok(portal::set_guide_override(c, centre_id, proc_id, &parts)?)
    })
    .await?;
    done(
        &req,
        &format!("/kiosque/gestion/{centre_id}/demarches#d-{proc_id}"),
        "La fiche de votre centre a été enregistrée.",
    )
}

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
async fn kiosks_page(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let centre = managed_centre(&db, &who, path.into_inner(), MANAGERS).await?;
    kiosks_list_page(&req, &who, &db, centre, StatusCode::OK, None).await
}

/// `POST /kiosque/gestion/{centre}/bornes`.
async fn kiosk_create(
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
    db.run(move |c| Ok(kiosks::create(c, id, &name, inactivity, warning)?))
        .await?;
    done(
        &req,
        &format!("/kiosque/gestion/{id}/bornes"),
        "La borne a été créée. Ouvrez son adresse sur l'ordinateur de la borne.",
    )
}

/// `POST /kiosque/gestion/{centre}/bornes/{id}`: name and delays.
async fn kiosk_update(
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
    db.run(move |c| kiosks::update(c, centre_id, id, &name, inactivity, warning))
        .await?;
    done(
        &req,
        &format!("/kiosque/gestion/{centre_id}/bornes"),
        "La borne a été modifiée.",
    )
}

#[derive(Debug, Deserialize)]
pub struct RevokeForm {
    #[serde(default)]
    renew: Option<String>,
}

/// `POST /kiosque/gestion/{centre}/bornes/{id}/revoquer`: the old address stops working.
async fn kiosk_revoke(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
    form: web::Form<RevokeForm>,
) -> Result<HttpResponse, AppError> {
    let (centre_id, id) = path.into_inner();
    managed_centre(&db, &who, centre_id, MANAGERS).await?;
    let renew = form.renew.is_some();
    db.run(move |c| kiosks::revoke(c, centre_id, id, renew))
        .await?;
    done(
        &req,
        &format!("/kiosque/gestion/{centre_id}/bornes"),
        if renew {
            "L'ancienne adresse ne fonctionne plus ; une nouvelle adresse a été créée."
        } else {
            "La borne est désactivée : son adresse ne fonctionne plus."
        },
    )
}

/// `GET /kiosque/gestion/{centre}/aide`: the help directory.
async fn places(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let centre = managed_centre(&db, &who, path.into_inner(), MANAGERS).await?;
    let id = centre.id;
    let list = db.run(move |c| Ok(directory::of_centre(c, id)?)).await?;
    let mut ctx = base_context(&centre, &who, "Annuaire de l'aide");
    ctx.insert("places", &list);
    ctx.insert("kinds", &directory::KINDS);
    render(&req, "kiosque/manage_places.html", ctx)
}

fn place_form_page(
    req: &HttpRequest,
    who: &Identity,
    centre: &Centre,
    place_id: Option<i64>,
    status: StatusCode,
    values: &PlaceForm,
    errors: &FieldErrors,
) -> Result<HttpResponse, AppError> {
    let mut ctx = base_context(
        centre,
        who,
        if place_id.is_some() {
            "Modifier une structure d'aide"
        } else {
            "Ajouter une structure d'aide"
        },
    );
    ctx.insert("place_id", &place_id);
    ctx.insert("values", values);
    ctx.insert("errors", errors);
    ctx.insert("kinds", &directory::KINDS);
    render_status(req, status, "kiosque/manage_place_form.html", ctx)
}

async fn place_new(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let centre = managed_centre(&db, &who, path.into_inner(), MANAGERS).await?;
    let values = PlaceForm {
        kind: "france-services".into(),
        ..PlaceForm::default()
    };
    place_form_page(
        &req,
        &who,
        &centre,
        None,
        StatusCode::OK,
        &values,
        &FieldErrors::new(),
    )
}

async fn place_create(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
    form: web::Form<PlaceForm>,
) -> Result<HttpResponse, AppError> {
    let centre = managed_centre(&db, &who, path.into_inner(), MANAGERS).await?;
    let data = match form.parse() {
        Ok(d) => d,
        Err(e) => {
            return place_form_page(
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
    db.run(move |c| Ok(directory::create(c, id, &data)?))
        .await?;
    done(
        &req,
        &format!("/kiosque/gestion/{id}/aide"),
        "La structure a été ajoutée à l'annuaire.",
    )
}

async fn place_edit(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (centre_id, id) = path.into_inner();
    let centre = managed_centre(&db, &who, centre_id, MANAGERS).await?;
    let p = db.run(move |c| directory::get(c, centre_id, id)).await?;
    place_form_page(
        &req,
        &who,
        &centre,
        Some(id),
        StatusCode::OK,
        &PlaceForm::from_place(&p),
        &FieldErrors::new(),
    )
}

async fn place_update(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
    form: web::Form<PlaceForm>,
) -> Result<HttpResponse, AppError> {
    let (centre_id, id) = path.into_inner();
    let centre = managed_centre(&db, &who, centre_id, MANAGERS).await?;
    let data = match form.parse() {
        Ok(d) => d,
        Err(e) => {
            return place_form_page(
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
    db.run(move |c| directory::update(c, centre_id, id, &data))
        .await?;
    done(
        &req,
        &format!("/kiosque/gestion/{centre_id}/aide"),
        "La structure a été modifiée.",
    )
}

async fn place_delete(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (centre_id, id) = path.into_inner();
    managed_centre(&db, &who, centre_id, MANAGERS).await?;
    db.run(move |c| directory::delete(c, centre_id, id)).await?;
    done(
        &req,
        &format!("/kiosque/gestion/{centre_id}/aide"),
        "La structure a été retirée de l'annuaire.",
    )
}

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
                level: "debutant".into(),
                duration_minutes: "90".into(),
                seats: "8".into(),
                ..WorkshopForm::default()
            },
            FieldErrors::new(),
        )
    });
    ctx.insert("values", &values);
    ctx.insert("errors", &errors);
    ctx.insert("levels", &workshops::LEVELS);
    render_status(req, status, "kiosque/manage_workshops.html", ctx)
}

async fn workshops_page(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let centre = managed_centre(&db, &who, path.into_inner(), WORKSHOP_STAFF).await?;
    workshops_list_page(&req, &who, &db, centre, StatusCode::OK, None).await
}

async fn workshop_create(
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
        .run(move |c| Ok(workshops::create(c, id, &data)?))
        .await?;
    done(
        &req,
        &format!("/kiosque/gestion/{id}/ateliers/{wid}"),
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
                level: w.workshop.level.clone(),
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
    ctx.insert("levels", &workshops::LEVELS);
    render_status(req, status, "kiosque/manage_workshop.html", ctx)
}

async fn workshop_show(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (centre_id, id) = path.into_inner();
    let centre = managed_centre(&db, &who, centre_id, WORKSHOP_STAFF).await?;
    workshop_page(&req, &who, &db, centre, id, StatusCode::OK, None).await
}

async fn workshop_update(
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
    db.run(move |c| workshops::update(c, centre_id, id, &data))
        .await?;
    done(
        &req,
        &format!("/kiosque/gestion/{centre_id}/ateliers/{id}"),
        "L'atelier a été modifié.",
    )
}

async fn workshop_delete(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (centre_id, id) = path.into_inner();
    managed_centre(&db, &who, centre_id, WORKSHOP_STAFF).await?;
    db.run(move |c| workshops::delete(c, centre_id, id)).await?;
    done(
        &req,
        &format!("/kiosque/gestion/{centre_id}/ateliers"),
        "L'atelier et ses inscriptions ont été supprimés.",
    )
}

async fn signup_delete(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (centre_id, id, signup) = path.into_inner();
    managed_centre(&db, &who, centre_id, WORKSHOP_STAFF).await?;
    db.run(move |c| workshops::remove_signup(c, centre_id, id, signup))
        .await?;
    done(
        &req,
        &format!("/kiosque/gestion/{centre_id}/ateliers/{id}"),
        "L'inscription a été supprimée.",
    )
}
