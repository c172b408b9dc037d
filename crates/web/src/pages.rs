//! The pages every deployment must have: accessibility statement, legal notice, privacy.

use actix_web::{web, HttpRequest, HttpResponse};
use csc_core::AppError;
use tera::Context;

use crate::render;

async fn accessibility(req: HttpRequest) -> Result<HttpResponse, AppError> {
    render(&req, "legal/accessibilite.html", Context::new())
}

async fn legal_notice(req: HttpRequest) -> Result<HttpResponse, AppError> {
    render(&req, "legal/mentions-legales.html", Context::new())
}

async fn privacy(req: HttpRequest) -> Result<HttpResponse, AppError> {
    render(&req, "legal/confidentialite.html", Context::new())
}

/// Registers the three pages.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/accessibilite", web::get().to(accessibility))
        .route("/mentions-legales", web::get().to(legal_notice))
        .route("/confidentialite", web::get().to(privacy));
}
