//! Static assets (CSS, icons, scripts that only enhance), embedded in the binary.

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use csc_core::AppError;
use include_dir::{include_dir, Dir};

use crate::routes::{Access, Routes};

static STATIC: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/static");

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next() {
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// A file of an embedded folder (an app's own assets), or 404.
pub fn file(dir: &'static Dir<'static>, name: &str) -> Result<HttpResponse, AppError> {
    let file = dir.get_file(name).ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok()
        .content_type(content_type(name))
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(file.contents()))
}

/// `GET /static/{path}`.
pub async fn serve(path: web::Path<String>) -> Result<HttpResponse, AppError> {
    file(&STATIC, &path.into_inner())
}

/// Declares and registers `/static/…` and `/favicon.ico`.
pub fn routes(r: &mut Routes) {
    r.get("/static/{path:.*}", Access::Public, serve).get(
        "/favicon.ico",
        Access::Public,
        || async { serve(web::Path::from("favicon.svg".to_string())).await },
    );
}
