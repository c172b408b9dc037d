//! The public pages: one search box, the results, an entry, « Demander ce mot », « J'ai compris »,
//! a lexicon's list, the reading mode. No account needed.

use actix_web::http::StatusCode;
use actix_web::{cookie::Cookie, web, HttpRequest, HttpResponse};
use csc_core::AppError;
use csc_db::Db;
use csc_web::flash::{self, Level};
use serde::Deserialize;
use tera::Context;

use super::{page, READING_COOKIE};
use crate::entries;
use crate::requests::{self, Asked};
use crate::search::{Query, SearchError, Searcher};
use crate::MOUNT;

#[derive(Debug, Default, Deserialize)]
pub struct SearchParams {
    pub q: Option<String>,
    pub lexique: Option<String>,
}

/// `GET /glossaire`: the search box and the lexicons.
pub async fn home(req: HttpRequest, db: web::Data<Db>) -> Result<HttpResponse, AppError> {
    let lexicons = db.run(|c| Ok(entries::lexicons(c)?)).await?;
    let mut ctx = Context::new();
    ctx.insert("title", "Glossaire du numérique");
    ctx.insert("lexicons", &lexicons);
    ctx.insert("q", "");
    ctx.insert("lexique", "");
    page(&req, StatusCode::OK, "glossaire/home.html", ctx)
}

#[derive(serde::Serialize)]
struct Shown {
    id: i64,
    term: String,
    lexicon: String,
    how: &'static str,
    matched: String,
    exact: bool,
    definition: String,
}

/// `GET /glossaire/recherche?q=…&lexique=…`: the entries found, best first; when none,
/// « Demander ce mot » with the text filled in.
pub async fn search(
    req: HttpRequest,
    db: web::Data<Db>,
    searcher: web::Data<Searcher>,
    params: web::Query<SearchParams>,
) -> Result<HttpResponse, AppError> {
    let params = params.into_inner();
    let q = params.q.clone().unwrap_or_default();
    let lexique = params.lexique.clone().unwrap_or_default();
    let s = searcher.get_ref().clone();
    let (q2, l2) = (q.clone(), lexique.clone());
    let (found, lexicons) = db
        .run(move |c| {
            let found = s.search(c, Some(l2.as_str()), &q2)?;
            let found = match found {
                Ok(hits) => {
                    let ids: Vec<i64> = hits.iter().map(|h| h.entry_id).collect();
                    let defs = entries::definitions(c, &ids)?;
                    Ok(hits
                        .into_iter()
                        .map(|h| Shown {
                            definition: defs
                                .iter()
                                .find(|d| d.0 == h.entry_id)
                                .map(|d| d.1.clone())
                                .unwrap_or_default(),
                            id: h.entry_id,
                            exact: matches!(
                                h.correspondance,
                                crate::Correspondance::Exact | crate::Correspondance::Alias
                            ),
                            how: csc_core::Coded::label(h.correspondance),
                            term: h.term,
                            lexicon: h.lexicon,
                            matched: h.matched,
                        })
                        .collect::<Vec<_>>())
                }
                Err(e) => Err(e),
            };
            Ok((found, entries::lexicons(c)?))
        })
        .await?;
    let mut ctx = Context::new();
    ctx.insert("lexicons", &lexicons);
    ctx.insert("q", &q.chars().take(200).collect::<String>());
    ctx.insert("lexique", &lexique);
    match found {
        Ok(hits) => {
            ctx.insert("title", &format!("Recherche : {}", q.trim()));
            ctx.insert("hits", &hits);
            page(&req, StatusCode::OK, "glossaire/results.html", ctx)
        }
        Err(e) => {
            let status = match e {
                SearchError::UnknownLexicon(_) => StatusCode::NOT_FOUND,
                SearchError::Query(_) => StatusCode::BAD_REQUEST,
            };
            ctx.insert("title", "Glossaire du numérique : rechercher un mot");
            ctx.insert("error", &e.message());
            page(&req, status, "glossaire/home.html", ctx)
        }
    }
}

/// `GET /glossaire/mots/{id}`: the published entry.
pub async fn entry(
    req: HttpRequest,
    db: web::Data<Db>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let e = db.run(move |c| entries::page(c, id)).await?;
    let mut ctx = Context::new();
    ctx.insert("title", &format!("{} : définition", e.term));
    ctx.insert("e", &e);
    page(&req, StatusCode::OK, "glossaire/entry.html", ctx)
}

#[derive(Debug, Default, Deserialize)]
pub struct FeedbackForm {
    #[serde(default)]
    pub avis: String,
}

/// `POST /glossaire/mots/{id}/avis`: « J'ai compris » or « Je n'ai pas compris », counted.
pub async fn feedback(
    req: HttpRequest,
    db: web::Data<Db>,
    path: web::Path<i64>,
    form: web::Form<FeedbackForm>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let understood = match form.avis.as_str() {
        "compris" => true,
        "pas-compris" => false,
        _ => {
            return Err(AppError::bad_request(
                "Choisissez « J'ai compris » ou « Je n'ai pas compris ».",
            ))
        }
    };
    db.write(move |c| entries::feedback(c, id, understood))
        .await?;
    let message = if understood {
        "Merci ! Votre réponse aide les jeunes qui ont écrit cette définition."
    } else {
        "Merci de l'avoir dit : les jeunes de l'atelier vont chercher à mieux l'expliquer."
    };
    flash::redirect_with(&req, &format!("{MOUNT}/mots/{id}"), Level::Success, message)
}

#[derive(Debug, Default, Deserialize)]
pub struct AskForm {
    #[serde(default)]
    pub mot: String,
    #[serde(default)]
    pub lexique: String,
}

/// `POST /glossaire/demandes`: asks for a missing word (counted once more if already asked); a
/// word the lexicon has is shown instead.
pub async fn ask(
    req: HttpRequest,
    db: web::Data<Db>,
    form: web::Form<AskForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let parsed = Query::parse(&form.mot);
    let (mot, lexique) = (form.mot.clone(), form.lexique.clone());
    let outcome = db
        .write(move |c| {
            let lexicon = match lexique.trim() {
                "" => entries::lexicons(c)?
                    .into_iter()
                    .find(|l| l.slug == "numerique")
                    .or(entries::lexicons(c)?.into_iter().next()),
                name => entries::lexicon_named(c, name)?,
            };
            let Some(lexicon) = lexicon else {
                return Ok(Err("Choisissez un lexique.".to_string()));
            };
            match parsed {
                Ok(q) => Ok(Ok((requests::ask(c, lexicon.id, &q)?, q.text))),
                Err(m) => Ok(Err(m)),
            }
        })
        .await?;
    match outcome {
        Ok((Asked::Exists(id), _)) => flash::redirect_with(
            &req,
            &format!("{MOUNT}/mots/{id}"),
            Level::Info,
            "Ce mot est déjà dans le glossaire : le voici.",
        ),
        Ok((Asked::Counted { times, .. }, text)) => {
            let message = if times == 1 {
                format!(
                    "Merci ! Le mot « {text} » est demandé. Un atelier de jeunes va l'expliquer."
                )
            } else {
                format!("Merci ! Le mot « {text} » est demandé {times} fois. Un atelier de jeunes va l'expliquer.")
            };
            flash::redirect_with(&req, MOUNT, Level::Success, &message)
        }
        Err(message) => {
            let lexicons = db.run(|c| Ok(entries::lexicons(c)?)).await?;
            let mut ctx = Context::new();
            ctx.insert("title", "Demander un mot");
            ctx.insert("lexicons", &lexicons);
            ctx.insert("q", &mot.chars().take(200).collect::<String>());
            ctx.insert("lexique", &form.lexique);
            ctx.insert("error", &message);
            page(
                &req,
                StatusCode::UNPROCESSABLE_ENTITY,
                "glossaire/home.html",
                ctx,
            )
        }
    }
}

/// `GET /glossaire/lexiques/{slug}`: every published word of a lexicon.
pub async fn lexicon(
    req: HttpRequest,
    db: web::Data<Db>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let slug = path.into_inner();
    let (lexicon, words) = db
        .run(move |c| {
            let l = entries::lexicon_named(c, &slug)?.ok_or(AppError::NotFound)?;
            let words = entries::listed(c, l.id)?;
            Ok((l, words))
        })
        .await?;
    let mut ctx = Context::new();
    ctx.insert("title", &format!("Lexique : {}", lexicon.name));
    ctx.insert("lexicon", &lexicon);
    ctx.insert("words", &words);
    page(&req, StatusCode::OK, "glossaire/lexicon.html", ctx)
}

#[derive(Debug, Default, Deserialize)]
pub struct ReadingForm {
    #[serde(default)]
    pub active: String,
    #[serde(default)]
    pub retour: String,
}

/// `POST /glossaire/lecture`: turns the reading mode on or off, back to the page.
pub async fn reading(
    req: HttpRequest,
    form: web::Form<ReadingForm>,
) -> Result<HttpResponse, AppError> {
    let on = form.active == "1";
    // Only back to a page of the glossary (never elsewhere).
    let back = if form.retour.starts_with(MOUNT) && !form.retour.contains("//") {
        form.retour.clone()
    } else {
        MOUNT.to_string()
    };
    let secure = csc_web::render::ui(&req)?.secure_cookies;
    let mut cookie = Cookie::build(READING_COOKIE, if on { "1" } else { "0" })
        .path(MOUNT)
        .http_only(true)
        .secure(secure)
        .same_site(actix_web::cookie::SameSite::Lax)
        .finish();
    cookie.set_max_age(actix_web::cookie::time::Duration::days(365));
    Ok(HttpResponse::SeeOther()
        .insert_header((actix_web::http::header::LOCATION, back))
        .cookie(cookie)
        .finish())
}
