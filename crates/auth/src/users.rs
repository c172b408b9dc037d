//! Accounts and their roles per centre.

use chrono::NaiveDateTime;
use csc_core::{time, AppError, CentreRole, Email, Identity, Role};
use csc_db::DbConn;
use diesel::prelude::*;
use serde::Serialize;

use crate::schema::{centres, user_roles, users};

/// An account.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = users)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    #[serde(skip)]
    pub password_hash: Option<String>,
    pub is_admin: bool,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub last_login_at: Option<NaiveDateTime>,
}

impl User {
    /// True until the invitation has been accepted.
    pub fn is_invited(&self) -> bool {
        self.password_hash.is_none()
    }
}

#[derive(Insertable)]
#[diesel(table_name = users)]
struct NewUser<'a> {
    email: &'a str,
    display_name: &'a str,
    password_hash: Option<&'a str>,
    is_admin: bool,
    active: bool,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

/// Creates an account (without password for an invitation).
pub fn create(
    conn: &mut DbConn,
    email: &Email,
    display_name: &str,
    password_hash: Option<&str>,
    is_admin: bool,
) -> Result<User, AppError> {
    let now = time::now();
    let user = diesel::insert_into(users::table)
        .values(NewUser {
            email: email.as_str(),
            display_name,
            password_hash,
            is_admin,
            active: true,
            created_at: now,
            updated_at: now,
        })
        .get_result::<User>(conn)
        .map_err(|e| match AppError::from(e) {
            AppError::Conflict(_) => {
                AppError::Conflict("Un compte existe déjà avec cette adresse e-mail.".into())
            }
            other => other,
        })?;
    Ok(user)
}

/// One account by id.
pub fn get(conn: &mut DbConn, id: i64) -> Result<User, AppError> {
    Ok(users::table
        .find(id)
        .select(User::as_select())
        .first(conn)?)
}

/// One account by e-mail, if any.
pub fn by_email(conn: &mut DbConn, email: &Email) -> QueryResult<Option<User>> {
    users::table
        .filter(users::email.eq(email.as_str()))
        .select(User::as_select())
        .first(conn)
        .optional()
}

/// Every account (administrators), or those with a role in one of `centres` (referents).
pub fn list(conn: &mut DbConn, centre_ids: Option<&[i64]>) -> QueryResult<Vec<User>> {
    match centre_ids {
        None => users::table
            .select(User::as_select())
            .order(users::display_name)
            .load(conn),
        Some(ids) => {
            let user_ids = user_roles::table
                .filter(user_roles::centre_id.eq_any(ids.to_vec()))
                .select(user_roles::user_id);
            users::table
                .filter(users::id.eq_any(user_ids))
                .select(User::as_select())
                .order(users::display_name)
                .load(conn)
        }
    }
}

/// The roles of these users, as (user, centre name, role), by centre then role, in one query.
pub fn roles_of_many(
    conn: &mut DbConn,
    user_ids: &[i64],
) -> QueryResult<Vec<(i64, i64, String, Role)>> {
    let rows: Vec<(i64, i64, String, String)> = user_roles::table
        .inner_join(centres::table)
        .filter(user_roles::user_id.eq_any(user_ids))
        .select((
            user_roles::user_id,
            centres::id,
            centres::name,
            user_roles::role,
        ))
        .order((centres::name, user_roles::role))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(user, centre, name, role)| {
            Role::from_code(&role).map(|r| (user, centre, name, r))
        })
        .collect())
}

/// The roles of a user with their centres.
pub fn roles_of(conn: &mut DbConn, user_id: i64) -> QueryResult<Vec<CentreRole>> {
    let rows: Vec<(i64, String, String, String)> = user_roles::table
        .inner_join(centres::table)
        .filter(user_roles::user_id.eq(user_id))
        .select((centres::id, centres::slug, centres::name, user_roles::role))
        .order((centres::name, user_roles::role))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(centre_id, centre_slug, centre_name, role)| {
            Role::from_code(&role).map(|role| CentreRole {
                centre_id,
                centre_slug,
                centre_name,
                role,
            })
        })
        .collect())
}

/// Gives `role` in `centre_id` (nothing happens if it is already held).
pub fn grant(conn: &mut DbConn, user_id: i64, centre_id: i64, role: Role) -> Result<(), AppError> {
    let exists: i64 = user_roles::table
        .filter(user_roles::user_id.eq(user_id))
        .filter(user_roles::centre_id.eq(centre_id))
        .filter(user_roles::role.eq(role.code()))
        .count()
        .get_result(conn)?;
    if exists == 0 {
        diesel::insert_into(user_roles::table)
            .values((
                user_roles::user_id.eq(user_id),
                user_roles::centre_id.eq(centre_id),
                user_roles::role.eq(role.code()),
                user_roles::created_at.eq(time::now()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Takes `role` in `centre_id` away.
pub fn revoke_role(
    conn: &mut DbConn,
    user_id: i64,
    centre_id: i64,
    role: Role,
) -> Result<(), AppError> {
    diesel::delete(
        user_roles::table
            .filter(user_roles::user_id.eq(user_id))
            .filter(user_roles::centre_id.eq(centre_id))
            .filter(user_roles::role.eq(role.code())),
    )
    .execute(conn)?;
    Ok(())
}

/// Sets a new password hash.
pub fn set_password_hash(conn: &mut DbConn, user_id: i64, hash: &str) -> Result<(), AppError> {
    diesel::update(users::table.find(user_id))
        .set((
            users::password_hash.eq(Some(hash)),
            users::updated_at.eq(time::now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Activates or deactivates an account.
pub fn set_active(conn: &mut DbConn, user_id: i64, active: bool) -> Result<(), AppError> {
    let n = diesel::update(users::table.find(user_id))
        .set((users::active.eq(active), users::updated_at.eq(time::now())))
        .execute(conn)?;
    if n == 1 {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// Records a successful sign-in.
pub fn touch_login(conn: &mut DbConn, user_id: i64) -> QueryResult<usize> {
    diesel::update(users::table.find(user_id))
        .set(users::last_login_at.eq(Some(time::now())))
        .execute(conn)
}

/// Builds the identity of an active user for a session.
pub fn identity(conn: &mut DbConn, user: &User, session_id: &str) -> QueryResult<Identity> {
    Ok(Identity {
        user_id: user.id,
        email: user.email.clone(),
        display_name: user.display_name.clone(),
        is_admin: user.is_admin,
        roles: roles_of(conn, user.id)?,
        session_id: session_id.to_string(),
    })
}
