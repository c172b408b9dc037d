//! The parents' search as typed (in the page's form or the API's query string), parsed into a
//! [`Query`] and an [`Origin`]; every mistake is a French sentence.

use chrono::NaiveDateTime;
use csc_core::coded::Coded;
use serde::{Deserialize, Serialize};

use crate::communes::{self, Origin};
use crate::places::{Query, Theme};

/// Default radius of « near me », in kilometres.
pub const DEFAULT_RADIUS_KM: f64 = 10.0;
/// Largest radius: the whole metropolis fits in it.
pub const MAX_RADIUS_KM: f64 = 100.0;

/// The search as typed; every value a string, so that nothing is refused before it is read.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct SearchParams {
    pub q: Option<String>,
    pub code_postal: Option<String>,
    pub commune: Option<String>,
    pub rayon: Option<String>,
    pub age: Option<String>,
    pub theme: Option<String>,
    pub ouvert: Option<String>,
    /// The moment of « ouvert maintenant » (`2026-05-14T10:00`, Paris time); now by default.
    pub date: Option<String>,
}

fn value(v: &Option<String>) -> &str {
    v.as_deref().map_or("", str::trim)
}

/// A parsed search: where from, and what.
#[derive(Debug, Clone)]
pub struct Search {
    pub origin: Origin,
    pub query: Query,
}

impl SearchParams {
    /// Whether anything was asked.
    pub fn is_empty(&self) -> bool {
        [
            &self.q,
            &self.code_postal,
            &self.commune,
            &self.age,
            &self.theme,
            &self.ouvert,
        ]
        .iter()
        .all(|v| value(v).is_empty())
    }

    /// The search, or the French messages of every bad value (field name, message).
    pub fn parse(&self, now: NaiveDateTime) -> Result<Search, Vec<(&'static str, String)>> {
        let mut errors = Vec::new();
        let origin = match communes::origin(value(&self.code_postal), value(&self.commune)) {
            Ok(o) => o,
            Err(e) => {
                let field = if value(&self.commune).is_empty() {
                    "code_postal"
                } else {
                    "commune"
                };
                errors.push((field, capitalised(&e)));
                Origin::Anywhere
            }
        };
        let radius_km = match value(&self.rayon) {
            "" => DEFAULT_RADIUS_KM,
            r => match r.replace(',', ".").parse::<f64>() {
                Ok(v) if v > 0.0 && v <= MAX_RADIUS_KM => v,
                _ => {
                    errors.push(("rayon", format!("Rayon « {r} » : indiquez un nombre de kilomètres entre 1 et {MAX_RADIUS_KM:.0}.")));
                    DEFAULT_RADIUS_KM
                }
            },
        };
        let age = match value(&self.age) {
            "" => None,
            "grossesse" | "-1" => Some(-1),
            a => match a.parse::<i32>() {
                Ok(v) if (0..=18).contains(&v) => Some(v),
                _ => {
                    errors.push(("age", format!("Âge « {a} » : indiquez l'âge de l'enfant en années, de 0 à 18, ou « grossesse ».")));
                    None
                }
            },
        };
        let theme = match value(&self.theme) {
            "" => None,
            t => {
                let code = if t.starts_with("famille--") {
                    t.to_string()
                } else {
                    format!("famille--{t}")
                };
                match Theme::parse(&code) {
                    Some(th) => Some(th),
                    None => {
                        errors.push((
                            "theme",
                            format!("Thème « {t} » inconnu : choisissez-en un de la liste."),
                        ));
                        None
                    }
                }
            }
        };
        let at = match value(&self.date) {
            "" => now,
            d => match NaiveDateTime::parse_from_str(d, "%Y-%m-%dT%H:%M") {
                Ok(t) => t,
                Err(_) => {
                    errors.push((
                        "date",
                        format!("Date « {d} » non reconnue : écrivez-la 2026-05-14T10:00."),
                    ));
                    now
                }
            },
        };
        let open_now = matches!(value(&self.ouvert), "1" | "true" | "oui" | "on");
        let words = value(&self.q)
            .split_whitespace()
            .filter(|w| w.chars().count() > 1)
            .map(String::from)
            .collect();
        if !errors.is_empty() {
            return Err(errors);
        }
        let at_origin = match &origin {
            Origin::At(c) => Some((c.latitude, c.longitude)),
            _ => None,
        };
        Ok(Search {
            origin,
            query: Query {
                origin: at_origin,
                radius_km,
                age,
                theme,
                words,
                open_now,
                at,
            },
        })
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// The themes for a `<select>`.
pub fn theme_choices() -> Vec<csc_core::coded::Choice> {
    Theme::choices()
}
