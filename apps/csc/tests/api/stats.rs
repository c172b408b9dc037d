use std::time::Duration;

use actix_web::{web, HttpRequest, HttpResponse};
use csc_core::{AppError, Role};
use csc_db::DbConn;
use csc_testkit::{
    clickhouse_test_url, eventually, location, spawn_app_with, ClickHouseServer, TestApp,
};
use csc_web::{AppModule, ServiceInfo};
use diesel::prelude::*;
use reqwest::StatusCode;

use crate::helpers::{scalar, PASSWORD};

const UA: &str = "Mozilla/5.0 (X11; Linux x86_64) NavigateurDeTest/1.0 marqueur-ua-unique";

async fn essai_page(req: HttpRequest, path: web::Path<i64>) -> HttpResponse {
    csc_stats::set_centre(&req, path.into_inner());
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body("<!doctype html><title>Essai</title>")
}

fn essai_routes(r: &mut csc_web::Routes) {
    r.get("/c/{centre}", csc_web::Access::Public, essai_page);
}

fn essai_links(_: &mut DbConn, _centre: i64, key: &str) -> Result<Option<String>, AppError> {
    Ok(match key {
        "caf" => Some("https://www.caf.fr/".into()),
        "js" => Some("javascript:alert(1)".into()),
        _ => None,
    })
}

/// A small app with pages attributed to a centre and two outbound links.
pub fn essai() -> AppModule {
    AppModule {
        links: Some(essai_links),
        ..AppModule::new(
            ServiceInfo {
                key: "essai",
                title: "Essai",
                mount: "/essai",
                summary: "Service d'essai.",
                listed_for: |_| true,
                staff: None,
                topics: &[],
            },
            essai_routes,
        )
    }
}

pub fn modules() -> Vec<AppModule> {
    let mut m = csc::modules();
    m.push(essai());
    m
}

/// The suite with the test app, and one centre (id 1: clicks and events count only for a
/// centre that exists).
pub async fn stats_app(
    clickhouse: Option<String>,
    tweak: impl Fn(&mut csc_core::Settings),
) -> TestApp {
    let app = spawn_app_with(&modules(), |s| {
        s.clickhouse_url = clickhouse.clone();
        tweak(s);
    })
    .await;
    assert_eq!(app.create_centre("centre-essai", "Centre d'essai").await, 1);
    app
}

async fn visit(app: &TestApp, path: &str, ua: &str) -> reqwest::Response {
    app.http
        .get(app.url(path))
        .header("User-Agent", ua)
        .send()
        .await
        .unwrap()
}

fn ch_client(url: &str) -> clickhouse::Client {
    let (base, db) = url.rsplit_once('/').unwrap();
    clickhouse::Client::default()
        .with_url(base)
        .with_database(db)
        .with_validation(false)
}

#[derive(Debug, serde::Deserialize, clickhouse::Row)]
struct ChRow {
    centre_id: u32,
    app: String,
    kind: String,
    path: String,
    visitor: u64,
    target: String,
    all_text: String,
}

/// The stored events, each once (a batch replayed after a lost answer is stored twice).
const ONCE: &str = "(SELECT * FROM stats_events LIMIT 1 BY centre_id, day, event_id)";

/// Every row stored.
async fn ch_rows(url: &str) -> Vec<ChRow> {
    ch_client(url)
        .query(
            "SELECT centre_id, app, toString(kind) AS kind, path, visitor, target, \
             concat(app, toString(kind), path, toString(device), referrer, target, name, value) AS all_text \
             FROM stats_events ORDER BY ts, kind",
        )
        .fetch_all::<ChRow>()
        .await
        .unwrap_or_default()
}

#[tokio::test]
async fn page_views_and_clicks_land_in_clickhouse_without_address_or_user_agent() {
    let url = clickhouse_test_url();
    let app = stats_app(Some(url.clone()), |_| {}).await;
    let centre = app.create_centre("centre-a", "Centre A").await;
    for _ in 0..3 {
        assert_eq!(
            visit(&app, &format!("/essai/c/{centre}"), UA)
                .await
                .status(),
            StatusCode::OK
        );
    }
    let res = visit(&app, &format!("/go/essai/{centre}/caf"), UA).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "https://www.caf.fr/");

    let rows = eventually(10, "4 events in ClickHouse", || async {
        let r = ch_rows(&url).await;
        (r.len() == 4).then_some(r)
    })
    .await;
    let views: Vec<&ChRow> = rows.iter().filter(|r| r.kind == "pageview").collect();
    assert_eq!(views.len(), 3);
    assert!(views
        .iter()
        .all(|r| r.path == "/essai/c/{centre}" && r.app == "essai"));
    let click = rows.iter().find(|r| r.kind == "click").unwrap();
    assert_eq!(click.target, "caf");
    assert_eq!(click.app, "essai");
    assert!(rows.iter().all(|r| i64::from(r.centre_id) == centre));
    assert!(rows[0].visitor != 0);
    assert!(
        rows.iter().all(|r| r.visitor == rows[0].visitor),
        "one visitor"
    );
    for r in &rows {
        assert!(
            !r.all_text.contains("127.0.0.1"),
            "no address stored: {r:?}"
        );
        assert!(
            !r.all_text.contains("marqueur-ua-unique"),
            "no user agent stored: {r:?}"
        );
    }
    // Nothing went through the SQL side: no spool, no SQL events.
    let sql_events = scalar(&app, "SELECT COUNT(*) FROM stats_events").await;
    let spooled = scalar(&app, "SELECT COUNT(*) FROM stats_spool").await;
    assert_eq!((sql_events, spooled), (0, 0));
}

#[derive(QueryableByName, Debug)]
struct SqlText {
    #[diesel(sql_type = diesel::sql_types::Text)]
    all_text: String,
}

#[tokio::test]
async fn the_sql_sink_stores_no_address_or_user_agent_either() {
    let app = stats_app(None, |_| {}).await;
    let centre = app.create_centre("centre-a", "Centre A").await;
    visit(&app, &format!("/essai/c/{centre}"), UA).await;
    visit(&app, &format!("/go/essai/{centre}/caf"), UA).await;
    let rows = eventually(10, "2 events in SQL", || async {
        let r: Vec<SqlText> = app
            .db
            .run(|c| {
                Ok(diesel::sql_query(
                    "SELECT app || kind || path || device || referrer || target || name || value AS all_text FROM stats_events",
                )
                .load(c)?)
            })
            .await
            .unwrap();
        (r.len() == 2).then_some(r)
    })
    .await;
    for r in rows {
        assert!(
            !r.all_text.contains("127.0.0.1") && !r.all_text.contains("marqueur-ua-unique"),
            "{r:?}"
        );
    }
}

#[tokio::test]
async fn one_visitor_per_day_and_salts_rotate_and_are_forgotten_after_48_hours() {
    let app = stats_app(None, |_| {}).await;
    let day = chrono::NaiveDate::from_ymd_opt(2026, 3, 10).unwrap();
    let (a1, a2, b, kept) = app
        .db
        .run(move |c| {
            let a1 = csc_stats::visitor::salt_for(c, day)?;
            let a2 = csc_stats::visitor::salt_for(c, day)?;
            let b = csc_stats::visitor::salt_for(c, day + chrono::Duration::days(1))?;
            csc_stats::visitor::salt_for(c, day + chrono::Duration::days(2))?;
            Ok((a1, a2, b, csc_stats::visitor::kept_salt_days(c)?))
        })
        .await
        .unwrap();
    assert_eq!(a1, a2, "same day, same salt");
    assert_ne!(a1, b, "next day, new salt");
    let someone = csc_stats::visitor::fingerprint(UA, "192.0.2.7".parse().ok());
    let h = |salt| csc_stats::visitor::visitor_hash(salt, someone, 1);
    assert_eq!(h(&a1), h(&a2));
    assert_ne!(
        h(&a1),
        h(&b),
        "the same person is a new visitor the next day"
    );
    assert_eq!(
        kept,
        vec![
            day + chrono::Duration::days(1),
            day + chrono::Duration::days(2)
        ],
        "older salts are gone"
    );

    // Over HTTP: the same browser twice is one visitor and one visit; another browser is another.
    let centre = app.create_centre("centre-a", "Centre A").await;
    visit(&app, &format!("/essai/c/{centre}"), UA).await;
    visit(&app, &format!("/essai/c/{centre}"), UA).await;
    visit(
        &app,
        &format!("/essai/c/{centre}"),
        "Mozilla/5.0 AutreNavigateur/2.0",
    )
    .await;
    let report = eventually(10, "3 page views", || async {
        let r = report(&app, centre).await;
        (r.daily.first().map(|d| d.pageviews) == Some(3)).then_some(r)
    })
    .await;
    assert_eq!(report.daily[0].visitors, 2);
    assert_eq!(report.daily[0].visits, 2);
}

async fn report(app: &TestApp, centre: i64) -> csc_stats::sink::Report {
    let sink = csc_stats::Sink::Sql(csc_stats::sink::SqlSink::new(app.db.clone()));
    let today = csc_stats::event::today();
    let filter = csc_stats::sink::Filter {
        centres: vec![centre as u32],
        from: today - chrono::Duration::days(1),
        to: today,
    };
    sink.report(&filter).await.unwrap()
}

#[derive(Debug, serde::Deserialize, clickhouse::Row)]
struct Totals {
    n: u64,
    ids: u64,
}

#[tokio::test]
async fn events_sent_while_clickhouse_is_down_arrive_exactly_once() {
    let mut server = ClickHouseServer::start();
    let url = format!("{}/csc_outage", server.url());
    let app = stats_app(Some(url.clone()), |_| {}).await;
    let total = 300;
    let burst = |from: usize, to: usize| {
        let app_url = app.url("/essai/c/1");
        // A fresh client per burst: no idle keep-alive connection outlives the pause.
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(0)
            .build()
            .unwrap();
        async move {
            for i in from..to {
                let res = http
                    .get(&app_url)
                    .header("User-Agent", format!("Navigateur-{i}"))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(
                    res.status(),
                    StatusCode::OK,
                    "requests never fail because of statistics"
                );
            }
        }
    };
    burst(0, 100).await;
    server.stop();
    burst(100, 250).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let spooled = scalar(
        &app,
        "SELECT CAST(COALESCE(SUM(events), 0) AS BIGINT) FROM stats_spool",
    )
    .await;
    assert!(
        spooled > 0,
        "batches wait in the spool while ClickHouse is down"
    );
    server.restart();
    burst(250, total).await;
    let client = ch_client(&url);
    let totals = eventually(20, "every event in ClickHouse", || async {
        let t = client
            .query(&format!(
                "SELECT count() AS n, uniqExact(event_id) AS ids FROM {ONCE}"
            ))
            .fetch_one::<Totals>()
            .await
            .ok()?;
        (t.n >= total as u64).then_some(t)
    })
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(totals.n, total as u64, "each event exactly once");
    assert_eq!(totals.ids, total as u64);
    let visitors: u64 = client
        .query("SELECT uniqExact(visitor) FROM stats_events")
        .fetch_one()
        .await
        .unwrap();
    assert_eq!(visitors, total as u64);
}

#[tokio::test]
async fn events_recorded_while_clickhouse_was_down_at_start_up_arrive_once_it_is_back() {
    let mut server = ClickHouseServer::start();
    let url = format!("{}/csc_late", server.url());
    server.stop();
    // The suite starts anyway; the schema cannot be created yet.
    let app = stats_app(Some(url.clone()), |_| {}).await;
    for _ in 0..20 {
        assert_eq!(visit(&app, "/essai/c/1", UA).await.status(), StatusCode::OK);
    }
    eventually(20, "the events spooled", || async {
        let n = scalar(
            &app,
            "SELECT CAST(COALESCE(SUM(events), 0) AS BIGINT) FROM stats_spool",
        )
        .await;
        (n == 20).then_some(())
    })
    .await;
    server.restart();
    for _ in 0..10 {
        assert_eq!(visit(&app, "/essai/c/1", UA).await.status(), StatusCode::OK);
    }
    let client = ch_client(&url);
    let n = eventually(20, "every event in ClickHouse", || async {
        let n: u64 = client
            .query(&format!("SELECT count() FROM {ONCE}"))
            .fetch_one()
            .await
            .ok()?;
        (n >= 30).then_some(n)
    })
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(n, 30);
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM stats_spool").await,
        0,
        "the spool is empty"
    );
}

#[tokio::test]
async fn the_writer_keeps_taking_events_while_clickhouse_hangs() {
    let mut server = ClickHouseServer::start();
    let url = format!("{}/csc_hang", server.url());
    // A queue of 20 events: a writer that waited for ClickHouse before taking more events would
    // drop most of the burst below.
    let app = stats_app(Some(url.clone()), |s| {
        s.stats_channel_capacity = 20;
        s.stats_batch_size = 100_000;
    })
    .await;
    for _ in 0..10 {
        assert_eq!(visit(&app, "/essai/c/1", UA).await.status(), StatusCode::OK);
    }
    let client = ch_client(&url);
    let count = || async {
        client
            .query(&format!("SELECT count() FROM {ONCE}"))
            .fetch_one::<u64>()
            .await
            .ok()
    };
    eventually(20, "the first events in ClickHouse", || async {
        (count().await? == 10).then_some(())
    })
    .await;
    server.pause();
    let total = 200;
    for i in 10..total {
        let res = visit(&app, "/essai/c/1", &format!("Navigateur-{i}")).await;
        assert_eq!(res.status(), StatusCode::OK, "pages are served meanwhile");
    }
    // Every event has left the queue although ClickHouse answers nothing.
    tokio::time::sleep(Duration::from_millis(300)).await;
    server.resume();
    let n = eventually(20, "every event in ClickHouse", || async {
        let n = count().await?;
        (n >= total as u64).then_some(n)
    })
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(n, total as u64, "each event exactly once");
    assert_eq!(
        scalar(
            &app,
            "SELECT CAST(COALESCE(SUM(dropped), 0) AS BIGINT) FROM stats_drops"
        )
        .await,
        0,
        "no event dropped"
    );
}

#[tokio::test]
async fn go_redirects_only_to_known_web_targets() {
    let app = stats_app(None, |_| {}).await;
    assert_eq!(
        visit(&app, "/go/essai/1/caf", UA).await.status(),
        StatusCode::SEE_OTHER
    );
    for path in [
        "/go/essai/1/inconnue",
        "/go/essai/1/js",
        "/go/autre/1/caf",
        "/go/essai/abc/caf",
    ] {
        let res = visit(&app, path, UA).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
        assert!(res.headers().get("location").is_none());
    }
}

#[tokio::test]
async fn a_referent_cannot_read_another_centres_statistics() {
    let app = stats_app(None, |_| {}).await;
    let a = app.create_centre("centre-a", "Centre A").await;
    let b = app.create_centre("centre-b", "Centre B").await;
    app.create_user(
        "referent.a@exemple.fr",
        PASSWORD,
        false,
        &[(a, Role::Referent)],
    )
    .await;
    app.create_user(
        "habitant@exemple.fr",
        PASSWORD,
        false,
        &[(a, Role::Habitant)],
    )
    .await;
    app.create_user("admin@exemple.fr", PASSWORD, true, &[])
        .await;
    visit(&app, &format!("/essai/c/{b}"), UA).await;

    let r = app.new_client();
    r.login_ok("referent.a@exemple.fr", PASSWORD).await;
    let page = r.get_text("/stats", StatusCode::OK).await;
    assert!(page.contains("Centre : <strong>Centre A</strong>"));
    assert!(!page.contains("Centre B"));
    for path in [
        format!("/stats?centre={b}"),
        format!("/stats/export.csv?centre={b}"),
        "/stats?centre=tous".to_string(),
    ] {
        assert_eq!(r.get(&path).await.status(), StatusCode::FORBIDDEN, "{path}");
    }
    let h = app.new_client();
    h.login_ok("habitant@exemple.fr", PASSWORD).await;
    assert_eq!(h.get("/stats").await.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        app.new_client().get("/stats").await.status(),
        StatusCode::SEE_OTHER
    );

    let admin = app.new_client();
    admin.login_ok("admin@exemple.fr", PASSWORD).await;
    eventually(
        10,
        "centre B's page view on the admin dashboard",
        || async {
            let page = admin
                .get_text(&format!("/stats?centre={b}"), StatusCode::OK)
                .await;
            page.contains("<code>&#x2F;essai&#x2F;c&#x2F;{centre}</code>")
                .then_some(())
        },
    )
    .await;
    let all = admin.get_text("/stats", StatusCode::OK).await;
    assert!(all.contains("Comparaison des centres") && all.contains("Centre B"));
}

#[tokio::test]
async fn do_not_track_gpc_and_the_opt_out_are_honoured() {
    let app = stats_app(None, |_| {}).await;
    let c = app.new_client();
    for (h, v) in [("DNT", "1"), ("Sec-GPC", "1")] {
        c.http
            .get(c.url("/essai/c/1"))
            .header("User-Agent", UA)
            .header(h, v)
            .send()
            .await
            .unwrap();
    }
    let res = c.post_form("/stats/refus", &[("choix", "refuser")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    c.http
        .get(c.url("/essai/c/1"))
        .header("User-Agent", UA)
        .send()
        .await
        .unwrap();
    c.http
        .get(c.url("/go/essai/1/caf"))
        .header("User-Agent", UA)
        .send()
        .await
        .unwrap();
    // Counted again after accepting; this one page view must be the only event.
    c.post_form("/stats/refus", &[("choix", "accepter")]).await;
    c.http
        .get(c.url("/essai/c/1"))
        .header("User-Agent", UA)
        .send()
        .await
        .unwrap();
    let r = eventually(10, "the one counted page view", || async {
        let r = report(&app, 1).await;
        (!r.daily.is_empty()).then_some(r)
    })
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let r2 = report(&app, 1).await;
    assert_eq!(r.daily[0].pageviews, 1);
    assert_eq!(r2.daily[0].pageviews, 1);
    assert!(r2.clicks.is_empty());
}

#[tokio::test]
async fn named_events_come_from_the_api_and_from_a_form_without_javascript() {
    let app = stats_app(None, |_| {}).await;
    let api = reqwest::Client::new();
    let ok = api
        .post(app.url("/api/v1/evenements"))
        .json(&serde_json::json!({ "app": "essai", "centre": 1, "name": "demarche_reussie", "value": "oui" }))
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::ACCEPTED);
    let bad = api
        .post(app.url("/api/v1/evenements"))
        .json(
            &serde_json::json!({ "app": "essai", "centre": 1, "name": "<script>", "value": "oui" }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let unknown = api
        .post(app.url("/api/v1/evenements"))
        .json(&serde_json::json!({ "app": "inconnue", "centre": 1, "name": "x", "value": "oui" }))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
    let res = app
        .post_form(
            "/stats/evenement",
            &[
                ("app", "essai"),
                ("centre", "1"),
                ("name", "demarche_reussie"),
                ("value", "besoin d'aide"),
                ("retour", "/essai/c/1"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/essai/c/1");
    let r = eventually(10, "two answers", || async {
        let r = report(&app, 1).await;
        (r.events.len() == 2).then_some(r)
    })
    .await;
    assert!(r
        .events
        .iter()
        .any(|e| e.a == "demarche_reussie" && e.b == "oui" && e.count == 1));
    assert!(r.events.iter().any(|e| e.b == "besoin d'aide"));
}

#[tokio::test]
async fn a_full_queue_drops_events_and_counts_every_one_of_them() {
    let app = stats_app(None, |s| {
        s.stats_channel_capacity = 1;
        s.stats_batch_size = 1;
    })
    .await;
    let total = 300;
    let mut tasks = Vec::new();
    for t in 0..30 {
        let http = app.http.clone();
        let url = app.url("/essai/c/1");
        tasks.push(tokio::spawn(async move {
            for i in 0..total / 30 {
                http.get(&url)
                    .header("User-Agent", format!("N-{t}-{i}"))
                    .send()
                    .await
                    .unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let (stored, dropped) = eventually(15, "every event stored or counted as dropped", || async {
        let s = scalar(&app, "SELECT COUNT(*) FROM stats_events").await;
        let d = scalar(
            &app,
            "SELECT CAST(COALESCE(SUM(dropped), 0) AS BIGINT) FROM stats_drops",
        )
        .await;
        (s + d == total as i64).then_some((s, d))
    })
    .await;
    assert!(
        dropped > 0,
        "some events were dropped with a queue of one ({stored} stored)"
    );
    let admin = app.new_client();
    app.create_user("admin@exemple.fr", PASSWORD, true, &[])
        .await;
    admin.login_ok("admin@exemple.fr", PASSWORD).await;
    let page = admin.get_text("/stats", StatusCode::OK).await;
    // (The dashboard's own page views may be dropped too, so the figure can only have grown.)
    assert!(
        page.contains("événement(s) n'ont pas pu être comptés"),
        "drops shown"
    );
}

#[tokio::test]
async fn the_dashboard_shows_charts_with_tables_and_exports_csv() {
    let app = stats_app(None, |_| {}).await;
    let a = app.create_centre("centre-a", "Centre A").await;
    app.create_user(
        "referent.a@exemple.fr",
        PASSWORD,
        false,
        &[(a, Role::Referent)],
    )
    .await;
    for ua in ["Mozilla/5.0 Mobile Android", UA] {
        visit(&app, &format!("/essai/c/{a}"), ua).await;
    }
    visit(&app, &format!("/go/essai/{a}/caf"), UA).await;
    let r = app.new_client();
    r.login_ok("referent.a@exemple.fr", PASSWORD).await;
    let page = eventually(10, "figures on the dashboard", || async {
        let p = r.get_text("/stats", StatusCode::OK).await;
        p.contains("<td>caf</td>").then_some(p)
    })
    .await;
    assert!(page.contains("<svg role=\"img\""));
    assert!(page.contains("<title id=\"jours-t\">Pages vues par jour</title>"));
    assert!(page.contains("Téléphone ou tablette"));
    assert!(page.contains("<caption>Pages vues selon le jour de la semaine"));
    let res = r.get(&format!("/stats/export.csv?centre={a}")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let body = res.bytes().await.unwrap();
    assert!(body.starts_with(&[0xEF, 0xBB, 0xBF]));
    let text = String::from_utf8(body[3..].to_vec()).unwrap();
    assert!(
        text.contains("Centre A;demarche;;essai;caf;;;;;1"),
        "{text}"
    );
    let res = r.get("/stats?du=pas-une-date").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(body.contains("Indiquez une date") && body.contains("value=\"pas-une-date\""));
}
