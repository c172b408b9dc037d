//! The visitor hash and visits, without cookies and without storing addresses.
//!
//! visitor = HMAC-SHA256(daily random salt, user agent | address | centre), truncated to 64 bits.
//! Salts live in the SQL database so every instance agrees; a new one is drawn each (Paris) day
//! and salts older than yesterday are deleted, so after 48 hours nobody — not even us — can link
//! a hash to an address. A visit ends after 30 minutes without a page view.

use std::collections::HashMap;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::NaiveDate;
use csc_db::DbConn;
use diesel::prelude::*;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

use crate::schema::stats_salts;

/// Length of a visit: a page view more than this after the previous one starts a new visit.
pub const VISIT_GAP_SECS: u32 = 30 * 60;

/// The salt of `day`, drawing it if no instance has yet. Salts before `day - 1` are forgotten.
pub fn salt_for(conn: &mut DbConn, day: NaiveDate) -> QueryResult<[u8; 32]> {
    diesel::delete(stats_salts::table.filter(stats_salts::day.lt(day - chrono::Duration::days(1))))
        .execute(conn)?;
    if let Some(s) = read(conn, day)? {
        return Ok(s);
    }
    let mut salt = [0u8; 32];
    rand::rng().fill_bytes(&mut salt);
    let inserted = diesel::insert_into(stats_salts::table)
        .values((
            stats_salts::day.eq(day),
            stats_salts::salt.eq(STANDARD.encode(salt)),
        ))
        .execute(conn);
    match inserted {
        Ok(_) => Ok(salt),
        // Another instance drew it first: use theirs.
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => read(conn, day)?.ok_or(diesel::result::Error::NotFound),
        Err(e) => Err(e),
    }
}

fn read(conn: &mut DbConn, day: NaiveDate) -> QueryResult<Option<[u8; 32]>> {
    let stored: Option<String> = stats_salts::table
        .find(day)
        .select(stats_salts::salt)
        .first(conn)
        .optional()?;
    Ok(stored
        .and_then(|s| STANDARD.decode(s).ok())
        .and_then(|v| v.try_into().ok()))
}

/// The days whose salts are still kept.
pub fn kept_salt_days(conn: &mut DbConn) -> QueryResult<Vec<NaiveDate>> {
    stats_salts::table
        .select(stats_salts::day)
        .order(stats_salts::day)
        .load(conn)
}

/// The keyed hash of a visitor for one day and one centre.
pub fn visitor_hash(salt: &[u8; 32], user_agent: &str, addr: &str, centre_id: u32) -> u64 {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(salt).expect("HMAC takes keys of any size");
    mac.update(user_agent.as_bytes());
    mac.update(&[0]);
    mac.update(addr.as_bytes());
    mac.update(&[0]);
    mac.update(&centre_id.to_le_bytes());
    let out = mac.finalize().into_bytes();
    u64::from_le_bytes(out[..8].try_into().unwrap_or([0; 8]))
}

/// Groups page views into visits, per visitor, in memory (visitor hashes change daily, so the
/// table stays small; entries older than a visit are pruned).
#[derive(Default)]
pub struct Visits {
    last: HashMap<u64, (u32, u64)>,
}

impl Visits {
    /// The visit id of a page view at `ts` by `visitor`.
    pub fn visit_of(&mut self, visitor: u64, ts: u32) -> u64 {
        let entry = self
            .last
            .entry(visitor)
            .or_insert((ts, session_id(visitor, ts)));
        if ts.saturating_sub(entry.0) > VISIT_GAP_SECS {
            entry.1 = session_id(visitor, ts);
        }
        entry.0 = entry.0.max(ts);
        entry.1
    }

    /// Forgets visitors idle for longer than a visit.
    pub fn prune(&mut self, now: u32) {
        self.last
            .retain(|_, (seen, _)| now.saturating_sub(*seen) <= VISIT_GAP_SECS);
    }

    /// Visitors currently tracked.
    pub fn len(&self) -> usize {
        self.last.len()
    }

    /// True when no visitor is tracked.
    pub fn is_empty(&self) -> bool {
        self.last.is_empty()
    }
}

fn session_id(visitor: u64, start: u32) -> u64 {
    // A cheap mix; it only has to differ between the visits of one visitor.
    visitor.rotate_left(17) ^ u64::from(start).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_visitor_same_salt_same_hash_and_salt_changes_it() {
        let a = [1u8; 32];
        let b = [2u8; 32];
        let h = visitor_hash(&a, "Firefox", "10.0.0.1", 3);
        assert_eq!(h, visitor_hash(&a, "Firefox", "10.0.0.1", 3));
        assert_ne!(h, visitor_hash(&b, "Firefox", "10.0.0.1", 3));
        assert_ne!(h, visitor_hash(&a, "Firefox", "10.0.0.2", 3));
        assert_ne!(h, visitor_hash(&a, "Firefox", "10.0.0.1", 4));
    }

    #[test]
    fn a_visit_ends_after_thirty_idle_minutes() {
        let mut v = Visits::default();
        let first = v.visit_of(7, 1000);
        assert_eq!(v.visit_of(7, 1000 + 29 * 60), first);
        assert_eq!(
            v.visit_of(7, 1000 + 58 * 60),
            first,
            "the gap counts from the last page"
        );
        let next = v.visit_of(7, 1000 + 58 * 60 + 31 * 60);
        assert_ne!(next, first);
        assert_ne!(v.visit_of(8, 1000), first, "another visitor");
        v.prune(1000 + 200 * 60);
        assert!(v.is_empty());
    }
}
