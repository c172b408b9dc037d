//! Events in ClickHouse (the official `clickhouse` crate). Only SQL that Debian's 18.16 and
//! current releases both accept: no TTL (retention drops monthly partitions), no LowCardinality.
//! A batch replayed after a lost answer is stored twice and counted once: every query reads the
//! events once each, by their key (see [`once`]). The table is a plain MergeTree: a
//! ReplacingMergeTree removed such copies when it merged parts, but compared every row to do so,
//! which doubled the cost of its merges for every event stored.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;
use clickhouse::{Client, Compression};
use serde::Deserialize;

use super::{CentreFigures, ClickCell, Count, DayFigures, Filter, Live, Report, TOP};
use crate::batch::{column_names, Batch, DEVICE_TYPE, KIND_TYPE};
use crate::event::day_from_number;

/// Size of the pieces a batch is sent in.
const CHUNK: usize = 256 * 1024;
/// Longest wait for ClickHouse to take a piece of a batch, and then to answer: a server that
/// hangs must not hold the batches back for ever (they are spooled, and sent again later).
const SEND_TIMEOUT: Duration = Duration::from_secs(30);
const END_TIMEOUT: Duration = Duration::from_secs(60);

/// A schema change.
enum Change {
    /// A statement, and for one that could not be made twice, a query that counts what is left
    /// to change (0: already made, by a start that stopped before it could note it).
    Sql(String, Option<&'static str>),
    /// From ReplacingMergeTree to MergeTree ([`ClickHouseSink::to_merge_tree`]).
    ToMergeTree,
}

/// Schema changes, applied once each, in order.
fn migrations() -> [Change; 3] {
    [
        Change::Sql(
            "CREATE TABLE IF NOT EXISTS stats_events (
                event_id UInt64, ts DateTime, day Date, centre_id UInt32, app String, kind String,
                path String, status UInt16, device String, referrer String, visitor UInt64,
                session UInt64, target String, name String, value String, hour UInt8, weekday UInt8
            ) ENGINE = ReplacingMergeTree() PARTITION BY toYYYYMM(day) ORDER BY (centre_id, day, event_id)"
                .to_string(),
            None,
        ),
        // Cheaper to insert and to merge (about a fifth of ClickHouse's work per event): kinds
        // and device classes as one-byte codes, and the local hour and weekday worked out from
        // `ts` when read instead of stored.
        Change::Sql(
            format!(
                "ALTER TABLE stats_events MODIFY COLUMN kind {KIND_TYPE}, \
                 MODIFY COLUMN device {DEVICE_TYPE}, DROP COLUMN hour, DROP COLUMN weekday"
            ),
            Some(
                "SELECT count() FROM system.columns WHERE database = currentDatabase() \
                 AND table = 'stats_events' AND name IN ('hour', 'weekday')",
            ),
        ),
        Change::ToMergeTree,
    ]
}

/// The events of `stats_events` that meet `cond`, each once, with their key and `columns`.
/// ClickHouse keeps the keys it has seen in a hash table for the length of the query: measured on
/// 18.16, under 200 MB for a million events read and about 400 MB for 3.65 million (a report
/// over a year of 10,000 events a day, all centres).
fn once(columns: &str, cond: &str) -> String {
    format!(
        "(SELECT {KEY}{}{columns} FROM stats_events WHERE {cond} LIMIT 1 BY {KEY})",
        if columns.is_empty() { "" } else { ", " }
    )
}

/// The key of `stats_events`: what tells an event from any other.
const KEY: &str = "centre_id, day, event_id";

/// The local (Paris) hour and weekday (Monday = 0) of an event.
const HOUR: &str = "toHour(ts, 'Europe/Paris')";
const WEEKDAY: &str = "toUInt8(toDayOfWeek(ts, 'Europe/Paris') - 1)";

/// A ClickHouse database.
#[derive(Clone)]
pub struct ClickHouseSink {
    client: Client,
    /// The same client without a database, to create it.
    server: Client,
    database: String,
    /// Whether the schema is known to be up to date. When ClickHouse was unreachable at start-up,
    /// the first insert brings it up to date.
    ready: Arc<AtomicBool>,
}

impl ClickHouseSink {
    /// From `http://user:password@host:8123/database` (database `csc` when the path is empty).
    pub fn new(url: &str) -> anyhow::Result<Self> {
        let parsed =
            url::Url::parse(url).map_err(|e| anyhow::anyhow!("CLICKHOUSE_URL invalide : {e}"))?;
        let database = parsed.path().trim_matches('/').to_string();
        let database = if database.is_empty() {
            "csc".to_string()
        } else {
            database
        };
        anyhow::ensure!(
            database
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_'),
            "CLICKHOUSE_URL : nom de base invalide ({database})"
        );
        let mut base = parsed.clone();
        base.set_path("");
        let _ = base.set_username("");
        let _ = base.set_password(None);
        let mut server = Client::default()
            .with_url(base.as_str().trim_end_matches('/'))
            .with_validation(false);
        // A ClickHouse on the same machine gains nothing from LZ4: compressing and decompressing
        // would only cost both sides CPU. Elsewhere, the crate's default (LZ4) saves bandwidth.
        if is_loopback(&parsed) {
            server = server.with_compression(Compression::None);
        }
        if !parsed.username().is_empty() {
            server = server.with_user(parsed.username());
        }
        if let Some(p) = parsed.password() {
            server = server.with_password(p);
        }
        let client = server.clone().with_database(&database);
        Ok(Self {
            client,
            server,
            database,
            ready: Arc::default(),
        })
    }

    /// Creates the database and applies pending schema changes.
    pub async fn migrate(&self) -> anyhow::Result<()> {
        self.server
            .query(&format!("CREATE DATABASE IF NOT EXISTS {}", self.database))
            .execute()
            .await?;
        self.client
            .query("CREATE TABLE IF NOT EXISTS csc_migrations (version UInt32, applied DateTime) ENGINE = TinyLog")
            .execute()
            .await?;
        let done: Vec<u32> = self
            .client
            .query("SELECT version FROM csc_migrations")
            .fetch_all::<u32>()
            .await?;
        for (i, change) in migrations().iter().enumerate() {
            let version = u32::try_from(i + 1)?;
            if done.contains(&version) {
                continue;
            }
            match change {
                Change::Sql(sql, left_to_change) => {
                    let pending = match left_to_change {
                        Some(q) => self.client.query(q).fetch_one::<u64>().await? > 0,
                        None => true,
                    };
                    if pending {
                        self.client.query(sql).execute().await?;
                    }
                }
                Change::ToMergeTree => self.to_merge_tree().await?,
            }
            self.client
                .query("INSERT INTO csc_migrations (version, applied) VALUES (?, now())")
                .bind(version)
                .execute()
                .await?;
            tracing::info!(version, "ClickHouse migration applied");
        }
        self.ready.store(true, Ordering::Release);
        Ok(())
    }

    /// Moves the events to a MergeTree table of the same columns, without losing any: the new
    /// table takes the old one's name first, so that inserts go to it from then on, and the old
    /// events are copied after. A start that stops on the way picks up where it stopped; if it
    /// stopped after copying but before dropping the old table, the events copied twice are read
    /// once, as any replayed batch.
    async fn to_merge_tree(&self) -> anyhow::Result<()> {
        let tables = self
            .client
            .query(
                "SELECT name, engine FROM system.tables WHERE database = currentDatabase() \
                 AND name IN ('stats_events', 'stats_events_replaced')",
            )
            .fetch_all::<(String, String)>()
            .await?;
        let is = |name: &str, engine: Option<&str>| {
            tables
                .iter()
                .any(|(n, e)| n == name && engine.is_none_or(|engine| e == engine))
        };
        let swapped = is("stats_events", Some("ReplacingMergeTree"));
        if swapped {
            for sql in [
                // Empty, if there: left by a start that stopped before the swap.
                "DROP TABLE IF EXISTS stats_events_next".to_string(),
                format!(
                    "CREATE TABLE stats_events_next AS stats_events \
                     ENGINE = MergeTree() PARTITION BY toYYYYMM(day) ORDER BY ({KEY})"
                ),
                "RENAME TABLE stats_events TO stats_events_replaced, \
                 stats_events_next TO stats_events"
                    .to_string(),
            ] {
                self.client.query(&sql).execute().await?;
            }
        }
        if swapped || is("stats_events_replaced", None) {
            let columns = column_names();
            for sql in [
                format!(
                    "INSERT INTO stats_events ({columns}) SELECT {columns} FROM stats_events_replaced FINAL"
                ),
                "DROP TABLE stats_events_replaced".to_string(),
            ] {
                self.client.query(&sql).execute().await?;
            }
        }
        Ok(())
    }

    /// Sends the batch's columns as they are (`Native`), centre after centre: in the order of the
    /// table's key, so ClickHouse neither parses rows nor sorts the block (about half of its work
    /// for an insert when it has to).
    pub(super) async fn insert(&self, batch: Arc<Batch>) -> anyhow::Result<()> {
        if !self.ready.load(Ordering::Acquire) {
            self.migrate().await?;
        }
        let mut insert = self
            .client
            .insert_formatted_with(format!(
                "INSERT INTO stats_events ({}) FORMAT Native",
                column_names()
            ))
            .with_timeouts(Some(SEND_TIMEOUT), Some(END_TIMEOUT));
        for chunk in batch.chunks(CHUNK) {
            insert.send(chunk).await?;
        }
        insert.end().await?;
        Ok(())
    }

    fn conditions(f: &Filter, kind: &str) -> String {
        format!(
            "kind = '{kind}' AND centre_id IN ({}) AND day BETWEEN toDate('{}') AND toDate('{}')",
            ids(&f.centres),
            f.from.format("%Y-%m-%d"),
            f.to.format("%Y-%m-%d"),
        )
    }

    async fn counts(&self, a: &str, b: &str, cond: &str) -> anyhow::Result<Vec<Count>> {
        let sql = format!(
            "SELECT toString({a}) AS a, toString({b}) AS b, count() AS n FROM {} \
             GROUP BY a, b ORDER BY n DESC, a, b LIMIT {TOP}",
            once(&format!("{a}, {b}"), cond)
        );
        let rows = self.client.query(&sql).fetch_all::<CountRow>().await?;
        Ok(rows
            .into_iter()
            .map(|r| Count {
                a: r.a,
                b: r.b,
                count: r.n,
            })
            .collect())
    }

    pub(super) async fn report(&self, f: &Filter) -> anyhow::Result<Report> {
        let pv = Self::conditions(f, "pageview");
        let daily = self
            .client
            .query(&format!(
                "SELECT day, count() AS pageviews, uniqExact(session) AS visits, uniqExact(visitor) AS visitors \
                 FROM {} GROUP BY day ORDER BY day",
                once("session, visitor", &pv)
            ))
            .fetch_all::<DayRow>()
            .await?
            .into_iter()
            .map(|r| DayFigures { day: day_from_number(r.day), pageviews: r.pageviews, visits: r.visits, visitors: r.visitors })
            .collect();
        let pages = self.counts("app", "path", &pv).await?;
        let clicks = self
            .counts("app", "target", &Self::conditions(f, "click"))
            .await?;
        let events = self
            .counts("name", "value", &Self::conditions(f, "event"))
            .await?;
        let grid = self
            .client
            .query(&format!(
                "SELECT {WEEKDAY} AS weekday, {HOUR} AS hour, count() AS n FROM {} GROUP BY weekday, hour",
                once("ts", &pv)
            ))
            .fetch_all::<GridRow>()
            .await?
            .into_iter()
            .map(|r| (r.weekday, r.hour, r.n))
            .collect();
        let devices = self
            .client
            .query(&format!(
                "SELECT toString(device) AS device, count() AS n FROM {} GROUP BY device",
                once("device", &pv)
            ))
            .fetch_all::<DeviceRow>()
            .await?
            .into_iter()
            .map(|r| (r.device, r.n))
            .collect();
        let mut centres: Vec<CentreFigures> = self
            .client
            .query(&format!(
                "SELECT centre_id, count() AS pageviews, uniqExact(visitor) AS visitors FROM {} \
                 GROUP BY centre_id",
                once("visitor", &pv)
            ))
            .fetch_all::<CentreRow>()
            .await?
            .into_iter()
            .map(|r| CentreFigures {
                centre_id: r.centre_id,
                pageviews: r.pageviews,
                visitors: r.visitors,
                clicks: 0,
            })
            .collect();
        let clicks_per_centre = self
            .client
            .query(&format!(
                "SELECT centre_id, count() AS n FROM {} GROUP BY centre_id",
                once("", &Self::conditions(f, "click"))
            ))
            .fetch_all::<CentreCount>()
            .await?;
        for r in clicks_per_centre {
            match centres.iter_mut().find(|c| c.centre_id == r.centre_id) {
                Some(c) => c.clicks = r.n,
                None => centres.push(CentreFigures {
                    centre_id: r.centre_id,
                    pageviews: 0,
                    visitors: 0,
                    clicks: r.n,
                }),
            }
        }
        Ok(Report {
            daily,
            pages,
            clicks,
            events,
            grid,
            devices,
            centres,
        })
    }

    pub(super) async fn clicks_detail(
        &self,
        f: &Filter,
        app: &'static str,
    ) -> anyhow::Result<Vec<ClickCell>> {
        let cond = Self::conditions(f, "click");
        let rows = self
            .client
            .query(&format!(
                "SELECT day, {HOUR} AS hour, target, count() AS n FROM {} GROUP BY day, hour, target",
                once("ts, target", &format!("{cond} AND app = ?"))
            ))
            .bind(app)
            .fetch_all::<ClickRow>()
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| ClickCell {
                day: day_from_number(r.day),
                hour: r.hour,
                target: r.target,
                count: r.n,
            })
            .collect())
    }

    pub(super) async fn live(&self, centres: &[u32], since: u32) -> anyhow::Result<Live> {
        let cond = format!(
            "kind = 'pageview' AND centre_id IN ({}) AND ts >= toDateTime({since})",
            ids(centres)
        );
        let totals = self
            .client
            .query(&format!(
                "SELECT count() AS n, uniqExact(visitor) AS v FROM {}",
                once("visitor", &cond)
            ))
            .fetch_one::<TotalRow>()
            .await?;
        let mut pages = self.counts("app", "path", &cond).await?;
        pages.truncate(10);
        Ok(Live {
            pageviews: totals.n,
            visitors: totals.v,
            pages,
        })
    }

    pub(super) async fn drop_before(&self, cutoff: NaiveDate) -> anyhow::Result<()> {
        let limit: u32 = cutoff.format("%Y%m").to_string().parse()?;
        let parts = self
            .client
            .query("SELECT DISTINCT partition FROM system.parts WHERE database = ? AND table = 'stats_events' AND active")
            .bind(&self.database)
            .fetch_all::<String>()
            .await?;
        for p in parts {
            if p.parse::<u32>().is_ok_and(|month| month < limit) {
                self.client
                    .query(&format!("ALTER TABLE stats_events DROP PARTITION {p}"))
                    .execute()
                    .await?;
                tracing::info!(partition = p, "statistics partition dropped (retention)");
            }
        }
        Ok(())
    }
}

/// True for `localhost`, `127.0.0.0/8` and `::1`.
fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(a)) => a.is_loopback(),
        Some(url::Host::Ipv6(a)) => a.is_loopback(),
        None => false,
    }
}

fn ids(centres: &[u32]) -> String {
    if centres.is_empty() {
        return "NULL".into();
    }
    centres
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

#[derive(Deserialize, clickhouse::Row)]
struct CountRow {
    a: String,
    b: String,
    n: u64,
}

#[derive(Deserialize, clickhouse::Row)]
struct DayRow {
    day: u16,
    pageviews: u64,
    visits: u64,
    visitors: u64,
}

#[derive(Deserialize, clickhouse::Row)]
struct ClickRow {
    day: u16,
    hour: u8,
    target: String,
    n: u64,
}

#[derive(Deserialize, clickhouse::Row)]
struct GridRow {
    weekday: u8,
    hour: u8,
    n: u64,
}

#[derive(Deserialize, clickhouse::Row)]
struct DeviceRow {
    device: String,
    n: u64,
}

#[derive(Deserialize, clickhouse::Row)]
struct CentreRow {
    centre_id: u32,
    pageviews: u64,
    visitors: u64,
}

#[derive(Deserialize, clickhouse::Row)]
struct CentreCount {
    centre_id: u32,
    n: u64,
}

#[derive(Deserialize, clickhouse::Row)]
struct TotalRow {
    n: u64,
    v: u64,
}

#[cfg(test)]
mod tests {
    use super::is_loopback;

    #[test]
    fn only_this_machine_is_loopback() {
        let url = |u: &str| url::Url::parse(u).expect("valid");
        assert!(is_loopback(&url("http://127.0.0.1:8123/csc")));
        assert!(is_loopback(&url("http://localhost:8123")));
        assert!(is_loopback(&url("http://[::1]:8123/csc")));
        assert!(!is_loopback(&url("http://clickhouse.internal:8123/csc")));
        assert!(!is_loopback(&url("https://10.0.0.5:8443/csc")));
    }
}
