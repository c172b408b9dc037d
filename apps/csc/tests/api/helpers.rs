use csc_core::Role;
use csc_testkit::{spawn_app, TestApp};

pub const PASSWORD: &str = "une phrase de passe";

/// The one BIGINT that `sql` (a whole `SELECT`) computes on the app's database.
pub async fn scalar(app: &TestApp, sql: impl Into<String>) -> i64 {
    let sql = sql.into();
    app.db
        .run(move |c| {
            use diesel::RunQueryDsl;
            Ok(diesel::dsl::sql::<diesel::sql_types::BigInt>(&sql).get_result(c)?)
        })
        .await
        .unwrap()
}

/// `path` under the kiosque's mount: `kiosque("/c/centre-a")` is `/kiosque/c/centre-a`.
pub fn kiosque(path: &str) -> String {
    format!("{}{path}", csc_kiosque::MOUNT)
}

/// `path` under the pré-inscription's mount.
pub fn preinscription(path: &str) -> String {
    format!("{}{path}", csc_preinscription::MOUNT)
}

/// An app with two centres, an admin, and a referent of each centre.
pub struct World {
    pub app: TestApp,
    pub centre_a: i64,
    pub centre_b: i64,
}

pub async fn world() -> World {
    let app = spawn_app(&csc::modules()).await;
    let centre_a = app.create_centre("centre-a", "Centre A").await;
    let centre_b = app.create_centre("centre-b", "Centre B").await;
    app.create_user("admin@exemple.fr", PASSWORD, true, &[])
        .await;
    app.create_user(
        "referent.a@exemple.fr",
        PASSWORD,
        false,
        &[(centre_a, Role::Referent)],
    )
    .await;
    app.create_user(
        "referent.b@exemple.fr",
        PASSWORD,
        false,
        &[(centre_b, Role::Referent)],
    )
    .await;
    app.create_user(
        "habitant.a@exemple.fr",
        PASSWORD,
        false,
        &[(centre_a, Role::Habitant)],
    )
    .await;
    World {
        app,
        centre_a,
        centre_b,
    }
}

/// Sets the `time` of every login failure back, as if the window had passed.
pub async fn age_login_failures(app: &TestApp, minutes: i64) {
    use diesel::prelude::*;
    let sql = if app.test_db.is_postgres() {
        format!(
            "UPDATE auth_login_failures SET failed_at = failed_at - INTERVAL '{minutes} minutes'"
        )
    } else {
        format!(
            "UPDATE auth_login_failures SET failed_at = datetime(failed_at, '-{minutes} minutes')"
        )
    };
    app.db
        .run(move |c| diesel::sql_query(sql).execute(c).map_err(Into::into))
        .await
        .unwrap();
}

/// The first link of the mail that points to `path_prefix`, made relative.
pub fn link_in(mail: &str, path_prefix: &str) -> String {
    let unfolded = mail
        .replace("=\r\n", "")
        .replace("=\n", "")
        .replace("=3D", "=");
    let start = unfolded
        .find(path_prefix)
        .unwrap_or_else(|| panic!("no link {path_prefix} in:\n{mail}"));
    unfolded[start..]
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != '"' && *c != '<')
        .collect()
}

/// The id of an account.
pub async fn user_id(app: &TestApp, email: &str) -> i64 {
    let email = csc_core::Email::parse(email).unwrap();
    app.db
        .run(move |c| Ok(csc_auth::users::by_email(c, &email)?.unwrap().id))
        .await
        .unwrap()
}
