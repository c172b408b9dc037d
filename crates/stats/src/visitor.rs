//! The visitor hash and visits, without cookies and without storing addresses.
//!
//! On the request's thread, the user agent and the address become a 128-bit fingerprint
//! (SipHash-1-3), so neither is copied; in the writer, visitor = HMAC-SHA256(daily random salt,
//! fingerprint | centre), truncated to 64 bits. The fingerprint only lives in memory, until the
//! writer has hashed it. Salts live in the SQL database so every instance agrees; a new one is
//! drawn each (Paris) day and salts older than yesterday are deleted, so after 48 hours nobody —
//! not even us — can link a hash to an address. A visit ends after 30 minutes without a page view.

use std::collections::HashMap;
use std::hash::Hasher;
use std::net::IpAddr;

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

/// What the writer needs of a browser and its address: a 128-bit digest of both, taken where the
/// request is handled. (The address is always 16 bytes, IPv4 mapped into IPv6, so the two parts
/// cannot run into each other.)
pub fn fingerprint(user_agent: impl AsRef<[u8]>, addr: Option<IpAddr>) -> u128 {
    fingerprint_with(agent_digest(user_agent), addr)
}

/// The user agent's part of a [`fingerprint`], which a thread works out once per browser.
pub fn agent_digest(user_agent: impl AsRef<[u8]>) -> u128 {
    let mut h = siphasher::sip128::SipHasher13::new();
    h.write(user_agent.as_ref());
    siphasher::sip128::Hasher128::finish128(&h).as_u128()
}

/// A [`fingerprint`] from the user agent's [`agent_digest`].
pub fn fingerprint_with(agent: u128, addr: Option<IpAddr>) -> u128 {
    let octets = match addr {
        Some(IpAddr::V4(a)) => a.to_ipv6_mapped().octets(),
        Some(IpAddr::V6(a)) => a.octets(),
        None => [0; 16],
    };
    let mut h = siphasher::sip128::SipHasher13::new();
    h.write(&agent.to_le_bytes());
    h.write(&octets);
    siphasher::sip128::Hasher128::finish128(&h).as_u128()
}

/// The day's salt as an HMAC key, prepared once: each visitor then costs two SHA-256 blocks.
#[derive(Clone)]
pub struct VisitorKey(Hmac<Sha256>);

impl VisitorKey {
    pub fn new(salt: &[u8; 32]) -> Self {
        Self(<Hmac<Sha256> as Mac>::new_from_slice(salt).expect("HMAC takes keys of any size"))
    }

    /// The keyed hash of a visitor (a [`fingerprint`]) for this day and one centre.
    pub fn visitor(&self, fingerprint: u128, centre_id: u32) -> u64 {
        let mut mac = self.0.clone();
        mac.update(&fingerprint.to_le_bytes());
        mac.update(&centre_id.to_le_bytes());
        let out = mac.finalize().into_bytes();
        u64::from_le_bytes(out[..8].try_into().unwrap_or([0; 8]))
    }
}

/// The keyed hash of a visitor for one day and one centre.
pub fn visitor_hash(salt: &[u8; 32], fingerprint: u128, centre_id: u32) -> u64 {
    VisitorKey::new(salt).visitor(fingerprint, centre_id)
}

/// Visits in progress, in memory: per browser (its fingerprint) and centre, the day's visitor
/// hash, the last page view and the visit. A page view of a known visit needs no hashing. An
/// entry is forgotten 30 minutes after its last page view, so the fingerprints held are those of
/// people browsing now.
#[derive(Default)]
pub struct Visits {
    open: HashMap<(u128, u32), Visit, foldhash::fast::RandomState>,
}

struct Visit {
    day: NaiveDate,
    visitor: u64,
    last: u32,
    session: u64,
}

impl Visits {
    /// The (visitor, visit) of a page view on `day` at `ts`, when this browser has a visit of
    /// that day in progress at this centre.
    pub fn visit_of(
        &mut self,
        fingerprint: u128,
        centre_id: u32,
        day: NaiveDate,
        ts: u32,
    ) -> Option<(u64, u64)> {
        let v = self
            .open
            .get_mut(&(fingerprint, centre_id))
            .filter(|v| v.day == day)?;
        if ts.saturating_sub(v.last) > VISIT_GAP_SECS {
            v.session = session_id(v.visitor, ts);
        }
        v.last = v.last.max(ts);
        Some((v.visitor, v.session))
    }

    /// Starts the visit of `visitor` (the hash of this browser at this centre on `day`); returns
    /// the visit id.
    pub fn start(
        &mut self,
        fingerprint: u128,
        centre_id: u32,
        day: NaiveDate,
        ts: u32,
        visitor: u64,
    ) -> u64 {
        let session = session_id(visitor, ts);
        self.open.insert(
            (fingerprint, centre_id),
            Visit {
                day,
                visitor,
                last: ts,
                session,
            },
        );
        session
    }

    /// Forgets visits idle for longer than a visit.
    pub fn prune(&mut self, now: u32) {
        self.open
            .retain(|_, v| now.saturating_sub(v.last) <= VISIT_GAP_SECS);
    }

    /// Visits currently tracked.
    pub fn len(&self) -> usize {
        self.open.len()
    }

    /// True when no visit is tracked.
    pub fn is_empty(&self) -> bool {
        self.open.is_empty()
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
        let ip = |s: &str| s.parse().ok();
        let firefox = fingerprint("Firefox", ip("10.0.0.1"));
        let h = visitor_hash(&a, firefox, 3);
        assert_eq!(
            h,
            visitor_hash(&a, fingerprint("Firefox", ip("10.0.0.1")), 3)
        );
        assert_ne!(h, visitor_hash(&b, firefox, 3));
        assert_ne!(
            h,
            visitor_hash(&a, fingerprint("Firefox", ip("10.0.0.2")), 3)
        );
        assert_ne!(
            h,
            visitor_hash(&a, fingerprint("Chromium", ip("10.0.0.1")), 3)
        );
        assert_ne!(h, visitor_hash(&a, firefox, 4));
        assert_ne!(
            fingerprint("Firefox", ip("::ffff:10.0.0.1")),
            fingerprint("Firefox", None),
            "an unknown address is not a known one"
        );
        assert_eq!(
            fingerprint("Firefox", ip("::ffff:10.0.0.1")),
            firefox,
            "IPv4 and its IPv6 form are one address"
        );
        let key = VisitorKey::new(&a);
        assert_eq!(
            key.visitor(firefox, 3),
            h,
            "the prepared key gives the same hash"
        );
        assert_eq!(key.visitor(firefox, 3), h, "and is not changed by use");
    }

    #[test]
    fn a_visit_ends_after_thirty_idle_minutes() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 24).expect("valid");
        let mut v = Visits::default();
        assert_eq!(v.visit_of(1, 5, day, 1000), None, "nobody yet");
        let first = v.start(1, 5, day, 1000, 77);
        assert_eq!(v.visit_of(1, 5, day, 1000 + 29 * 60), Some((77, first)));
        assert_eq!(
            v.visit_of(1, 5, day, 1000 + 58 * 60),
            Some((77, first)),
            "the gap counts from the last page"
        );
        let (visitor, next) = v
            .visit_of(1, 5, day, 1000 + 58 * 60 + 31 * 60)
            .expect("same visitor");
        assert_eq!(visitor, 77);
        assert_ne!(next, first, "a new visit after 31 idle minutes");
        assert_eq!(v.visit_of(1, 6, day, 1000), None, "another centre");
        assert_eq!(v.visit_of(2, 5, day, 1000), None, "another browser");
        assert_eq!(
            v.visit_of(1, 5, day.succ_opt().expect("valid"), 1000 + 60 * 60),
            None,
            "the next day the visitor is hashed again"
        );
        assert_eq!(v.len(), 1);
        v.prune(1000 + 200 * 60);
        assert!(v.is_empty());
    }
}
