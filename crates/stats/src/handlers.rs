//! Routes: `/go/…` redirects, named events, the opt-out page and the dashboard.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use csc_core::{AppError, Identity, Role};
use csc_web::forms::RowChoice;
use csc_web::routes::{Access, Routes};
use csc_web::{flash, render, render_status, FieldErrors};
use serde::{Deserialize, Serialize};
use tera::Context;

use crate::collector::{opted_out, refuses, set_centre, OPT_OUT_COOKIE};
use crate::dashboard::{self, WEEKDAYS};
use crate::event::{today, Kind, KIOSK, MOBILE};
use crate::sink::{Filter, Report};
use crate::{pipeline, Stats};

/// Declares and registers the statistics routes.
pub fn routes(r: &mut Routes) {
    use Access::Public;
    let referents = Access::Staff(&[Role::Referent]);
    r.get("/go/{app}/{centre}/{key}", Public, go)
        .post("/api/v1/evenements", Public, event_api)
        .post("/stats/evenement", Public, event_form)
        .get("/stats/refus", Public, opt_out_page)
        .post("/stats/refus", Public, opt_out)
        .get("/stats", referents, dashboard_page)
        .get("/stats/export.csv", referents, export);
}

/// `GET /go/{app}/{centre}/{key}`: records the click, then redirects to the known target.
async fn go(
    req: HttpRequest,
    stats: web::Data<Stats>,
    path: web::Path<(String, i64, String)>,
) -> Result<HttpResponse, AppError> {
    let (app, centre, key) = path.into_inner();
    let resolver = *stats.links.get(app.as_str()).ok_or(AppError::NotFound)?;
    let k = key.clone();
    // A click counts for a centre that exists (nothing is recorded for an invented one).
    let url = stats
        .db
        .run(move |c| {
            csc_auth::centres::get(c, centre)?;
            resolver(c, centre, &k)
        })
        .await?
        .ok_or(AppError::NotFound)?;
    let parsed = url::Url::parse(&url).map_err(|_| AppError::NotFound)?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(AppError::NotFound);
    }
    if !refuses(&req) {
        set_centre(&req, centre);
        let app = stats.app_key(&app);
        stats.record_from(
            &req,
            app,
            Kind::Click,
            303,
            Some((key, String::new(), String::new())),
        );
    }
    Ok(HttpResponse::SeeOther()
        .insert_header(("Location", parsed.to_string()))
        .insert_header(("Cache-Control", "no-store"))
        .finish())
}

#[derive(Debug, Deserialize, Serialize)]
struct NamedEvent {
    #[serde(default)]
    app: String,
    #[serde(default)]
    centre: i64,
    #[serde(default)]
    name: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    retour: String,
}

fn check_event(stats: &Stats, ev: &NamedEvent) -> Result<(), AppError> {
    let name_ok = (1..=40).contains(&ev.name.len())
        && ev
            .name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
    if !name_ok {
        return Err(AppError::bad_request(
            "Nom d'événement invalide (lettres minuscules, chiffres, _ et -, 40 au plus).",
        ));
    }
    if ev.value.chars().count() > 80 || ev.value.chars().any(char::is_control) {
        return Err(AppError::bad_request(
            "La valeur de l'événement est trop longue (80 caractères au plus).",
        ));
    }
    if !stats.knows_app(&ev.app) {
        return Err(AppError::bad_request("Application inconnue."));
    }
    if ev.centre < 0 {
        return Err(AppError::bad_request("Centre inconnu."));
    }
    Ok(())
}

/// An event counts for no centre (0) or for one that exists.
async fn check_centre(stats: &Stats, centre: i64) -> Result<(), AppError> {
    if centre == 0 {
        return Ok(());
    }
    stats
        .db
        .run(move |c| match csc_auth::centres::get(c, centre) {
            Ok(_) => Ok(()),
            Err(AppError::NotFound) => Err(AppError::bad_request("Centre inconnu.")),
            Err(e) => Err(e),
        })
        .await
}

fn record_event(req: &HttpRequest, stats: &Stats, ev: NamedEvent) {
    if refuses(req) {
        return;
    }
    set_centre(req, ev.centre);
    let app = stats.app_key(&ev.app);
    stats.record_from(
        req,
        app,
        Kind::Event,
        200,
        Some((String::new(), ev.name, ev.value.trim().to_string())),
    );
}

/// `POST /api/v1/evenements` `{app, centre, name, value}` -> 202.
async fn event_api(
    req: HttpRequest,
    stats: web::Data<Stats>,
    body: web::Json<NamedEvent>,
) -> Result<HttpResponse, AppError> {
    let ev = body.into_inner();
    check_event(&stats, &ev)?;
    check_centre(&stats, ev.centre).await?;
    record_event(&req, &stats, ev);
    Ok(HttpResponse::Accepted().json(serde_json::json!({ "enregistre": true })))
}

/// `POST /stats/evenement` (a form, works without JavaScript), then back to `retour`.
async fn event_form(
    req: HttpRequest,
    stats: web::Data<Stats>,
    ui: web::Data<csc_web::Ui>,
    form: web::Form<NamedEvent>,
) -> Result<HttpResponse, AppError> {
    let ev = form.into_inner();
    check_event(&stats, &ev)?;
    check_centre(&stats, ev.centre).await?;
    let back = csc_web::local_path(&ev.retour);
    record_event(&req, &stats, ev);
    Ok(flash::redirect(
        &back,
        flash::Level::Success,
        "Merci pour votre réponse !",
        ui.secure_cookies,
    ))
}

/// `GET /stats/refus`
async fn opt_out_page(req: HttpRequest) -> Result<HttpResponse, AppError> {
    let mut ctx = Context::new();
    ctx.insert("title", "Mesure d'audience");
    ctx.insert("refused", &opted_out(&req));
    ctx.insert("dnt", &refuses(&req));
    render(&req, "stats/opt_out.html", ctx)
}

#[derive(Deserialize)]
struct OptOutForm {
    #[serde(default)]
    choix: String,
}

/// `POST /stats/refus` with `choix=refuser` or `choix=accepter`.
async fn opt_out(
    ui: web::Data<csc_web::Ui>,
    form: web::Form<OptOutForm>,
) -> Result<HttpResponse, AppError> {
    let refuse = match form.choix.as_str() {
        "refuser" => true,
        "accepter" => false,
        _ => return Err(AppError::bad_request("Choix inconnu.")),
    };
    let mut cookie = Cookie::build(OPT_OUT_COOKIE, "1")
        .path("/")
        .http_only(true)
        .secure(ui.secure_cookies)
        .same_site(SameSite::Lax)
        .max_age(actix_web::cookie::time::Duration::days(395))
        .finish();
    if !refuse {
        cookie.make_removal();
    }
    let msg = if refuse {
        "Vos visites ne sont plus comptées dans les statistiques, sur ce navigateur."
    } else {
        "Vos visites sont de nouveau comptées, anonymement."
    };
    let mut res = flash::redirect(
        "/stats/refus",
        flash::Level::Success,
        msg,
        ui.secure_cookies,
    );
    res.add_cookie(&cookie).map_err(AppError::internal)?;
    Ok(res)
}

#[derive(Debug, Default, Deserialize, Serialize)]
struct Query {
    centre: Option<String>,
    du: Option<String>,
    au: Option<String>,
}

/// A centre the user may read statistics of.
#[derive(Debug, Clone, Serialize)]
struct CentreChoice {
    id: i64,
    name: String,
}

/// The `centre` filter's value for every centre (admins only).
const ALL_CENTRES: &str = "tous";

/// What the user may see: `None` in `selected` means every centre (admins only).
struct Scope {
    choices: Vec<CentreChoice>,
    selected: Option<CentreChoice>,
    is_admin: bool,
}

impl Scope {
    fn filter_centres(&self) -> Vec<u32> {
        match &self.selected {
            Some(c) => vec![u32::try_from(c.id).unwrap_or(0)],
            None => std::iter::once(0)
                .chain(
                    self.choices
                        .iter()
                        .map(|c| u32::try_from(c.id).unwrap_or(0)),
                )
                .collect(),
        }
    }

    /// The centre filter's choices: every centre first for an admin, then each centre.
    fn select_choices(&self) -> Vec<RowChoice> {
        let all = self
            .is_admin
            .then(|| RowChoice::new(ALL_CENTRES, "Tous les centres (comparaison)"));
        all.into_iter()
            .chain(
                self.choices
                    .iter()
                    .map(|c| RowChoice::new(c.id, c.name.clone())),
            )
            .collect()
    }

    /// The filter's value of the centres shown.
    fn selected_code(&self) -> String {
        self.selected
            .as_ref()
            .map_or(ALL_CENTRES.to_string(), |c| c.id.to_string())
    }

    fn label(&self) -> String {
        self.selected
            .as_ref()
            .map_or("Tous les centres".to_string(), |c| c.name.clone())
    }
}

async fn scope(who: &Identity, stats: &Stats, wanted: Option<&str>) -> Result<Scope, AppError> {
    let choices: Vec<CentreChoice> = if who.is_admin {
        stats
            .db
            .run(|c| Ok(csc_auth::centres::list(c)?))
            .await?
            .into_iter()
            .map(|c| CentreChoice {
                id: c.id,
                name: c.name,
            })
            .collect()
    } else {
        let mut v: Vec<CentreChoice> = who
            .roles
            .iter()
            .filter(|r| r.role == Role::Referent)
            .map(|r| CentreChoice {
                id: r.centre_id,
                name: r.centre_name.clone(),
            })
            .collect();
        v.dedup_by_key(|c| c.id);
        v
    };
    if !who.is_admin && choices.is_empty() {
        return Err(AppError::Forbidden);
    }
    let wanted = wanted.map(str::trim).filter(|w| !w.is_empty());
    if wanted == Some(ALL_CENTRES) && !who.is_admin {
        return Err(AppError::Forbidden);
    }
    let selected = match wanted.filter(|w| *w != ALL_CENTRES) {
        Some(w) => {
            let id: i64 = w
                .parse()
                .map_err(|_| AppError::bad_request("Centre inconnu."))?;
            if !who.has_role(id, Role::Referent) {
                return Err(AppError::Forbidden);
            }
            Some(
                choices
                    .iter()
                    .find(|c| c.id == id)
                    .cloned()
                    .ok_or(AppError::NotFound)?,
            )
        }
        None if who.is_admin => None,
        None => choices.first().cloned(),
    };
    Ok(Scope {
        choices,
        selected,
        is_admin: who.is_admin,
    })
}

async fn dashboard_page(
    req: HttpRequest,
    who: Identity,
    stats: web::Data<Stats>,
    q: web::Query<Query>,
) -> Result<HttpResponse, AppError> {
    let q = q.into_inner();
    let scope = scope(&who, &stats, q.centre.as_deref()).await?;
    let mut ctx = Context::new();
    ctx.insert("title", "Statistiques de fréquentation");
    ctx.insert("centre_choices", &scope.select_choices());
    ctx.insert("centre_selected", &scope.selected_code());
    ctx.insert("selected", &scope.selected);
    ctx.insert("values", &q);
    ctx.insert("sink", stats.sink.name());
    let (from, to) = match dashboard::parse_period(q.du.as_deref(), q.au.as_deref(), today()) {
        Ok(p) => p,
        Err((field, msg)) => {
            let mut errors = FieldErrors::new();
            errors.add(&field, msg);
            ctx.insert("errors", &errors);
            return render_status(
                &req,
                StatusCode::UNPROCESSABLE_ENTITY,
                "stats/dashboard.html",
                ctx,
            );
        }
    };
    let centres = scope.filter_centres();
    let filter = Filter {
        centres: centres.clone(),
        from,
        to,
    };
    let report = stats.sink.report(&filter).await.map_err(unavailable)?;
    let since = pipeline::now_second().saturating_sub(30 * 60);
    let live = stats
        .sink
        .live(&centres, since)
        .await
        .map_err(unavailable)?;
    let (drops, spooled) = stats
        .db
        .run(move |c| Ok((pipeline::drops_between(c, from, to)?, pipeline::spooled(c)?)))
        .await?;
    ctx.insert("errors", &FieldErrors::new());
    ctx.insert("from", &from.to_string());
    ctx.insert("to", &to.to_string());
    ctx.insert("report", &report);
    ctx.insert("live", &live);
    ctx.insert("drops", &drops);
    ctx.insert("spooled_events", &spooled.1);
    insert_charts(&mut ctx, &report, &scope);
    ctx.insert(
        "export_query",
        &format!("centre={}&du={from}&au={to}", scope.selected_code()),
    );
    render(&req, "stats/dashboard.html", ctx)
}

/// A statistics query that failed (ClickHouse down, say): logged, answered 503.
pub fn unavailable(e: anyhow::Error) -> AppError {
    tracing::warn!(error = %e, "statistics sink query failed");
    AppError::Unavailable
}

fn insert_charts(ctx: &mut Context, report: &Report, scope: &Scope) {
    let daily: Vec<(String, u64)> = report
        .daily
        .iter()
        .map(|d| (d.day.format("%d/%m").to_string(), d.pageviews))
        .collect();
    ctx.insert(
        "chart_daily",
        &dashboard::vertical("jours", "Pages vues par jour", &daily, 160),
    );
    let clicks: Vec<(String, u64)> = report
        .clicks
        .iter()
        .take(10)
        .map(|c| (c.b.clone(), c.count))
        .collect();
    ctx.insert(
        "chart_clicks",
        &dashboard::horizontal("demarches", "Démarches les plus lancées", &clicks),
    );
    let devices: Vec<(String, u64)> = report
        .devices
        .iter()
        .map(|(d, n)| (device_label(d).to_string(), *n))
        .collect();
    ctx.insert(
        "chart_devices",
        &dashboard::horizontal("appareils", "Pages vues par type d'appareil", &devices),
    );
    ctx.insert("pages_per_app", &dashboard::top_per_app(&report.pages, 10));
    ctx.insert("grid", &dashboard::grid(report));
    ctx.insert("weekdays", &WEEKDAYS);
    let names: std::collections::HashMap<String, String> = scope
        .choices
        .iter()
        .map(|c| (c.id.to_string(), c.name.clone()))
        .collect();
    ctx.insert("centre_names", &names);
}

fn device_label(d: &str) -> &'static str {
    match d {
        KIOSK => "Borne d'accueil",
        MOBILE => "Téléphone ou tablette",
        _ => "Ordinateur",
    }
}

/// `GET /stats/export.csv`
async fn export(
    who: Identity,
    stats: web::Data<Stats>,
    q: web::Query<Query>,
) -> Result<HttpResponse, AppError> {
    let q = q.into_inner();
    let scope = scope(&who, &stats, q.centre.as_deref()).await?;
    let (from, to) = dashboard::parse_period(q.du.as_deref(), q.au.as_deref(), today())
        .map_err(|(_, msg)| AppError::BadRequest(msg))?;
    let report = stats
        .sink
        .report(&Filter {
            centres: scope.filter_centres(),
            from,
            to,
        })
        .await
        .map_err(unavailable)?;
    let body = dashboard::csv(&report, &scope.label()).map_err(AppError::Internal)?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"statistiques-{from}-{to}.csv\""),
        ))
        .body(body))
}
