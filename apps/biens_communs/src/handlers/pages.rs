//! The pages of Biens communs.

use actix_web::{HttpRequest, HttpResponse};
use csc_core::AppError;
use csc_web::render;
use csc_web::routes::{Access, Routes};
use tera::Context;

pub fn routes(r: &mut Routes) {
    r.get("", Access::Public, index)
        .get("/", Access::Public, index);
}

async fn index(req: HttpRequest) -> Result<HttpResponse, AppError> {
    let mut ctx = Context::new();
    ctx.insert("title", "Biens communs");
    render(&req, "biens_communs/index.html", ctx)
}
