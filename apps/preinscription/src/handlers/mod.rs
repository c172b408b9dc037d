//! Routes of `/preinscription`: the families' pages (no account, private links) and the staff's.

mod account;
mod family;
mod qf;
mod staff;

use actix_web::web;

/// Scripts that only enhance the pages.
static STATIC: include_dir::Dir<'static> = include_dir::include_dir!("$CARGO_MANIFEST_DIR/static");

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/fichiers/{name}",
        web::get().to(|path: web::Path<String>| async move {
            csc_web::assets::file(&STATIC, &path.into_inner())
        }),
    );
    family::configure(cfg);
    account::configure(cfg);
    qf::configure(cfg);
    staff::configure(cfg);
}
