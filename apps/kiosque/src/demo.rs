//! Demo data of the kiosque (`csc demo`).

use csc_core::AppError;
use csc_db::DbConn;

use crate::{directory, kiosks, workshops};

/// The demo centre's kiosk, help directory and a workshop, when it has none.
pub fn load(conn: &mut DbConn, centre_id: i64) -> Result<Vec<(String, String)>, AppError> {
    let mut list = kiosks::of_centre(conn, centre_id)?;
    if list.is_empty() {
        list.push(kiosks::create(
            conn,
            centre_id,
            "Borne de démonstration",
            120,
            30,
        )?);
    }
    if directory::of_centre(conn, centre_id)?.is_empty() {
        let desk = directory::HelpDeskForm {
            name: "Espace France Services de démonstration".into(),
            kind: directory::Kind::FranceServices.code().into(),
            address: "1 place de la Mairie".into(),
            postcode: "59000".into(),
            city: "Lille".into(),
            phone: "03 20 00 00 00".into(),
            hours: "Du lundi au vendredi, de 9 h à 12 h et de 14 h à 17 h".into(),
            services: "Aide pour la CAF, les impôts, l'assurance maladie, la retraite, France Travail et l'ANTS, sans rendez-vous le matin".into(),
            accessibility: "Accès de plain-pied, boucle magnétique à l'accueil".into(),
            ..directory::HelpDeskForm::default()
        };
        let data = desk
            .parse()
            .map_err(|e| AppError::internal(format!("demo help desk: {e:?}")))?;
        directory::create(conn, centre_id, &data)?;
    }
    let now = csc_core::time::now();
    if workshops::all_since(conn, centre_id, now)?.is_empty() {
        let day = (now + chrono::Duration::days(14)).date();
        let form = workshops::WorkshopForm {
            title: "Créer et utiliser son adresse e-mail".into(),
            topic: "Messagerie".into(),
            level: workshops::Level::Beginner.code().into(),
            date: day.format("%Y-%m-%d").to_string(),
            time: "14:00".into(),
            duration_minutes: "90".into(),
            place: "Salle informatique".into(),
            seats: "8".into(),
            description:
                "Pour débuter : créer une adresse, lire et envoyer un message, joindre un document."
                    .into(),
        };
        let data = form
            .parse(now)
            .map_err(|e| AppError::internal(format!("demo workshop: {e:?}")))?;
        workshops::create(conn, centre_id, &data)?;
    }
    Ok(list
        .iter()
        .find(|k| k.revoked_at.is_none())
        .map(|k| {
            (
                "Borne de démonstration".to_string(),
                format!("{}/borne/{}", crate::MOUNT, k.token),
            )
        })
        .into_iter()
        .collect())
}
