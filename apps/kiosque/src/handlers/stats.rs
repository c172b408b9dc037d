//! The referent's statistics of the kiosque: procedures launched (per procedure, theme, day and
//! hour) and the kiosk answers, for their centre.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use csc_core::{AppError, Identity};
use csc_db::Db;
use csc_stats::dashboard::{horizontal, parse_period, vertical};
use csc_stats::event::today;
use csc_stats::sink::Filter;
use csc_stats::{unavailable, Stats};
use csc_web::routes::{Access, Routes};
use csc_web::{render_status, FieldErrors};
use serde::{Deserialize, Serialize};

use super::{managed_centre, MANAGERS};
use crate::catalogue;
use crate::kiosks::Answer;
use crate::portal;

pub fn routes(r: &mut Routes) {
    r.get(
        "/gestion/{centre}/statistiques",
        Access::Staff(MANAGERS),
        page,
    );
}

#[derive(Debug, Default, Deserialize, Serialize)]
pub struct Period {
    du: Option<String>,
    au: Option<String>,
}

/// `GET /kiosque/gestion/{centre}/statistiques?du=…&au=…`.
async fn page(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    stats: web::Data<Stats>,
    path: web::Path<i64>,
    q: web::Query<Period>,
) -> Result<HttpResponse, AppError> {
    let centre = managed_centre(&db, &who, path.into_inner(), MANAGERS).await?;
    let q = q.into_inner();
    let mut ctx = tera::Context::new();
    ctx.insert("title", "Statistiques du kiosque");
    ctx.insert("managed", &centre);
    ctx.insert("values", &q);
    let (from, to) = match parse_period(q.du.as_deref(), q.au.as_deref(), today()) {
        Ok(p) => p,
        Err((field, msg)) => {
            let mut errors = FieldErrors::new();
            errors.add(&field, msg);
            ctx.insert("errors", &errors);
            ctx.insert("ready", &false);
            return render_status(
                &req,
                StatusCode::UNPROCESSABLE_ENTITY,
                "kiosque/manage_stats.html",
                ctx,
            );
        }
    };
    let filter = Filter {
        centres: vec![u32::try_from(centre.id).unwrap_or(0)],
        from,
        to,
    };
    let cells = stats
        .sink
        .clicks_detail(&filter, "kiosque")
        .await
        .map_err(unavailable)?;
    let report = stats.sink.report(&filter).await.map_err(unavailable)?;
    let cid = centre.id;
    let (themes, procs, links) = db
        .run(move |c| {
            Ok((
                catalogue::themes(c)?,
                catalogue::procedures(c)?,
                portal::local_links(c, cid)?,
            ))
        })
        .await?;

    // Per procedure (named by its title), per theme, per day, per hour.
    let mut per_target: BTreeMap<String, u64> = BTreeMap::new();
    let mut per_theme: BTreeMap<String, u64> = BTreeMap::new();
    let mut per_day: BTreeMap<chrono::NaiveDate, u64> = BTreeMap::new();
    let mut per_hour = [0u64; 24];
    for cell in &cells {
        let (title, theme) = match procs.iter().find(|p| p.slug == cell.target) {
            Some(p) => (
                p.title.clone(),
                themes
                    .iter()
                    .find(|t| t.id == p.theme_id)
                    .map_or_else(String::new, |t| t.title.clone()),
            ),
            None => match links
                .iter()
                .find(|l| format!("lien-{}", l.id) == cell.target)
            {
                Some(l) => (
                    l.title.clone(),
                    l.theme_id
                        .and_then(|id| themes.iter().find(|t| t.id == id))
                        .map_or_else(|| "Liens du centre".to_string(), |t| t.title.clone()),
                ),
                None => (cell.target.clone(), "Liens retirés".to_string()),
            },
        };
        *per_target.entry(title).or_default() += cell.count;
        *per_theme.entry(theme).or_default() += cell.count;
        *per_day.entry(cell.day).or_default() += cell.count;
        per_hour[usize::from(cell.hour.min(23))] += cell.count;
    }
    let ranked = |m: BTreeMap<String, u64>| {
        let mut v: Vec<(String, u64)> = m.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        v
    };
    let targets = ranked(per_target);
    let by_theme = ranked(per_theme);
    let mut days = Vec::new();
    let mut d = from;
    while d <= to {
        days.push((
            d.format("%d/%m").to_string(),
            per_day.get(&d).copied().unwrap_or(0),
        ));
        d += chrono::Duration::days(1);
    }
    let hours: Vec<(String, u64)> = per_hour
        .iter()
        .enumerate()
        .map(|(h, n)| (format!("{h} h"), *n))
        .collect();
    let answers: Vec<(String, u64)> = <Answer as csc_core::Coded>::ALL
        .iter()
        .map(|v| {
            let n = report
                .events
                .iter()
                .filter(|e| e.a == crate::kiosks::ANSWER_EVENT && e.b == v.code())
                .map(|e| e.count)
                .sum();
            (v.label().to_string(), n)
        })
        .collect();
    let total: u64 = targets.iter().map(|t| t.1).sum();
    ctx.insert("errors", &FieldErrors::new());
    ctx.insert("ready", &true);
    ctx.insert("from", &from.to_string());
    ctx.insert("to", &to.to_string());
    ctx.insert("total", &total);
    ctx.insert("targets", &targets);
    ctx.insert("by_theme", &by_theme);
    ctx.insert("days", &days);
    ctx.insert("hours", &hours);
    ctx.insert("answers", &answers);
    ctx.insert(
        "chart_targets",
        &horizontal(
            "c-demarches",
            "Démarches lancées",
            &targets[..targets.len().min(15)],
        ),
    );
    ctx.insert(
        "chart_themes",
        &horizontal("c-themes", "Démarches lancées par thème", &by_theme),
    );
    ctx.insert(
        "chart_days",
        &vertical("c-jours", "Démarches lancées par jour", &days, 160),
    );
    ctx.insert(
        "chart_hours",
        &vertical("c-heures", "Démarches lancées selon l'heure", &hours, 120),
    );
    ctx.insert(
        "chart_answers",
        &horizontal(
            "c-reponses",
            "Réponses à « Avez-vous pu faire votre démarche ? »",
            &answers,
        ),
    );
    render_status(&req, StatusCode::OK, "kiosque/manage_stats.html", ctx)
}
