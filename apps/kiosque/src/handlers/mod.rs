//! Routes of the kiosque, relative to `/kiosque`.

mod catalogue;
mod manage;
mod public;
mod stats;

use std::sync::Arc;

use actix_web::{web, HttpRequest, HttpResponse};
use csc_auth::centres::{self, Centre};
use csc_core::{AppError, Identity, Role, Settings};
use csc_db::Db;
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
        // The public portal of a centre.
        .route("/c/{site}", web::get().to(public::portal_home))
        .route(
            "/c/{site}/theme/{theme}",
            web::get().to(public::portal_theme),
        )
        .route("/c/{site}/recherche", web::get().to(public::portal_search))
        .route(
            "/c/{site}/demarche/{proc}",
            web::get().to(public::portal_guide),
        )
        .route(
            "/c/{site}/demarche/{proc}/imprimer",
            web::get().to(public::portal_print),
        )
        .route("/c/{site}/aide", web::get().to(public::portal_help))
        .route(
            "/c/{site}/ateliers",
            web::get().to(public::portal_workshops),
        )
        .route(
            "/c/{site}/ateliers/{id}",
            web::post().to(public::portal_sign_up),
        )
        .route("/c/{site}/affiche.pdf", web::get().to(public::poster))
        // The same screens on a kiosk.
        .route("/borne/{site}", web::get().to(public::kiosk_home))
        .route(
            "/borne/{site}/theme/{theme}",
            web::get().to(public::kiosk_theme),
        )
        .route(
            "/borne/{site}/recherche",
            web::get().to(public::kiosk_search),
        )
        .route(
            "/borne/{site}/demarche/{proc}",
            web::get().to(public::kiosk_guide),
        )
        .route(
            "/borne/{site}/demarche/{proc}/imprimer",
            web::get().to(public::kiosk_print),
        )
        .route("/borne/{site}/aide", web::get().to(public::kiosk_help))
        .route(
            "/borne/{site}/ateliers",
            web::get().to(public::kiosk_workshops),
        )
        .route(
            "/borne/{site}/ateliers/{id}",
            web::post().to(public::kiosk_sign_up),
        )
        .route(
            "/borne/{site}/reponse",
            web::post().to(public::kiosk_answer),
        )
        // The referent's pages.
        .configure(manage::configure)
        .configure(stats::configure)
        // The federation's catalogue.
        .configure(catalogue::configure);
}

/// `GET /kiosque/fichiers/…`: the kiosk's stylesheet, script and icons.
async fn asset(path: web::Path<String>) -> Result<HttpResponse, AppError> {
    let name = path.into_inner();
    let file = STATIC.get_file(&name).ok_or(AppError::NotFound)?;
    let content_type = match name.rsplit('.').next() {
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("svg") => "image/svg+xml",
        _ => "application/octet-stream",
    };
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header(("Cache-Control", "public, max-age=3600"))
        .body(file.contents()))
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

/// Where a screen is shown: the public portal of a centre, or one of its kiosks.
#[derive(Debug, Clone)]
pub(crate) struct Place {
    /// The centre and its portal.
    pub data: Arc<Cached>,
    pub kiosk: Option<Kiosk>,
    /// The prefix of the place's pages: `/kiosque/c/{slug}` or `/kiosque/borne/{token}`.
    pub base: String,
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
pub(crate) async fn managed_centre(
    db: &Db,
    who: &Identity,
    centre_id: i64,
    roles: &[Role],
) -> Result<Centre, AppError> {
    who.require_role(centre_id, roles)?;
    db.run(move |c| centres::get(c, centre_id)).await
}
