//! The referent's set-up: activities, tariff grids, membership length, exports.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use csc_auth::centres::Centre;
use csc_core::{time, AppError, Identity};
use csc_db::Db;
use csc_web::{render_status, FieldErrors};
use serde::Deserialize;

use super::{base, done, staff_centre};
use crate::activities::{self, ActivityForm, KINDS, MAX_GROUPS};
use crate::exports::{self, Period};
use crate::grids::{self, GridForm};
use crate::MANAGERS;

pub(super) async fn activities_view(
    req: &HttpRequest,
    who: &Identity,
    db: &Db,
    centre: Centre,
    form: &ActivityForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let cid = centre.id;
    let (acts, grid_list) = db
        .run(move |c| {
            let mut acts = Vec::new();
            for a in activities::of_centre(c, cid, false)? {
                let groups = activities::groups(c, a.id)?;
                let occ = activities::occupancy(c, a.id)?;
                let taken: i32 = occ.iter().map(|o| o.taken).sum();
                let places: i32 = occ.iter().map(|o| o.capacity).sum();
                acts.push((a, groups, taken, places));
            }
            Ok((acts, grids::of_centre(c, cid)?))
        })
        .await?;
    let mut ctx = base(&centre, who, &format!("Activités — {}", centre.name));
    ctx.insert("activities", &acts);
    ctx.insert("grids", &grid_list);
    ctx.insert("kinds", &KINDS);
    ctx.insert(
        "units",
        &csc_pricing::Unit::ALL
            .iter()
            .map(|u| (u.code(), u.label()))
            .collect::<Vec<_>>(),
    );
    ctx.insert("groups", &(1..=MAX_GROUPS).collect::<Vec<_>>());
    ctx.insert(
        "weekdays",
        &[
            (1, "lundi"),
            (2, "mardi"),
            (3, "mercredi"),
            (4, "jeudi"),
            (5, "vendredi"),
            (6, "samedi"),
        ],
    );
    ctx.insert("values", &form.0);
    ctx.insert("errors", errors);
    render_status(req, status, "preinscription/staff_activities.html", ctx)
}

/// `GET …/activites`.
pub(super) async fn activities_page(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let centre = staff_centre(&db, &who, path.into_inner(), &MANAGERS).await?;
    activities_view(
        &req,
        &who,
        &db,
        centre,
        &ActivityForm::default(),
        &FieldErrors::new(),
        StatusCode::OK,
    )
    .await
}

/// `POST …/activites`: a new activity with its groups and places.
pub(super) async fn activity_create(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
    form: web::Form<ActivityForm>,
) -> Result<HttpResponse, AppError> {
    let centre = staff_centre(&db, &who, path.into_inner(), &MANAGERS).await?;
    let form = form.into_inner();
    let cid = centre.id;
    let grid_ids: Vec<i64> = db
        .run(move |c| {
            Ok(grids::of_centre(c, cid)?
                .into_iter()
                .map(|g| g.id)
                .collect())
        })
        .await?;
    match form.parse(&grid_ids, time::today_paris()) {
        Ok(data) => {
            db.write(move |c| Ok(activities::create(c, cid, &data)?))
                .await?;
            done(
                &req,
                &format!("{}/gestion/{cid}/activites", crate::MOUNT),
                "L'activité est ouverte aux pré-inscriptions.",
            )
        }
        Err(e) => {
            activities_view(
                &req,
                &who,
                &db,
                centre,
                &form,
                &e,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

/// The last segment of the address that opens an activity to requests, and of the one that
/// closes it.
const OPEN: &str = "ouvrir";
const CLOSE: &str = "fermer";

/// `POST …/activites/{id}/ouvrir|fermer`.
pub(super) async fn activity_open(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64, String)>,
) -> Result<HttpResponse, AppError> {
    let (cid, id, action) = path.into_inner();
    staff_centre(&db, &who, cid, &MANAGERS).await?;
    let open = match action.as_str() {
        OPEN => true,
        CLOSE => false,
        _ => return Err(AppError::NotFound),
    };
    db.write(move |c| activities::set_open(c, cid, id, open))
        .await?;
    done(
        &req,
        &format!("{}/gestion/{cid}/activites", crate::MOUNT),
        if open {
            "L'activité est ouverte aux pré-inscriptions."
        } else {
            "L'activité n'accepte plus de nouvelles demandes."
        },
    )
}

pub(super) async fn grids_view(
    req: &HttpRequest,
    who: &Identity,
    db: &Db,
    centre: Centre,
    form: &GridForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let cid = centre.id;
    let (list, validity) = db
        .run(move |c| {
            Ok((
                grids::of_centre(c, cid)?,
                csc_members::membership::validity_of(c, cid)?,
            ))
        })
        .await?;
    let mut ctx = base(
        &centre,
        who,
        &format!("Grilles de tarifs — {}", centre.name),
    );
    ctx.insert("grids", &list);
    ctx.insert("validity", validity.code());
    ctx.insert(
        "validities",
        &<csc_members::Validity as csc_core::Coded>::choices(),
    );
    ctx.insert("values", form);
    ctx.insert("errors", errors);
    render_status(req, status, "preinscription/staff_grids.html", ctx)
}

#[derive(Debug, Deserialize)]
pub(super) struct EditQuery {
    modifier: Option<i64>,
}

/// `GET …/grilles[?modifier=ID]`: the grids, and the form (filled with a grid to edit it).
pub(super) async fn grids_page(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
    query: web::Query<EditQuery>,
) -> Result<HttpResponse, AppError> {
    let centre = staff_centre(&db, &who, path.into_inner(), &MANAGERS).await?;
    let form = match query.modifier {
        Some(id) => {
            let cid = centre.id;
            let g = db.run(move |c| grids::get(c, cid, id)).await?;
            GridForm {
                name: g.name,
                spec: g.spec,
            }
        }
        None => GridForm::default(),
    };
    grids_view(
        &req,
        &who,
        &db,
        centre,
        &form,
        &FieldErrors::new(),
        StatusCode::OK,
    )
    .await
}

/// `POST …/grilles`: import (or replace, by name) a grid given as JSON.
pub(super) async fn grid_import(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
    form: web::Form<GridForm>,
) -> Result<HttpResponse, AppError> {
    let centre = staff_centre(&db, &who, path.into_inner(), &MANAGERS).await?;
    let form = form.into_inner();
    match form.parse() {
        Ok((name, spec)) => {
            let cid = centre.id;
            db.write(move |c| Ok(grids::save(c, cid, &name, &spec)?))
                .await?;
            done(
                &req,
                &format!("{}/gestion/{cid}/grilles", crate::MOUNT),
                "La grille est enregistrée.",
            )
        }
        Err(e) => {
            grids_view(
                &req,
                &who,
                &db,
                centre,
                &form,
                &e,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

/// `GET …/grilles/{id}`: the grid as a JSON file (export).
pub(super) async fn grid_export(
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (cid, id) = path.into_inner();
    staff_centre(&db, &who, cid, &MANAGERS).await?;
    let g = db.run(move |c| grids::get(c, cid, id)).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/json; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"grille-{}.json\"", g.id),
        ))
        .body(g.spec))
}

#[derive(Debug, Default, Deserialize, serde::Serialize)]
pub(super) struct ExportQuery {
    #[serde(flatten)]
    period: Period,
    #[serde(default)]
    format: String,
}

/// `GET …/export?du=&au=&format=xlsx|csv`: the page with the period, or the file.
pub(super) async fn export(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
    query: web::Query<ExportQuery>,
) -> Result<HttpResponse, AppError> {
    let centre = staff_centre(&db, &who, path.into_inner(), &MANAGERS).await?;
    let query = query.into_inner();
    let period = query.period.parse();
    let (from, to) = match (&period, query.format.as_str()) {
        (Ok(p), "xlsx" | "csv") => *p,
        _ => {
            let mut errors = FieldErrors::new();
            if let Err(msg) = period {
                errors.add("du", msg);
            }
            let status = if errors.is_empty() {
                StatusCode::OK
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let mut ctx = base(&centre, &who, &format!("Exports — {}", centre.name));
            ctx.insert("values", &query.period);
            ctx.insert("errors", &errors);
            return render_status(&req, status, "preinscription/staff_export.html", ctx);
        }
    };
    let cid = centre.id;
    let sheets = db
        .run(move |c| Ok(exports::sheets(c, cid, from, to)?))
        .await?;
    let stamp = time::today_paris().format("%Y-%m-%d");
    let (body, kind, name) = if query.format == "xlsx" {
        (
            csc_documents::workbook_xlsx(&sheets).map_err(AppError::internal)?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            format!("preinscriptions-{stamp}.xlsx"),
        )
    } else {
        (
            sheets[0].to_csv(),
            "text/csv; charset=utf-8",
            format!("preinscriptions-{stamp}.csv"),
        )
    };
    Ok(HttpResponse::Ok()
        .content_type(kind)
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{name}\""),
        ))
        .insert_header(("Cache-Control", "no-store"))
        .body(body))
}

#[derive(Debug, Deserialize)]
pub(super) struct ValidityForm {
    #[serde(default)]
    validity: String,
}

/// `POST …/duree-adhesion`: memberships last the school year, or 12 months from the day.
pub(super) async fn set_validity(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
    form: web::Form<ValidityForm>,
) -> Result<HttpResponse, AppError> {
    use csc_members::Validity;
    let centre = staff_centre(&db, &who, path.into_inner(), &MANAGERS).await?;
    let v = Validity::parse(&form.validity)
        .ok_or_else(|| AppError::bad_request("Choisissez une durée d'adhésion."))?;
    let cid = centre.id;
    db.write(move |c| Ok(csc_members::membership::set_validity(c, cid, v)?))
        .await?;
    done(
        &req,
        &format!("{}/gestion/{cid}/grilles", crate::MOUNT),
        "La durée des adhésions est enregistrée ; elle vaut pour les nouvelles adhésions.",
    )
}
