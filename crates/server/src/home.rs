//! The home page, and the health endpoints for the supervisor and the load balancer.

use actix_web::{web, HttpRequest, HttpResponse};
use csc_core::{AppError, Identity};
use csc_db::Db;
use csc_web::routes::{Access, Routes};
use csc_web::Offer;
use tera::Context;

use crate::Registry;

/// One app's part of a user's home page.
#[derive(Debug, serde::Serialize)]
struct Work {
    title: &'static str,
    offers: Vec<Offer>,
}

/// `GET /`: for a signed-in user, their work in every app, per centre; for a visitor, the
/// services.
async fn home(
    req: HttpRequest,
    who: Option<Identity>,
    db: web::Data<Db>,
    registry: web::Data<Registry>,
) -> Result<HttpResponse, AppError> {
    let mut ctx = Context::new();
    ctx.insert("title", "Accueil");
    if let Some(who) = who {
        let registry = registry.into_inner();
        let work = db
            .run(move |c| {
                let mut work = Vec::new();
                for m in &registry.modules {
                    if let Some(offers) = m.offers {
                        let offers = offers(c, &who)?;
                        if !offers.is_empty() {
                            work.push(Work {
                                title: m.info.title,
                                offers,
                            });
                        }
                    }
                }
                Ok(work)
            })
            .await?;
        ctx.insert("work", &work);
    }
    csc_web::render(&req, "home.html", ctx)
}

async fn healthz() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body("ok")
}

async fn readyz(db: web::Data<Db>, proxy: web::Data<crate::ProxyCheck>) -> HttpResponse {
    if db.ping().await {
        let mut body = String::from("prêt");
        if proxy.seen() {
            body.push_str(crate::ProxyCheck::WARNING_FR);
        }
        HttpResponse::Ok()
            .content_type("text/plain; charset=utf-8")
            .body(body)
    } else {
        HttpResponse::ServiceUnavailable()
            .content_type("text/plain; charset=utf-8")
            .body("base de données injoignable")
    }
}

/// Declares and registers `/`, `/healthz` and `/readyz`.
pub fn routes(r: &mut Routes) {
    r.get("/", Access::Public, home)
        .get("/healthz", Access::Public, healthz)
        .get("/readyz", Access::Public, readyz);
}
