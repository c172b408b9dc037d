//! Routes of the kiosque, relative to `/kiosque`.

mod catalogue;
mod manage;
mod public;
mod stats;

use std::sync::Arc;

use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use csc_auth::centres::{self, Centre};
use csc_core::{AppError, Role};
use csc_db::Db;
use csc_web::routes::{Access, Routes};
use futures_util::future::LocalBoxFuture;

use crate::cache::{Cached, PortalCache};
use crate::kiosks::{self, Kiosk};
use crate::portal;

/// Who may arrange a centre's portal, guides, kiosks and directory.
pub(crate) const MANAGERS: &[Role] = &[Role::Referent];
/// Who may manage a centre's workshops and see who signed up.
pub(crate) const WORKSHOP_STAFF: &[Role] = &[Role::Referent, Role::Animateur];

pub fn routes(r: &mut Routes) {
    use Access::{Public, Secret};
    r.get("", Public, public::index)
        .get("/", Public, public::index)
        // The public portal of a centre, and the same screens on its kiosks (`Screen` tells which).
        .get("/c/{site}/affiche.pdf", Public, public::poster)
        .post("/borne/{site}/reponse", Secret, public::kiosk_answer);
    for (prefix, access) in [("/c/{site}", Public), ("/borne/{site}", Secret)] {
        r.get(prefix, access, public::home)
            .get(format!("{prefix}/theme/{{theme}}"), access, public::theme)
            .get(format!("{prefix}/recherche"), access, public::search)
            .get(
                format!("{prefix}/demarche/{{proc}}"),
                access,
                public::guide_page,
            )
            .get(
                format!("{prefix}/demarche/{{proc}}/imprimer"),
                access,
                public::guide_page,
            )
            .get(format!("{prefix}/aide"), access, public::help)
            .get(format!("{prefix}/ateliers"), access, public::workshops)
            .post(format!("{prefix}/ateliers/{{id}}"), access, public::sign_up);
    }
    // The referent's pages, their statistics, the federation's catalogue.
    manage::routes(r);
    stats::routes(r);
    catalogue::routes(r);
}

/// This instance's portal cache.
pub(crate) fn portal_cache(req: &HttpRequest) -> Result<web::Data<PortalCache>, AppError> {
    req.app_data::<web::Data<PortalCache>>()
        .cloned()
        .ok_or_else(|| AppError::internal("the kiosque's portal cache is not registered"))
}

/// The centre `slug` and its portal, from the cache when fresh.
async fn cached_portal(req: &HttpRequest, db: &Db, slug: String) -> Result<Arc<Cached>, AppError> {
    let cache = portal_cache(req)?;
    if let Some(c) = cache.get(&slug) {
        return Ok(c);
    }
    let s = slug.clone();
    let loaded = db
        .run(move |c| {
            let centre = centres::by_slug(c, &s)?;
            let portal = portal::load(c, centre.id, false)?;
            Ok(Arc::new(Cached::new(centre, portal)))
        })
        .await?;
    cache.put(&slug, loaded.clone());
    Ok(loaded)
}

/// A resident's screen: on the public portal of a centre, or on one of its kiosks. As an extractor,
/// it reads `{site}` from the path: a centre's slug under `/kiosque/c/`, a kiosk's token under
/// `/kiosque/borne/`; unknown ones are 404. The request's statistics are attributed to the centre.
#[derive(Debug, Clone)]
pub(crate) struct Screen {
    /// The centre and its portal.
    pub data: Arc<Cached>,
    pub kiosk: Option<Kiosk>,
    /// The prefix of the screen's pages: `/kiosque/c/{slug}` or `/kiosque/borne/{token}`.
    pub base: String,
}

impl FromRequest for Screen {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let db = req
                .app_data::<web::Data<Db>>()
                .cloned()
                .ok_or_else(|| AppError::internal("Db is not registered"))?;
            let site = req
                .match_info()
                .get("site")
                .ok_or(AppError::NotFound)?
                .to_string();
            let screen = if req.path().starts_with(&format!("{}/borne/", crate::MOUNT)) {
                Screen::kiosk(&req, &db, site).await?
            } else {
                Screen::portal(&req, &db, site).await?
            };
            // Page views and events of this request count for the screen's centre, and a kiosk's
            // pages are shown on the kiosk, whatever browser it runs.
            csc_stats::set_centre(&req, screen.centre().id);
            if screen.kiosk.is_some() {
                csc_stats::set_device(&req, csc_stats::event::KIOSK);
            }
            Ok(screen)
        })
    }
}

impl Screen {
    pub async fn portal(req: &HttpRequest, db: &Db, slug: String) -> Result<Self, AppError> {
        let data = cached_portal(req, db, slug).await?;
        Ok(Self {
            base: format!("{}/c/{}", crate::MOUNT, data.centre.slug),
            data,
            kiosk: None,
        })
    }

    pub async fn kiosk(req: &HttpRequest, db: &Db, token: String) -> Result<Self, AppError> {
        let (kiosk, slug) = db
            .run(move |c| {
                let k = kiosks::by_token(c, &token)?;
                let centre = centres::get(c, k.centre_id)?;
                Ok((k, centre.slug))
            })
            .await?;
        let data = cached_portal(req, db, slug).await?;
        Ok(Self {
            base: format!("{}/borne/{}", crate::MOUNT, kiosk.token),
            data,
            kiosk: Some(kiosk),
        })
    }

    pub fn centre(&self) -> &Centre {
        &self.data.centre
    }

    /// The layout variables of every screen.
    pub fn context(&self) -> tera::Context {
        let mut ctx = tera::Context::new();
        ctx.insert("centre", &self.data.view);
        ctx.insert("base", &self.base);
        ctx.insert("kiosk", &self.kiosk);
        ctx.insert("mount", crate::MOUNT);
        ctx
    }
}

/// The centre, when the user may manage it.
pub(crate) use csc_auth::centres::managed as managed_centre;
