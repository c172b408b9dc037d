//! The portals as served: a centre and its arranged catalogue, kept in memory for a short while so
//! that a busy portal or kiosk does not query the database on every page.
//!
//! The cache belongs to the app's instance (its data, built once per process), so two suites in
//! one process (the tests) never share entries. Every change made through the kiosque's pages
//! empties it at once; other changes (a centre renamed, another process sharing the database)
//! show within [`TTL`].

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use csc_auth::centres::Centre;

use crate::portal::{Home, Portal};

/// How long a portal is served from memory at most.
pub const TTL: Duration = Duration::from_secs(30);

/// What the portal's pages show of a centre.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CentreView {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub address: String,
    pub postcode: String,
    pub city: String,
    pub phone: String,
    pub logo_type: Option<String>,
}

/// A centre and its portal.
#[derive(Debug)]
pub struct Cached {
    pub centre: Centre,
    /// The centre as the templates see it.
    pub view: CentreView,
    pub portal: Portal,
    /// The home screen, ready to render.
    pub home: Home,
    /// Parts of pages already rendered, by page and screen.
    pub fragments: Mutex<HashMap<String, Arc<String>>>,
}

impl Cached {
    pub fn new(centre: Centre, portal: Portal) -> Self {
        let home = portal.home();
        let view = CentreView {
            id: centre.id,
            slug: centre.slug.clone(),
            name: centre.name.clone(),
            address: centre.address.clone(),
            postcode: centre.postcode.clone(),
            city: centre.city.clone(),
            phone: centre.phone.clone(),
            logo_type: centre.logo_type.clone(),
        };
        Self {
            view,
            centre,
            portal,
            home,
            fragments: Mutex::new(HashMap::new()),
        }
    }

    /// The part of a page kept under `key`, rendered by `render` the first time.
    pub fn fragment<E>(
        &self,
        key: &str,
        render: impl FnOnce() -> Result<String, E>,
    ) -> Result<Arc<String>, E> {
        if let Some(f) = self
            .fragments
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(key)
        {
            return Ok(f.clone());
        }
        let f = Arc::new(render()?);
        self.fragments
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(key.to_string(), f.clone());
        Ok(f)
    }
}

/// The portals of this instance: centre slug -> (loaded at, portal).
#[derive(Default)]
pub struct PortalCache {
    entries: Mutex<HashMap<String, (Instant, Arc<Cached>)>>,
}

impl PortalCache {
    /// The cached portal of the centre `slug`, if fresh.
    pub fn get(&self, slug: &str) -> Option<Arc<Cached>> {
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries
            .get(slug)
            .filter(|(at, _)| at.elapsed() < TTL)
            .map(|(_, c)| c.clone())
    }

    /// Keeps a freshly loaded portal (and forgets stale entries).
    pub fn put(&self, slug: &str, cached: Arc<Cached>) {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries.retain(|_, (at, _)| at.elapsed() < TTL);
        entries.insert(slug.to_string(), (Instant::now(), cached));
    }

    /// Forgets every portal (after a change).
    pub fn invalidate(&self) {
        self.entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }
}

/// The kiosque's data: one portal cache for the process, shared by its workers.
pub fn app_data(_: &csc_core::Settings) -> anyhow::Result<csc_web::services::AppData> {
    let cache = actix_web::web::Data::new(PortalCache::default());
    Ok(Arc::new(move |cfg| {
        cfg.app_data(cache.clone());
    }))
}
