use std::sync::Arc;

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use csc_stats::batch::Batch;
use csc_stats::event::{day_number, local_parts, Event};
use csc_stats::sink::{ClickHouseSink, Filter, SqlSink};
use csc_stats::Sink;
use csc_testkit::{clickhouse_test_url, spawn_app};

/// A varied, reproducible set of events over three days and three centres.
fn events(base: chrono::DateTime<Utc>) -> Vec<Event> {
    let mut out = Vec::new();
    let kinds = ["pageview", "pageview", "pageview", "click", "event"];
    for i in 0..600u64 {
        let at = base + Duration::minutes((i * 7) as i64);
        let (day, hour, weekday) = local_parts(at);
        let kind = kinds[(i % 5) as usize];
        out.push(Event {
            event_id: 1_000_000 + i,
            ts: at.timestamp() as u32,
            day: day_number(day),
            centre_id: (i % 3) as u32 + 1,
            app: if i % 4 == 0 {
                "kiosque".into()
            } else {
                "suite".into()
            },
            kind: kind.into(),
            path: format!("/page/{}", i % 6),
            status: 200,
            device: ["kiosk", "mobile", "desktop"][(i % 3) as usize].into(),
            referrer: String::new(),
            visitor: i % 37,
            session: i % 53,
            target: if kind == "click" {
                format!("demarche-{}", i % 4)
            } else {
                String::new()
            },
            name: if kind == "event" {
                "demarche_reussie".into()
            } else {
                String::new()
            },
            value: if kind == "event" {
                ["oui", "non", "aide"][(i % 3) as usize].into()
            } else {
                String::new()
            },
            hour,
            weekday,
        });
    }
    out
}

async fn sinks() -> (csc_testkit::TestApp, Sink, Sink) {
    let app = spawn_app(&csc::modules()).await;
    let sql = Sink::Sql(SqlSink::new(app.db.clone()));
    let ch = ClickHouseSink::new(&clickhouse_test_url()).unwrap();
    ch.migrate().await.unwrap();
    (app, sql, Sink::ClickHouse(Box::new(ch)))
}

#[tokio::test]
async fn the_sql_sink_and_clickhouse_give_the_same_figures() {
    let (_app, sql, ch) = sinks().await;
    let base = Utc
        .with_ymd_and_hms(2026, 3, 28, 20, 0, 0)
        .single()
        .unwrap(); // across the DST change
    let evs = events(base);
    sql.insert(Arc::new(Batch::from_events(&evs)))
        .await
        .unwrap();
    ch.insert(Arc::new(Batch::from_events(&evs))).await.unwrap();
    // A replayed batch (an answer lost after ClickHouse stored it) counts once.
    ch.insert(Arc::new(Batch::from_events(&evs[..50])))
        .await
        .unwrap();

    let from = NaiveDate::from_ymd_opt(2026, 3, 28).unwrap();
    for centres in [vec![1], vec![2, 3], vec![0, 1, 2, 3]] {
        let filter = Filter {
            centres: centres.clone(),
            from,
            to: from + Duration::days(3),
        };
        let a = sql.report(&filter).await.unwrap();
        let b = ch.report(&filter).await.unwrap();
        assert!(
            !a.daily.is_empty()
                && !a.clicks.is_empty()
                && !a.events.is_empty()
                && !a.grid.is_empty()
        );
        assert_eq!(a, b, "same report for centres {centres:?}");
        let ca = sql.clicks_detail(&filter, "kiosque").await.unwrap();
        let cb = ch.clicks_detail(&filter, "kiosque").await.unwrap();
        assert!(!ca.is_empty() && ca.iter().all(|c| c.target.starts_with("demarche-")));
        assert_eq!(ca, cb, "same kiosk clicks for centres {centres:?}");
    }
    let since = evs[400].ts;
    let live_a = sql.live(&[1, 2], since).await.unwrap();
    let live_b = ch.live(&[1, 2], since).await.unwrap();
    assert!(live_a.pageviews > 0);
    assert_eq!(live_a, live_b);
}

#[tokio::test]
async fn both_sinks_drop_months_past_the_retention_period() {
    let (_app, sql, ch) = sinks().await;
    let old = Utc
        .with_ymd_and_hms(2020, 1, 15, 10, 0, 0)
        .single()
        .unwrap();
    let recent = Utc::now() - Duration::hours(1);
    let mut evs = events(old);
    evs.truncate(10);
    let mut fresh = events(recent);
    fresh.truncate(10);
    for e in fresh.iter_mut() {
        e.event_id += 5_000;
    }
    evs.extend(fresh);
    for sink in [&sql, &ch] {
        sink.insert(Arc::new(Batch::from_events(&evs)))
            .await
            .unwrap();
        let cutoff = csc_stats::retention_cutoff(csc_stats::event::today());
        sink.drop_before(cutoff).await.unwrap();
        let old_day = local_parts(old).0;
        let gone = sink
            .report(&Filter {
                centres: vec![1, 2, 3],
                from: old_day - Duration::days(5),
                to: old_day + Duration::days(5),
            })
            .await
            .unwrap();
        assert!(
            gone.daily.is_empty() && gone.clicks.is_empty(),
            "{} kept old events",
            sink.name()
        );
        let today = csc_stats::event::today();
        let kept = sink
            .report(&Filter {
                centres: vec![1, 2, 3],
                from: today - Duration::days(2),
                to: today,
            })
            .await
            .unwrap();
        assert!(
            !kept.daily.is_empty(),
            "{} dropped recent events",
            sink.name()
        );
    }
}

/// Leaves only the first ClickHouse migration noted, as the first release did.
async fn note_first_migration_only(client: &clickhouse::Client, database: &str) {
    for sql in [
        format!("DROP TABLE IF EXISTS {database}.csc_migrations"),
        format!("CREATE TABLE {database}.csc_migrations (version UInt32, applied DateTime) ENGINE = TinyLog"),
        format!("INSERT INTO {database}.csc_migrations VALUES (1, now())"),
    ] {
        client.query(&sql).execute().await.unwrap();
    }
}

#[tokio::test]
async fn events_stored_under_the_first_schema_are_kept_and_read_the_same_after_migration() {
    let (_app, sql, _) = sinks().await;
    let url = clickhouse_test_url();
    let (server, database) = url.rsplit_once('/').unwrap();
    let client = clickhouse::Client::default()
        .with_url(server)
        .with_validation(false);
    let run = |sql: String| {
        let client = client.clone();
        async move { client.query(&sql).execute().await.unwrap() }
    };
    // A database as the first release left it: kinds and devices as text, hour and weekday stored.
    run(format!("CREATE DATABASE {database}")).await;
    note_first_migration_only(&client, database).await;
    let first_table = |name: &str| {
        format!(
            "CREATE TABLE {database}.{name} (
                event_id UInt64, ts DateTime, day Date, centre_id UInt32, app String, kind String,
                path String, status UInt16, device String, referrer String, visitor UInt64,
                session UInt64, target String, name String, value String, hour UInt8, weekday UInt8
            ) ENGINE = ReplacingMergeTree() PARTITION BY toYYYYMM(day) ORDER BY (centre_id, day, event_id)"
        )
    };
    run(first_table("stats_events")).await;
    let base = Utc
        .with_ymd_and_hms(2026, 10, 24, 21, 0, 0)
        .single()
        .unwrap(); // across the DST change
    let evs = events(base);
    let values: Vec<String> = evs
        .iter()
        .map(|e| {
            format!(
                "({}, {}, {}, {}, '{}', '{}', '{}', {}, '{}', '{}', {}, {}, '{}', '{}', '{}', {}, {})",
                e.event_id, e.ts, e.day, e.centre_id, e.app, e.kind, e.path, e.status, e.device,
                e.referrer, e.visitor, e.session, e.target, e.name, e.value, e.hour, e.weekday
            )
        })
        .collect();
    run(format!(
        "INSERT INTO {database}.stats_events VALUES {}",
        values.join(", ")
    ))
    .await;
    // A batch replayed after a lost answer, which the first release's merges would remove.
    run(format!(
        "INSERT INTO {database}.stats_events VALUES {}",
        values[..40].join(", ")
    ))
    .await;
    sql.insert(Arc::new(Batch::from_events(&evs)))
        .await
        .unwrap();

    let ch = ClickHouseSink::new(&url).unwrap();
    ch.migrate().await.unwrap();
    let columns = |client: clickhouse::Client| async move {
        client
            .query(&format!(
                "SELECT name FROM system.columns WHERE database = '{database}' AND table = 'stats_events' \
                 AND name IN ('hour', 'weekday') ORDER BY name"
            ))
            .fetch_all::<String>()
            .await
            .unwrap()
    };
    assert!(
        columns(client.clone()).await.is_empty(),
        "hour and weekday are dropped"
    );
    let tables = || async {
        client
            .query(&format!(
                "SELECT concat(name, ' ', engine) FROM system.tables WHERE database = '{database}' \
                 AND name LIKE 'stats_events%' ORDER BY name"
            ))
            .fetch_all::<String>()
            .await
            .unwrap()
    };
    assert_eq!(tables().await, ["stats_events MergeTree"]);
    let stored = || async {
        client
            .query(&format!("SELECT count() FROM {database}.stats_events"))
            .fetch_one::<u64>()
            .await
            .unwrap()
    };
    assert_eq!(stored().await, 600, "the old events, each once");
    // A start that stopped after the changes but before noting them, the last one after copying
    // the old events but before dropping their table: nothing is changed twice, and the events
    // copied twice are read once.
    run(first_table("stats_events_replaced")).await;
    run(format!(
        "INSERT INTO {database}.stats_events_replaced VALUES {}",
        values.join(", ")
    ))
    .await;
    note_first_migration_only(&client, database).await;
    ch.migrate().await.unwrap();
    assert_eq!(tables().await, ["stats_events MergeTree"]);
    assert_eq!(stored().await, 1200, "the old events, copied twice");

    let ch = Sink::ClickHouse(Box::new(ch));
    // New events go in beside the old ones.
    let later = events(base + Duration::days(1));
    let later: Vec<Event> = later
        .into_iter()
        .map(|e| Event {
            event_id: e.event_id + 10_000,
            ..e
        })
        .collect();
    for sink in [&sql, &ch] {
        sink.insert(Arc::new(Batch::from_events(&later)))
            .await
            .unwrap();
    }
    let from = NaiveDate::from_ymd_opt(2026, 10, 24).unwrap();
    let filter = Filter {
        centres: vec![1, 2, 3],
        from,
        to: from + Duration::days(5),
    };
    let a = sql.report(&filter).await.unwrap();
    let b = ch.report(&filter).await.unwrap();
    let total = |r: &csc_stats::sink::Report| r.daily.iter().map(|d| d.pageviews).sum::<u64>();
    assert_eq!(total(&a), 2 * 360, "3 page views in 5 events, twice");
    assert_eq!(a, b, "the same figures as the SQL sink, old events and new");
    let ca = sql.clicks_detail(&filter, "kiosque").await.unwrap();
    let cb = ch.clicks_detail(&filter, "kiosque").await.unwrap();
    assert!(!ca.is_empty());
    assert_eq!(ca, cb);
}
