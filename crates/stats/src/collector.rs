//! The page-view collector middleware: server-side, no cookie, no script. Honours Do Not Track,
//! Global Privacy Control and the opt-out cookie; ignores crawlers and assets.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, Hash};
use std::sync::{OnceLock, RwLock};

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage, HttpRequest};

use crate::event::{agent_device, is_bot, page_device, referrer_domain, Kind};
use crate::pipeline::{now_second, Detail, RawEvent};
use crate::visitor::{agent_digest, fingerprint_with};
use crate::Stats;

/// Name of the opt-out cookie (a preference, not a tracker).
pub const OPT_OUT_COOKIE: &str = "csc_stats_refus";

/// Which centre a page belongs to; handlers set it with [`set_centre`].
#[derive(Debug, Clone, Copy)]
pub struct StatsCentre(pub u32);

/// Attributes the current page (and its events) to a centre.
pub fn set_centre(req: &HttpRequest, centre_id: i64) {
    req.extensions_mut()
        .insert(StatsCentre(u32::try_from(centre_id).unwrap_or(0)));
}

/// Where a page is shown, when the app knows better than the user agent; set with [`set_device`].
#[derive(Debug, Clone, Copy)]
pub struct StatsDevice(pub &'static str);

/// Says on which device class the current page is shown (`event::KIOSK` for a kiosk's pages).
pub fn set_device(req: &HttpRequest, device: &'static str) {
    req.extensions_mut().insert(StatsDevice(device));
}

/// The centre a request was attributed to (0: none).
pub fn centre_of(req: &HttpRequest) -> u32 {
    req.extensions().get::<StatsCentre>().map_or(0, |c| c.0)
}

/// The Global Privacy Control header.
const SEC_GPC: HeaderName = HeaderName::from_static("sec-gpc");

/// True when the visitor asked not to be measured (DNT, GPC, or our opt-out cookie).
pub fn refuses(req: &HttpRequest) -> bool {
    let header_is_1 = |name: &HeaderName| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim() == "1")
    };
    header_is_1(&header::DNT) || header_is_1(&SEC_GPC) || opted_out(req)
}

/// True when the request carries the opt-out cookie. Read from the `Cookie` headers directly:
/// `HttpRequest::cookie` parses and copies every cookie of the request, which cost more than the
/// rest of this check, and finds none at all when another site's cookie is malformed.
pub fn opted_out(req: &HttpRequest) -> bool {
    req.headers().get_all(header::COOKIE).any(|value| {
        value.as_bytes().split(|b| *b == b';').any(|pair| {
            pair.trim_ascii_start()
                .strip_prefix(OPT_OUT_COOKIE.as_bytes())
                .is_some_and(|rest| rest.trim_ascii_start().starts_with(b"="))
        })
    })
}

/// Shown for a request that matched no route.
const UNKNOWN_PAGE: &str = "(page inconnue)";
/// Route templates are a fixed set; this many is far more than the suite has.
const MAX_TEMPLATES: usize = 4096;

/// The request's route template (`/kiosque/c/{slug}`), kept once for the life of the process so
/// that recording a page view copies nothing.
fn route_template(req: &HttpRequest) -> &'static str {
    type Templates = HashSet<&'static str, foldhash::fast::RandomState>;
    static KNOWN: OnceLock<RwLock<Templates>> = OnceLock::new();
    let Some(pattern) = req.match_pattern() else {
        return UNKNOWN_PAGE;
    };
    let known = KNOWN.get_or_init(RwLock::default);
    if let Some(t) = known
        .read()
        .ok()
        .and_then(|k| k.get(pattern.as_str()).copied())
    {
        return t;
    }
    let Ok(mut known) = known.write() else {
        return UNKNOWN_PAGE;
    };
    if let Some(t) = known.get(pattern.as_str()) {
        return t;
    }
    if known.len() >= MAX_TEMPLATES {
        return UNKNOWN_PAGE;
    }
    let t: &'static str = Box::leak(pattern.into_boxed_str());
    known.insert(t);
    t
}

/// Answers a thread remembers by a hash of their question (the question itself is not kept), for
/// one owner at a time, up to a bound after which it starts again.
struct Memo<V> {
    owner: usize,
    hasher: foldhash::quality::RandomState,
    seen: HashMap<u64, V, foldhash::fast::RandomState>,
}

impl<V: Copy> Memo<V> {
    fn answer<Q: Hash + ?Sized>(
        memo: &mut Option<Self>,
        owner: usize,
        max: usize,
        question: &Q,
        work_out: impl FnOnce() -> V,
    ) -> V {
        let memo = match memo {
            Some(m) if m.owner == owner && m.seen.len() < max => m,
            _ => memo.insert(Self {
                owner,
                hasher: foldhash::quality::RandomState::default(),
                seen: HashMap::default(),
            }),
        };
        *memo
            .seen
            .entry(memo.hasher.hash_one(question))
            .or_insert_with(work_out)
    }
}

/// Pages a thread remembers (see [`page_of`]).
const MAX_PAGES: usize = 4096;

/// The (app, route template) of the request's page. Matching the route again costs more than all
/// the rest of a page view, so each thread remembers the answer for the paths it has seen, for
/// the routes of one application (tests run several).
fn page_of(stats: &Stats, req: &HttpRequest) -> (&'static str, &'static str) {
    thread_local! {
        static PAGES: RefCell<Option<Memo<(&'static str, &'static str)>>> =
            const { RefCell::new(None) };
    }
    let routes = std::ptr::from_ref(req.resource_map()) as usize;
    PAGES.with_borrow_mut(|pages| {
        Memo::answer(pages, routes, MAX_PAGES, req.path(), || {
            (stats.app_of(req.path()), route_template(req))
        })
    })
}

const SKIPPED: [&str; 6] = [
    "/static/",
    "/favicon.ico",
    "/healthz",
    "/readyz",
    "/go/",
    "/api/",
];

/// For `middleware::from_fn(collector::collect)`.
pub async fn collect(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let stats = req
        .app_data::<web::Data<Stats>>()
        .filter(|s| s.enabled)
        .cloned();
    let candidate = stats.is_some()
        && *req.method() == Method::GET
        && !SKIPPED.iter().any(|p| req.path().starts_with(p));
    let res = next.call(req).await?;
    let Some(stats) = stats.filter(|_| candidate) else {
        return Ok(res);
    };
    let is_page = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let req = res.request();
    if is_page && !refuses(req) {
        let browser = browser_of(user_agent(req));
        if !browser.bot {
            let (app, path) = page_of(&stats, req);
            stats.record(
                req,
                browser,
                app,
                path,
                Kind::PageView,
                res.status().as_u16(),
                None,
            );
        }
    }
    Ok(res)
}

/// The user agent as sent (only hashed and searched, so not checked as text).
fn user_agent(req: &HttpRequest) -> &[u8] {
    req.headers()
        .get(header::USER_AGENT)
        .map_or(&[], |v| v.as_bytes())
}

/// User agents a thread remembers (see [`browser_of`]).
const MAX_AGENTS: usize = 1024;

/// What a user agent tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Browser {
    /// A crawler's.
    bot: bool,
    /// The device class the user agent shows.
    device: &'static str,
    /// See [`agent_digest`].
    digest: u128,
}

/// What a user agent tells. Visitors' browsers are a few dozen versions, so each thread
/// remembers the answer: searching and hashing the user agent cost more than everything else a
/// page view does.
fn browser_of(ua: &[u8]) -> Browser {
    thread_local! {
        static AGENTS: RefCell<Option<Memo<Browser>>> = const { RefCell::new(None) };
    }
    AGENTS.with_borrow_mut(|agents| {
        Memo::answer(agents, 0, MAX_AGENTS, ua, || Browser {
            bot: is_bot(ua),
            device: agent_device(ua),
            digest: agent_digest(ua),
        })
    })
}

impl Stats {
    /// Records an event of `app` about this request (page view, click, named event); `detail` is
    /// (target, name, value).
    pub fn record_from(
        &self,
        req: &HttpRequest,
        app: &'static str,
        kind: Kind,
        status: u16,
        detail: Option<(String, String, String)>,
    ) {
        if self.enabled {
            let path = route_template(req);
            self.record(
                req,
                browser_of(user_agent(req)),
                app,
                path,
                kind,
                status,
                detail,
            );
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn record(
        &self,
        req: &HttpRequest,
        browser: Browser,
        app: &'static str,
        path: &'static str,
        kind: Kind,
        status: u16,
        detail: Option<(String, String, String)>,
    ) {
        let referrer = referrer_domain(
            req.headers()
                .get(header::REFERER)
                .and_then(|v| v.to_str().ok()),
            || req.connection_info().host().to_string(),
        );
        let detail = match detail {
            None if referrer.is_empty() => None,
            None => Some(Box::new(Detail {
                referrer,
                ..Detail::default()
            })),
            Some((target, name, value)) => Some(Box::new(Detail {
                referrer,
                target,
                name,
                value,
            })),
        };
        // Read before the event is built: the client's address below borrows the request's
        // extensions mutably when a proxy is trusted.
        let set_by_app = req.extensions().get::<StatsDevice>().map(|d| d.0);
        self.collector.record(RawEvent {
            at: now_second(),
            centre_id: centre_of(req),
            app,
            kind,
            device: page_device(browser.device, set_by_app),
            fingerprint: fingerprint_with(
                browser.digest,
                csc_web::client_ip(req, self.trust_proxy),
            ),
            path,
            status,
            detail,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_opt_out_cookie_is_found_among_others_even_malformed_ones() {
        use actix_web::test::TestRequest;
        let with = |cookies: &[&str]| {
            let mut req = TestRequest::default();
            for c in cookies {
                req = req.insert_header((header::COOKIE, *c));
            }
            opted_out(&req.to_http_request())
        };
        assert!(with(&["csc_stats_refus=1"]));
        assert!(with(&["session=abc; csc_stats_refus=1; theme=sombre"]));
        assert!(
            with(&["a=b", "x=\"%%\"; csc_stats_refus = 1"]),
            "a second header, spaces"
        );
        assert!(with(&["=; ;;csc_stats_refus="]), "malformed neighbours");
        assert!(!with(&[]));
        assert!(
            !with(&["session=csc_stats_refus=1"]),
            "a value is not a name"
        );
        assert!(!with(&["csc_stats_refus_x=1; xcsc_stats_refus=1"]));
        assert!(!with(&["csc_stats_refus"]), "a name without a value");
    }

    #[test]
    fn the_answers_remembered_for_user_agents_stay_right() {
        let firefox: &[u8] =
            b"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0";
        let crawler: &[u8] = b"Mozilla/5.0 (compatible; Googlebot/2.1)";
        let phone: &[u8] = b"Mozilla/5.0 (Linux; Android 14) Mobile";
        let kiosk: &[u8] = b"Mozilla/5.0 (X11) Chromium/140 CSC-Borne/1";
        let told = |ua: &[u8]| {
            let b = browser_of(ua);
            assert_eq!(b.digest, agent_digest(ua), "the digest of this user agent");
            (b.bot, b.device)
        };
        for _ in 0..2 {
            assert_eq!(told(firefox), (false, "desktop"));
            assert_eq!(told(crawler), (true, "desktop"));
            assert_eq!(told(phone), (false, "mobile"));
            assert_eq!(told(kiosk), (false, "kiosk"));
        }
        // More user agents than a thread keeps: it starts again, with the same answers.
        for i in 0..MAX_AGENTS + 10 {
            let ua = format!("Agent/{i}");
            assert_eq!(told(ua.as_bytes()), (false, "desktop"));
        }
        assert_eq!(told(crawler), (true, "desktop"));
        assert_eq!(told(phone), (false, "mobile"));
    }
}
