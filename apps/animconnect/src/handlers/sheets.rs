//! The library of sheets (`/animconnect/fiches`): search, read, write, adapt, rate, open wider.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use csc_auth::centres;
use csc_core::{AppError, Coded, Identity};
use csc_db::Db;
use csc_web::flash::{self, Level};
use csc_web::forms::optional;
use csc_web::routes::{Access, Routes};
use csc_web::{render_status, FieldErrors};
use serde::Deserialize;
use tera::Context;

use crate::sheets::{
    self, Author, Filters, Full, Place, SheetForm, SheetKind, Sort, Theme, Visibility,
    MATERIAL_ROWS, STEP_ROWS,
};
use crate::{project, MOUNT, STAFF};

pub fn routes(r: &mut Routes) {
    let staff = Access::Staff(&STAFF);
    r.get("/fiches", staff, library)
        .get("/fiches/nouvelle", staff, new_page)
        .post("/fiches/nouvelle", staff, create)
        .get("/fiches/{id}", staff, show)
        .get("/fiches/{id}/modifier", staff, edit_page)
        .post("/fiches/{id}/modifier", staff, update)
        .get("/fiches/{id}/adapter", staff, fork_page)
        .post("/fiches/{id}/adapter", staff, fork)
        .post("/fiches/{id}/visibilite", staff, visibility)
        .post("/fiches/{id}/avis", staff, rate)
        .get("/fiches/{id}/fiche.pdf", staff, pdf)
        .post("/fiches/{id}/photos", staff, photo_add)
        .get("/fiches/{id}/photos/{photo}", staff, photo_show)
        .post("/fiches/{id}/photos/{photo}/supprimer", staff, photo_delete);
}

/// The library is the centres' teams': anyone else signed in is refused (the route's access
/// names no centre, so the handler checks the roles in any centre).
fn require_staff(who: &Identity) -> Result<(), AppError> {
    if who.is_admin || !who.centres_with_any(&STAFF).is_empty() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

fn sheet_url(id: i64) -> String {
    format!("{MOUNT}/fiches/{id}")
}

/// `GET /animconnect/fiches?q=&age=&duree=&enfants=&theme=&lieu=&pluie=&tri=`.
async fn library(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    filters: web::Query<Filters>,
) -> Result<HttpResponse, AppError> {
    require_staff(&who)?;
    let filters = filters.into_inner();
    let mut ctx = Context::new();
    ctx.insert("title", "Fiches d'activités");
    // The way to each centre's planning, from the app's staff entry.
    ctx.insert("my_centres", &my_centres(&db, &who).await?);
    ctx.insert("themes", &Theme::choices());
    ctx.insert(
        "places",
        &[Place::Inside, Place::Outside].map(|p| csc_core::coded::Choice {
            code: p.code(),
            label: p.label(),
        }),
    );
    ctx.insert("sorts", &Sort::choices());
    ctx.insert("filters", &filters);
    let status = match filters.parse() {
        Ok(q) => {
            let me = who.clone();
            let (rows, total) = db.run(move |c| sheets::search(c, &me, &q)).await?;
            let cards: Vec<_> = rows
                .into_iter()
                .map(|s| {
                    let rating = s.rating();
                    (s, rating)
                })
                .collect();
            ctx.insert("sheets", &cards);
            ctx.insert("total", &total);
            ctx.insert("errors", &FieldErrors::new());
            StatusCode::OK
        }
        Err(errors) => {
            ctx.insert("sheets", &Vec::<()>::new());
            ctx.insert("total", &0);
            ctx.insert("errors", &errors);
            StatusCode::UNPROCESSABLE_ENTITY
        }
    };
    render_status(&req, status, "animconnect/library.html", ctx)
}

/// The centres where `who` may write a sheet (their own as staff; every centre for an admin).
async fn my_centres(db: &Db, who: &Identity) -> Result<Vec<centres::Centre>, AppError> {
    let me = who.clone();
    db.run(move |c| centres::staffed_by(c, &me, &STAFF)).await
}

/// What a sheet form page is for: its title, where it posts, the credit of the original.
struct FormPage {
    title: String,
    action: String,
    credit: Option<String>,
}

async fn form_page(
    req: &HttpRequest,
    who: &Identity,
    db: &Db,
    page: FormPage,
    values: &SheetForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let FormPage {
        title,
        action,
        credit,
    } = page;
    let mine = my_centres(db, who).await?;
    // The objectives of the writer's centres, to tag the sheet with (each centre its own).
    let ids: Vec<(i64, String)> = mine.iter().map(|c| (c.id, c.name.clone())).collect();
    let objectives = db
        .run(move |c| {
            let mut out = Vec::new();
            for (id, name) in &ids {
                for o in project::tree(c, *id)? {
                    let label = if ids.len() > 1 {
                        format!("{name} — {} : {}", o.level.label(), o.title)
                    } else {
                        format!("{} : {}", o.level.label(), o.title)
                    };
                    out.push((o.id, label));
                }
            }
            Ok(out)
        })
        .await?;
    let mut ctx = Context::new();
    ctx.insert("objectives", &objectives);
    ctx.insert("title", &title);
    ctx.insert("action", &action);
    ctx.insert("centres", &mine);
    ctx.insert("kinds", &SheetKind::choices());
    ctx.insert("themes", &Theme::choices());
    ctx.insert("places", &Place::choices());
    ctx.insert("visibilities", &Visibility::choices());
    ctx.insert("material_rows", &(0..MATERIAL_ROWS).collect::<Vec<_>>());
    ctx.insert("step_rows", &(0..STEP_ROWS).collect::<Vec<_>>());
    ctx.insert("values", &values.0);
    ctx.insert("errors", errors);
    ctx.insert("credit", &credit);
    render_status(req, status, "animconnect/sheet_form.html", ctx)
}

/// `GET /animconnect/fiches/nouvelle`.
async fn new_page(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
) -> Result<HttpResponse, AppError> {
    require_staff(&who)?;
    let mut values = SheetForm::default();
    values
        .0
        .insert("visibility".into(), Visibility::Draft.code().into());
    values.0.insert("animators".into(), "1".into());
    form_page(
        &req,
        &who,
        &db,
        FormPage {
            title: "Nouvelle fiche d'activité".into(),
            action: format!("{MOUNT}/fiches/nouvelle"),
            credit: None,
        },
        &values,
        &FieldErrors::new(),
        StatusCode::OK,
    )
    .await
}

/// The ids of a centre's objectives (a sheet is tagged with its own centre's only).
async fn objectives_of(db: &Db, centre: Option<i64>) -> Result<Vec<i64>, AppError> {
    match centre {
        Some(cid) => Ok(db
            .run(move |c| project::tree(c, cid))
            .await?
            .into_iter()
            .map(|o| o.id)
            .collect()),
        None => Ok(Vec::new()),
    }
}

/// The author of a new sheet: the centre chosen on the form, among those where they are staff.
fn author_of(
    who: &Identity,
    mine: &[centres::Centre],
    form: &SheetForm,
    errors: &mut FieldErrors,
) -> Option<Author> {
    let chosen = form.0.get("centre").and_then(|c| c.parse::<i64>().ok());
    let centre = match (chosen, mine) {
        (Some(id), _) => mine.iter().find(|c| c.id == id),
        (None, [only]) => Some(only),
        _ => None,
    };
    match centre {
        Some(c) => Some(Author {
            user_id: Some(who.user_id),
            name: who.display_name.clone(),
            centre_id: c.id,
        }),
        None => {
            errors.add("centre", "Choisissez le centre de la fiche.");
            None
        }
    }
}

/// `POST /animconnect/fiches/nouvelle`.
async fn create(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    form: web::Form<SheetForm>,
) -> Result<HttpResponse, AppError> {
    require_staff(&who)?;
    let form = form.into_inner();
    let page = FormPage {
        title: "Nouvelle fiche d'activité".into(),
        action: format!("{MOUNT}/fiches/nouvelle"),
        credit: None,
    };
    save_new(
        &req,
        &who,
        &db,
        &form,
        page,
        None,
        "La fiche est enregistrée.",
    )
    .await
}

/// Writes a new sheet of the writer's own (an adaptation when `fork` names the original and its
/// credit), or shows the form again with its errors.
async fn save_new(
    req: &HttpRequest,
    who: &Identity,
    db: &Db,
    form: &SheetForm,
    page: FormPage,
    fork: Option<(i64, String)>,
    done: &str,
) -> Result<HttpResponse, AppError> {
    let mine = my_centres(db, who).await?;
    let mut errors = FieldErrors::new();
    let author = author_of(who, &mine, form, &mut errors);
    let allowed = objectives_of(db, author.as_ref().map(|a| a.centre_id)).await?;
    match (author, form.parse(&allowed)) {
        (Some(author), Ok(data)) if errors.is_empty() => {
            let id = db
                .write(move |c| sheets::create(c, &author, &data, fork))
                .await?;
            flash::redirect_with(req, &sheet_url(id), Level::Success, done)
        }
        (_, parsed) => {
            if let Err(e) = parsed {
                errors.merge(e);
            }
            form_page(
                req,
                who,
                db,
                page,
                form,
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

/// `GET /animconnect/fiches/{id}`.
async fn show(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    require_staff(&who)?;
    let id = path.into_inner();
    let me = who.clone();
    let (full, centre, original) = db
        .run(move |c| {
            let sheet = sheets::readable(c, &me, id)?;
            let centre = centres::get(c, sheet.centre_id)?;
            // The original of an adaptation, when this reader may see it.
            let original = match sheet.forked_from {
                Some(o) => sheets::readable(c, &me, o).ok().map(|s| s.id),
                None => None,
            };
            Ok((sheets::full(c, sheet)?, centre, original))
        })
        .await?;
    render_sheet(
        &req,
        &who,
        full,
        centre,
        original,
        &FieldErrors::new(),
        StatusCode::OK,
    )
}

fn render_sheet(
    req: &HttpRequest,
    who: &Identity,
    full: Full,
    centre: centres::Centre,
    original: Option<i64>,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let mut ctx = Context::new();
    ctx.insert("title", &full.sheet.title);
    ctx.insert("can_edit", &full.sheet.editable_by(who));
    ctx.insert("can_rate", &(full.sheet.author_id != Some(who.user_id)));
    let mine = full
        .ratings
        .iter()
        .find(|r| r.user_id == who.user_id)
        .cloned();
    ctx.insert("my_rating", &mine);
    ctx.insert("visibilities", &Visibility::choices());
    ctx.insert(
        "photos_left",
        &sheets::MAX_PHOTOS.saturating_sub(full.photos.len()),
    );
    ctx.insert("full", &full);
    ctx.insert("centre", &centre);
    ctx.insert("original", &original);
    ctx.insert("errors", errors);
    render_status(req, status, "animconnect/sheet.html", ctx)
}

/// `GET /animconnect/fiches/{id}/modifier`.
async fn edit_page(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    require_staff(&who)?;
    let id = path.into_inner();
    let me = who.clone();
    let full = db
        .run(move |c| {
            let sheet = sheets::readable(c, &me, id)?;
            if !sheet.editable_by(&me) {
                return Err(AppError::Forbidden);
            }
            sheets::full(c, sheet)
        })
        .await?;
    let credit = (!full.sheet.credit.is_empty()).then(|| full.sheet.credit.clone());
    form_page(
        &req,
        &who,
        &db,
        FormPage {
            title: format!("Modifier « {} »", full.sheet.title),
            action: format!("{MOUNT}/fiches/{id}/modifier"),
            credit,
        },
        &SheetForm::of(&full),
        &FieldErrors::new(),
        StatusCode::OK,
    )
    .await
}

/// `POST /animconnect/fiches/{id}/modifier`.
async fn update(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
    form: web::Form<SheetForm>,
) -> Result<HttpResponse, AppError> {
    require_staff(&who)?;
    let id = path.into_inner();
    let form = form.into_inner();
    let me = who.clone();
    let sheet = db.run(move |c| sheets::readable(c, &me, id)).await?;
    if !sheet.editable_by(&who) {
        return Err(AppError::Forbidden);
    }
    let allowed = objectives_of(&db, Some(sheet.centre_id)).await?;
    match form.parse(&allowed) {
        Ok(data) => {
            db.write(move |c| sheets::update(c, id, &data)).await?;
            flash::redirect_with(
                &req,
                &sheet_url(id),
                Level::Success,
                "La fiche est modifiée.",
            )
        }
        Err(errors) => {
            let credit = (!sheet.credit.is_empty()).then(|| sheet.credit.clone());
            form_page(
                &req,
                &who,
                &db,
                FormPage {
                    title: format!("Modifier « {} »", sheet.title),
                    action: format!("{MOUNT}/fiches/{id}/modifier"),
                    credit,
                },
                &form,
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

/// `GET /animconnect/fiches/{id}/adapter`: the form filled with the sheet, to save as one's own.
async fn fork_page(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    require_staff(&who)?;
    let id = path.into_inner();
    let me = who.clone();
    let (full, credit) = db
        .run(move |c| {
            let sheet = sheets::readable(c, &me, id)?;
            let centre = centres::get(c, sheet.centre_id)?;
            let credit = sheets::credit_for(&sheet, &centre.name);
            Ok((sheets::full(c, sheet)?, credit))
        })
        .await?;
    let mut values = SheetForm::of(&full);
    values
        .0
        .insert("visibility".into(), Visibility::Draft.code().into());
    form_page(
        &req,
        &who,
        &db,
        FormPage {
            title: format!("Adapter « {} »", full.sheet.title),
            action: format!("{MOUNT}/fiches/{id}/adapter"),
            credit: Some(credit),
        },
        &values,
        &FieldErrors::new(),
        StatusCode::OK,
    )
    .await
}

/// `POST /animconnect/fiches/{id}/adapter`: a new sheet of one's own, crediting the original.
async fn fork(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
    form: web::Form<SheetForm>,
) -> Result<HttpResponse, AppError> {
    require_staff(&who)?;
    let id = path.into_inner();
    let form = form.into_inner();
    let me = who.clone();
    let credit = db
        .run(move |c| {
            let sheet = sheets::readable(c, &me, id)?;
            let centre = centres::get(c, sheet.centre_id)?;
            Ok(sheets::credit_for(&sheet, &centre.name))
        })
        .await?;
    let page = FormPage {
        title: "Adapter une fiche".into(),
        action: format!("{MOUNT}/fiches/{id}/adapter"),
        credit: Some(credit.clone()),
    };
    save_new(
        &req,
        &who,
        &db,
        &form,
        page,
        Some((id, credit)),
        "Votre adaptation est enregistrée, avec le crédit de la fiche d'origine.",
    )
    .await
}

#[derive(Debug, Deserialize)]
struct VisibilityForm {
    #[serde(default)]
    visibility: String,
}

/// `POST /animconnect/fiches/{id}/visibilite`.
async fn visibility(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
    form: web::Form<VisibilityForm>,
) -> Result<HttpResponse, AppError> {
    require_staff(&who)?;
    let id = path.into_inner();
    let me = who.clone();
    let sheet = db.run(move |c| sheets::readable(c, &me, id)).await?;
    if !sheet.editable_by(&who) {
        return Err(AppError::Forbidden);
    }
    let Some(v) = Visibility::parse(&form.visibility) else {
        return flash::redirect_with(
            &req,
            &sheet_url(id),
            Level::Error,
            "Choisissez qui peut lire la fiche.",
        );
    };
    db.write(move |c| sheets::set_visibility(c, id, v)).await?;
    flash::redirect_with(
        &req,
        &sheet_url(id),
        Level::Success,
        &format!(
            "La fiche est maintenant visible : {}.",
            v.label().to_lowercase()
        ),
    )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RatingForm {
    stars: String,
    comment: String,
}

/// `POST /animconnect/fiches/{id}/avis`: 1 to 5 stars and a short comment, by another animator.
async fn rate(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
    form: web::Form<RatingForm>,
) -> Result<HttpResponse, AppError> {
    require_staff(&who)?;
    let id = path.into_inner();
    let form = form.into_inner();
    let mut errors = FieldErrors::new();
    let stars = errors.check(
        "stars",
        csc_web::forms::int_in(&form.stars, 1..=5, "la note (1 à 5)"),
    );
    let comment = errors.check("comment", optional(&form.comment, 500));
    let me = who.clone();
    let (sheet, centre) = db
        .run(move |c| {
            let sheet = sheets::readable(c, &me, id)?;
            let centre = centres::get(c, sheet.centre_id)?;
            Ok((sheet, centre))
        })
        .await?;
    if sheet.author_id == Some(who.user_id) {
        errors.add(
            "stars",
            "Les avis viennent des autres équipes : vous êtes l'auteur·rice de cette fiche.",
        );
    }
    let rater_centre = who
        .home_centre()
        .map(|c| c.centre_name.clone())
        .unwrap_or_else(|| "Fédération".into());
    match (stars, comment) {
        (Some(stars), Some(comment)) if errors.is_empty() => {
            let me = who.clone();
            db.write(move |c| sheets::rate(c, id, &me, &rater_centre, stars, &comment))
                .await?;
            flash::redirect_with(
                &req,
                &sheet_url(id),
                Level::Success,
                "Merci pour votre avis.",
            )
        }
        _ => {
            let full = db.run(move |c| sheets::full(c, sheet)).await?;
            render_sheet(
                &req,
                &who,
                full,
                centre,
                None,
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
    }
}

/// `GET /animconnect/fiches/{id}/fiche.pdf`: the sheet to print.
async fn pdf(
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    require_staff(&who)?;
    let id = path.into_inner();
    let bytes = db
        .run(move |c| {
            let sheet = sheets::readable(c, &who, id)?;
            let centre = centres::get(c, sheet.centre_id)?;
            sheets::pdf(&sheets::full(c, sheet)?, &centre.name)
        })
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            "Content-Disposition",
            format!("inline; filename=\"fiche-{id}.pdf\""),
        ))
        .body(bytes))
}

/// `POST /animconnect/fiches/{id}/photos` (multipart, the CSRF token in the query string): one
/// PNG, JPEG or WebP photo, recognised by its bytes, 2 Mo at most, 4 a sheet.
async fn photo_add(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
    mut payload: actix_multipart::Multipart,
) -> Result<HttpResponse, AppError> {
    require_staff(&who)?;
    let id = path.into_inner();
    let me = who.clone();
    let sheet = db.run(move |c| sheets::readable(c, &me, id)).await?;
    if !sheet.editable_by(&who) {
        return Err(AppError::Forbidden);
    }
    let mut errors = FieldErrors::new();
    let mut status = StatusCode::UNPROCESSABLE_ENTITY;
    match csc_web::upload::read_file(&mut payload, "photo", sheets::PHOTO_MAX_BYTES).await {
        Ok(bytes) => match csc_auth::centres::sniff_image(&bytes) {
            Some(kind) => {
                match db
                    .write(move |c| sheets::add_photo(c, id, bytes, kind))
                    .await?
                {
                    Ok(_) => {
                        return flash::redirect_with(
                            &req,
                            &sheet_url(id),
                            Level::Success,
                            "La photo est ajoutée.",
                        )
                    }
                    Err(m) => errors.add("photo", m),
                }
            }
            None => errors.add("photo", "Ce fichier n'est pas une image PNG, JPEG ou WebP."),
        },
        Err(e) => {
            if matches!(e, csc_web::upload::UploadError::TooLarge(_)) {
                status = StatusCode::PAYLOAD_TOO_LARGE;
            }
            errors.add("photo", e.to_string());
        }
    }
    let full = db.run(move |c| sheets::full(c, sheet)).await?;
    let centre = {
        let cid = full.sheet.centre_id;
        db.run(move |c| centres::get(c, cid)).await?
    };
    render_sheet(&req, &who, full, centre, None, &errors, status)
}

/// `GET /animconnect/fiches/{id}/photos/{photo}`.
async fn photo_show(
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    require_staff(&who)?;
    let (id, photo) = path.into_inner();
    let (bytes, kind) = db
        .run(move |c| {
            sheets::readable(c, &who, id)?;
            sheets::photo(c, id, photo)
        })
        .await?;
    Ok(HttpResponse::Ok()
        .content_type(kind)
        .insert_header(("Cache-Control", "private, max-age=600"))
        .insert_header(("Content-Security-Policy", "default-src 'none'"))
        .body(bytes))
}

/// `POST /animconnect/fiches/{id}/photos/{photo}/supprimer`.
async fn photo_delete(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    require_staff(&who)?;
    let (id, photo) = path.into_inner();
    let me = who.clone();
    let sheet = db.run(move |c| sheets::readable(c, &me, id)).await?;
    if !sheet.editable_by(&who) {
        return Err(AppError::Forbidden);
    }
    db.write(move |c| sheets::delete_photo(c, id, photo))
        .await?;
    flash::redirect_with(
        &req,
        &sheet_url(id),
        Level::Success,
        "La photo est retirée.",
    )
}
