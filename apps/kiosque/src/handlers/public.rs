//! The screens residents see, without any login: on the centre's public portal
//! (`/kiosque/c/{slug}`) and on its kiosks (`/kiosque/borne/{token}`), with one set of templates.

use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use csc_auth::centres;
use csc_core::{AppError, Settings};
use csc_db::Db;
use csc_mail::Mailer;
use csc_stats::event::Kind;
use csc_stats::Stats;
use csc_web::{render, render_status, FieldErrors};
use serde::Deserialize;
use tera::Context;

use super::Screen;
use crate::kiosks::Answer;
use crate::workshops::{self, Refusal, SignupForm};
use crate::{catalogue, directory, guide, portal, poster};

#[derive(Deserialize)]
pub struct IndexQuery {
    centre: Option<String>,
}

/// `GET /kiosque`: the centres' portals; `?centre=N` (the old links) goes to that centre's portal.
pub async fn index(
    req: HttpRequest,
    db: web::Data<Db>,
    query: web::Query<IndexQuery>,
) -> Result<HttpResponse, AppError> {
    if let Some(raw) = query.into_inner().centre {
        let id: i64 = raw.trim().parse().map_err(|_| AppError::NotFound)?;
        let centre = db.run(move |c| centres::get(c, id)).await?;
        return Ok(HttpResponse::MovedPermanently()
            .insert_header(("Location", format!("{}/c/{}", crate::MOUNT, centre.slug)))
            .finish());
    }
    let list = db.run(|c| Ok(centres::list(c)?)).await?;
    let mut ctx = Context::new();
    ctx.insert("title", "Démarches en ligne");
    ctx.insert("centres", &list);
    render(&req, "kiosque/index.html", ctx)
}

/// The content of a portal page that depends only on the screen (no user, no CSRF token), rendered
/// once per cached portal.
fn content(
    req: &HttpRequest,
    screen: &Screen,
    template: &str,
    variant: &str,
    extra: impl FnOnce(&mut Context),
) -> Result<Arc<String>, AppError> {
    let key = format!("{template}|{variant}|{}", screen.base);
    screen.data.fragment(&key, || {
        let mut ctx = screen.context();
        extra(&mut ctx);
        csc_web::render::ui(req)?.render_raw(template, &ctx)
    })
}

/// The home screen: pinned tiles, themes, local links, help and workshops.
pub async fn home(req: HttpRequest, screen: Screen) -> Result<HttpResponse, AppError> {
    let html = content(&req, &screen, "kiosque/home_content.html", "", |ctx| {
        ctx.insert("home", &screen.data.home);
    })?;
    let mut ctx = screen.context();
    ctx.insert(
        "title",
        &format!("Démarches en ligne — {}", screen.centre().name),
    );
    ctx.insert("content", html.as_str());
    render(&req, "kiosque/home.html", ctx)
}

/// The tiles of one theme.
pub async fn theme(
    req: HttpRequest,
    screen: Screen,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let slug = path.into_inner().1;
    let t = screen.data.portal.theme(&slug).ok_or(AppError::NotFound)?;
    let html = content(&req, &screen, "kiosque/theme_content.html", &slug, |ctx| {
        let tiles: Vec<&portal::Tile> = t.tiles.iter().filter(|t| !t.hidden).collect();
        ctx.insert("theme", &t.theme);
        ctx.insert("tiles", &tiles);
    })?;
    let mut ctx = screen.context();
    ctx.insert("title", &t.theme.title);
    ctx.insert("content", html.as_str());
    render(&req, "kiosque/theme.html", ctx)
}

#[derive(Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
}

/// The tiles matching `?q=…`.
pub async fn search(
    req: HttpRequest,
    screen: Screen,
    query: web::Query<SearchQuery>,
) -> Result<HttpResponse, AppError> {
    let p = &screen.data.portal;
    let q: String = query.q.chars().take(100).collect();
    let found = p.search(&q);
    let mut ctx = screen.context();
    ctx.insert("title", &format!("Recherche : {q}"));
    ctx.insert("q", &q);
    ctx.insert("tiles", &found);
    render(&req, "kiosque/search.html", ctx)
}

/// The guide of a procedure for the screen's centre, as HTML parts.
async fn guide_context(db: &Db, screen: &Screen, slug: String) -> Result<Context, AppError> {
    let centre_id = screen.centre().id;
    let (pr, own) = db
        .run(move |c| {
            let pr = catalogue::active_by_slug(c, &slug)?;
            let own = portal::guide_override(c, centre_id, pr.id)?;
            Ok((pr, own))
        })
        .await?;
    let g = portal::effective_guide(&pr, &own);
    let mut ctx = screen.context();
    ctx.insert("title", &pr.title);
    ctx.insert("procedure", &pr);
    ctx.insert("purpose_html", &guide::to_html(&g.purpose));
    ctx.insert("documents_html", &guide::to_html(&g.documents));
    ctx.insert("steps_html", &guide::to_html(&g.steps));
    ctx.insert("help_html", &guide::to_html(&g.help));
    ctx.insert("answers", &<Answer as csc_core::Coded>::choices());
    ctx.insert("go", &format!("/go/kiosque/{centre_id}/{}", pr.slug));
    Ok(ctx)
}

/// The guide of a procedure, on screen or (`…/imprimer`) on one A4 page.
pub async fn guide_page(
    req: HttpRequest,
    db: web::Data<Db>,
    screen: Screen,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let ctx = guide_context(&db, &screen, path.into_inner().1).await?;
    let template = if req.path().ends_with("/imprimer") {
        "kiosque/print.html"
    } else {
        "kiosque/guide.html"
    };
    render(&req, template, ctx)
}

/// The help directory.
pub async fn help(
    req: HttpRequest,
    db: web::Data<Db>,
    screen: Screen,
) -> Result<HttpResponse, AppError> {
    let id = screen.centre().id;
    let help_desks = db.run(move |c| Ok(directory::of_centre(c, id)?)).await?;
    let mut ctx = screen.context();
    ctx.insert("title", "Se faire aider");
    ctx.insert("help_desks", &help_desks);
    render(&req, "kiosque/help.html", ctx)
}

/// The coming workshops with their sign-up forms.
pub async fn workshops(
    req: HttpRequest,
    db: web::Data<Db>,
    screen: Screen,
) -> Result<HttpResponse, AppError> {
    workshops_page(req, &db, screen, StatusCode::OK, None).await
}

async fn workshops_page(
    req: HttpRequest,
    db: &Db,
    screen: Screen,
    status: StatusCode,
    form: Option<(i64, SignupForm, FieldErrors)>,
) -> Result<HttpResponse, AppError> {
    let id = screen.centre().id;
    let list = db.run(move |c| Ok(workshops::upcoming(c, id)?)).await?;
    let mut ctx = screen.context();
    ctx.insert("title", "Ateliers numériques");
    ctx.insert("workshops", &list);
    let (form_id, values, errors) = match form {
        Some((id, f, e)) => (id, f, e),
        None => (0, SignupForm::default(), FieldErrors::new()),
    };
    ctx.insert("form_id", &form_id);
    ctx.insert("values", &values);
    ctx.insert("errors", &errors);
    render_status(&req, status, "kiosque/workshops.html", ctx)
}

/// A resident signs up to a workshop.
pub async fn sign_up(
    req: HttpRequest,
    db: web::Data<Db>,
    mailer: web::Data<Mailer>,
    screen: Screen,
    path: web::Path<(String, i64)>,
    form: web::Form<SignupForm>,
) -> Result<HttpResponse, AppError> {
    let workshop_id = path.into_inner().1;
    let form = form.into_inner();
    let db: &Db = &db;
    let data = match form.parse() {
        Ok(d) => d,
        Err(e) => {
            return workshops_page(
                req,
                db,
                screen,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some((workshop_id, form, e)),
            )
            .await
        }
    };
    let centre = screen.centre().clone();
    let mailer = mailer.into_inner();
    let d = data.clone();
    let (w, res) = db
        .write(move |c| workshops::register(c, &mailer, &centre, workshop_id, &d))
        .await?;
    match res {
        Ok(_) => {
            let mut ctx = screen.context();
            ctx.insert("title", "Inscription enregistrée");
            ctx.insert("workshop", &w);
            ctx.insert("first_name", &data.first_name);
            ctx.insert("by_mail", &!data.email.is_empty());
            render(&req, "kiosque/signed_up.html", ctx)
        }
        Err(refusal) => {
            let mut e = FieldErrors::new();
            e.add(
                "first_name",
                match refusal {
                    Refusal::Full => "Désolé, cet atelier est complet. Choisissez une autre date ou demandez à l'accueil.",
                    Refusal::Started => "Cet atelier a déjà commencé : les inscriptions sont closes.",
                },
            );
            workshops_page(
                req,
                db,
                screen,
                StatusCode::CONFLICT,
                Some((workshop_id, form, e)),
            )
            .await
        }
    }
}

/// `GET /kiosque/c/{slug}/affiche.pdf`: the A4 poster with the portal's address as a QR code.
pub async fn poster(
    screen: Screen,
    settings: web::Data<Settings>,
) -> Result<HttpResponse, AppError> {
    let welcome = screen.data.portal.welcome.clone();
    let c = screen.centre();
    let url = format!(
        "{}/kiosque/c/{}",
        settings.base_url().trim_end_matches('/'),
        c.slug
    );
    let mut address = Vec::new();
    if !c.address.is_empty() {
        address.push(c.address.clone());
    }
    let town = format!("{} {}", c.postcode, c.city).trim().to_string();
    if !town.is_empty() {
        address.push(town);
    }
    let pdf = poster::render(&poster::Poster {
        centre_name: &c.name,
        address_lines: &address,
        phone: &c.phone,
        portal_url: &url,
        welcome: &welcome,
    })
    .map_err(AppError::Internal)?;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            "Content-Disposition",
            format!("inline; filename=\"affiche-{}.pdf\"", c.slug),
        ))
        .body(pdf))
}

#[derive(Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    procedure: String,
    #[serde(default)]
    reponse: String,
}

/// `POST /kiosque/borne/{token}/reponse`: « Avez-vous pu faire votre démarche ? », recorded as a
/// statistics event (`demarche-faite` = oui, non or aide, with the procedure as target).
pub async fn kiosk_answer(
    req: HttpRequest,
    db: web::Data<Db>,
    stats: web::Data<Stats>,
    screen: Screen,
    form: web::Form<AnswerForm>,
) -> Result<HttpResponse, AppError> {
    if screen.kiosk.is_none() {
        return Err(AppError::NotFound);
    }
    let form = form.into_inner();
    let answer = Answer::parse(&form.reponse).ok_or_else(|| {
        AppError::bad_request("Choisissez une réponse : Oui, Non ou J'ai besoin d'aide.")
    })?;
    let slug = form.procedure.clone();
    let pr = db.run(move |c| catalogue::active_by_slug(c, &slug)).await?;
    if !csc_stats::collector::refuses(&req) {
        stats.record_from(
            &req,
            "kiosque",
            Kind::Event,
            200,
            Some((
                pr.slug.clone(),
                crate::kiosks::ANSWER_EVENT.into(),
                answer.code().into(),
            )),
        );
    }
    let id = screen.centre().id;
    let help_desks = db.run(move |c| Ok(directory::of_centre(c, id)?)).await?;
    let mut ctx = screen.context();
    ctx.insert("title", "Merci pour votre réponse");
    ctx.insert("done", &(answer == Answer::Done));
    ctx.insert("not_done", &(answer == Answer::NotDone));
    ctx.insert("procedure", &pr);
    ctx.insert("help_desks", &help_desks);
    render(&req, "kiosque/thanks.html", ctx)
}
