//! The staff's pages (`/preinscription/gestion/{centre}`): the reception follows requests
//! (validate, refuse, cancel a day, staff PDF); the referent sets up tariff grids and activities.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use csc_auth::centres::{self, Centre};
use csc_core::{time, AppError, Identity, Role};
use csc_db::Db;
use csc_mail::Mailer;
use csc_web::{flash, render, render_status, FieldErrors};
use serde::Deserialize;
use tera::Context;

use crate::activities::{self, ActivityForm, KINDS, MAX_GROUPS};
use crate::exports::{self, Period};
use crate::grids::{self, GridForm};
use crate::requests::{self, ListFilter, STATUSES};
use crate::{notify, summary, MANAGERS, RECEPTION};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/gestion", web::get().to(index))
        .route("/gestion/{centre}", web::get().to(list))
        .route("/gestion/{centre}/demandes/{id}", web::get().to(show))
        .route(
            "/gestion/{centre}/demandes/{id}/fiche.pdf",
            web::get().to(staff_pdf),
        )
        .route(
            "/gestion/{centre}/demandes/{id}/statut",
            web::post().to(set_status),
        )
        .route(
            "/gestion/{centre}/demandes/{id}/adhesion/{membership}",
            web::post().to(membership_validate),
        )
        .route(
            "/gestion/{centre}/demandes/{id}/justificatif-qf",
            web::post().to(qf_proof),
        )
        .route(
            "/gestion/{centre}/demandes/{id}/liste-attente",
            web::post().to(wait_list),
        )
        .route(
            "/gestion/{centre}/demandes/{id}/formule",
            web::post().to(change_unit),
        )
        .route(
            "/gestion/{centre}/demandes/{id}/annuler-jour",
            web::post().to(cancel_day),
        )
        .route(
            "/gestion/{centre}/activites",
            web::get().to(activities_page),
        )
        .route(
            "/gestion/{centre}/activites",
            web::post().to(activity_create),
        )
        .route(
            "/gestion/{centre}/activites/{id}/{action}",
            web::post().to(activity_open),
        )
        .route("/gestion/{centre}/grilles", web::get().to(grids_page))
        .route("/gestion/{centre}/grilles", web::post().to(grid_import))
        .route(
            "/gestion/{centre}/duree-adhesion",
            web::post().to(set_validity),
        )
        .route("/gestion/{centre}/grilles/{id}", web::get().to(grid_export))
        .route("/gestion/{centre}/export", web::get().to(export));
}

async fn staff_centre(
    db: &Db,
    who: &Identity,
    centre_id: i64,
    roles: &[Role],
) -> Result<Centre, AppError> {
    who.require_role(centre_id, roles)?;
    db.run(move |c| centres::get(c, centre_id)).await
}

fn base(centre: &Centre, who: &Identity, title: &str) -> Context {
    let mut ctx = Context::new();
    ctx.insert("title", title);
    ctx.insert("managed", centre);
    ctx.insert("can_manage", &who.has_any_role(centre.id, &MANAGERS));
    ctx
}

fn done(req: &HttpRequest, location: &str, message: &str) -> Result<HttpResponse, AppError> {
    let secure = csc_web::render::ui(req)?.secure_cookies;
    Ok(flash::redirect(location, "succes", message, secure))
}

/// `GET /preinscription/gestion`: the centres this user follows.
async fn index(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
) -> Result<HttpResponse, AppError> {
    let me = who.clone();
    let mine = db
        .run(move |c| centres::staffed_by(c, &me, &RECEPTION))
        .await?;
    if mine.len() == 1 && !who.is_admin {
        return Ok(flash::see_other(&format!(
            "/preinscription/gestion/{}",
            mine[0].id
        )));
    }
    let mut ctx = Context::new();
    ctx.insert("title", "Pré-inscriptions : choisir un centre");
    ctx.insert("centres", &mine);
    render(&req, "preinscription/staff_index.html", ctx)
}

/// `GET /preinscription/gestion/{centre}?statut=&activite=`: the requests.
async fn list(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
    filter: web::Query<ListFilter>,
) -> Result<HttpResponse, AppError> {
    let centre = staff_centre(&db, &who, path.into_inner(), &RECEPTION).await?;
    let filter = filter.into_inner();
    let (cid, f) = (centre.id, filter.clone());
    let (rows, acts) = db
        .run(move |c| {
            Ok((
                requests::list(c, cid, &f)?,
                activities::of_centre(c, cid, false)?,
            ))
        })
        .await?;
    let mut ctx = base(
        &centre,
        &who,
        &format!("Pré-inscriptions — {}", centre.name),
    );
    ctx.insert("rows", &rows);
    ctx.insert("activities", &acts);
    ctx.insert("statuses", &STATUSES);
    ctx.insert("filter", &filter);
    render(&req, "preinscription/staff_list.html", ctx)
}

/// `GET /preinscription/gestion/{centre}/demandes/{id}`.
async fn show(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (centre_id, id) = path.into_inner();
    let centre = staff_centre(&db, &who, centre_id, &RECEPTION).await?;
    let doc = db
        .run(move |c| {
            let r = requests::get(c, centre_id, id)?;
            summary::load(c, r, true)
        })
        .await?;
    let mut ctx = base(&centre, &who, &format!("Demande n° {}", doc.request.id));
    let units: Vec<(&str, &str)> = doc
        .activity
        .units()
        .into_iter()
        .map(|u| (u.code(), u.label()))
        .collect();
    ctx.insert("units", &units);
    ctx.insert("proofs", &csc_members::household::QF_PROOFS);
    ctx.insert("doc", &doc);
    render(&req, "preinscription/staff_request.html", ctx)
}

/// `GET …/demandes/{id}/fiche.pdf`: the reception's copy (with health information).
async fn staff_pdf(
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (centre_id, id) = path.into_inner();
    staff_centre(&db, &who, centre_id, &RECEPTION).await?;
    let pdf = db
        .run(move |c| {
            let r = requests::get(c, centre_id, id)?;
            summary::pdf(&summary::load(c, r, true)?)
        })
        .await?;
    Ok(summary::pdf_response(id, pdf))
}

#[derive(Debug, Deserialize)]
struct StatusForm {
    #[serde(default)]
    status: String,
}

/// `POST …/demandes/{id}/statut`: validate or refuse; the family gets a mail.
async fn set_status(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    mailer: web::Data<Mailer>,
    path: web::Path<(i64, i64)>,
    form: web::Form<StatusForm>,
) -> Result<HttpResponse, AppError> {
    let (centre_id, id) = path.into_inner();
    staff_centre(&db, &who, centre_id, &RECEPTION).await?;
    let status = form.into_inner().status;
    if status != "validee" && status != "refusee" {
        return Err(AppError::bad_request("Décision inconnue."));
    }
    let mailer = mailer.into_inner();
    db.run(move |c| {
        let r = requests::get(c, centre_id, id)?;
        if r.status == "annulee" {
            return Err(AppError::Conflict(
                "Cette demande a été annulée par la famille.".into(),
            ));
        }
        if status == "refusee" {
            let promoted = requests::cancel_days(c, id, None)?;
            notify::place_freed(c, &mailer, &promoted)?;
        }
        requests::set_status(c, centre_id, id, &status)?;
        let changed = requests::get(c, centre_id, id)?;
        notify::status_changed(c, &mailer, changed)
    })
    .await?;
    done(
        &req,
        &format!("/preinscription/gestion/{centre_id}/demandes/{id}"),
        "La décision est enregistrée et la famille est prévenue par e-mail.",
    )
}

/// `POST …/demandes/{id}/adhesion/{membership}`: the membership is paid and valid.
async fn membership_validate(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (centre_id, id, membership) = path.into_inner();
    staff_centre(&db, &who, centre_id, &RECEPTION).await?;
    db.run(move |c| {
        let r = requests::get(c, centre_id, id)?;
        let mine = csc_members::membership::of_household(c, r.household_id)?
            .iter()
            .any(|m| m.id == membership);
        if !mine {
            return Err(AppError::NotFound);
        }
        csc_members::membership::validate(c, centre_id, membership)?;
        Ok(())
    })
    .await?;
    done(
        &req,
        &format!("/preinscription/gestion/{centre_id}/demandes/{id}"),
        "L'adhésion est validée.",
    )
}

#[derive(Debug, Deserialize)]
struct LineForm {
    line: i64,
}

/// `POST …/demandes/{id}/annuler-jour`: one day removed; its place goes to the waiting list.
async fn cancel_day(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    mailer: web::Data<Mailer>,
    path: web::Path<(i64, i64)>,
    form: web::Form<LineForm>,
) -> Result<HttpResponse, AppError> {
    let (centre_id, id) = path.into_inner();
    staff_centre(&db, &who, centre_id, &RECEPTION).await?;
    let line = form.into_inner().line;
    let mailer = mailer.into_inner();
    db.run(move |c| {
        let r = requests::get(c, centre_id, id)?;
        if !requests::lines(c, r.id)?
            .iter()
            .any(|l| l.id == line && l.state != "annulee")
        {
            return Err(AppError::NotFound);
        }
        let promoted = requests::cancel_days(c, r.id, Some(&[line]))?;
        notify::place_freed(c, &mailer, &promoted)?;
        let changed = requests::get(c, centre_id, id)?;
        notify::status_changed(c, &mailer, changed)
    })
    .await?;
    done(
        &req,
        &format!("/preinscription/gestion/{centre_id}/demandes/{id}"),
        "Le jour est annulé ; la famille est prévenue.",
    )
}

async fn activities_view(
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
async fn activities_page(
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
async fn activity_create(
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
            db.run(move |c| Ok(activities::create(c, cid, &data)?))
                .await?;
            done(
                &req,
                &format!("/preinscription/gestion/{cid}/activites"),
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

/// `POST …/activites/{id}/ouvrir|fermer`.
async fn activity_open(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64, String)>,
) -> Result<HttpResponse, AppError> {
    let (cid, id, action) = path.into_inner();
    staff_centre(&db, &who, cid, &MANAGERS).await?;
    let open = match action.as_str() {
        "ouvrir" => true,
        "fermer" => false,
        _ => return Err(AppError::NotFound),
    };
    db.run(move |c| activities::set_open(c, cid, id, open))
        .await?;
    done(
        &req,
        &format!("/preinscription/gestion/{cid}/activites"),
        if open {
            "L'activité est ouverte aux pré-inscriptions."
        } else {
            "L'activité n'accepte plus de nouvelles demandes."
        },
    )
}

async fn grids_view(
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
    ctx.insert("values", form);
    ctx.insert("errors", errors);
    render_status(req, status, "preinscription/staff_grids.html", ctx)
}

#[derive(Debug, Deserialize)]
struct EditQuery {
    modifier: Option<i64>,
}

/// `GET …/grilles[?modifier=ID]`: the grids, and the form (filled with a grid to edit it).
async fn grids_page(
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
async fn grid_import(
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
            db.run(move |c| Ok(grids::save(c, cid, &name, &spec)?))
                .await?;
            done(
                &req,
                &format!("/preinscription/gestion/{cid}/grilles"),
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
async fn grid_export(
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
struct ExportQuery {
    #[serde(flatten)]
    period: Period,
    #[serde(default)]
    format: String,
}

/// `GET …/export?du=&au=&format=xlsx|csv`: the page with the period, or the file.
async fn export(
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
struct ValidityForm {
    #[serde(default)]
    validity: String,
}

/// `POST …/duree-adhesion`: memberships last the school year, or 12 months from the day.
async fn set_validity(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
    form: web::Form<ValidityForm>,
) -> Result<HttpResponse, AppError> {
    use csc_members::Validity;
    let centre = staff_centre(&db, &who, path.into_inner(), &MANAGERS).await?;
    let v = match form.validity.as_str() {
        "annee_scolaire" => Validity::SchoolYear,
        "douze_mois" => Validity::TwelveMonths,
        _ => return Err(AppError::bad_request("Choisissez une durée d'adhésion.")),
    };
    let cid = centre.id;
    db.run(move |c| Ok(csc_members::membership::set_validity(c, cid, v)?))
        .await?;
    done(
        &req,
        &format!("/preinscription/gestion/{cid}/grilles"),
        "La durée des adhésions est enregistrée ; elle vaut pour les nouvelles adhésions.",
    )
}

/// `POST …/demandes/{id}/liste-attente`: the request's reserved days go behind the children
/// waiting; the families concerned are told.
async fn wait_list(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    mailer: web::Data<Mailer>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (centre_id, id) = path.into_inner();
    staff_centre(&db, &who, centre_id, &RECEPTION).await?;
    let mailer = mailer.into_inner();
    db.run(move |c| {
        let r = requests::get(c, centre_id, id)?;
        if r.status == "annulee" || r.status == "refusee" {
            return Err(AppError::Conflict(
                "Cette demande est annulée ou refusée.".into(),
            ));
        }
        let promoted = requests::wait_list(c, r.id)?;
        notify::place_freed(c, &mailer, &promoted)?;
        let changed = requests::get(c, centre_id, id)?;
        notify::status_changed(c, &mailer, changed)
    })
    .await?;
    done(
        &req,
        &format!("/preinscription/gestion/{centre_id}/demandes/{id}"),
        "La demande est en liste d'attente ; la famille est prévenue.",
    )
}

#[derive(Debug, Deserialize)]
struct UnitForm {
    line: i64,
    #[serde(default)]
    unit: String,
}

/// `POST …/demandes/{id}/formule`: one day changes unit, priced again with the grid.
async fn change_unit(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    mailer: web::Data<Mailer>,
    path: web::Path<(i64, i64)>,
    form: web::Form<UnitForm>,
) -> Result<HttpResponse, AppError> {
    let (centre_id, id) = path.into_inner();
    staff_centre(&db, &who, centre_id, &RECEPTION).await?;
    let UnitForm { line, unit } = form.into_inner();
    let unit = csc_pricing::Unit::parse(&unit)
        .map_err(|_| AppError::bad_request("Choisissez une des formules proposées."))?;
    let mailer = mailer.into_inner();
    db.run(move |c| {
        let r = requests::get(c, centre_id, id)?;
        let activity = activities::get(c, centre_id, r.activity_id)?;
        let groups = activities::groups(c, activity.id)?;
        let household = csc_members::household::get(c, centre_id, r.household_id)?;
        let kids = csc_members::household::children(c, household.id)?;
        let candidates = requests::candidates(&activity, &groups, kids);
        let lines = requests::lines(c, r.id)?;
        let grid = grids::get(c, centre_id, activity.grid_id)?.grid()?;
        let quote = requests::reprice(
            &grid,
            &household,
            &activity,
            &candidates,
            &lines,
            line,
            unit,
        )
        .map_err(AppError::BadRequest)?;
        requests::change_unit(c, r.id, line, unit, &quote)?;
        let changed = requests::get(c, centre_id, id)?;
        notify::status_changed(c, &mailer, changed)
    })
    .await?;
    done(
        &req,
        &format!("/preinscription/gestion/{centre_id}/demandes/{id}"),
        "La formule est changée et le prix recalculé ; la famille est prévenue.",
    )
}

#[derive(Debug, Deserialize)]
struct ProofForm {
    #[serde(default)]
    proof: String,
}

/// `POST …/demandes/{id}/justificatif-qf`: where the family's QF proof stands.
async fn qf_proof(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
    form: web::Form<ProofForm>,
) -> Result<HttpResponse, AppError> {
    let (centre_id, id) = path.into_inner();
    staff_centre(&db, &who, centre_id, &RECEPTION).await?;
    let proof = form.into_inner().proof;
    if !csc_members::household::QF_PROOFS
        .iter()
        .any(|(c, _)| *c == proof)
    {
        return Err(AppError::bad_request("Choisissez l'état du justificatif."));
    }
    db.run(move |c| {
        let r = requests::get(c, centre_id, id)?;
        csc_members::household::set_qf_proof(c, r.household_id, &proof)?;
        Ok(())
    })
    .await?;
    done(
        &req,
        &format!("/preinscription/gestion/{centre_id}/demandes/{id}"),
        "L'état du justificatif de quotient familial est enregistré.",
    )
}
