//! Routes of the kiosque, relative to `/kiosque`.

mod catalogue;
mod manage;
mod public;
mod stats;

use std::sync::Arc;

use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest, HttpResponse};
use csc_auth::centres::{self, Centre};
use csc_core::{AppError, Role, Settings};
use csc_db::Db;
use futures_util::future::LocalBoxFuture;
use include_dir::{include_dir, Dir};

use crate::cache::{self, Cached};
use crate::kiosks::{self, Kiosk};
use crate::portal;

static STATIC: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/static");

/// Who may arrange a centre's portal, guides, kiosks and directory.
pub(crate) const MANAGERS: &[Role] = &[Role::Referent];
/// Who may manage a centre's workshops and see who signed up.
pub(crate) const WORKSHOP_STAFF: &[Role] = &[Role::Referent, Role::Animateur];

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("", web::get().to(public::index))
        .route("/", web::get().to(public::index))
        .route("/fichiers/{name:.*}", web::get().to(asset))
        // The public portal of a centre, and the same screens on its kiosks (`Place` tells which).
        .route("/c/{site}/affiche.pdf", web::get().to(public::poster))
        .route(
            "/borne/{site}/reponse",
            web::post().to(public::kiosk_answer),
        );
    for prefix in ["/c/{site}", "/borne/{site}"] {
        cfg.route(prefix, web::get().to(public::home))
            .route(
                &format!("{prefix}/theme/{{theme}}"),
                web::get().to(public::theme),
            )
            .route(
                &format!("{prefix}/recherche"),
                web::get().to(public::search),
            )
            .route(
                &format!("{prefix}/demarche/{{proc}}"),
                web::get().to(public::guide_page),
            )
            .route(
                &format!("{prefix}/demarche/{{proc}}/imprimer"),
                web::get().to(public::guide_page),
            )
            .route(&format!("{prefix}/aide"), web::get().to(public::help))
            .route(
                &format!("{prefix}/ateliers"),
                web::get().to(public::workshops),
            )
            .route(
                &format!("{prefix}/ateliers/{{id}}"),
                web::post().to(public::sign_up),
            );
    }
    cfg
        // The referent's pages.
        .configure(manage::configure)
        .configure(stats::configure)
        // The federation's catalogue.
        .configure(catalogue::configure);
}

/// `GET /kiosque/fichiers/…`: the kiosk's stylesheet, script and icons.
async fn asset(path: web::Path<String>) -> Result<HttpResponse, AppError> {
    csc_web::assets::file(&STATIC, &path.into_inner())
}

/// The key of this app's database in the portal cache.
pub(crate) fn db_key(req: &HttpRequest) -> &str {
    req.app_data::<web::Data<Settings>>()
        .map_or("", |s| s.database_url.as_str())
}

/// The centre `slug` and its portal, from the cache when fresh.
async fn cached_portal(req: &HttpRequest, db: &Db, slug: String) -> Result<Arc<Cached>, AppError> {
    let key = db_key(req);
    if let Some(c) = cache::get(key, &slug) {
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
    cache::put(key, &slug, loaded.clone());
    Ok(loaded)
}

/// Where a screen is shown: the public portal of a centre, or one of its kiosks. As an extractor,
/// it reads `{site}` from the path: a centre's slug under `/kiosque/c/`, a kiosk's token under
/// `/kiosque/borne/`; unknown ones are 404. The request's statistics are attributed to the centre.
#[derive(Debug, Clone)]
pub(crate) struct Place {
    /// The centre and its portal.
    pub data: Arc<Cached>,
    pub kiosk: Option<Kiosk>,
    /// The prefix of the place's pages: `/kiosque/c/{slug}` or `/kiosque/borne/{token}`.
    pub base: String,
}

impl FromRequest for Place {
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
            let place = if req.path().starts_with("/kiosque/borne/") {
                Place::kiosk(&req, &db, site).await?
            } else {
                Place::portal(&req, &db, site).await?
            };
            // Page views and events of this request count for the place's centre.
            csc_stats::set_centre(&req, place.centre().id);
            Ok(place)
        })
    }
}

impl Place {
    pub async fn portal(req: &HttpRequest, db: &Db, slug: String) -> Result<Self, AppError> {
        let data = cached_portal(req, db, slug).await?;
        Ok(Self {
            base: format!("/kiosque/c/{}", data.centre.slug),
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
            base: format!("/kiosque/borne/{}", kiosk.token),
            data,
            kiosk: Some(kiosk),
        })
    }

    pub fn centre(&self) -> &Centre {
        &self.data.centre
    }

    /// The layout variables of every screen of the place.
    pub fn context(&self) -> tera::Context {
        let mut ctx = tera::Context::new();
        ctx.insert("centre", &self.data.view);
        ctx.insert("base", &self.base);
        ctx.insert("kiosk", &self.kiosk);
        ctx
    }
}

/// The centre, when the user may manage it.
pub(crate) use csc_auth::centres::managed as managed_centre;
