//! Kiosks: the dedicated terminals of a centre, each reached by its own secret address.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::NaiveDateTime;
use csc_core::{time, AppError};
use csc_db::DbConn;
use csc_web::forms::{int_in, required};
use csc_web::FieldErrors;
use diesel::prelude::*;
use rand::RngCore;
use serde::{Deserialize, Serialize};

/// The statistics event of a kiosk answer (its value is the answer's code).
pub const ANSWER_EVENT: &str = "demarche-faite";

csc_core::coded! {
    /// The answer a resident gives on a kiosk, after a procedure: « Avez-vous pu faire votre
    /// démarche ? » (recorded as a statistics event, nothing personal).
    pub enum Answer {
        Done = ("oui", "Oui"),
        NotDone = ("non", "Non"),
        NeedHelp = ("aide", "J'ai besoin d'aide"),
    }
}

use crate::schema::kiosque_kiosks as k;
use csc_db::exactly_one;

/// Shortest warning before the reset (RGAA 13.1 asks for at least 20 seconds).
pub const MIN_WARNING: i32 = 20;

/// A kiosk.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = k)]
pub struct Kiosk {
    pub id: i64,
    pub centre_id: i64,
    pub name: String,
    pub token: String,
    pub inactivity_seconds: i32,
    pub warning_seconds: i32,
    pub created_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
}

/// The kiosk form as posted.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct KioskForm {
    #[serde(default)]
    pub name: String,
    #[serde(default = "default_inactivity")]
    pub inactivity_seconds: String,
    #[serde(default = "default_warning")]
    pub warning_seconds: String,
}

fn default_inactivity() -> String {
    "120".into()
}

fn default_warning() -> String {
    "30".into()
}

impl Default for KioskForm {
    fn default() -> Self {
        Self {
            name: String::new(),
            inactivity_seconds: default_inactivity(),
            warning_seconds: default_warning(),
        }
    }
}

impl KioskForm {
    /// (name, seconds before the warning, seconds of warning).
    pub fn parse(&self) -> Result<(String, i32, i32), FieldErrors> {
        let mut e = FieldErrors::new();
        let name = e.check("name", required(&self.name, 80, "le nom de la borne"));
        let inactivity = e.check(
            "inactivity_seconds",
            int_in(
                &self.inactivity_seconds,
                10..=1800,
                "les secondes sans activité",
            ),
        );
        let warning = e.check(
            "warning_seconds",
            int_in(
                &self.warning_seconds,
                MIN_WARNING..=300,
                "la durée de l'avertissement en secondes",
            ),
        );
        match (name, inactivity, warning) {
            (Some(n), Some(i), Some(w)) => Ok((n, i, w)),
            _ => Err(e),
        }
    }
}

/// A new secret for a kiosk address (192 random bits).
fn new_token() -> String {
    let mut raw = [0u8; 24];
    rand::rng().fill_bytes(&mut raw);
    URL_SAFE_NO_PAD.encode(raw)
}

/// Adds a kiosk to a centre.
pub fn create(
    conn: &mut DbConn,
    centre_id: i64,
    name: &str,
    inactivity: i32,
    warning: i32,
) -> QueryResult<Kiosk> {
    diesel::insert_into(k::table)
        .values((
            k::centre_id.eq(centre_id),
            k::name.eq(name),
            k::token.eq(new_token()),
            k::inactivity_seconds.eq(inactivity),
            k::warning_seconds.eq(warning),
            k::created_at.eq(time::now()),
        ))
        .returning(k::id)
        .get_result::<i64>(conn)
        .and_then(|id| k::table.find(id).select(Kiosk::as_select()).first(conn))
}

/// The centre's kiosks, in use first.
pub fn of_centre(conn: &mut DbConn, centre_id: i64) -> QueryResult<Vec<Kiosk>> {
    let mut v: Vec<Kiosk> = k::table
        .filter(k::centre_id.eq(centre_id))
        .select(Kiosk::as_select())
        .order(k::id)
        .load(conn)?;
    v.sort_by_key(|x| x.revoked_at.is_some());
    Ok(v)
}

/// The kiosk in use with this secret address.
pub fn by_token(conn: &mut DbConn, token: &str) -> Result<Kiosk, AppError> {
    if token.len() > 64 {
        return Err(AppError::NotFound);
    }
    Ok(k::table
        .filter(k::token.eq(token))
        .filter(k::revoked_at.is_null())
        .select(Kiosk::as_select())
        .first(conn)?)
}

/// Changes a kiosk's name and delays.
pub fn update(
    conn: &mut DbConn,
    centre_id: i64,
    id: i64,
    name: &str,
    inactivity: i32,
    warning: i32,
) -> Result<(), AppError> {
    let n = diesel::update(
        k::table
            .filter(k::id.eq(id))
            .filter(k::centre_id.eq(centre_id)),
    )
    .set((
        k::name.eq(name),
        k::inactivity_seconds.eq(inactivity),
        k::warning_seconds.eq(warning),
    ))
    .execute(conn)?;
    exactly_one(n)
}

/// Revokes a kiosk's address; with `renew`, the kiosk gets a new one at once.
pub fn revoke(conn: &mut DbConn, centre_id: i64, id: i64, renew: bool) -> Result<(), AppError> {
    conn.write_transaction(|conn| {
        let kiosk: Kiosk = k::table
            .filter(k::id.eq(id))
            .filter(k::centre_id.eq(centre_id))
            .filter(k::revoked_at.is_null())
            .select(Kiosk::as_select())
            .first(conn)?;
        diesel::update(k::table.find(id))
            .set(k::revoked_at.eq(time::now()))
            .execute(conn)?;
        if renew {
            create(
                conn,
                centre_id,
                &kiosk.name,
                kiosk.inactivity_seconds,
                kiosk.warning_seconds,
            )?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_warning_lasts_at_least_twenty_seconds() {
        let mut f = KioskForm {
            name: "Borne de l'accueil".into(),
            ..KioskForm::default()
        };
        assert_eq!(f.parse().unwrap(), ("Borne de l'accueil".into(), 120, 30));
        f.warning_seconds = "19".into();
        let e = f.parse().unwrap_err();
        assert!(e.get("warning_seconds").unwrap().contains("entre 20"));
        f.warning_seconds = "20".into();
        f.inactivity_seconds = "abc".into();
        assert!(f.parse().unwrap_err().get("inactivity_seconds").is_some());
    }

    #[test]
    fn tokens_are_long_and_distinct() {
        let (a, b) = (new_token(), new_token());
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
    }
}
