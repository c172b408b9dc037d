//! The shared auth crate: accounts (argon2id), centres, roles per centre, JWT sessions that can be
//! revoked, sign-in throttling, and the pages of sign-in, account and administration.

pub mod centres;
pub mod config;
pub mod handlers;
pub mod jwt;
pub mod middleware;
pub mod password;
mod schema;
pub mod service;
pub mod sessions;
pub mod throttle;
pub mod tokens;
pub mod users;

use actix_web::web;

pub use config::AuthConfig;

/// Page templates of sign-in, account and administration.
pub static TEMPLATES: include_dir::Dir<'static> =
    include_dir::include_dir!("$CARGO_MANIFEST_DIR/templates");
/// Mail templates (invitation, password reset, new role), named `auth/…`.
pub static MAIL_TEMPLATES: include_dir::Dir<'static> =
    include_dir::include_dir!("$CARGO_MANIFEST_DIR/mail");

/// Registers every auth route.
pub fn configure(cfg: &mut web::ServiceConfig) {
    use handlers::{account, admin_centres as ac, admin_users as au, api, login, password as pw};
    cfg.route("/connexion", web::get().to(login::login_page))
        .route("/connexion", web::post().to(login::login_submit))
        .route("/deconnexion", web::get().to(login::logout_page))
        .route("/deconnexion", web::post().to(login::logout))
        .route("/mot-de-passe-oublie", web::get().to(pw::forgot_page))
        .route("/mot-de-passe-oublie", web::post().to(pw::forgot_submit))
        .route("/mot-de-passe/nouveau", web::get().to(pw::new_password))
        .route(
            "/mot-de-passe/nouveau",
            web::post().to(pw::new_password_submit),
        )
        .route("/mon-compte", web::get().to(account::show))
        .route(
            "/mon-compte/mot-de-passe",
            web::post().to(account::change_password),
        )
        .route("/admin", web::get().to(ac::home))
        .route("/admin/centres", web::get().to(ac::list))
        .route("/admin/centres", web::post().to(ac::create))
        .route("/admin/centres/nouveau", web::get().to(ac::new_form))
        .route("/admin/centres/{id}", web::get().to(ac::edit_form))
        .route("/admin/centres/{id}", web::post().to(ac::update))
        .route("/admin/centres/{id}/logo", web::post().to(ac::upload_logo))
        .route("/centres/{slug}/logo", web::get().to(ac::logo))
        .route("/admin/utilisateurs", web::get().to(au::list))
        .route(
            "/admin/utilisateurs/inviter",
            web::get().to(au::invite_form),
        )
        .route("/admin/utilisateurs/inviter", web::post().to(au::invite))
        .route("/admin/utilisateurs/{id}", web::get().to(au::show))
        .route(
            "/admin/utilisateurs/{id}/roles",
            web::post().to(au::change_role),
        )
        .route(
            "/admin/utilisateurs/{id}/desactiver",
            web::post().to(au::deactivate),
        )
        .route(
            "/admin/utilisateurs/{id}/reactiver",
            web::post().to(au::reactivate),
        )
        .route("/api/v1/jetons", web::post().to(api::create_token))
        .route(
            "/api/v1/jetons/courant",
            web::delete().to(api::revoke_current),
        )
        .route("/api/v1/moi", web::get().to(api::me));
}
