//! What the glossary offers each signed-in user on their home page: the words waiting for a
//! workshop and the drafts to validate, per structure; the admin's page.

use csc_core::{AppError, Identity, Role};
use csc_db::DbConn;
use csc_web::Offer;
use diesel::prelude::*;

use crate::requests::RequestStatus;
use crate::schema::{glossaire_drafts as d, glossaire_requests as r, glossaire_workshops as w};
use crate::workshops::DraftStatus;
use crate::{MOUNT, WORKSHOP};

/// The glossary's part of `who`'s home page.
pub fn of(conn: &mut DbConn, who: &Identity) -> Result<Vec<Offer>, AppError> {
    let mut out = Vec::new();
    if who.is_admin {
        out.push(Offer {
            centre: None,
            label: "Glossaire : structures, lexiques et import".into(),
            href: format!("{MOUNT}/admin"),
            count: None,
        });
    }
    for (centre, name) in who.centres_with_any(&WORKSHOP) {
        let Some(s) = crate::workshops::of_centre(conn, centre)? else {
            continue;
        };
        let waiting: i64 = r::table
            .filter(r::status.eq(RequestStatus::Open))
            .count()
            .get_result(conn)?;
        out.push(Offer {
            centre: Some(name.to_string()),
            label: "Mots demandés au glossaire, en attente d'un atelier".into(),
            href: format!("{MOUNT}/atelier/{centre}"),
            count: Some(waiting),
        });
        if who.has_role(centre, Role::Accompagnateur) {
            let to_check: i64 = d::table
                .inner_join(w::table)
                .filter(w::structure_id.eq(s.id))
                .filter(d::status.eq(DraftStatus::Draft))
                .count()
                .get_result(conn)?;
            out.push(Offer {
                centre: Some(name.to_string()),
                label: "Définitions à relire et valider".into(),
                href: format!("{MOUNT}/atelier/{centre}"),
                count: Some(to_check),
            });
        }
    }
    Ok(out)
}
