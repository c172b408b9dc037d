//! The home page, and the health endpoints for the supervisor and the load balancer.

use actix_web::{web, HttpRequest, HttpResponse};
use csc_core::AppError;
use csc_db::Db;
use tera::Context;

async fn home(req: HttpRequest) -> Result<HttpResponse, AppError> {
    let mut ctx = Context::new();
    ctx.insert("title", "Accueil");
    csc_web::render(&req, "home.html", ctx)
}

async fn healthz() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body("ok")
}

async fn readyz(db: web::Data<Db>) -> HttpResponse {
    if db.ping().await {
        HttpResponse::Ok()
            .content_type("text/plain; charset=utf-8")
            .body("prêt")
    } else {
        HttpResponse::ServiceUnavailable()
            .content_type("text/plain; charset=utf-8")
            .body("base de données injoignable")
    }
}

/// Registers `/`, `/healthz` and `/readyz`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(home))
        .route("/healthz", web::get().to(healthz))
        .route("/readyz", web::get().to(readyz));
}
