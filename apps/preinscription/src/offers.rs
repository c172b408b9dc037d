//! What the pré-inscription offers each signed-in user on their home page: the new requests
//! for the reception, the activities and grids for the referent, their households for a family
//! with an account.

use csc_core::{AppError, Identity};
use csc_db::DbConn;
use csc_web::Offer;

use crate::requests::{self, RequestStatus};
use crate::{MANAGERS, MOUNT, RECEPTION};

/// The pré-inscription's part of `who`'s home page.
pub fn of(conn: &mut DbConn, who: &Identity) -> Result<Vec<Offer>, AppError> {
    let mut out = Vec::new();
    if who.is_admin {
        out.push(Offer {
            centre: None,
            label: "Nouvelles demandes de pré-inscription, tous centres".into(),
            href: format!("{MOUNT}/gestion"),
            count: Some(requests::count_with_status(
                conn,
                None,
                RequestStatus::Sent,
            )?),
        });
    }
    for (id, name) in who.centres_with_any(&RECEPTION) {
        out.push(Offer {
            centre: Some(name.to_string()),
            label: "Nouvelles demandes de pré-inscription".into(),
            href: format!("{MOUNT}/gestion/{id}?statut={}", RequestStatus::Sent.code()),
            count: Some(requests::count_with_status(
                conn,
                Some(id),
                RequestStatus::Sent,
            )?),
        });
    }
    for (id, name) in who.centres_with_any(&MANAGERS) {
        out.push(Offer {
            centre: Some(name.to_string()),
            label: "Activités ouvertes et grilles tarifaires".into(),
            href: format!("{MOUNT}/gestion/{id}/activites"),
            count: None,
        });
    }
    let households = csc_members::household::of_user(conn, who.user_id)?.len();
    if households > 0 {
        out.push(Offer {
            centre: None,
            label: "Mes foyers et mes demandes de pré-inscription".into(),
            href: format!("{MOUNT}/mes-foyers"),
            count: None,
        });
    }
    Ok(out)
}
