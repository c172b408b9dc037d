//! The workshops' pages (`/glossaire/atelier/{centre}`): the accompagnateur of a referenced
//! structure opens workshops, registers the children, claims asked words; the workshop writes
//! drafts; the adult validates them or sends them back with a comment.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use csc_core::{AppError, Coded, Identity, Role};
use csc_db::Db;
use csc_web::flash::{self, Level};
use csc_web::FieldErrors;
use serde::Deserialize;
use tera::Context;

use super::page;
use crate::workshops::{self, AgeBand, ContributorForm, DraftForm, DraftStatus, Structure};
use crate::{entries, requests, LEADERS, MOUNT, WORKSHOP};

/// The structure of the centre, for a member of its team (403 before the database is read; a
/// centre that is not referenced is not found).
async fn team_structure(
    db: &Db,
    who: &Identity,
    centre: i64,
    roles: &'static [Role],
) -> Result<Structure, AppError> {
    who.require_role(centre, roles)?;
    db.run(move |c| workshops::of_centre(c, centre)?.ok_or(AppError::NotFound))
        .await
}

fn base(s: &Structure, who: &Identity, title: &str) -> Context {
    let mut ctx = Context::new();
    ctx.insert("title", title);
    ctx.insert("structure", s);
    ctx.insert("leader", &who.has_role(s.centre_id, Role::Accompagnateur));
    ctx
}

fn workshop_url(s: &Structure, id: i64) -> String {
    format!("{MOUNT}/atelier/{}/ateliers/{id}", s.centre_id)
}

/// `GET /glossaire/atelier`: the structures where this user runs workshops.
pub async fn index(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
) -> Result<HttpResponse, AppError> {
    if !who.is_admin && who.centres_with_any(&WORKSHOP).is_empty() {
        return Err(AppError::Forbidden);
    }
    let me = who.clone();
    let mine = db
        .run(move |c| {
            let all = workshops::structures(c)?;
            Ok(all
                .into_iter()
                .filter(|s| me.has_any_role(s.centre_id, &WORKSHOP))
                .collect::<Vec<_>>())
        })
        .await?;
    if mine.len() == 1 && !who.is_admin {
        return Ok(flash::see_other(&format!(
            "{MOUNT}/atelier/{}",
            mine[0].centre_id
        )));
    }
    let mut ctx = Context::new();
    ctx.insert("title", "Ateliers du glossaire : choisir une structure");
    ctx.insert("structures", &mine);
    page(&req, StatusCode::OK, "glossaire/atelier_index.html", ctx)
}

/// `GET /glossaire/atelier/{centre}`: the structure's workshops, the words asked for, and how
/// its published words were understood.
pub async fn structure(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let s = team_structure(&db, &who, path.into_inner(), &WORKSHOP).await?;
    let sid = s.id;
    let (list, pending, feedback) = db
        .run(move |c| {
            Ok((
                workshops::of_structure(c, sid)?,
                requests::pending(c, None)?,
                workshops::feedback(c, sid)?,
            ))
        })
        .await?;
    let mut ctx = base(&s, &who, &format!("Ateliers du glossaire — {}", s.name));
    ctx.insert("workshops", &list);
    ctx.insert("pending", &pending);
    ctx.insert("feedback", &feedback);
    ctx.insert("errors", &FieldErrors::new());
    ctx.insert("form_title", "");
    page(
        &req,
        StatusCode::OK,
        "glossaire/atelier_structure.html",
        ctx,
    )
}

#[derive(Debug, Default, Deserialize)]
pub struct OpenForm {
    #[serde(default)]
    pub title: String,
}

/// `POST /glossaire/atelier/{centre}/ateliers`: opens a workshop (its adult is this user).
pub async fn open(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
    form: web::Form<OpenForm>,
) -> Result<HttpResponse, AppError> {
    let s = team_structure(&db, &who, path.into_inner(), &LEADERS).await?;
    let title = match csc_web::forms::required(&form.title, 100, "le nom de l'atelier") {
        Ok(t) => t,
        Err(m) => {
            return flash::redirect_with(
                &req,
                &format!("{MOUNT}/atelier/{}", s.centre_id),
                Level::Error,
                &m,
            )
        }
    };
    let (sid, uid) = (s.id, who.user_id);
    let w = db
        .write(move |c| workshops::open(c, sid, &title, uid))
        .await?;
    flash::redirect_with(
        &req,
        &workshop_url(&s, w.id),
        Level::Success,
        "L'atelier est ouvert. Inscrivez les jeunes, puis choisissez les mots à expliquer.",
    )
}

/// The workshop page's two forms as posted, with their errors.
struct Forms<'a> {
    contributor: (&'a ContributorForm, &'a FieldErrors),
    draft: (&'a DraftForm, &'a FieldErrors),
}

async fn show_workshop(
    req: &HttpRequest,
    who: &Identity,
    db: &Db,
    (s, id): (Structure, i64),
    forms: Forms<'_>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let Forms { contributor, draft } = forms;
    let sid = s.id;
    let (w, kids, held, open, drafts, lexicons) = db
        .run(move |c| {
            let w = workshops::get(c, sid, id)?;
            Ok((
                w,
                workshops::contributors(c, id)?,
                requests::held_by(c, id)?,
                requests::pending(c, None)?,
                workshops::drafts(c, id)?,
                entries::lexicons(c)?,
            ))
        })
        .await?;
    let mut ctx = base(&s, who, &format!("Atelier « {} »", w.title));
    ctx.insert("workshop", &w);
    ctx.insert("kids", &kids);
    ctx.insert("held", &held);
    ctx.insert("open", &open);
    ctx.insert("drafts", &drafts);
    ctx.insert("lexicons", &lexicons);
    ctx.insert("bands", &AgeBand::choices());
    ctx.insert("c_form", contributor.0);
    ctx.insert("c_errors", contributor.1);
    ctx.insert("d_form", draft.0);
    ctx.insert("d_errors", draft.1);
    ctx.insert("url", &workshop_url(&s, id));
    page(req, status, "glossaire/atelier_workshop.html", ctx)
}

/// `GET …/ateliers/{id}`: the workshop's children, words, drafts.
pub async fn show(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (centre, id) = path.into_inner();
    let s = team_structure(&db, &who, centre, &WORKSHOP).await?;
    let empty = FieldErrors::new();
    show_workshop(
        &req,
        &who,
        &db,
        (s, id),
        Forms {
            contributor: (&ContributorForm::default(), &empty),
            draft: (&DraftForm::default(), &empty),
        },
        StatusCode::OK,
    )
    .await
}

/// `POST …/ateliers/{id}/contributeurs`: registers a child (first name, initial, age band, the
/// parents' authorisation).
pub async fn add_contributor(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
    form: web::Form<ContributorForm>,
) -> Result<HttpResponse, AppError> {
    let (centre, id) = path.into_inner();
    let s = team_structure(&db, &who, centre, &LEADERS).await?;
    let form = form.into_inner();
    match form.parse() {
        Ok(child) => {
            let sid = s.id;
            let name = child.first_name.clone();
            db.write(move |c| {
                workshops::get(c, sid, id)?;
                workshops::add_contributor(c, id, &child)
            })
            .await?;
            flash::redirect_with(
                &req,
                &workshop_url(&s, id),
                Level::Success,
                &format!("{name} fait partie de l'atelier."),
            )
        }
        Err(errors) => {
            let empty = FieldErrors::new();
            show_workshop(
                &req,
                &who,
                &db,
                (s, id),
                Forms {
                    contributor: (&form, &errors),
                    draft: (&DraftForm::default(), &empty),
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct AuthoriseForm {
    #[serde(default)]
    pub contributor: String,
}

/// `POST …/ateliers/{id}/autorisation`: the parents' authorisation was given for a child.
pub async fn authorise(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
    form: web::Form<AuthoriseForm>,
) -> Result<HttpResponse, AppError> {
    let (centre, id) = path.into_inner();
    let s = team_structure(&db, &who, centre, &LEADERS).await?;
    let kid: i64 = form
        .contributor
        .trim()
        .parse()
        .map_err(|_| AppError::NotFound)?;
    let sid = s.id;
    db.write(move |c| {
        workshops::get(c, sid, id)?;
        workshops::authorise(c, id, kid)
    })
    .await?;
    flash::redirect_with(
        &req,
        &workshop_url(&s, id),
        Level::Success,
        "L'autorisation des parents est notée : le prénom apparaîtra sur les définitions.",
    )
}

#[derive(Debug, Default, Deserialize)]
pub struct ClaimForm {
    #[serde(default)]
    pub demande: String,
}

/// `POST …/ateliers/{id}/prendre`: the workshop takes an asked word (one workshop at a time).
pub async fn claim(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
    form: web::Form<ClaimForm>,
) -> Result<HttpResponse, AppError> {
    let (centre, id) = path.into_inner();
    let s = team_structure(&db, &who, centre, &WORKSHOP).await?;
    let rid: i64 = form
        .demande
        .trim()
        .parse()
        .map_err(|_| AppError::NotFound)?;
    let sid = s.id;
    let outcome = db
        .write(move |c| {
            workshops::get(c, sid, id)?;
            let r = requests::get(c, rid)?;
            Ok(requests::claim(c, rid, id)?.map(|()| r.text))
        })
        .await?;
    match outcome {
        Ok(text) => flash::redirect_with(
            &req,
            &workshop_url(&s, id),
            Level::Success,
            &format!("L'atelier s'occupe du mot « {text} »."),
        ),
        Err(refused) => flash::redirect_with(
            &req,
            &workshop_url(&s, id),
            Level::Error,
            &refused.message(),
        ),
    }
}

/// `POST …/ateliers/{id}/rendre`: the workshop gives a word back to the others.
pub async fn release(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
    form: web::Form<ClaimForm>,
) -> Result<HttpResponse, AppError> {
    let (centre, id) = path.into_inner();
    let s = team_structure(&db, &who, centre, &WORKSHOP).await?;
    let rid: i64 = form
        .demande
        .trim()
        .parse()
        .map_err(|_| AppError::NotFound)?;
    let sid = s.id;
    db.write(move |c| {
        workshops::get(c, sid, id)?;
        requests::release(c, rid, id)
    })
    .await?;
    flash::redirect_with(
        &req,
        &workshop_url(&s, id),
        Level::Success,
        "Le mot est rendu : un autre atelier peut le prendre.",
    )
}

/// `POST …/ateliers/{id}/brouillons`: a new draft.
pub async fn create_draft(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (centre, id) = path.into_inner();
    let s = team_structure(&db, &who, centre, &WORKSHOP).await?;
    let form = DraftForm::from_pairs(&form.into_inner());
    match form.parse() {
        Ok(x) => {
            let sid = s.id;
            let d = db
                .write(move |c| {
                    workshops::get(c, sid, id)?;
                    workshops::create_draft(c, id, &x)
                })
                .await?;
            flash::redirect_with(
                &req,
                &format!("{}/brouillons/{}", workshop_url(&s, id), d.id),
                Level::Success,
                "Le brouillon est enregistré. L'adulte de l'atelier va le relire.",
            )
        }
        Err(errors) => {
            let empty = FieldErrors::new();
            show_workshop(
                &req,
                &who,
                &db,
                (s, id),
                Forms {
                    contributor: (&ContributorForm::default(), &empty),
                    draft: (&form, &errors),
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

async fn show_draft(
    req: &HttpRequest,
    who: &Identity,
    db: &Db,
    s: Structure,
    (id, draft): (i64, i64),
    form: Option<(&DraftForm, &FieldErrors)>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let sid = s.id;
    let (w, d, authors, kids, lexicons) = db
        .run(move |c| {
            let w = workshops::get(c, sid, id)?;
            let d = workshops::draft(c, id, draft)?;
            Ok((
                w,
                d,
                workshops::author_ids(c, draft)?,
                workshops::contributors(c, id)?,
                entries::lexicons(c)?,
            ))
        })
        .await?;
    let filled = DraftForm::from_draft(&d, authors);
    let empty = FieldErrors::new();
    let (form, errors) = form.unwrap_or((&filled, &empty));
    let mut ctx = base(&s, who, &format!("Définition de « {} »", d.term));
    ctx.insert("workshop", &w);
    ctx.insert("draft", &d);
    ctx.insert("validated", &(d.status == DraftStatus::Validated));
    ctx.insert("kids", &kids);
    ctx.insert("lexicons", &lexicons);
    ctx.insert("d_form", form);
    ctx.insert("d_errors", errors);
    ctx.insert("url", &workshop_url(&s, id));
    page(req, status, "glossaire/atelier_draft.html", ctx)
}

/// `GET …/brouillons/{draft}`: the draft, to rewrite, validate or send back.
pub async fn draft(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (centre, id, draft) = path.into_inner();
    let s = team_structure(&db, &who, centre, &WORKSHOP).await?;
    show_draft(&req, &who, &db, s, (id, draft), None, StatusCode::OK).await
}

/// `POST …/brouillons/{draft}`: the draft rewritten.
pub async fn update_draft(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64, i64)>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (centre, id, draft) = path.into_inner();
    let s = team_structure(&db, &who, centre, &WORKSHOP).await?;
    let form = DraftForm::from_pairs(&form.into_inner());
    match form.parse() {
        Ok(x) => {
            let sid = s.id;
            db.write(move |c| {
                workshops::get(c, sid, id)?;
                workshops::update_draft(c, id, draft, &x)
            })
            .await?;
            flash::redirect_with(
                &req,
                &format!("{}/brouillons/{draft}", workshop_url(&s, id)),
                Level::Success,
                "Le brouillon est enregistré.",
            )
        }
        Err(errors) => {
            show_draft(
                &req,
                &who,
                &db,
                s,
                (id, draft),
                Some((&form, &errors)),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

/// `POST …/brouillons/{draft}/valider`: the adult validates: the definition is published.
pub async fn validate(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (centre, id, draft) = path.into_inner();
    let s = team_structure(&db, &who, centre, &LEADERS).await?;
    let (s2, uid) = (s.clone(), Some(who.user_id));
    let entry = db
        .write(move |c| workshops::validate(c, &s2, id, draft, uid))
        .await?;
    flash::redirect_with(
        &req,
        &format!("{MOUNT}/mots/{entry}"),
        Level::Success,
        "La définition est validée et publiée. Bravo à l'atelier !",
    )
}

#[derive(Debug, Default, Deserialize)]
pub struct SendBackForm {
    #[serde(default)]
    pub comment: String,
}

/// `POST …/brouillons/{draft}/renvoyer`: the adult sends the draft back with a comment.
pub async fn send_back(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64, i64)>,
    form: web::Form<SendBackForm>,
) -> Result<HttpResponse, AppError> {
    let (centre, id, draft) = path.into_inner();
    let s = team_structure(&db, &who, centre, &LEADERS).await?;
    let back = format!("{}/brouillons/{draft}", workshop_url(&s, id));
    let comment =
        match csc_web::forms::required(&form.comment, 1000, "un commentaire pour l'atelier") {
            Ok(c) => c,
            Err(m) => return flash::redirect_with(&req, &back, Level::Error, &m),
        };
    let s2 = s.clone();
    db.write(move |c| workshops::send_back(c, &s2, id, draft, &comment))
        .await?;
    flash::redirect_with(
        &req,
        &back,
        Level::Success,
        "Le brouillon est renvoyé à l'atelier avec votre commentaire.",
    )
}
