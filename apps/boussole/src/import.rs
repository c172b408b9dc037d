//! Import of places from a data·inclusion « structures » file (CSV, comma or semicolon
//! separated): every line is checked first, and the file is saved whole or not at all; a
//! re-import updates the places by their `id`. Imported places are published.

use csc_core::time;
use csc_db::DbConn;
use diesel::prelude::*;

use crate::communes;
use crate::hours::OpeningHours;
use crate::schema::boussole_places as p;

/// The columns a file must have.
pub const REQUIRED: [&str; 10] = [
    "id",
    "nom",
    "adresse",
    "code_postal",
    "commune",
    "code_insee",
    "latitude",
    "longitude",
    "horaires_accueil",
    "description",
];

/// A checked line of the file.
#[derive(Debug, Clone, PartialEq, Insertable, AsChangeset)]
#[diesel(table_name = p)]
pub struct PlaceData {
    pub ext_id: String,
    pub name: String,
    pub description: String,
    pub address: String,
    pub postcode: String,
    pub commune: String,
    pub commune_code: String,
    pub latitude: f64,
    pub longitude: f64,
    pub phone: String,
    pub email: String,
    pub website: String,
    pub accessibility: String,
    pub hours: String,
}

/// What a save did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Saved {
    pub created: usize,
    pub updated: usize,
}

fn number(text: &str) -> Option<f64> {
    text.trim()
        .replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
}

/// Reads and checks every line; the errors are French, one per bad value, « ligne N : … »
/// (the header is line 1).
pub fn parse(content: &str) -> Result<Vec<PlaceData>, Vec<String>> {
    let content = content.trim_start_matches('\u{feff}');
    let header = content.lines().next().unwrap_or_default();
    if header.trim().is_empty() {
        return Err(vec![
            "le fichier est vide : la première ligne doit nommer les colonnes (id, nom, adresse…)."
                .into(),
        ]);
    }
    let delimiter = if header.matches(';').count() > header.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(content.as_bytes());
    let columns: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_lowercase()).collect(),
        Err(e) => return Err(vec![format!("ligne 1 : en-tête illisible ({e}).")]),
    };
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|c| !columns.iter().any(|h| h == c))
        .collect();
    if !missing.is_empty() {
        return Err(vec![format!(
            "ligne 1 : colonne(s) manquante(s) : {}. Les colonnes attendues sont celles des structures de data·inclusion : {}.",
            missing.join(", "),
            REQUIRED.join(", ")
        )]);
    }
    let index = |name: &str| columns.iter().position(|h| h == name);
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut seen = std::collections::HashMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                errors.push(format!("ligne {line} : ligne illisible ({e})."));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(|v| v.trim().is_empty()) {
            continue;
        }
        let get = |name: &str| {
            index(name)
                .and_then(|i| record.get(i))
                .unwrap_or_default()
                .trim()
                .to_string()
        };
        let mut bad = |msg: String| errors.push(format!("ligne {line} : {msg}"));
        let ext_id = get("id");
        if ext_id.is_empty() {
            bad("l'id est vide.".into());
        } else if let Some(first) = seen.insert(ext_id.clone(), line) {
            bad(format!(
                "l'id « {ext_id} » est déjà celui de la ligne {first}."
            ));
        }
        let name = get("nom");
        if name.is_empty() {
            bad("le nom est vide.".into());
        }
        let postcode = get("code_postal");
        if postcode.len() != 5 || !postcode.chars().all(|c| c.is_ascii_digit()) {
            bad(format!(
                "code_postal « {postcode} » : 5 chiffres attendus (par exemple 59100)."
            ));
        }
        let code = get("code_insee");
        if !code.is_empty()
            && (code.len() != 5
                || !code
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == 'A' || c == 'B'))
        {
            bad(format!("code_insee « {code} » : le code officiel de la commune a 5 caractères (par exemple 59512)."));
        }
        let known = communes::by_code(&code);
        let mut commune = get("commune");
        if commune.is_empty() {
            match known {
                Some(c) => commune = c.name.clone(),
                None => bad("la commune est vide.".into()),
            }
        }
        let (lat_text, lon_text) = (get("latitude"), get("longitude"));
        let mut coords = None;
        if lat_text.is_empty() && lon_text.is_empty() {
            match known {
                Some(c) => coords = Some((c.latitude, c.longitude)),
                None => bad("latitude et longitude manquantes (elles ne peuvent être déduites que pour une commune de la métropole, par son code_insee).".into()),
            }
        } else {
            match (number(&lat_text), number(&lon_text)) {
                (Some(lat), Some(lon)) if communes::in_france(lat, lon) => coords = Some((lat, lon)),
                (Some(lat), Some(lon)) => bad(format!(
                    "coordonnées {lat}, {lon} hors de France métropolitaine (latitude entre 41,3 et 51,2, longitude entre -5,3 et 9,7)."
                )),
                (None, _) => bad(format!("latitude « {lat_text} » : un nombre est attendu (par exemple 50.6942).")),
                (_, None) => bad(format!("longitude « {lon_text} » : un nombre est attendu (par exemple 3.1746).")),
            }
        }
        let mut hours = get("horaires_accueil");
        if hours.is_empty() {
            hours = get("horaires_ouverture");
        }
        if !hours.is_empty() {
            if let Err(e) = OpeningHours::parse(&hours) {
                bad(format!("horaires_accueil : {e}"));
            }
        }
        let mut description = get("description");
        if description.is_empty() {
            description = get("presentation_detail");
        }
        if description.is_empty() {
            description = get("presentation_resume");
        }
        let mut address = get("adresse");
        let extra = get("complement_adresse");
        if !extra.is_empty() {
            address = format!("{address}, {extra}");
        }
        if let Some((latitude, longitude)) = coords {
            rows.push(PlaceData {
                ext_id,
                name,
                description,
                address,
                postcode,
                commune,
                commune_code: code,
                latitude,
                longitude,
                phone: get("telephone"),
                email: get("courriel"),
                website: get("site_web"),
                accessibility: get("accessibilite"),
                hours,
            });
        }
    }
    if errors.is_empty() && rows.is_empty() {
        errors.push("le fichier n'a aucune ligne après l'en-tête.".into());
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

/// Saves checked places (call inside one write transaction): a place whose `id` is known is
/// updated, the others are created; all are published.
pub fn save(conn: &mut DbConn, rows: &[PlaceData]) -> QueryResult<Saved> {
    let now = time::now();
    let mut saved = Saved::default();
    for row in rows {
        let n = diesel::update(p::table.filter(p::ext_id.eq(&row.ext_id)))
            .set((row, p::published.eq(true), p::updated_at.eq(now)))
            .execute(conn)?;
        if n > 0 {
            saved.updated += 1;
        } else {
            diesel::insert_into(p::table)
                .values((
                    row,
                    p::published.eq(true),
                    p::created_at.eq(now),
                    p::updated_at.eq(now),
                ))
                .execute(conn)?;
            saved.created += 1;
        }
    }
    Ok(saved)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "id;nom;adresse;code_postal;commune;code_insee;latitude;longitude;horaires_accueil;description";

    #[test]
    fn semicolons_french_decimals_and_commune_centres() {
        let file = format!(
            "{HEADER}\na1;LAEP Les P'tits Pas;1 rue Pierre Motte;59100;Roubaix;59512;50,6942;3,1746;\"Mo-Fr 09:00-12:00; PH off\";Lieu d'accueil enfants-parents\n\
             a2;PMI Lille Sud;;59000;Lille;59350;;;;\n"
        );
        let rows = parse(&file).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].latitude, rows[0].longitude), (50.6942, 3.1746));
        assert_eq!(rows[0].hours, "Mo-Fr 09:00-12:00; PH off");
        assert_eq!(
            rows[1].latitude,
            communes::by_code("59350").unwrap().latitude
        );
    }

    #[test]
    fn every_bad_line_is_reported() {
        let file = "id,nom,adresse,code_postal,commune,code_insee,latitude,longitude,horaires_accueil,description\n\
            a1,Bon,,59100,Roubaix,59512,50.69,3.17,\"Mo-Fr 09:00-12:00; PH off\",\n\
            ,Sans id,,5910,Roubaix,59512,50.69,3.17,,\n\
            a1,Doublon,,59100,Roubaix,59512,48.85,2.35,,\n\
            a3,Loin,,59100,Roubaix,59512,40.0,-20.0,,\n\
            a4,Heures,,59100,Roubaix,59512,50.69,3.17,Lu-Ve 9h-12h,\n";
        let errors = parse(file).unwrap_err();
        assert_eq!(errors.len(), 5, "{errors:#?}");
        assert!(errors[0].starts_with("ligne 3 : l'id est vide"));
        assert!(errors[1].starts_with("ligne 3 : code_postal « 5910 »"));
        assert!(errors[2].starts_with("ligne 4 : l'id « a1 » est déjà celui de la ligne 2"));
        assert!(errors[3].starts_with("ligne 5 : coordonnées 40, -20 hors de France"));
        assert!(errors[4].starts_with("ligne 6 : horaires_accueil : horaires non reconnus"));
        assert!(
            parse("id,nom\nx,y\n").unwrap_err()[0].contains("colonne(s) manquante(s) : adresse")
        );
        assert!(parse("").is_err());
    }
}
