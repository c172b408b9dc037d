//! Ingestion that never slows or fails a request: a bounded queue (a lane per worker thread, see
//! `queue.rs`) feeds a batching writer that flushes on size, on time and on shutdown, and fills the
//! next batch while the last one is being written. When the sink fails, batches are spooled in the
//! SQL database and replayed in order; a full queue drops the event and counts it.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use csc_core::{time, AppError};
use csc_db::Db;
use diesel::prelude::*;
use tokio::sync::{watch, Notify};
use tokio::task::JoinHandle;

use crate::batch::{Batch, Row};
use crate::event::{day_number, local_parts_of, Event, Kind};
use crate::queue::{Pushed, Queue};
use crate::schema::{stats_drops, stats_spool};
use crate::sink::Sink;
use crate::visitor::{salt_for, VisitorKey, Visits};

/// An event as the collector sees it. A page view owns nothing on the heap (its strings are the
/// program's own), so the request's thread allocates nothing for it and the writer frees
/// nothing; the user agent and the address are already reduced to a fingerprint.
#[derive(Debug, Clone)]
pub struct RawEvent {
    /// When, in seconds since 1970 (UTC): what ClickHouse's `DateTime` keeps (see [`now_second`]).
    pub at: u32,
    pub centre_id: u32,
    pub app: &'static str,
    pub kind: Kind,
    /// Route template.
    pub path: &'static str,
    pub status: u16,
    pub device: &'static str,
    /// [`crate::visitor::fingerprint`] of the user agent and the address.
    pub fingerprint: u128,
    /// Only for a page reached from another site, a click or a named event.
    pub detail: Option<Box<Detail>>,
}

/// The current time in whole seconds since 1970 (UTC), as [`RawEvent::at`] keeps it: read from
/// the system clock without building a calendar date, which a page view would pay for nothing.
pub fn now_second() -> u32 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u32::try_from(d.as_secs()).unwrap_or(u32::MAX))
}

/// The rarer parts of an event, kept out of line so that the queue moves small events.
#[derive(Debug, Clone, Default)]
pub struct Detail {
    /// Domain of the referring site.
    pub referrer: String,
    pub target: String,
    pub name: String,
    pub value: String,
}

/// Events per spooled piece (a few megabytes of text).
const SPOOL_CHUNK: usize = 10_000;

/// The writer is woken each time this many events wait in the queue.
const WAKE_STEP: usize = 16_384;

/// Sizes and timings of the pipeline.
#[derive(Debug, Clone)]
pub struct PipelineConfig {
    pub capacity: usize,
    pub batch_size: usize,
    /// A batch is written once its encoded events take this many bytes, whatever their number
    /// (memory stays bounded when the sink is slow and events are long).
    pub batch_bytes: usize,
    pub flush_every: Duration,
}

/// The sending side, shared by every worker. Never waits (a worker's lane is locked by nobody
/// else but the writer, for the time of a swap).
#[derive(Clone)]
pub struct Collector {
    queue: Arc<Queue<RawEvent>>,
    dropped: Arc<AtomicU64>,
    batch_ready: Arc<Notify>,
    /// Set when the writer has been woken and has not started taking the events yet.
    waking: Arc<AtomicBool>,
    /// Length of a lane from which the writer is woken to take the events.
    wake_at: usize,
}

impl Collector {
    /// Queues an event; when the queue is full the event is dropped and counted.
    pub fn record(&self, ev: RawEvent) {
        match self.queue.push(ev) {
            Pushed::Queued(n) if n >= self.wake_at => self.wake(),
            Pushed::Queued(_) | Pushed::Closed => {}
            Pushed::Full => {
                self.dropped.fetch_add(1, Ordering::Relaxed);
                self.wake();
            }
        }
    }

    /// Wakes the writer, once until it starts taking the events: waking it for each event would
    /// cost more than the events themselves. (Waking it only when the queue held exactly
    /// `wake_at` events missed now and then, when two workers queued at once: the writer then
    /// slept until its timer, and the queue overflowed.)
    fn wake(&self) {
        if !self.waking.load(Ordering::Relaxed) && !self.waking.swap(true, Ordering::AcqRel) {
            self.batch_ready.notify_one();
        }
    }

    /// Events waiting in the queue.
    pub fn queued(&self) -> usize {
        self.queue.len()
    }

    /// Events dropped since the last time the writer saved the count.
    pub fn pending_drops(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }
}

/// The running writer.
pub struct PipelineHandle {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl PipelineHandle {
    /// Flushes what is queued and stops (at most `grace`).
    pub async fn stop(self, grace: Duration) {
        let _ = self.stop.send(true);
        if tokio::time::timeout(grace, self.task).await.is_err() {
            tracing::warn!("statistics writer did not finish in time");
        }
    }
}

/// Starts the writer on the current runtime.
pub fn spawn(db: Db, sink: Sink, config: PipelineConfig) -> (Collector, PipelineHandle) {
    let lanes = std::thread::available_parallelism().map_or(4, |n| 2 * n.get());
    let queue = Arc::new(Queue::new(config.capacity, lanes.clamp(2, 64)));
    let dropped = Arc::new(AtomicU64::new(0));
    let (stop, stopped) = watch::channel(false);
    let batch_ready = Arc::new(Notify::new());
    let waking = Arc::new(AtomicBool::new(false));
    let output = Output::new(db.clone(), sink.clone(), dropped.clone());
    let writer = Writer {
        batch_ready: batch_ready.clone(),
        waking: waking.clone(),
        db,
        sink,
        dropped: dropped.clone(),
        key: None,
        next_id: 0,
        clock: None,
        visits: Visits::default(),
        out: Some(Out::Ready(output, Batch::default())),
    };
    // The writer takes the events from the queue in steps of at most WAKE_STEP a lane (so the
    // queue stays small even when batches are large), or from half a lane's share of the queue if
    // that is smaller (so that the queue has room while the writer wakes).
    let wake_at = config
        .batch_size
        .min(WAKE_STEP)
        .min(queue.share() / 2)
        .max(1);
    let task = tokio::spawn(writer.run(queue.clone(), stopped, config));
    let collector = Collector {
        queue,
        dropped,
        batch_ready,
        waking,
        wake_at,
    };
    (collector, PipelineHandle { stop, task })
}

struct Writer {
    batch_ready: Arc<Notify>,
    waking: Arc<AtomicBool>,
    db: Db,
    /// To start the output again, should its task fail.
    sink: Sink,
    dropped: Arc<AtomicU64>,
    /// The day's salt, as an HMAC key.
    key: Option<(NaiveDate, VisitorKey)>,
    /// Id of the next event: a random start for each batch, then one more for each event, so a
    /// batch comes in the order of ClickHouse's key (cheaper to insert and to merge) and two
    /// batches practically never share an id.
    next_id: u64,
    /// The last second seen, its Paris day and the day's number (events come in order, many to
    /// the second).
    clock: Option<(u32, (NaiveDate, u16))>,
    visits: Visits,
    /// Where batches go (`None` only while it is being handed over).
    out: Option<Out>,
}

/// The output, either ready (with an empty buffer for the batch after next) or writing a batch in
/// a task of its own: the writer goes on taking events from the queue meanwhile, so a slow
/// insert fills the next batch rather than the queue.
enum Out {
    Ready(Output, Batch),
    Writing(JoinHandle<(Output, Batch)>),
}

impl Writer {
    async fn run(
        mut self,
        queue: Arc<Queue<RawEvent>>,
        mut stopped: watch::Receiver<bool>,
        config: PipelineConfig,
    ) {
        // Events are encoded as they are taken from the queue, into a batch whose memory is
        // reused from one batch to the next.
        let mut buf = Batch::default();
        // The vector a lane's events are swapped into (its room then goes to the next lane).
        let mut taken = Vec::new();
        let mut tick = tokio::time::interval(config.flush_every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        // The writer wakes on the timer, or once when a lane holds enough events, and then drains
        // the queue (waking it for each event would cost a cross-thread wake-up each).
        loop {
            let timed = tokio::select! {
                _ = tick.tick() => true,
                _ = self.batch_ready.notified() => false,
                _ = stopped.changed() => break,
            };
            self.waking.store(false, Ordering::Release);
            self.drain(&queue, &mut taken, &mut buf, &config).await;
            // On time, the batch is written (and the spool replayed) unless a write is still
            // under way: the batch then waits for its size or the next tick.
            if timed && !matches!(&self.out, Some(Out::Writing(w)) if !w.is_finished()) {
                self.hand_over(&mut buf, true).await;
            }
        }
        // Shutdown: take what is queued, write it, and save the drop count.
        queue.close();
        self.drain(&queue, &mut taken, &mut buf, &config).await;
        let (output, _) = self.ready().await;
        output.send(std::mem::take(&mut buf), true).await;
        tracing::info!("statistics writer stopped");
    }

    /// Takes every waiting event, lane after lane, writing a batch each time one is full.
    async fn drain(
        &mut self,
        queue: &Queue<RawEvent>,
        taken: &mut Vec<RawEvent>,
        buf: &mut Batch,
        config: &PipelineConfig,
    ) {
        for lane in 0..queue.lanes() {
            queue.take(lane, taken);
            for ev in taken.drain(..) {
                self.take(ev, buf).await;
                if buf.len() >= config.batch_size || buf.bytes() >= config.batch_bytes {
                    self.flush(buf).await;
                }
            }
        }
    }

    async fn key(&mut self, day: NaiveDate) -> Option<VisitorKey> {
        if let Some((d, k)) = &self.key {
            if *d == day {
                return Some(k.clone());
            }
        }
        match self.db.run(move |c| Ok(salt_for(c, day)?)).await {
            Ok(s) => {
                let key = VisitorKey::new(&s);
                self.key = Some((day, key.clone()));
                Some(key)
            }
            Err(e) => {
                tracing::warn!(error = %e, "statistics salt unavailable");
                None
            }
        }
    }

    fn local_day(&mut self, second: u32) -> (NaiveDate, u16) {
        match self.clock {
            Some((s, parts)) if s == second => parts,
            _ => {
                let day = local_parts_of(second).0;
                let parts = (day, day_number(day));
                self.clock = Some((second, parts));
                parts
            }
        }
    }

    /// Turns a raw event into a stored one (the fingerprint ends here) and adds it to `buf`.
    async fn take(&mut self, ev: RawEvent, buf: &mut Batch) {
        let ts = ev.at;
        let (day, day_number) = self.local_day(ts);
        let (visitor, session) = match self.visits.visit_of(ev.fingerprint, ev.centre_id, day, ts) {
            Some(known) => known,
            None => {
                let Some(key) = self.key(day).await else {
                    self.dropped.fetch_add(1, Ordering::Relaxed);
                    return;
                };
                let visitor = key.visitor(ev.fingerprint, ev.centre_id);
                let session = self
                    .visits
                    .start(ev.fingerprint, ev.centre_id, day, ts, visitor);
                (visitor, session)
            }
        };
        if buf.is_empty() {
            self.next_id = rand::random();
        }
        let event_id = self.next_id;
        self.next_id = self.next_id.wrapping_add(1);
        let detail = ev.detail.as_deref();
        let text = |f: fn(&Detail) -> &str| detail.map_or("", f);
        buf.push(&Row {
            event_id,
            ts,
            day: day_number,
            centre_id: ev.centre_id,
            app: ev.app,
            kind: ev.kind.code(),
            path: ev.path,
            status: ev.status,
            device: ev.device,
            referrer: text(|d| &d.referrer),
            visitor,
            session,
            target: text(|d| &d.target),
            name: text(|d| &d.name),
            value: text(|d| &d.value),
        });
    }

    /// Hands `buf` over to be written (once the previous batch is) and leaves it empty.
    async fn flush(&mut self, buf: &mut Batch) {
        if !buf.is_empty() {
            self.hand_over(buf, false).await;
        }
    }

    /// Waits for the output to be ready, then starts writing `buf` (if `timed`, then replays the
    /// spool and saves the count of dropped events) and leaves in `buf` the output's spare buffer.
    async fn hand_over(&mut self, buf: &mut Batch, timed: bool) {
        self.visits.prune(now_second());
        let waiting = Instant::now();
        let (output, spare) = self.ready().await;
        if waiting.elapsed() > Duration::from_secs(1) {
            tracing::warn!(
                waited_ms = waiting.elapsed().as_millis(),
                "statistics writer waited for the previous batch to be written"
            );
        }
        let batch = std::mem::replace(buf, spare);
        self.out = Some(Out::Writing(tokio::spawn(output.send(batch, timed))));
    }

    /// The output once it has written what it was writing, and its spare buffer.
    async fn ready(&mut self) -> (Output, Batch) {
        match self.out.take() {
            Some(Out::Ready(output, spare)) => return (output, spare),
            Some(Out::Writing(task)) => match task.await {
                Ok(ready) => return ready,
                Err(e) => tracing::error!(error = %e, "statistics output failed; restarted"),
            },
            None => {}
        }
        let output = Output::new(self.db.clone(), self.sink.clone(), self.dropped.clone());
        (output, Batch::default())
    }
}

/// What writes the batches: to the sink, or to the spool while the sink is down.
struct Output {
    db: Db,
    sink: Sink,
    dropped: Arc<AtomicU64>,
    sink_down: bool,
    /// Last time a batch used a good part of the buffer's room.
    busy_at: Instant,
}

impl Output {
    fn new(db: Db, sink: Sink, dropped: Arc<AtomicU64>) -> Self {
        Self {
            db,
            sink,
            dropped,
            sink_down: false,
            busy_at: Instant::now(),
        }
    }

    /// Writes the batch; if `timed`, then replays the spool and saves the count of dropped
    /// events. Gives itself back with the batch's buffer, emptied, its room kept for the next.
    async fn send(mut self, mut buf: Batch, timed: bool) -> (Self, Batch) {
        if !buf.is_empty() {
            let n = buf.size();
            let started = Instant::now();
            let events = Arc::new(std::mem::take(&mut buf));
            self.write(&events).await;
            tracing::debug!(
                events = events.len(),
                ms = started.elapsed().as_millis(),
                "statistics batch written"
            );
            if let Ok(mut room) = Arc::try_unwrap(events) {
                room.clear();
                // Give back the memory of a burst once the traffic has been low for a minute.
                if 4 * n.max(1 << 16) > room.capacity() {
                    self.busy_at = Instant::now();
                } else if self.busy_at.elapsed() > Duration::from_secs(60) {
                    room.shrink_to(2 * n.max(1 << 16));
                }
                buf = room;
            }
        }
        if timed {
            self.replay().await;
            self.save_drops().await;
        }
        (self, buf)
    }

    async fn write(&mut self, events: &Arc<Batch>) {
        // Keep the order: while older batches wait in the spool, new ones queue behind them.
        if !self.sink_down && self.spool_is_empty().await {
            match self.sink.insert(events.clone()).await {
                Ok(()) => return,
                Err(e) => {
                    tracing::warn!(error = %e, sink = self.sink.name(), "statistics sink unavailable; spooling");
                    self.sink_down = true;
                }
            }
        }
        self.spool(events).await;
    }

    async fn spool_is_empty(&self) -> bool {
        self.db
            .run(|c| Ok(stats_spool::table.count().get_result::<i64>(c)? == 0))
            .await
            .unwrap_or(false)
    }

    /// Keeps a batch in the database until the sink is back, in pieces of [`SPOOL_CHUNK`] events,
    /// each decoded, written and let go before the next (a large batch is never held decoded,
    /// nor as one text). Pieces that cannot be written are counted as dropped.
    async fn spool(&self, batch: &Arc<Batch>) {
        let n = batch.len();
        let batch = batch.clone();
        let dropped = self.dropped.clone();
        let written = self
            .db
            .run(move |c| {
                let mut kept = 0usize;
                let done = batch.events_in_chunks(SPOOL_CHUNK, |events| {
                    let count = events.len();
                    let saved = serde_json::to_string(&events)
                        .map_err(anyhow::Error::from)
                        .and_then(|payload| {
                            diesel::insert_into(stats_spool::table)
                                .values((
                                    stats_spool::created_at.eq(time::now()),
                                    stats_spool::events
                                        .eq(i32::try_from(count).unwrap_or(i32::MAX)),
                                    stats_spool::payload.eq(payload),
                                ))
                                .execute(c)
                                .map_err(anyhow::Error::from)
                        });
                    match saved {
                        Ok(_) => kept += count,
                        Err(e) => {
                            tracing::error!(error = %e, events = count, "statistics events lost: neither the sink nor the spool took them");
                            dropped.fetch_add(count as u64, Ordering::Relaxed);
                        }
                    }
                    Ok(())
                });
                done.map(|()| kept).map_err(AppError::Internal)
            })
            .await;
        match written {
            Ok(kept) if kept < n => {
                tracing::warn!(events = n - kept, "statistics events lost while spooling");
            }
            Ok(_) => {}
            Err(e) => {
                tracing::error!(error = ?e, events = n, "statistics batch lost: it could not be spooled");
                self.dropped.fetch_add(n as u64, Ordering::Relaxed);
            }
        }
    }

    /// Sends spooled batches, oldest first; stops at the first failure.
    async fn replay(&mut self) {
        loop {
            let next = self
                .db
                .run(|c| {
                    Ok(stats_spool::table
                        .order(stats_spool::id)
                        .select((stats_spool::id, stats_spool::payload))
                        .first::<(i64, String)>(c)
                        .optional()?)
                })
                .await;
            let Ok(Some((id, payload))) = next else {
                self.sink_down = false;
                return;
            };
            let events: Vec<Event> = match serde_json::from_str(&payload) {
                Ok(v) => v,
                Err(e) => {
                    tracing::error!(error = %e, spool = id, "unreadable spooled batch removed");
                    Vec::new()
                }
            };
            if !events.is_empty() {
                if let Err(e) = self
                    .sink
                    .insert(Arc::new(Batch::from_events(&events)))
                    .await
                {
                    tracing::debug!(error = %e, "statistics sink still unavailable");
                    self.sink_down = true;
                    return;
                }
                tracing::info!(spool = id, "spooled statistics batch delivered");
            }
            // Delivered (ClickHouse deduplicates by event id if this delete is lost).
            let _ = self
                .db
                .run(move |c| Ok(diesel::delete(stats_spool::table.find(id)).execute(c)?))
                .await;
        }
    }

    async fn save_drops(&self) {
        let n = self.dropped.swap(0, Ordering::Relaxed);
        if n == 0 {
            return;
        }
        tracing::warn!(events = n, "statistics events dropped: the queue was full");
        let day = crate::event::today();
        let n = i64::try_from(n).unwrap_or(i64::MAX);
        let saved = self
            .db
            .run(move |c| {
                c.write_transaction::<_, AppError, _>(|c| {
                    let updated = diesel::update(stats_drops::table.find(day))
                        .set(stats_drops::dropped.eq(stats_drops::dropped + n))
                        .execute(c)?;
                    if updated == 0 {
                        diesel::insert_into(stats_drops::table)
                            .values((stats_drops::day.eq(day), stats_drops::dropped.eq(n)))
                            .execute(c)?;
                    }
                    Ok(())
                })
            })
            .await;
        if let Err(e) = saved {
            tracing::warn!(error = %e, "count of dropped statistics events not saved");
            self.dropped
                .fetch_add(u64::try_from(n).unwrap_or(0), Ordering::Relaxed);
        }
    }
}

/// Events dropped between two days (inclusive).
pub fn drops_between(
    conn: &mut csc_db::DbConn,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<i64> {
    let v: Vec<i64> = stats_drops::table
        .filter(stats_drops::day.between(from, to))
        .select(stats_drops::dropped)
        .load(conn)?;
    Ok(v.into_iter().sum())
}

/// Spooled batches and the events in them (waiting for ClickHouse).
pub fn spooled(conn: &mut csc_db::DbConn) -> QueryResult<(i64, i64)> {
    let v: Vec<i32> = stats_spool::table.select(stats_spool::events).load(conn)?;
    Ok((v.len() as i64, v.into_iter().map(i64::from).sum()))
}
