//! Cookie-free, privacy-friendly statistics (the Matomo replacement), used by every service:
//! a collector middleware for page views, `/go/…` redirects for outbound links, named events,
//! a batching writer to ClickHouse or the SQL database, and the `/stats` dashboard.

pub mod batch;
pub mod collector;
pub mod dashboard;
pub mod event;
mod handlers;
pub mod pipeline;
mod queue;
mod schema;
pub mod sink;
pub mod visitor;

use std::collections::HashMap;
use std::time::Duration;

use csc_core::Settings;
use csc_db::Db;
use csc_web::services::LinkResolver;
use csc_web::AppModule;

pub use collector::{collect, set_centre, set_device};
pub use handlers::{routes, unavailable};
pub use pipeline::{Collector, PipelineConfig, PipelineHandle};
pub use sink::Sink;

/// Dashboard templates.
pub static TEMPLATES: include_dir::Dir<'static> =
    include_dir::include_dir!("$CARGO_MANIFEST_DIR/templates");

/// Months of statistics kept (CNIL audience-measurement exemption).
pub const RETENTION_MONTHS: u32 = 25;

/// The most bytes of encoded events the SQL sink is given at once.
const SQL_BATCH_BYTES: usize = 4 * 1024 * 1024;

/// The statistics of the running suite, shared by every worker.
pub struct Stats {
    pub collector: Collector,
    pub sink: Sink,
    pub db: Db,
    /// Whether page views are recorded (`STATS_ENABLED`).
    pub enabled: bool,
    trust_proxy: bool,
    /// (mount, app key), longest mount first.
    apps: Vec<(&'static str, &'static str)>,
    links: HashMap<&'static str, LinkResolver>,
}

/// The running background parts of statistics.
pub struct StatsTasks {
    pipeline: PipelineHandle,
    retention: tokio::task::JoinHandle<()>,
}

impl StatsTasks {
    /// Flushes queued events and stops.
    pub async fn stop(self, grace: Duration) {
        self.retention.abort();
        self.pipeline.stop(grace).await;
    }
}

impl Stats {
    /// Connects the sink (migrating ClickHouse), starts the writer and the daily retention job.
    pub async fn start(
        settings: &Settings,
        db: Db,
        modules: &[AppModule],
    ) -> anyhow::Result<(Self, StatsTasks)> {
        let sink = match settings
            .clickhouse_url
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
        {
            Some(url) => {
                let ch = sink::ClickHouseSink::new(url)?;
                // A ClickHouse that is down at start-up must not stop the suite: events are
                // spooled, and the first insert once it is back creates the schema.
                if let Err(e) = ch.migrate().await {
                    tracing::warn!(error = %e, "ClickHouse unavailable at start-up; statistics will be spooled");
                }
                Sink::ClickHouse(Box::new(ch))
            }
            None => Sink::Sql(sink::SqlSink::new(db.clone())),
        };
        // The SQL sink turns a batch into rows before inserting it (several times its encoded
        // size in memory), and gains nothing from large batches: it writes smaller ones.
        let batch_bytes = match sink {
            Sink::Sql(_) => settings.stats_batch_bytes.min(SQL_BATCH_BYTES),
            Sink::ClickHouse(_) => settings.stats_batch_bytes,
        };
        let config = PipelineConfig {
            capacity: settings.stats_channel_capacity,
            batch_size: settings.stats_batch_size,
            batch_bytes,
            flush_every: Duration::from_millis(settings.stats_flush_millis.max(10)),
        };
        let (collector, pipeline) = pipeline::spawn(db.clone(), sink.clone(), config);
        let retention = tokio::spawn(retention(sink.clone()));
        let mut apps: Vec<(&'static str, &'static str)> =
            modules.iter().map(|m| (m.info.mount, m.info.key)).collect();
        apps.sort_by_key(|(mount, _)| std::cmp::Reverse(mount.len()));
        let links = modules
            .iter()
            .filter_map(|m| m.links.map(|l| (m.info.key, l)))
            .collect();
        let stats = Self {
            collector,
            sink,
            db,
            enabled: settings.stats_enabled,
            trust_proxy: settings.trust_proxy,
            apps,
            links,
        };
        Ok((
            stats,
            StatsTasks {
                pipeline,
                retention,
            },
        ))
    }

    /// The app a path belongs to (`suite` for the shared pages).
    pub fn app_of(&self, path: &str) -> &'static str {
        self.apps
            .iter()
            .find(|(mount, _)| {
                path.strip_prefix(mount)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
            })
            .map_or("suite", |(_, key)| key)
    }

    /// True for the key of a mounted app or `suite`.
    pub fn knows_app(&self, key: &str) -> bool {
        key == "suite" || self.apps.iter().any(|(_, k)| *k == key)
    }

    /// The registered key equal to `key` (`suite` for any other).
    pub fn app_key(&self, key: &str) -> &'static str {
        self.apps
            .iter()
            .find(|(_, k)| *k == key)
            .map_or("suite", |(_, k)| k)
    }
}

/// The first day kept by the retention rule, on `today`: the first day of the month 24 months
/// before the current one (so 25 calendar months are kept).
pub fn retention_cutoff(today: chrono::NaiveDate) -> chrono::NaiveDate {
    use chrono::Datelike;
    let months = today.year() * 12 + today.month0() as i32 - (RETENTION_MONTHS as i32 - 1);
    chrono::NaiveDate::from_ymd_opt(months.div_euclid(12), months.rem_euclid(12) as u32 + 1, 1)
        .unwrap_or(today)
}

async fn retention(sink: Sink) {
    let mut tick = tokio::time::interval(Duration::from_secs(24 * 3600));
    loop {
        tick.tick().await;
        let cutoff = retention_cutoff(event::today());
        match sink.drop_before(cutoff).await {
            Ok(()) => tracing::info!(%cutoff, "statistics older than the retention period dropped"),
            Err(e) => tracing::warn!(error = %e, "statistics retention failed; retried tomorrow"),
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    #[test]
    fn twenty_five_months_are_kept() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).expect("valid");
        assert_eq!(super::retention_cutoff(d(2026, 11, 23)), d(2024, 11, 1));
        assert_eq!(super::retention_cutoff(d(2026, 1, 1)), d(2024, 1, 1));
        assert_eq!(super::retention_cutoff(d(2026, 12, 31)), d(2024, 12, 1));
    }
}
