//! The network admin's page (`/glossaire/admin`): structures referenced, lexicons, and the import
//! of a lexicon from a CSV file with a dry run.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use csc_core::{AppError, Identity};
use csc_db::Db;
use csc_web::flash::{self, Level};
use futures_util::StreamExt;
use serde::Deserialize;
use tera::Context;

use super::page;
use crate::import::{self, LineError, Report};
use crate::{entries, workshops, MOUNT};

/// The largest file the import takes.
const IMPORT_MAX_BYTES: usize = 2 * 1024 * 1024;

async fn render_admin(
    req: &HttpRequest,
    db: &Db,
    report: Option<Report>,
    errors: Vec<LineError>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let (structures, lexicons, centres) = db
        .run(|c| {
            Ok((
                workshops::structures(c)?,
                entries::lexicons(c)?,
                csc_auth::centres::list(c)?,
            ))
        })
        .await?;
    let mut ctx = Context::new();
    ctx.insert("title", "Glossaire : administration");
    ctx.insert("structures", &structures);
    ctx.insert("lexicons", &lexicons);
    ctx.insert("centres", &centres);
    ctx.insert("summary", &report.map(|r| r.summary()));
    ctx.insert(
        "import_errors",
        &errors.iter().map(ToString::to_string).collect::<Vec<_>>(),
    );
    ctx.insert("columns", &import::COLUMNS.join(";"));
    page(req, status, "glossaire/admin.html", ctx)
}

/// `GET /glossaire/admin`.
pub async fn index(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
) -> Result<HttpResponse, AppError> {
    who.require_admin()?;
    render_admin(&req, &db, None, Vec::new(), StatusCode::OK).await
}

#[derive(Debug, Default, Deserialize)]
pub struct ReferenceForm {
    #[serde(default)]
    pub centre: String,
    #[serde(default)]
    pub description: String,
}

/// `POST /glossaire/admin/structures`: references a centre as a structure of the glossary.
pub async fn reference(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    form: web::Form<ReferenceForm>,
) -> Result<HttpResponse, AppError> {
    who.require_admin()?;
    let back = format!("{MOUNT}/admin");
    let Ok(centre) = form.centre.trim().parse::<i64>() else {
        return flash::redirect_with(
            &req,
            &back,
            Level::Error,
            "Choisissez le centre ou la structure à référencer.",
        );
    };
    let description = form.description.chars().take(300).collect::<String>();
    let s = db
        .write(move |c| workshops::reference(c, centre, &description))
        .await?;
    flash::redirect_with(
        &req,
        &back,
        Level::Success,
        &format!(
            "« {} » est référencée : ses accompagnateurs peuvent ouvrir des ateliers.",
            s.name
        ),
    )
}

#[derive(Debug, Default, Deserialize)]
pub struct LexiconForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub structure: String,
}

/// `POST /glossaire/admin/lexiques`: a new lexicon (credited to a structure, or to none).
pub async fn create_lexicon(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    form: web::Form<LexiconForm>,
) -> Result<HttpResponse, AppError> {
    who.require_admin()?;
    let back = format!("{MOUNT}/admin");
    let name = match csc_web::forms::required(&form.name, 60, "le nom du lexique")
        .and_then(|n| entries::lexicon_slug(&n).map(|_| n))
    {
        Ok(n) => n,
        Err(m) => return flash::redirect_with(&req, &back, Level::Error, &m),
    };
    let structure = form.structure.trim().parse::<i64>().ok();
    let (lexicon, created) = db
        .write(move |c| {
            if let Some(s) = structure {
                workshops::structure(c, s)?;
            }
            entries::ensure_lexicon(c, &name, structure)
        })
        .await?;
    let message = if created {
        format!("Le lexique « {} » est créé.", lexicon.name)
    } else {
        format!("Le lexique « {} » existait déjà.", lexicon.name)
    };
    flash::redirect_with(&req, &back, Level::Success, &message)
}

/// `POST /glossaire/admin/import` (multipart: `fichier`, `essai`; the CSRF token in the query
/// string): checks every line; imports them all, or nothing; only counts with `essai`.
pub async fn import(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    mut payload: Multipart,
) -> Result<HttpResponse, AppError> {
    who.require_admin()?;
    let mut bytes: Vec<u8> = Vec::new();
    let mut dry_run = false;
    let mut read = 0usize;
    let mut parts = 0usize;
    while let Some(field) = payload.next().await {
        let mut field =
            field.map_err(|_| AppError::bad_request("Le fichier envoyé n'a pas pu être lu."))?;
        parts += 1;
        if parts > 8 {
            return Err(AppError::bad_request(
                "Le formulaire envoyé contient trop de parties.",
            ));
        }
        let name = field.name().unwrap_or_default().to_string();
        let mut data = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk =
                chunk.map_err(|_| AppError::bad_request("L'envoi du fichier a été interrompu."))?;
            read += chunk.len();
            if read > IMPORT_MAX_BYTES {
                return Err(AppError::PayloadTooLarge(format!(
                    "Le fichier dépasse {} Mo.",
                    IMPORT_MAX_BYTES / 1024 / 1024
                )));
            }
            data.extend_from_slice(&chunk);
        }
        match name.as_str() {
            "fichier" => bytes = data,
            "essai" => dry_run = !data.is_empty(),
            _ => {}
        }
    }
    let lines = match import::parse(&bytes) {
        Ok(lines) => lines,
        Err(errors) => {
            return render_admin(&req, &db, None, errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    };
    let by = who.user_id;
    let report = if dry_run {
        db.run(move |c| import::apply(c, &lines, true, Some(by)))
            .await?
    } else {
        db.write(move |c| import::apply(c, &lines, false, Some(by)))
            .await?
    };
    render_admin(&req, &db, Some(report), Vec::new(), StatusCode::OK).await
}
