//! The reference of the portal benchmark (`scripts/bench.sh`): a bare actix-web handler that
//! returns a fixed page, with the same number of workers as the suite. Serves until killed.
//!
//!   BARE_PORT=8099 BARE_PAGE=page.html cargo bench -p csc-kiosque --bench bare_page

use actix_web::{web, App, HttpResponse, HttpServer};

/// The same allocator as the `csc` binary, so the comparison is only about the handler.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let port: u16 = std::env::var("BARE_PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(8099);
    let page = match std::env::var("BARE_PAGE") {
        Ok(path) => std::fs::read(path)?,
        Err(_) => b"<!doctype html><title>Page</title>".to_vec(),
    };
    let page = web::Bytes::from(page);
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    HttpServer::new(move || {
        let page = page.clone();
        App::new().default_service(web::to(move || {
            let page = page.clone();
            async move {
                HttpResponse::Ok()
                    .content_type("text/html; charset=utf-8")
                    .body(page)
            }
        }))
    })
    .workers(workers)
    .bind(("127.0.0.1", port))?
    .run()
    .await
}
