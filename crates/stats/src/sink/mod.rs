//! Where events go: ClickHouse when `CLICKHOUSE_URL` is set, else the SQL database. Both answer
//! the same dashboard queries with the same figures.

mod clickhouse;
mod sql;

use std::sync::Arc;

use chrono::NaiveDate;
use serde::Serialize;

pub use self::clickhouse::ClickHouseSink;
pub use self::sql::SqlSink;
use crate::batch::Batch;

/// Which events a report covers.
#[derive(Debug, Clone)]
pub struct Filter {
    /// Centres included (the federation-level pages are centre 0).
    pub centres: Vec<u32>,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// Figures of one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DayFigures {
    pub day: NaiveDate,
    pub pageviews: u64,
    pub visits: u64,
    pub visitors: u64,
}

/// A count for a pair of keys (app and page, app and target, event name and answer…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Count {
    pub a: String,
    pub b: String,
    pub count: u64,
}

/// Figures per centre, for the federation's comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CentreFigures {
    pub centre_id: u32,
    pub pageviews: u64,
    pub visitors: u64,
    pub clicks: u64,
}

/// Everything the dashboard shows for a period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    pub daily: Vec<DayFigures>,
    /// (app, page template, page views), most viewed first.
    pub pages: Vec<Count>,
    /// (app, target, clicks), most clicked first.
    pub clicks: Vec<Count>,
    /// (event name, answer, count).
    pub events: Vec<Count>,
    /// (weekday 0 = Monday, hour, page views).
    pub grid: Vec<(u8, u8, u64)>,
    /// (device class, page views).
    pub devices: Vec<(String, u64)>,
    pub centres: Vec<CentreFigures>,
}

/// Clicks of one app on one target during one hour of one day (the kiosk's statistics).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClickCell {
    pub day: NaiveDate,
    pub hour: u8,
    pub target: String,
    pub count: u64,
}

/// The last minutes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Live {
    pub pageviews: u64,
    pub visitors: u64,
    pub pages: Vec<Count>,
}

/// Most rows a ranking returns.
pub const TOP: usize = 50;

/// The configured sink.
#[derive(Clone)]
pub enum Sink {
    Sql(SqlSink),
    ClickHouse(Box<ClickHouseSink>),
}

impl Sink {
    /// Stores a batch; on error nothing may be assumed stored (the caller spools it). The batch is
    /// shared, not copied: the caller keeps it to spool it on failure.
    pub async fn insert(&self, events: Arc<Batch>) -> anyhow::Result<()> {
        match self {
            Sink::Sql(s) => s.insert(events).await,
            Sink::ClickHouse(c) => c.insert(events).await,
        }
    }

    /// The dashboard figures of a period.
    pub async fn report(&self, filter: &Filter) -> anyhow::Result<Report> {
        let mut report = match self {
            Sink::Sql(s) => s.report(filter).await?,
            Sink::ClickHouse(c) => c.report(filter).await?,
        };
        report.sort();
        Ok(report)
    }

    /// Clicks of `app` by day, hour and target.
    pub async fn clicks_detail(
        &self,
        filter: &Filter,
        app: &'static str,
    ) -> anyhow::Result<Vec<ClickCell>> {
        let mut cells = match self {
            Sink::Sql(s) => s.clicks_detail(filter, app).await?,
            Sink::ClickHouse(c) => c.clicks_detail(filter, app).await?,
        };
        cells.sort_by(|x, y| (x.day, x.hour, &x.target).cmp(&(y.day, y.hour, &y.target)));
        Ok(cells)
    }

    /// Page views and visitors since `since` (seconds since the epoch).
    pub async fn live(&self, centres: &[u32], since: u32) -> anyhow::Result<Live> {
        let mut live = match self {
            Sink::Sql(s) => s.live(centres, since).await?,
            Sink::ClickHouse(c) => c.live(centres, since).await?,
        };
        sort_counts(&mut live.pages);
        Ok(live)
    }

    /// Drops everything before `cutoff` (the first day kept).
    pub async fn drop_before(&self, cutoff: NaiveDate) -> anyhow::Result<()> {
        match self {
            Sink::Sql(s) => s.drop_before(cutoff).await,
            Sink::ClickHouse(c) => c.drop_before(cutoff).await,
        }
    }

    /// A short name for logs and the dashboard.
    pub fn name(&self) -> &'static str {
        match self {
            Sink::Sql(_) => "SQL",
            Sink::ClickHouse(_) => "ClickHouse",
        }
    }
}

fn sort_counts(v: &mut [Count]) {
    v.sort_by(|x, y| {
        y.count
            .cmp(&x.count)
            .then_with(|| (&x.a, &x.b).cmp(&(&y.a, &y.b)))
    });
}

impl Report {
    /// One order for both sinks, so their reports compare equal.
    fn sort(&mut self) {
        self.daily.sort_by_key(|d| d.day);
        sort_counts(&mut self.pages);
        sort_counts(&mut self.clicks);
        sort_counts(&mut self.events);
        self.grid.sort();
        self.devices
            .sort_by(|x, y| y.1.cmp(&x.1).then_with(|| x.0.cmp(&y.0)));
        self.centres.sort_by_key(|c| c.centre_id);
    }
}
