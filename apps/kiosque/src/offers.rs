//! What the kiosque offers each signed-in user on their home page: the portal to arrange for a
//! referent, the coming workshops for referents and animators, the catalogue's broken addresses
//! for the federation.

use csc_core::{time, AppError, Identity};
use csc_db::DbConn;
use csc_web::Offer;

use crate::handlers::{MANAGERS, WORKSHOP_STAFF};
use crate::{links, workshops, MOUNT};

/// The kiosque's part of `who`'s home page.
pub fn of(conn: &mut DbConn, who: &Identity) -> Result<Vec<Offer>, AppError> {
    let mut out = Vec::new();
    if who.is_admin {
        let broken = links::broken(conn, None)?.len();
        out.push(Offer {
            centre: None,
            label: "Catalogue des démarches : adresses en erreur".into(),
            href: format!("{MOUNT}/catalogue"),
            count: Some(i64::try_from(broken).unwrap_or(i64::MAX)),
        });
    }
    let week_end = time::now() + chrono::Duration::days(7);
    for (id, name) in who.centres_with_any(WORKSHOP_STAFF) {
        let coming = workshops::upcoming(conn, id)?
            .iter()
            .filter(|w| w.workshop.starts_at <= week_end)
            .count();
        out.push(Offer {
            centre: Some(name.to_string()),
            label: "Ateliers numériques des 7 prochains jours".into(),
            href: format!("{MOUNT}/gestion/{id}/ateliers"),
            count: Some(i64::try_from(coming).unwrap_or(i64::MAX)),
        });
    }
    for (id, name) in who.centres_with_any(MANAGERS) {
        out.push(Offer {
            centre: Some(name.to_string()),
            label: "Arranger le portail des démarches et les bornes".into(),
            href: format!("{MOUNT}/gestion/{id}"),
            count: None,
        });
    }
    Ok(out)
}
