//! The pages every deployment must have: accessibility statement, legal notice, privacy.

use actix_web::{HttpRequest, HttpResponse};
use csc_core::AppError;
use tera::Context;

use crate::render;
use crate::routes::{Access, Routes};

async fn accessibility(req: HttpRequest) -> Result<HttpResponse, AppError> {
    render(&req, "legal/accessibilite.html", Context::new())
}

async fn legal_notice(req: HttpRequest) -> Result<HttpResponse, AppError> {
    render(&req, "legal/mentions-legales.html", Context::new())
}

async fn privacy(req: HttpRequest) -> Result<HttpResponse, AppError> {
    render(&req, "legal/confidentialite.html", Context::new())
}

/// Declares and registers the three pages.
pub fn routes(r: &mut Routes) {
    r.get("/accessibilite", Access::Public, accessibility)
        .get("/mentions-legales", Access::Public, legal_notice)
        .get("/confidentialite", Access::Public, privacy);
}
