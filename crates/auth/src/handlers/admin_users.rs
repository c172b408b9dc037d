//! Administration of accounts: invite by mail, roles per centre, deactivation.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use csc_core::{AppError, Coded, Email, Identity, Role};
use csc_db::Db;
use csc_mail::Mailer;
use csc_web::forms::{required, RowChoice};
use csc_web::{flash, render, render_status, FieldErrors};
use serde::{Deserialize, Serialize};
use tera::Context;

use super::admin_centres::managed_centres;
use crate::centres::{self, Centre};
use crate::config::AuthConfig;
use crate::service::{self, Invitation};
use crate::users;

/// The centres as the choices of a `<select>`.
fn centre_choices(centres: &[Centre]) -> Vec<RowChoice> {
    centres
        .iter()
        .map(|c| RowChoice::new(c.id, c.name.clone()))
        .collect()
}

/// Centres the user may assign roles in.
async fn assignable_centres(db: &Db, who: &Identity) -> Result<Vec<Centre>, AppError> {
    let scope = managed_centres(who)?;
    let all = db.run(|c| centres::list(c).map_err(Into::into)).await?;
    Ok(all
        .into_iter()
        .filter(|c| scope.as_ref().is_none_or(|ids| ids.contains(&c.id)))
        .collect())
}

/// An account in the list, with its roles per centre (only the centres the viewer manages, for a
/// referent).
#[derive(Debug, serde::Serialize)]
struct Listed {
    #[serde(flatten)]
    user: users::User,
    /// « Centre A : Accueil, Animateur·rice », one entry per centre.
    roles: Vec<String>,
}

/// `GET /admin/utilisateurs`
pub async fn list(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
) -> Result<HttpResponse, AppError> {
    let scope = managed_centres(&who)?;
    let list = db
        .run(move |c| {
            let users = users::list(c, scope.as_deref())?;
            let ids: Vec<i64> = users.iter().map(|u| u.id).collect();
            let roles = users::roles_of_many(c, &ids)?;
            Ok(users
                .into_iter()
                .map(|user| {
                    let mut per_centre: Vec<(String, Vec<&str>)> = Vec::new();
                    for (_, _, name, role) in roles.iter().filter(|r| {
                        r.0 == user.id && scope.as_ref().is_none_or(|ids| ids.contains(&r.1))
                    }) {
                        match per_centre.iter_mut().find(|(n, _)| n == name) {
                            Some((_, labels)) => labels.push(role.label()),
                            None => per_centre.push((name.clone(), vec![role.label()])),
                        }
                    }
                    Listed {
                        roles: per_centre
                            .into_iter()
                            .map(|(name, labels)| format!("{name} : {}", labels.join(", ")))
                            .collect(),
                        user,
                    }
                })
                .collect::<Vec<_>>())
        })
        .await?;
    let mut ctx = Context::new();
    ctx.insert("title", "Comptes");
    ctx.insert("users", &list);
    render(&req, "admin/users.html", ctx)
}

#[derive(Debug, Default, Deserialize, Serialize)]
pub struct InviteForm {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub centre_id: String,
    #[serde(default)]
    pub role: String,
}

async fn invite_page(
    req: &HttpRequest,
    db: &Db,
    who: &Identity,
    status: StatusCode,
    form: &InviteForm,
    errors: &FieldErrors,
) -> Result<HttpResponse, AppError> {
    let mut ctx = Context::new();
    ctx.insert("title", "Inviter une personne");
    let centres = assignable_centres(db, who).await?;
    ctx.insert("centre_choices", &centre_choices(&centres));
    ctx.insert("roles", &Role::choices());
    ctx.insert("values", form);
    ctx.insert("errors", errors);
    render_status(req, status, "admin/invite.html", ctx)
}

/// `GET /admin/utilisateurs/inviter`
pub async fn invite_form(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
) -> Result<HttpResponse, AppError> {
    invite_page(
        &req,
        &db,
        &who,
        StatusCode::OK,
        &InviteForm::default(),
        &FieldErrors::new(),
    )
    .await
}

/// `POST /admin/utilisateurs/inviter`
pub async fn invite(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    mailer: web::Data<Mailer>,
    auth: web::Data<AuthConfig>,
    form: web::Form<InviteForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let allowed = assignable_centres(&db, &who).await?;
    let mut errors = FieldErrors::new();
    let email = errors.check("email", Email::parse(&form.email));
    let name = errors.check(
        "display_name",
        required(&form.display_name, 100, "le nom de la personne"),
    );
    let centre = form
        .centre_id
        .parse::<i64>()
        .ok()
        .and_then(|id| allowed.iter().find(|c| c.id == id).cloned());
    if centre.is_none() {
        errors.add("centre_id", "Choisissez un des centres de la liste.");
    }
    let role = Role::from_code(&form.role);
    if role.is_none() {
        errors.add("role", "Choisissez un rôle dans la liste.");
    }
    let (Some(email), Some(name), Some(centre), Some(role)) = (email, name, centre, role) else {
        return invite_page(
            &req,
            &db,
            &who,
            StatusCode::UNPROCESSABLE_ENTITY,
            &form,
            &errors,
        )
        .await;
    };
    let mailer = mailer.into_inner();
    let invited_by = who.display_name.clone();
    let shown = email.to_string();
    let is_new = db
        .write(move |c| {
            service::invite(
                c,
                &mailer,
                &Invitation {
                    email: &email,
                    display_name: &name,
                    centre_id: centre.id,
                    centre_name: &centre.name,
                    role,
                    invited_by: &invited_by,
                },
            )
        })
        .await?;
    let message = if is_new {
        format!("L'invitation a été envoyée à {shown}. Le lien pour choisir un mot de passe est valable 7 jours.")
    } else {
        format!("{shown} avait déjà un compte : le nouveau rôle lui a été ajouté et un courriel l'en informe.")
    };
    Ok(flash::redirect(
        "/admin/utilisateurs",
        flash::Level::Success,
        &message,
        auth.secure_cookies,
    ))
}

/// A referent may only see or change accounts that hold a role in one of their centres.
async fn check_access(db: &Db, who: &Identity, user_id: i64) -> Result<(), AppError> {
    let Some(mine) = managed_centres(who)? else {
        return Ok(());
    };
    let roles = db
        .run(move |c| users::roles_of(c, user_id).map_err(Into::into))
        .await?;
    if roles.iter().any(|r| mine.contains(&r.centre_id)) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// `GET /admin/utilisateurs/{id}`
pub async fn show(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    check_access(&db, &who, id).await?;
    let (user, roles) = db
        .run(move |c| Ok((users::get(c, id)?, users::roles_of(c, id)?)))
        .await?;
    let mut ctx = Context::new();
    ctx.insert("title", &format!("Compte de {}", user.display_name));
    ctx.insert("account", &user);
    ctx.insert("invited", &user.is_invited());
    ctx.insert("account_roles", &roles);
    let centres = assignable_centres(&db, &who).await?;
    ctx.insert("centre_choices", &centre_choices(&centres));
    ctx.insert("centres", &centres);
    ctx.insert("roles", &Role::choices());
    render(&req, "admin/user.html", ctx)
}

#[derive(Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    pub centre_id: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub action: String,
}

/// `POST /admin/utilisateurs/{id}/roles`: add or remove a role in a centre the user manages.
pub async fn change_role(
    who: Identity,
    db: web::Data<Db>,
    auth: web::Data<AuthConfig>,
    path: web::Path<i64>,
    form: web::Form<RoleForm>,
) -> Result<HttpResponse, AppError> {
    // Only those who may see this account learn what the form lacks.
    let id = path.into_inner();
    check_access(&db, &who, id).await?;
    let centre_id: i64 = form
        .centre_id
        .parse()
        .map_err(|_| AppError::bad_request("Choisissez un centre dans la liste."))?;
    who.require_role(centre_id, &[Role::Referent])?;
    let role = Role::from_code(&form.role)
        .ok_or_else(|| AppError::bad_request("Choisissez un rôle dans la liste."))?;
    let add = match form.action.as_str() {
        "ajouter" => true,
        "retirer" => false,
        _ => return Err(AppError::bad_request("Action inconnue.")),
    };
    // The user must exist; a referent may add a role to anyone they can see (checked above), or
    // to someone new to their centres only through an invitation.
    db.write(move |c| {
        users::get(c, id)?;
        centres::get(c, centre_id)?;
        if add {
            users::grant(c, id, centre_id, role)
        } else {
            users::revoke_role(c, id, centre_id, role)
        }
    })
    .await?;
    let msg = if add {
        "Le rôle a été ajouté."
    } else {
        "Le rôle a été retiré."
    };
    Ok(flash::redirect(
        &format!("/admin/utilisateurs/{id}"),
        flash::Level::Success,
        msg,
        auth.secure_cookies,
    ))
}

/// `POST /admin/utilisateurs/{id}/desactiver` (admins): the account can no longer sign in.
pub async fn deactivate(
    who: Identity,
    db: web::Data<Db>,
    auth: web::Data<AuthConfig>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    who.require_admin()?;
    let id = path.into_inner();
    if id == who.user_id {
        return Err(AppError::bad_request(
            "Vous ne pouvez pas désactiver votre propre compte.",
        ));
    }
    db.write(move |c| service::deactivate(c, id)).await?;
    Ok(flash::redirect(
        &format!("/admin/utilisateurs/{id}"),
        flash::Level::Success,
        "Le compte est désactivé et ses sessions sont fermées.",
        auth.secure_cookies,
    ))
}

/// `POST /admin/utilisateurs/{id}/reactiver` (admins).
pub async fn reactivate(
    who: Identity,
    db: web::Data<Db>,
    auth: web::Data<AuthConfig>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    who.require_admin()?;
    let id = path.into_inner();
    db.write(move |c| users::set_active(c, id, true)).await?;
    Ok(flash::redirect(
        &format!("/admin/utilisateurs/{id}"),
        flash::Level::Success,
        "Le compte est réactivé.",
        auth.secure_cookies,
    ))
}
