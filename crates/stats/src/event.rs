//! One recorded event, as stored in ClickHouse or the SQL database.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use chrono_tz::Europe::Paris;
use serde::{Deserialize, Serialize};

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A page was shown.
    PageView,
    /// An outbound link was followed through `/go/…`.
    Click,
    /// A named event (the kiosk's « Avez-vous pu faire votre démarche ? » answer…).
    Event,
}

impl Kind {
    /// The stored code.
    pub const fn code(self) -> &'static str {
        match self {
            Kind::PageView => "pageview",
            Kind::Click => "click",
            Kind::Event => "event",
        }
    }
}

/// A stored event. Nothing here identifies a person: the visitor is a keyed hash whose key (the
/// daily salt) is forgotten after 48 hours. The writer encodes events straight into a
/// [`crate::batch::Batch`]; this decoded form is what the SQL sink and the spool read (ClickHouse
/// keeps no hour and weekday: it works them out from `ts`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// Unique id (a random start per batch, then consecutive): replaying a batch twice never
    /// counts an event twice.
    pub event_id: u64,
    /// Seconds since the epoch (UTC).
    pub ts: u32,
    /// Day in Europe/Paris, as days since 1970-01-01.
    pub day: u16,
    pub centre_id: u32,
    pub app: String,
    pub kind: String,
    /// Route template (`/admin/centres/{id}`), never the raw path with its ids.
    pub path: String,
    pub status: u16,
    /// `kiosk`, `mobile` or `desktop`.
    pub device: String,
    /// Domain of the referring site only.
    pub referrer: String,
    pub visitor: u64,
    pub session: u64,
    /// For clicks: the target's key (a procedure…).
    pub target: String,
    /// For named events.
    pub name: String,
    pub value: String,
    /// Hour of day in Europe/Paris (0-23).
    pub hour: u8,
    /// Day of week in Europe/Paris, Monday = 0.
    pub weekday: u8,
}

/// The epoch as a date.
pub fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default()
}

/// A date as ClickHouse's `Date` (days since the epoch).
pub fn day_number(d: NaiveDate) -> u16 {
    u16::try_from((d - epoch()).num_days()).unwrap_or(0)
}

/// A ClickHouse `Date` back to a date.
pub fn day_from_number(n: u16) -> NaiveDate {
    epoch() + chrono::Duration::days(i64::from(n))
}

/// Local (Paris) day, hour and weekday of a UTC instant.
pub fn local_parts(at: DateTime<Utc>) -> (NaiveDate, u8, u8) {
    let local = at.with_timezone(&Paris);
    (
        local.date_naive(),
        local.hour() as u8,
        local.weekday().num_days_from_monday() as u8,
    )
}

/// Local (Paris) day, hour and weekday of a second since 1970 (UTC), as events keep their time.
pub fn local_parts_of(second: u32) -> (NaiveDate, u8, u8) {
    local_parts(DateTime::from_timestamp(second.into(), 0).unwrap_or_default())
}

/// Today in Paris.
pub fn today() -> NaiveDate {
    local_parts(Utc::now()).0
}

/// Marks of a device in a user agent: the kiosk's browser first (it adds `CSC-Borne`), then
/// phones and tablets. One pass over the user agent finds them all. (Fixed literals: building the
/// searcher cannot fail short of memory; the unit tests would see it.)
static DEVICE_MARKS: LazyLock<Option<AhoCorasick>> =
    LazyLock::new(|| AhoCorasick::new(["CSC-Borne", "Mobi", "Android", "iPhone", "iPad"]).ok());

/// The device classes.
pub const KIOSK: &str = "kiosk";
pub const MOBILE: &str = "mobile";
pub const DESKTOP: &str = "desktop";

/// The device class of a page seen by a browser of `agent_device`, unless the app said where the
/// page is shown (`set_device`: a kiosk's own pages are shown on the kiosk).
pub fn page_device(agent_device: &'static str, set_by_app: Option<&'static str>) -> &'static str {
    set_by_app.unwrap_or(agent_device)
}

/// The device class a user agent tells.
pub fn agent_device(user_agent: &[u8]) -> &'static str {
    let mut mobile = false;
    for m in DEVICE_MARKS.iter().flat_map(|a| a.find_iter(user_agent)) {
        if m.pattern().as_usize() == 0 {
            return KIOSK;
        }
        mobile = true;
    }
    if mobile {
        MOBILE
    } else {
        DESKTOP
    }
}

/// The referring site's domain, or nothing for links inside the suite or without a referrer.
/// `own_host` is only asked for when there is a referrer.
pub fn referrer_domain(referer: Option<&str>, own_host: impl FnOnce() -> String) -> String {
    let Some(host) = referer
        .and_then(|r| url::Url::parse(r).ok())
        .and_then(|u| u.host_str().map(str::to_string))
    else {
        return String::new();
    };
    let own_host = own_host();
    let own = own_host.split(':').next().unwrap_or(&own_host);
    if host.eq_ignore_ascii_case(own) {
        String::new()
    } else {
        host.to_lowercase()
    }
}

/// Marks of crawlers in a user agent, in any case.
static BOT_MARKS: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build([
            "bot",
            "crawler",
            "spider",
            "slurp",
            "curl/",
            "wget",
            "python-requests",
            "headless",
        ])
        .ok()
});

/// Crawlers are not visitors. Runs on every page: one pass over the user agent, no allocation
/// (comparing each mark at each position cost 14,500 instructions for a common browser's).
pub fn is_bot(user_agent: impl AsRef<[u8]>) -> bool {
    BOT_MARKS
        .as_ref()
        .is_some_and(|m| m.is_match(user_agent.as_ref()))
}

#[cfg(test)]
mod tests {
    use super::*;

    use chrono::TimeZone;

    /// The device class from the user agent and what the app said, as the collector works it out.
    fn device_class(user_agent: &str, set_by_app: Option<&'static str>) -> &'static str {
        page_device(agent_device(user_agent.as_bytes()), set_by_app)
    }

    #[test]
    fn local_parts_follow_paris_time() {
        // 23:30 UTC on a winter Sunday is 00:30 on Monday in Paris.
        let at = Utc
            .with_ymd_and_hms(2026, 1, 4, 23, 30, 0)
            .single()
            .expect("valid");
        let (day, hour, weekday) = local_parts(at);
        assert_eq!(day, NaiveDate::from_ymd_opt(2026, 1, 5).expect("valid"));
        assert_eq!((hour, weekday), (0, 0));
    }

    #[test]
    fn day_numbers_round_trip() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 23).expect("valid");
        assert_eq!(day_from_number(day_number(d)), d);
        assert_eq!(day_number(epoch()), 0);
    }

    #[test]
    fn devices_and_referrers_are_coarse() {
        assert_eq!(device_class("Mozilla/5.0 (X11) CSC-Borne/1", None), "kiosk");
        assert_eq!(
            device_class("Mozilla/5.0 (Linux; Android 14) Mobile", None),
            "mobile"
        );
        assert_eq!(
            device_class("Mozilla/5.0 (Windows NT 10.0)", None),
            "desktop"
        );
        assert_eq!(
            referrer_domain(Some("https://www.caf.fr/allocataires?x=1"), || {
                "csc.example".into()
            }),
            "www.caf.fr"
        );
        assert_eq!(
            referrer_domain(Some("http://csc.example:8080/admin"), || "csc.example:8080"
                .into()),
            ""
        );
        assert_eq!(referrer_domain(None, || "csc.example".into()), "");
        assert!(is_bot("Googlebot/2.1"));
        assert!(!is_bot("Mozilla/5.0 (Windows NT 10.0) Firefox/140.0"));
        assert!(is_bot("Mozilla/5.0 (compatible; BingBot/2.0)"));
        assert!(is_bot("Mozilla/5.0 HeadlessChrome/140.0"));
        assert!(is_bot("python-requests/2.32"));
        assert!(!is_bot(""));
        assert_eq!(
            device_class("Mozilla/5.0 (iPad; CPU OS 18_0)", None),
            "mobile"
        );
        assert_eq!(device_class("", Some(KIOSK)), "kiosk");
        assert_eq!(
            device_class("Mozilla/5.0 (Linux; Android 14) CSC-Borne/1", None),
            "kiosk"
        );
    }
}
