//! The communes of the territory (the 95 communes of the Métropole européenne de Lille), shipped
//! as data in `data/communes-mel.csv` (sources and licences in its header; rebuilt by
//! `scripts/data/communes-mel.py`), and where a search starts from: a postcode or a commune.

use std::sync::LazyLock;

use serde::Serialize;

/// A commune of the territory.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Commune {
    /// The official (INSEE) code.
    pub code: String,
    pub name: String,
    pub postcodes: Vec<String>,
    pub latitude: f64,
    pub longitude: f64,
}

/// The territory's name, for messages.
pub const TERRITORY: &str = "la Métropole européenne de Lille";

static COMMUNES: LazyLock<Vec<Commune>> = LazyLock::new(|| {
    include_str!("../data/communes-mel.csv")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .skip(1)
        .filter_map(|line| {
            // Names may hold commas only inside quotes; this file quotes none but the script
            // could: read it with the csv crate's rules.
            let mut r = csv::ReaderBuilder::new()
                .has_headers(false)
                .from_reader(line.as_bytes());
            let rec = r.records().next()?.ok()?;
            Some(Commune {
                code: rec.get(0)?.to_string(),
                name: rec.get(1)?.to_string(),
                postcodes: rec.get(2)?.split(' ').map(String::from).collect(),
                latitude: rec.get(3)?.parse().ok()?,
                longitude: rec.get(4)?.parse().ok()?,
            })
        })
        .collect()
});

/// Every commune of the territory, by name.
pub fn all() -> &'static [Commune] {
    &COMMUNES
}

/// The commune of this official code.
pub fn by_code(code: &str) -> Option<&'static Commune> {
    COMMUNES.iter().find(|c| c.code == code.trim())
}

/// The communes a postcode covers, by name.
pub fn by_postcode(postcode: &str) -> Vec<&'static Commune> {
    COMMUNES
        .iter()
        .filter(|c| c.postcodes.iter().any(|p| p == postcode))
        .collect()
}

fn fold(s: &str) -> String {
    deunicode::deunicode(s)
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The commune of this name (accents, case and dashes ignored).
pub fn by_name(name: &str) -> Option<&'static Commune> {
    let wanted = fold(name);
    COMMUNES.iter().find(|c| fold(&c.name) == wanted)
}

/// Where a search starts from.
#[derive(Debug, Clone, PartialEq)]
pub enum Origin {
    /// No place given: no distance.
    Anywhere,
    At(&'static Commune),
    /// The postcode covers several communes: the parent chooses.
    Choose(Vec<&'static Commune>),
}

/// The origin from a postcode and/or a commune (its code, or its name in forms); the error is
/// a French sentence.
pub fn origin(postcode: &str, commune: &str) -> Result<Origin, String> {
    let (postcode, commune) = (postcode.trim(), commune.trim());
    let chosen = if commune.is_empty() {
        None
    } else {
        let found = by_code(commune).or_else(|| by_name(commune));
        Some(found.ok_or_else(|| {
            if commune.chars().all(|c| c.is_ascii_alphanumeric()) && commune.len() == 5 {
                format!("la commune de code « {commune} » n'est pas dans {TERRITORY}.")
            } else {
                format!("la commune « {commune} » n'est pas dans {TERRITORY}.")
            }
        })?)
    };
    if postcode.is_empty() {
        return Ok(chosen.map_or(Origin::Anywhere, Origin::At));
    }
    if postcode.len() != 5 || !postcode.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!(
            "le code postal « {postcode} » n'est pas valide : il a 5 chiffres (par exemple 59100)."
        ));
    }
    let covered = by_postcode(postcode);
    if covered.is_empty() {
        return Err(if postcode.starts_with("59") {
            format!("aucune commune de {TERRITORY} n'a le code postal {postcode}.")
        } else {
            format!(
                "le code postal {postcode} est hors du territoire de la Boussole ({TERRITORY})."
            )
        });
    }
    match chosen {
        Some(c) if covered.contains(&c) => Ok(Origin::At(c)),
        Some(c) => Err(format!(
            "la commune {} n'a pas le code postal {postcode}.",
            c.name
        )),
        None if covered.len() == 1 => Ok(Origin::At(covered[0])),
        None => Ok(Origin::Choose(covered)),
    }
}

/// The great-circle distance in kilometres (haversine, mean Earth radius 6,371 km).
pub fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, lo1) = (a.0.to_radians(), a.1.to_radians());
    let (la2, lo2) = (b.0.to_radians(), b.1.to_radians());
    let h = ((la2 - la1) / 2.0).sin().powi(2)
        + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().min(1.0).asin()
}

/// Whether coordinates are in metropolitan France (Corsica included).
pub fn in_france(latitude: f64, longitude: f64) -> bool {
    (41.3..=51.2).contains(&latitude) && (-5.3..=9.7).contains(&longitude)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_95_communes_with_their_postcodes() {
        assert_eq!(all().len(), 95);
        assert!(all().iter().all(|c| in_france(c.latitude, c.longitude)));
        assert_eq!(by_code("59350").unwrap().name, "Lille");
        assert_eq!(by_name("marcq en baroeul").unwrap().code, "59378");
        let both: Vec<&str> = by_postcode("59160")
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        assert_eq!(both, ["Capinghem", "Lille"]);
    }

    #[test]
    fn origins_and_their_errors() {
        assert_eq!(
            origin("59100", "").unwrap(),
            Origin::At(by_code("59512").unwrap())
        );
        assert!(matches!(origin("59160", "").unwrap(), Origin::Choose(v) if v.len() == 2));
        assert_eq!(
            origin("59160", "59128").unwrap(),
            Origin::At(by_code("59128").unwrap())
        );
        assert_eq!(
            origin("", "Roubaix").unwrap(),
            Origin::At(by_code("59512").unwrap())
        );
        assert_eq!(origin("", "").unwrap(), Origin::Anywhere);
        assert!(origin("5910", "").unwrap_err().contains("5 chiffres"));
        assert!(origin("59999", "").unwrap_err().contains("aucune commune"));
        assert!(origin("75001", "")
            .unwrap_err()
            .contains("hors du territoire"));
        assert!(origin("", "75056").unwrap_err().contains("n'est pas dans"));
        assert!(origin("59100", "59350")
            .unwrap_err()
            .contains("n'a pas le code postal"));
    }

    #[test]
    fn distances() {
        // Lille (Grand Place) to Roubaix (Grand Place): about 10.3 km.
        let d = distance_km((50.6371, 3.0630), (50.6905, 3.1818));
        assert!((d - 10.28).abs() < 0.05, "{d}");
        assert_eq!(distance_km((50.0, 3.0), (50.0, 3.0)), 0.0);
        // One degree of latitude.
        assert!((distance_km((50.0, 3.0), (51.0, 3.0)) - 111.19).abs() < 0.01);
    }
}
