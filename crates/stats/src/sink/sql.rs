//! The embedded default: events in the SQL database.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, NaiveDateTime};
use csc_core::AppError;
use csc_db::{Db, DbConn};
use diesel::dsl::{count, count_star};
use diesel::prelude::*;

use super::{CentreFigures, ClickCell, Count, DayFigures, Filter, Live, Report, TOP};
use crate::batch::Batch;
use crate::event::{day_from_number, Event};
use crate::schema::stats_events::dsl as e;

/// Events in the `stats_events` table.
#[derive(Clone)]
pub struct SqlSink {
    db: Db,
}

/// A row borrowing the event's text (no copy on the way to the database).
#[derive(Insertable)]
#[diesel(table_name = crate::schema::stats_events)]
struct Row<'a> {
    event_id: i64,
    ts: NaiveDateTime,
    day: NaiveDate,
    hour: i16,
    weekday: i16,
    centre_id: i64,
    app: &'a str,
    kind: &'a str,
    path: &'a str,
    status: i32,
    device: &'a str,
    referrer: &'a str,
    visitor: i64,
    session: i64,
    target: &'a str,
    name: &'a str,
    value: &'a str,
}

/// PostgreSQL: one `INSERT … SELECT FROM unnest(…)` per batch, with one array per column: 17
/// parameters instead of 17 per row, far less work for the server than a multi-row INSERT.
fn insert_pg(c: &mut diesel::PgConnection, rows: &[Row<'_>]) -> QueryResult<usize> {
    use diesel::sql_types::{Array, BigInt, Date, Integer, SmallInt, Text, Timestamp};
    fn col<'r, T: Clone>(rows: &'r [Row<'_>], f: impl Fn(&'r Row<'_>) -> T) -> Vec<T> {
        rows.iter().map(f).collect()
    }
    diesel::sql_query(
        "INSERT INTO stats_events (event_id, ts, day, hour, weekday, centre_id, app, kind, path, \
         status, device, referrer, visitor, session, target, name, value) \
         SELECT * FROM unnest($1::BIGINT[], $2::TIMESTAMP[], $3::DATE[], $4::SMALLINT[], \
         $5::SMALLINT[], $6::BIGINT[], $7::TEXT[], $8::TEXT[], $9::TEXT[], $10::INTEGER[], \
         $11::TEXT[], $12::TEXT[], $13::BIGINT[], $14::BIGINT[], $15::TEXT[], $16::TEXT[], \
         $17::TEXT[])",
    )
    .bind::<Array<BigInt>, _>(col(rows, |r| r.event_id))
    .bind::<Array<Timestamp>, _>(col(rows, |r| r.ts))
    .bind::<Array<Date>, _>(col(rows, |r| r.day))
    .bind::<Array<SmallInt>, _>(col(rows, |r| r.hour))
    .bind::<Array<SmallInt>, _>(col(rows, |r| r.weekday))
    .bind::<Array<BigInt>, _>(col(rows, |r| r.centre_id))
    .bind::<Array<Text>, _>(col(rows, |r| r.app))
    .bind::<Array<Text>, _>(col(rows, |r| r.kind))
    .bind::<Array<Text>, _>(col(rows, |r| r.path))
    .bind::<Array<Integer>, _>(col(rows, |r| r.status))
    .bind::<Array<Text>, _>(col(rows, |r| r.device))
    .bind::<Array<Text>, _>(col(rows, |r| r.referrer))
    .bind::<Array<BigInt>, _>(col(rows, |r| r.visitor))
    .bind::<Array<BigInt>, _>(col(rows, |r| r.session))
    .bind::<Array<Text>, _>(col(rows, |r| r.target))
    .bind::<Array<Text>, _>(col(rows, |r| r.name))
    .bind::<Array<Text>, _>(col(rows, |r| r.value))
    .execute(c)
}

// The 64-bit ids are stored bit for bit in signed columns.
#[allow(clippy::cast_possible_wrap)]
fn to_row(ev: &Event) -> Row<'_> {
    Row {
        event_id: ev.event_id as i64,
        ts: DateTime::from_timestamp(i64::from(ev.ts), 0)
            .unwrap_or_default()
            .naive_utc(),
        day: day_from_number(ev.day),
        hour: i16::from(ev.hour),
        weekday: i16::from(ev.weekday),
        centre_id: i64::from(ev.centre_id),
        app: &ev.app,
        kind: &ev.kind,
        path: &ev.path,
        status: i32::from(ev.status),
        device: &ev.device,
        referrer: &ev.referrer,
        visitor: ev.visitor as i64,
        session: ev.session as i64,
        target: &ev.target,
        name: &ev.name,
        value: &ev.value,
    }
}

fn u(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

fn counts(rows: Vec<(String, String, i64)>) -> Vec<Count> {
    rows.into_iter()
        .map(|(a, b, n)| Count { a, b, count: u(n) })
        .collect()
}

impl SqlSink {
    /// Events in the suite's database.
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    pub(super) async fn insert(&self, batch: Arc<Batch>) -> anyhow::Result<()> {
        let events = batch.events()?;
        self.db
            .run(move |c| {
                let rows: Vec<Row<'_>> = events.iter().map(to_row).collect();
                c.write_transaction::<_, AppError, _>(|c| {
                    match c {
                        // 1000 rows of 17 columns stay under SQLite's bound-parameter limit.
                        DbConn::Sqlite(s) => {
                            for chunk in rows.chunks(1000) {
                                diesel::insert_into(crate::schema::stats_events::table)
                                    .values(chunk)
                                    .execute(s)?;
                            }
                        }
                        DbConn::Pg(p) => {
                            insert_pg(p, &rows)?;
                        }
                    }
                    Ok(())
                })
            })
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))
    }

    pub(super) async fn report(&self, f: &Filter) -> anyhow::Result<Report> {
        let f = f.clone();
        self.db
            .run(move |c| Ok(c.read_snapshot(|c| report(c, &f))?))
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))
    }

    pub(super) async fn clicks_detail(
        &self,
        f: &Filter,
        app: &'static str,
    ) -> anyhow::Result<Vec<ClickCell>> {
        let centres: Vec<i64> = f.centres.iter().map(|c| i64::from(*c)).collect();
        let (from, to) = (f.from, f.to);
        self.db
            .run(move |c| {
                Ok(e::stats_events
                    .filter(e::kind.eq("click"))
                    .filter(e::app.eq(app))
                    .filter(e::centre_id.eq_any(centres))
                    .filter(e::day.between(from, to))
                    .group_by((e::day, e::hour, e::target))
                    .select((e::day, e::hour, e::target, count_star()))
                    .load::<(NaiveDate, i16, String, i64)>(c)?
                    .into_iter()
                    .map(|(day, hour, target, n)| ClickCell {
                        day,
                        hour: u8::try_from(hour).unwrap_or(0),
                        target,
                        count: u(n),
                    })
                    .collect())
            })
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))
    }

    pub(super) async fn live(&self, centres: &[u32], since: u32) -> anyhow::Result<Live> {
        let centres: Vec<i64> = centres.iter().map(|c| i64::from(*c)).collect();
        let since = DateTime::from_timestamp(i64::from(since), 0)
            .unwrap_or_default()
            .naive_utc();
        self.db
            .run(move |c| {
                let base = || {
                    e::stats_events
                        .filter(e::kind.eq("pageview"))
                        .filter(e::centre_id.eq_any(centres.clone()))
                        .filter(e::ts.ge(since))
                };
                let (pageviews, visitors): (i64, i64) = base()
                    .select((count_star(), count(e::visitor).aggregate_distinct()))
                    .first(c)?;
                let pages = base()
                    .group_by((e::app, e::path))
                    .select((e::app, e::path, count_star()))
                    .order(count_star().desc())
                    .limit(10)
                    .load::<(String, String, i64)>(c)?;
                Ok(Live {
                    pageviews: u(pageviews),
                    visitors: u(visitors),
                    pages: counts(pages),
                })
            })
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))
    }

    pub(super) async fn drop_before(&self, cutoff: NaiveDate) -> anyhow::Result<()> {
        self.db
            .run(move |c| Ok(diesel::delete(e::stats_events.filter(e::day.lt(cutoff))).execute(c)?))
            .await
            .map(|_| ())
            .map_err(|e| anyhow::anyhow!("{e}"))
    }
}

fn report(c: &mut DbConn, f: &Filter) -> QueryResult<Report> {
    let centres: Vec<i64> = f.centres.iter().map(|c| i64::from(*c)).collect();
    let (from, to) = (f.from, f.to);
    let of_kind = |k: &'static str| {
        e::stats_events
            .filter(e::kind.eq(k))
            .filter(e::centre_id.eq_any(centres.clone()))
            .filter(e::day.between(from, to))
    };
    let daily = of_kind("pageview")
        .group_by(e::day)
        .select((
            e::day,
            count_star(),
            count(e::session).aggregate_distinct(),
            count(e::visitor).aggregate_distinct(),
        ))
        .load::<(NaiveDate, i64, i64, i64)>(c)?
        .into_iter()
        .map(|(day, p, s, v)| DayFigures {
            day,
            pageviews: u(p),
            visits: u(s),
            visitors: u(v),
        })
        .collect();
    let pages = of_kind("pageview")
        .group_by((e::app, e::path))
        .select((e::app, e::path, count_star()))
        .order(count_star().desc())
        .limit(TOP as i64)
        .load(c)?;
    let clicks = of_kind("click")
        .group_by((e::app, e::target))
        .select((e::app, e::target, count_star()))
        .order(count_star().desc())
        .limit(TOP as i64)
        .load(c)?;
    let events = of_kind("event")
        .group_by((e::name, e::value))
        .select((e::name, e::value, count_star()))
        .order(count_star().desc())
        .limit(TOP as i64)
        .load(c)?;
    let grid = of_kind("pageview")
        .group_by((e::weekday, e::hour))
        .select((e::weekday, e::hour, count_star()))
        .load::<(i16, i16, i64)>(c)?
        .into_iter()
        .map(|(w, h, n)| (w as u8, h as u8, u(n)))
        .collect();
    let devices = of_kind("pageview")
        .group_by(e::device)
        .select((e::device, count_star()))
        .load::<(String, i64)>(c)?
        .into_iter()
        .map(|(d, n)| (d, u(n)))
        .collect();
    let per_centre: Vec<(i64, i64, i64)> = of_kind("pageview")
        .group_by(e::centre_id)
        .select((
            e::centre_id,
            count_star(),
            count(e::visitor).aggregate_distinct(),
        ))
        .load(c)?;
    let clicks_per_centre: Vec<(i64, i64)> = of_kind("click")
        .group_by(e::centre_id)
        .select((e::centre_id, count_star()))
        .load(c)?;
    let mut centres_fig: Vec<CentreFigures> = per_centre
        .into_iter()
        .map(|(id, p, v)| CentreFigures {
            centre_id: id as u32,
            pageviews: u(p),
            visitors: u(v),
            clicks: 0,
        })
        .collect();
    for (id, n) in clicks_per_centre {
        match centres_fig
            .iter_mut()
            .find(|x| i64::from(x.centre_id) == id)
        {
            Some(x) => x.clicks = u(n),
            None => centres_fig.push(CentreFigures {
                centre_id: id as u32,
                pageviews: 0,
                visitors: 0,
                clicks: u(n),
            }),
        }
    }
    Ok(Report {
        daily,
        pages: counts(pages),
        clicks: counts(clicks),
        events: counts(events),
        grid,
        devices,
        centres: centres_fig,
    })
}
