//! The portals as served: a centre and its arranged catalogue, kept in memory for a short while so
//! that a busy portal or kiosk does not query the database on every page.
//!
//! Entries are keyed by database (several apps may share a process, as the tests do) and centre.
//! Every change made through the kiosque's pages empties the entries of its database at once; other
//! changes (a centre renamed, another instance sharing the database) show within [`TTL`].

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex, PoisonError};
use std::time::{Duration, Instant};

use csc_auth::centres::Centre;

use crate::portal::Portal;

/// How long a portal is served from memory at most.
pub const TTL: Duration = Duration::from_secs(30);

/// A centre and its portal.
#[derive(Debug)]
pub struct Cached {
    pub centre: Centre,
    pub portal: Portal,
}

/// (database, centre slug)
type Key = (String, String);
type Entries = HashMap<Key, (Instant, Arc<Cached>)>;

static ENTRIES: LazyLock<Mutex<Entries>> = LazyLock::new(|| Mutex::new(HashMap::new()));

/// The cached portal of the centre `slug` in database `db`, if fresh.
pub fn get(db: &str, slug: &str) -> Option<Arc<Cached>> {
    let entries = ENTRIES.lock().unwrap_or_else(PoisonError::into_inner);
    entries
        .get(&(db.to_string(), slug.to_string()))
        .filter(|(at, _)| at.elapsed() < TTL)
        .map(|(_, c)| c.clone())
}

/// Keeps a freshly loaded portal (and forgets stale entries).
pub fn put(db: &str, slug: &str, cached: Arc<Cached>) {
    let mut entries = ENTRIES.lock().unwrap_or_else(PoisonError::into_inner);
    entries.retain(|_, (at, _)| at.elapsed() < TTL);
    entries.insert((db.to_string(), slug.to_string()), (Instant::now(), cached));
}

/// Forgets every portal of database `db` (after a change).
pub fn invalidate(db: &str) {
    let mut entries = ENTRIES.lock().unwrap_or_else(PoisonError::into_inner);
    entries.retain(|(d, _), _| d != db);
}
