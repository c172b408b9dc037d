//! The monthly report of an activity: on screen (each figure with its rule), CSV, XLSX, PDF.

use actix_web::{web, HttpRequest, HttpResponse};
use csc_auth::centres::managed;
use csc_core::{time, AppError};
use csc_db::Db;
use csc_web::render;
use csc_web::routes::{Access, Routes};
use serde::Deserialize;

use crate::{monthly, report, STAFF};

pub fn routes(r: &mut Routes) {
    let staff = Access::Staff(&STAFF);
    let p = "/equipe/{centre}/activites/{activity}/rapport";
    r.get(p, staff, page)
        .get(format!("{p}.csv"), staff, csv)
        .get(format!("{p}.xlsx"), staff, xlsx)
        .get(format!("{p}.pdf"), staff, pdf);
}

#[derive(Deserialize)]
struct MonthQuery {
    mois: Option<String>,
}

async fn load(
    db: &Db,
    who: &csc_core::Identity,
    path: (i64, i64),
    q: &MonthQuery,
) -> Result<(csc_auth::centres::Centre, report::Report), AppError> {
    let (centre_id, activity_id) = path;
    let centre = managed(db, who, centre_id, &STAFF).await?;
    let month = q
        .mois
        .clone()
        .filter(|m| !m.trim().is_empty())
        .unwrap_or_else(|| report::month_of(time::today_paris()));
    report::month_bounds(&month).map_err(AppError::BadRequest)?;
    let r = db
        .run(move |c| {
            csc_activities::get(c, centre_id, activity_id)?;
            monthly::monthly(c, activity_id, &month)
        })
        .await?;
    Ok((centre, r))
}

/// `GET …/rapport?mois=2025-03`
async fn page(
    req: HttpRequest,
    who: csc_core::Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
    q: web::Query<MonthQuery>,
) -> Result<HttpResponse, AppError> {
    let path = path.into_inner();
    let (centre, r) = load(&db, &who, path, &q).await?;
    let mut ctx = tera::Context::new();
    ctx.insert(
        "title",
        &format!("Rapport mensuel — {} — {}", r.activite, r.mois),
    );
    ctx.insert("centre", &centre);
    ctx.insert("activity_id", &path.1);
    ctx.insert("report", &r);
    ctx.insert("lines", &r.lines());
    render(&req, "check/report.html", ctx)
}

fn file(bytes: Vec<u8>, mime: &str, name: &str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(mime)
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{name}\""),
        ))
        .body(bytes)
}

async fn csv(
    who: csc_core::Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
    q: web::Query<MonthQuery>,
) -> Result<HttpResponse, AppError> {
    let (_, r) = load(&db, &who, path.into_inner(), &q).await?;
    Ok(file(
        r.to_sheet().to_csv(),
        "text/csv; charset=utf-8",
        &format!("rapport-{}.csv", r.mois),
    ))
}

async fn xlsx(
    who: csc_core::Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
    q: web::Query<MonthQuery>,
) -> Result<HttpResponse, AppError> {
    let (_, r) = load(&db, &who, path.into_inner(), &q).await?;
    let bytes = r.to_sheet().to_xlsx().map_err(AppError::internal)?;
    Ok(file(
        bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &format!("rapport-{}.xlsx", r.mois),
    ))
}

async fn pdf(
    who: csc_core::Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
    q: web::Query<MonthQuery>,
) -> Result<HttpResponse, AppError> {
    let (centre, r) = load(&db, &who, path.into_inner(), &q).await?;
    let mut doc = csc_documents::Document::new(format!("Rapport mensuel — {}", r.activite));
    doc.subtitle(format!("{} — mois {}", centre.name, r.mois));
    for l in r.lines() {
        doc.paragraph(format!("{} : {}", l.label, l.value));
        doc.small(l.rule);
    }
    let bytes = doc.render().map_err(AppError::internal)?;
    Ok(file(
        bytes,
        "application/pdf",
        &format!("rapport-{}.pdf", r.mois),
    ))
}
