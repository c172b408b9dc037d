//! A batch of events on its way to a sink, kept as the rows ClickHouse reads (`RowBinary`) and
//! grouped by centre. The writer encodes each event once as it leaves the queue (about 80 bytes,
//! where a decoded [`Event`] takes about 240 and the client library would have encoded it again);
//! ClickHouse gets the bytes as they are, in the order of its key, and the SQL sink and the spool
//! decode them back into events.

use std::sync::Arc;

use bytes::Bytes;

use crate::event::Event;

/// The columns of `stats_events`, in the order of the encoded fields.
pub const COLUMNS: &str = "event_id, ts, day, centre_id, app, kind, path, status, device, \
                           referrer, visitor, session, target, name, value, hour, weekday";

/// One event's fields, borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row<'a> {
    pub event_id: u64,
    pub ts: u32,
    pub day: u16,
    pub centre_id: u32,
    pub app: &'a str,
    pub kind: &'a str,
    pub path: &'a str,
    pub status: u16,
    pub device: &'a str,
    pub referrer: &'a str,
    pub visitor: u64,
    pub session: u64,
    pub target: &'a str,
    pub name: &'a str,
    pub value: &'a str,
    pub hour: u8,
    pub weekday: u8,
}

impl Event {
    /// The event's fields, borrowed.
    pub fn row(&self) -> Row<'_> {
        Row {
            event_id: self.event_id,
            ts: self.ts,
            day: self.day,
            centre_id: self.centre_id,
            app: &self.app,
            kind: &self.kind,
            path: &self.path,
            status: self.status,
            device: &self.device,
            referrer: &self.referrer,
            visitor: self.visitor,
            session: self.session,
            target: &self.target,
            name: &self.name,
            value: &self.value,
            hour: self.hour,
            weekday: self.weekday,
        }
    }
}

/// Events, encoded, by centre.
#[derive(Debug, Default)]
pub struct Batch {
    /// (centre, its rows), in the order of the centres; a centre's buffer is kept (empty) from one
    /// batch to the next.
    centres: Vec<(u32, Vec<u8>)>,
    /// Index in `centres` of the last event's centre (most events follow one of the same centre).
    last: usize,
    len: usize,
}

impl Batch {
    /// The events, encoded.
    pub fn from_events(events: &[Event]) -> Self {
        let mut batch = Self::default();
        for ev in events {
            batch.push(&ev.row());
        }
        batch
    }

    /// Adds an event.
    pub fn push(&mut self, row: &Row<'_>) {
        let at = match self.centres.get(self.last) {
            Some((c, _)) if *c == row.centre_id => self.last,
            _ => match self
                .centres
                .binary_search_by_key(&row.centre_id, |(c, _)| *c)
            {
                Ok(i) => i,
                Err(i) => {
                    self.centres.insert(i, (row.centre_id, Vec::new()));
                    i
                }
            },
        };
        self.last = at;
        encode(&mut self.centres[at].1, row);
        self.len += 1;
    }

    /// Number of events.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when the batch holds no event.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Empties the batch, keeping its memory for the next one.
    pub fn clear(&mut self) {
        for (_, rows) in &mut self.centres {
            rows.clear();
        }
        self.len = 0;
    }

    /// Memory held, in bytes.
    pub fn capacity(&self) -> usize {
        self.centres.iter().map(|(_, r)| r.capacity()).sum()
    }

    /// Encoded size, in bytes.
    pub fn size(&self) -> usize {
        self.centres.iter().map(|(_, r)| r.len()).sum()
    }

    /// Gives back memory beyond `bytes` (after a burst), and forgets centres without events.
    pub fn shrink_to(&mut self, bytes: usize) {
        self.centres.retain(|(_, r)| !r.is_empty());
        for (_, rows) in &mut self.centres {
            rows.shrink_to(bytes);
        }
        self.last = 0;
    }

    /// The rows, in the order of ClickHouse's key when each centre's events are in time order, as
    /// pieces of at most `chunk` bytes that share the batch's memory.
    pub fn chunks(self: &Arc<Self>, chunk: usize) -> Vec<Bytes> {
        let mut out = Vec::new();
        for (i, (_, rows)) in self.centres.iter().enumerate() {
            if rows.is_empty() {
                continue;
            }
            let all = Bytes::from_owner(Rows {
                batch: Arc::clone(self),
                centre: i,
            });
            let mut start = 0;
            while start < all.len() {
                let end = rows.len().min(start + chunk.max(1));
                out.push(all.slice(start..end));
                start = end;
            }
        }
        out
    }

    /// The events, decoded (for the SQL sink and the spool).
    pub fn events(&self) -> anyhow::Result<Vec<Event>> {
        let mut events = Vec::with_capacity(self.len);
        for (_, rows) in &self.centres {
            let mut r = Reader(rows);
            while !r.0.is_empty() {
                events.push(r.event()?);
            }
        }
        Ok(events)
    }
}

/// One centre's rows, owned by the batch, as the memory of [`Bytes`].
struct Rows {
    batch: Arc<Batch>,
    centre: usize,
}

impl AsRef<[u8]> for Rows {
    fn as_ref(&self) -> &[u8] {
        self.batch
            .centres
            .get(self.centre)
            .map_or(&[], |(_, r)| r.as_slice())
    }
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    // The length as an unsigned LEB128 number, then the bytes.
    let mut n = s.len();
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
    out.extend_from_slice(s.as_bytes());
}

/// One row of `stats_events` in ClickHouse's `RowBinary` format (little-endian numbers, `Date`
/// as days and `DateTime` as seconds since the epoch, strings with their length first).
fn encode(out: &mut Vec<u8>, r: &Row<'_>) {
    // Room for the numbers, the strings and their lengths (two bytes each up to 16 kB), at once.
    let strings = [
        r.app, r.kind, r.path, r.device, r.referrer, r.target, r.name, r.value,
    ];
    out.reserve(38 + strings.iter().map(|s| 2 + s.len()).sum::<usize>());
    out.extend_from_slice(&r.event_id.to_le_bytes());
    out.extend_from_slice(&r.ts.to_le_bytes());
    out.extend_from_slice(&r.day.to_le_bytes());
    out.extend_from_slice(&r.centre_id.to_le_bytes());
    put_str(out, r.app);
    put_str(out, r.kind);
    put_str(out, r.path);
    out.extend_from_slice(&r.status.to_le_bytes());
    put_str(out, r.device);
    put_str(out, r.referrer);
    out.extend_from_slice(&r.visitor.to_le_bytes());
    out.extend_from_slice(&r.session.to_le_bytes());
    put_str(out, r.target);
    put_str(out, r.name);
    put_str(out, r.value);
    out.extend_from_slice(&[r.hour, r.weekday]);
}

/// Reads rows written by [`encode`].
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take<const N: usize>(&mut self) -> anyhow::Result<[u8; N]> {
        let (head, rest) = self
            .0
            .split_first_chunk::<N>()
            .ok_or_else(|| anyhow::anyhow!("statistics batch cut short"))?;
        self.0 = rest;
        Ok(*head)
    }

    fn u8(&mut self) -> anyhow::Result<u8> {
        Ok(self.take::<1>()?[0])
    }

    fn u16(&mut self) -> anyhow::Result<u16> {
        Ok(u16::from_le_bytes(self.take()?))
    }

    fn u32(&mut self) -> anyhow::Result<u32> {
        Ok(u32::from_le_bytes(self.take()?))
    }

    fn u64(&mut self) -> anyhow::Result<u64> {
        Ok(u64::from_le_bytes(self.take()?))
    }

    fn string(&mut self) -> anyhow::Result<String> {
        let mut n = 0usize;
        let mut shift = 0;
        loop {
            let b = self.u8()?;
            anyhow::ensure!(shift < 64, "statistics batch: bad length");
            n |= usize::from(b & 0x7f) << shift;
            if b < 0x80 {
                break;
            }
            shift += 7;
        }
        anyhow::ensure!(n <= self.0.len(), "statistics batch cut short");
        let (s, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(std::str::from_utf8(s)?.to_string())
    }

    fn event(&mut self) -> anyhow::Result<Event> {
        Ok(Event {
            event_id: self.u64()?,
            ts: self.u32()?,
            day: self.u16()?,
            centre_id: self.u32()?,
            app: self.string()?,
            kind: self.string()?,
            path: self.string()?,
            status: self.u16()?,
            device: self.string()?,
            referrer: self.string()?,
            visitor: self.u64()?,
            session: self.u64()?,
            target: self.string()?,
            name: self.string()?,
            value: self.string()?,
            hour: self.u8()?,
            weekday: self.u8()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(id: u64, centre_id: u32, text: &str) -> Event {
        Event {
            event_id: id,
            ts: 1_790_000_000 + id as u32,
            day: 20_700,
            centre_id,
            app: "kiosque".into(),
            kind: "click".into(),
            path: "/kiosque/c/{slug}".into(),
            status: 302,
            device: "kiosk".into(),
            referrer: "www.caf.fr".into(),
            visitor: u64::MAX - id,
            session: 0x0123_4567_89ab_cdef,
            target: text.into(),
            name: String::new(),
            value: "oui".into(),
            hour: 23,
            weekday: 6,
        }
    }

    #[test]
    fn events_come_back_as_they_went_in_grouped_by_centre() {
        // A long text needs a two-byte length; accents are several bytes each.
        let long = "démarche à la CAF ".repeat(20);
        let events = vec![
            event(1, 7, "caf"),
            event(2, 3, &long),
            event(3, 7, ""),
            event(4, 0, "impots"),
        ];
        let batch = Batch::from_events(&events);
        assert_eq!(batch.len(), 4);
        let back = batch.events().expect("decodes");
        let ids: Vec<u64> = back.iter().map(|e| e.event_id).collect();
        assert_eq!(ids, [4, 2, 1, 3], "centres 0, 3, 7, each in arrival order");
        for ev in &back {
            let original = events.iter().find(|e| e.event_id == ev.event_id);
            assert_eq!(Some(ev), original);
        }
    }

    #[test]
    fn chunks_cover_the_rows_without_copying_them_and_the_memory_is_reused() {
        let events: Vec<Event> = (0..100).map(|i| event(i, (i % 2) as u32, "x")).collect();
        let batch = Arc::new(Batch::from_events(&events));
        let size = batch.size();
        let chunks = batch.chunks(1000);
        assert!(chunks.iter().all(|c| c.len() <= 1000));
        assert_eq!(chunks.iter().map(Bytes::len).sum::<usize>(), size);
        // The pieces are read back in the order they are sent: centre 0, then centre 1.
        let joined: Vec<u8> = chunks.iter().flat_map(|c| c.iter().copied()).collect();
        let again = Batch {
            centres: vec![(0, joined)],
            last: 0,
            len: 100,
        };
        let back = again.events().expect("decodes");
        assert_eq!(back.len(), 100);
        assert!(back[..50].iter().all(|e| e.centre_id == 0));
        assert!(back[50..].iter().all(|e| e.centre_id == 1));
        drop(chunks);
        let mut batch = Arc::try_unwrap(batch).expect("the pieces are gone");
        let room = batch.capacity();
        batch.clear();
        assert!(batch.is_empty());
        assert_eq!(batch.capacity(), room);
    }

    #[test]
    fn a_damaged_batch_is_an_error_not_a_panic() {
        let batch = Batch::from_events(&[event(1, 1, "caf")]);
        let mut cut = batch;
        let rows = &mut cut.centres[0].1;
        rows.truncate(rows.len() - 3);
        assert!(cut.events().is_err());
    }
}
