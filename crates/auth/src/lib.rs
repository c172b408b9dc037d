//! The shared auth crate: accounts (argon2id), centres, roles per centre, JWT sessions that can be
//! revoked, sign-in throttling, and the pages of sign-in, account and administration.

pub mod centres;
pub mod config;
pub mod handlers;
pub mod jwt;
pub mod middleware;
pub mod notifications;
pub mod password;
mod schema;
pub mod service;
pub mod sessions;
pub mod throttle;
pub mod tokens;
pub mod users;

use csc_web::routes::{Access, Routes, Verb};

pub use config::AuthConfig;

/// Page templates of sign-in, account and administration.
pub static TEMPLATES: include_dir::Dir<'static> =
    include_dir::include_dir!("$CARGO_MANIFEST_DIR/templates");
/// Mail templates (invitation, password reset, new role), named `auth/…`.
pub static MAIL_TEMPLATES: include_dir::Dir<'static> =
    include_dir::include_dir!("$CARGO_MANIFEST_DIR/mail");

/// Declares and registers every auth route.
pub fn routes(r: &mut Routes) {
    use csc_core::Role;
    use handlers::{account, admin_centres as ac, admin_users as au, api, login, password as pw};
    use Access::{Admin, Public, SignedIn};
    let referents = Access::Staff(&[Role::Referent]);
    r.get("/connexion", Public, login::login_page)
        .post("/connexion", Public, login::login_submit)
        .get("/deconnexion", Public, login::logout_page)
        .post("/deconnexion", Public, login::logout)
        .get("/mot-de-passe-oublie", Public, pw::forgot_page)
        .post("/mot-de-passe-oublie", Public, pw::forgot_submit)
        .get("/mot-de-passe/nouveau", Public, pw::new_password)
        .post("/mot-de-passe/nouveau", Public, pw::new_password_submit)
        .get("/mon-compte", SignedIn, account::show)
        .post(
            "/mon-compte/mot-de-passe",
            SignedIn,
            account::change_password,
        )
        .post("/mon-compte/courriels", SignedIn, account::set_topics)
        .get("/admin", referents, ac::home)
        .get("/admin/centres", referents, ac::list)
        .post("/admin/centres", Admin, ac::create)
        .get("/admin/centres/nouveau", Admin, ac::new_form)
        .get("/admin/centres/{centre}", referents, ac::edit_form)
        .post("/admin/centres/{centre}", referents, ac::update)
        .post("/admin/centres/{centre}/logo", referents, ac::upload_logo)
        .get("/centres/{slug}/logo", Public, ac::logo)
        .get("/admin/utilisateurs", referents, au::list)
        .get("/admin/utilisateurs/inviter", referents, au::invite_form)
        .post("/admin/utilisateurs/inviter", referents, au::invite)
        .get("/admin/utilisateurs/{id}", referents, au::show)
        .post("/admin/utilisateurs/{id}/roles", referents, au::change_role)
        .post("/admin/utilisateurs/{id}/desactiver", Admin, au::deactivate)
        .post("/admin/utilisateurs/{id}/reactiver", Admin, au::reactivate)
        .post("/api/v1/jetons", Public, api::create_token)
        .route(
            Verb::Delete,
            "/api/v1/jetons/courant",
            SignedIn,
            api::revoke_current,
        )
        .get("/api/v1/moi", SignedIn, api::me);
}
