//! Statistics ingestion throughput against a real ClickHouse (run by `scripts/bench.sh`):
//! the collector -> channel -> writer (salts, visitor hash, visits) -> ClickHouse pipeline,
//! against a raw batched insert of the same number of rows by the `clickhouse` crate, in one run.
//!
//! `BENCH_CLICKHOUSE_URL=http://127.0.0.1:8123 cargo bench -p csc-stats --bench ingest`

#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use chrono::Utc;
use csc_stats::batch::{code, DEVICES, KINDS};
use csc_stats::event::{day_number, local_parts, Kind};
use csc_stats::pipeline::{self, PipelineConfig, RawEvent};
use csc_stats::sink::ClickHouseSink;
use csc_stats::visitor::fingerprint;
use csc_stats::Sink;

fn raw_event(i: usize) -> RawEvent {
    RawEvent {
        at: pipeline::now_second(),
        centre_id: (i % 8) as u32 + 1,
        app: "kiosque",
        kind: Kind::PageView,
        path: "/essai/c/{slug}",
        status: 200,
        device: "kiosk",
        fingerprint: fingerprint(
            format!(
                "Mozilla/5.0 (X11; Linux x86_64) Chromium/140 CSC-Borne/{}",
                i % 500
            ),
            Some(std::net::Ipv4Addr::new(192, 0, 2, (i % 250) as u8).into()),
        ),
        detail: None,
    }
}

/// A row of `stats_events` as the crate sends it (`Enum8` columns as their codes).
#[derive(serde::Serialize, clickhouse::Row)]
struct StoredRow {
    event_id: u64,
    ts: u32,
    day: u16,
    centre_id: u32,
    app: String,
    kind: u8,
    path: String,
    status: u16,
    device: u8,
    referrer: String,
    visitor: u64,
    session: u64,
    target: String,
    name: String,
    value: String,
}

fn stored_event(i: usize) -> StoredRow {
    let now = Utc::now();
    StoredRow {
        event_id: rand::random(),
        ts: now.timestamp() as u32,
        day: day_number(local_parts(now).0),
        centre_id: (i % 8) as u32 + 1,
        app: "kiosque".into(),
        kind: code(&KINDS, Kind::PageView.code()),
        path: "/essai/c/{slug}".into(),
        status: 200,
        device: code(&DEVICES, "kiosk"),
        referrer: String::new(),
        visitor: rand::random(),
        session: rand::random(),
        target: String::new(),
        name: String::new(),
        value: String::new(),
    }
}

fn client(db_url: &str) -> clickhouse::Client {
    let (base, db) = db_url.rsplit_once('/').unwrap();
    clickhouse::Client::default()
        .with_url(base)
        .with_database(db)
        .with_validation(false)
        // As the sink does for a ClickHouse on the same machine.
        .with_compression(clickhouse::Compression::None)
}

async fn count(db_url: &str) -> u64 {
    client(db_url)
        .query("SELECT count() FROM stats_events")
        .fetch_one::<u64>()
        .await
        .unwrap_or(0)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let base = std::env::var("BENCH_CLICKHOUSE_URL")
        .expect("BENCH_CLICKHOUSE_URL (scripts/bench.sh sets it)");
    let n: usize = std::env::var("BENCH_EVENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500_000);
    let batch = 10_000;

    // Raw: the same number of rows, built and inserted in batches by the clickhouse crate.
    let raw_url = format!("{base}/bench_raw_{}", std::process::id());
    ClickHouseSink::new(&raw_url)
        .unwrap()
        .migrate()
        .await
        .unwrap();
    let raw = client(&raw_url);
    let t = Instant::now();
    for start in (0..n).step_by(batch) {
        let mut insert = raw.insert::<StoredRow>("stats_events").await.unwrap();
        for i in start..(start + batch).min(n) {
            insert.write(&stored_event(i)).await.unwrap();
        }
        insert.end().await.unwrap();
    }
    let raw_secs = t.elapsed().as_secs_f64();
    assert_eq!(count(&raw_url).await, n as u64);

    // Pipeline: what the collector middleware hands over, through the writer, to ClickHouse.
    let dir = tempfile::tempdir().unwrap();
    let db = csc_db::Db::connect(
        &format!("sqlite://{}", dir.path().join("b.sqlite").display()),
        4,
    )
    .unwrap();
    csc_db::run_migrations(&mut db.get().unwrap()).unwrap();
    let url = format!("{base}/bench_pipeline_{}", std::process::id());
    let ch = ClickHouseSink::new(&url).unwrap();
    ch.migrate().await.unwrap();
    let sink = Sink::ClickHouse(Box::new(ch));
    let config = PipelineConfig {
        capacity: 100_000,
        batch_size: batch,
        batch_bytes: usize::MAX,
        flush_every: Duration::from_millis(200),
    };
    let (collector, handle) = pipeline::spawn(db.clone(), sink.clone(), config);
    let t = Instant::now();
    let mut i = 0;
    while i < n {
        // The middleware never waits; here the producer only waits so that nothing is dropped
        // and the figure is the writer's capacity.
        if collector.queued() > 90_000 {
            tokio::task::yield_now().await;
            continue;
        }
        collector.record(raw_event(i));
        i += 1;
    }
    loop {
        if count(&url).await >= n as u64 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let pipe_secs = t.elapsed().as_secs_f64();
    handle.stop(Duration::from_secs(10)).await;
    assert_eq!(collector.pending_drops(), 0, "no event dropped");

    let raw_rate = n as f64 / raw_secs;
    let pipe_rate = n as f64 / pipe_secs;
    println!("| événements | insertion brute (clickhouse) | chaîne complète (collecteur -> ClickHouse) | rapport |");
    println!("|---|---|---|---|");
    println!(
        "| {n} | {:.0} év./s ({raw_secs:.2} s) | {:.0} év./s ({pipe_secs:.2} s) | {:.0} % |",
        raw_rate,
        pipe_rate,
        100.0 * pipe_rate / raw_rate
    );
}
