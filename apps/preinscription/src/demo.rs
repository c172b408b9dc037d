//! Demo data of the pré-inscription (`csc demo`).

use csc_core::AppError;
use csc_db::DbConn;

use crate::{activities, grids};

/// The demo centre's tariff grid and a term of Wednesdays open to pre-registration, when it
/// has none.
pub fn load(conn: &mut DbConn, centre_id: i64) -> Result<Vec<(String, String)>, AppError> {
    if grids::of_centre(conn, centre_id)?.is_empty() {
        let form = grids::GridForm {
            name: "Accueil de loisirs (démonstration)".into(),
            spec: include_str!("../data/grille-demo.json").into(),
        };
        let (name, spec) = form
            .parse()
            .map_err(|e| AppError::internal(format!("demo grid: {e:?}")))?;
        grids::save(conn, centre_id, &name, &spec)?;
    }
    if activities::of_centre(conn, centre_id, false)?.is_empty() {
        let grid = grids::of_centre(conn, centre_id)?
            .first()
            .map(|g| g.id.to_string())
            .unwrap_or_default();
        let today = csc_core::time::today_paris();
        let field = |k: &str, v: String| (k.to_string(), v);
        let form = activities::ActivityForm(
            [
                field("title", "Mercredis récréatifs".into()),
                field("kind", "mercredis".into()),
                field(
                    "description",
                    "Jeux, sorties et ateliers, de 8 h 30 à 17 h 30 ; repas du midi fourni.".into(),
                ),
                field("grid_id", grid),
                field("unit_journee", "on".into()),
                field("unit_demi_journee_repas", "on".into()),
                field("unit_demi_journee", "on".into()),
                field(
                    "start",
                    (today + chrono::Duration::days(1))
                        .format("%Y-%m-%d")
                        .to_string(),
                ),
                field(
                    "end",
                    (today + chrono::Duration::days(70))
                        .format("%Y-%m-%d")
                        .to_string(),
                ),
                field("wd_3", "on".into()),
                field("resident_postcodes", "59000".into()),
                field("g1_label", "Maternelles".into()),
                field("g1_age_min", "3".into()),
                field("g1_age_max", "5".into()),
                field("g1_capacity", "12".into()),
                field("g2_label", "Élémentaires".into()),
                field("g2_age_min", "6".into()),
                field("g2_age_max", "11".into()),
                field("g2_capacity", "16".into()),
            ]
            .into_iter()
            .collect(),
        );
        let ids: Vec<i64> = grids::of_centre(conn, centre_id)?
            .iter()
            .map(|g| g.id)
            .collect();
        let data = form
            .parse(&ids, today)
            .map_err(|e| AppError::internal(format!("demo activity: {e:?}")))?;
        activities::create(conn, centre_id, &data)?;
    }
    Ok(Vec::new())
}
