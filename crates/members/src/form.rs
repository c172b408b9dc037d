//! The household form (adhésion): what a family fills in once, checked field by field.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use csc_core::{Email, Phone, Postcode};
use csc_web::forms::{optional, optional_parsed, required};
use csc_web::FieldErrors;
use serde::{Deserialize, Serialize};

use crate::Scheme;

/// Children a family can enter on the form at once.
pub const MAX_CHILDREN: usize = 4;

/// Highest quotient familial accepted (CAF figures are a few thousand euros at most).
pub const QF_MAX: u32 = 9_999;

/// The form as posted, every value kept to be shown again. Field names: `a1_first_name`,
/// `a1_last_name`, `a1_email`, `a1_phone`, the same with `a2_` for the other adult (optional),
/// `address`, `postcode`, `town`, `scheme`, `allocataire`, `qf`, and for each child `cN_first_name`,
/// `cN_last_name`, `cN_birth_date`, `cN_disability`, `cN_health` (N from 1), `consent_data`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(transparent)]
pub struct HouseholdForm(pub BTreeMap<String, String>);

/// An adult of the household, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdultData {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
}

/// A child, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChildData {
    pub first_name: String,
    pub last_name: String,
    pub birth_date: NaiveDate,
    pub disability: bool,
    pub health: String,
}

/// A household, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HouseholdData {
    pub adults: Vec<AdultData>,
    pub address: String,
    pub postcode: String,
    pub town: String,
    pub scheme: Scheme,
    pub allocataire: String,
    pub qf: Option<u32>,
    pub children: Vec<ChildData>,
}

impl HouseholdForm {
    /// A field's value ("" when absent).
    pub fn get(&self, name: &str) -> &str {
        self.0.get(name).map_or("", String::as_str)
    }

    fn filled(&self, name: &str) -> bool {
        !self.get(name).trim().is_empty()
    }

    /// Every field checked at once; `today` is the Paris date (birth dates must be before it).
    pub fn parse(&self, today: NaiveDate) -> Result<HouseholdData, FieldErrors> {
        let mut e = FieldErrors::new();
        let mut adults = Vec::new();
        if let Some(a) = self.adult(&mut e, "a1", true) {
            adults.push(a);
        }
        if ["first_name", "last_name", "email", "phone"]
            .iter()
            .any(|f| self.filled(&format!("a2_{f}")))
        {
            if let Some(a) = self.adult(&mut e, "a2", false) {
                adults.push(a);
            }
        }
        let address = e.check("address", optional(self.get("address"), 200));
        let postcode = e.check(
            "postcode",
            optional_parsed(self.get("postcode"), Postcode::parse),
        );
        let town = e.check("town", required(self.get("town"), 80, "votre commune"));
        let scheme = e.check(
            "scheme",
            Scheme::parse(self.get("scheme"))
                .ok_or_else(|| "Choisissez votre régime : CAF, MSA ou autre.".to_string()),
        );
        let allocataire = e.check("allocataire", parse_allocataire(self.get("allocataire")));
        let qf = e.check("qf", parse_qf(self.get("qf")));
        let mut children = Vec::new();
        for n in 1..=MAX_CHILDREN {
            if let Some(c) = self.child(&mut e, n, today) {
                children.push(c);
            }
        }
        if children.is_empty() && e.get("c1_first_name").is_none() {
            e.add("c1_first_name", "Indiquez au moins un enfant.");
        }
        if !self.filled("consent_data") {
            e.add(
                "consent_data",
                "Cochez cette case : sans votre accord, le centre ne peut pas enregistrer votre demande.",
            );
        }
        match (address, postcode, town, scheme, allocataire, qf) {
            (
                Some(address),
                Some(postcode),
                Some(town),
                Some(scheme),
                Some(allocataire),
                Some(qf),
            ) if e.is_empty() => Ok(HouseholdData {
                adults,
                address,
                postcode,
                town,
                scheme,
                allocataire,
                qf,
                children,
            }),
            _ => Err(e),
        }
    }

    fn adult(&self, e: &mut FieldErrors, p: &str, first: bool) -> Option<AdultData> {
        let who = if first { "votre" } else { "son" };
        let first_name = e.check(
            &format!("{p}_first_name"),
            required(
                self.get(&format!("{p}_first_name")),
                60,
                &format!("{who} prénom"),
            ),
        );
        let last_name = e.check(
            &format!("{p}_last_name"),
            required(
                self.get(&format!("{p}_last_name")),
                60,
                &format!("{who} nom"),
            ),
        );
        let email_raw = self.get(&format!("{p}_email")).trim();
        let email = if email_raw.is_empty() && !first {
            Some(String::new())
        } else if email_raw.is_empty() {
            e.add(
                &format!("{p}_email"),
                "Indiquez votre adresse e-mail : la confirmation et le lien de suivi y sont envoyés.",
            );
            None
        } else {
            e.check(
                &format!("{p}_email"),
                Email::parse(email_raw).map(String::from),
            )
        };
        let phone = e.check(
            &format!("{p}_phone"),
            optional_parsed(self.get(&format!("{p}_phone")), Phone::parse),
        );
        Some(AdultData {
            first_name: first_name?,
            last_name: last_name?,
            email: email?,
            phone: phone?,
        })
    }

    fn child(&self, e: &mut FieldErrors, n: usize, today: NaiveDate) -> Option<ChildData> {
        let f = |name: &str| format!("c{n}_{name}");
        let any = ["first_name", "last_name", "birth_date", "health"]
            .iter()
            .any(|name| self.filled(&f(name)));
        if !any {
            return None;
        }
        let first_name = e.check(
            &f("first_name"),
            required(self.get(&f("first_name")), 60, "son prénom"),
        );
        let last_name = e.check(
            &f("last_name"),
            required(self.get(&f("last_name")), 60, "son nom"),
        );
        let birth_date = e.check(
            &f("birth_date"),
            parse_birth_date(self.get(&f("birth_date")), today),
        );
        let health = e.check(&f("health"), optional(self.get(&f("health")), 500));
        Some(ChildData {
            first_name: first_name?,
            last_name: last_name?,
            birth_date: birth_date?,
            disability: self.filled(&f("disability")),
            health: health?,
        })
    }
}

/// A date typed as `aaaa-mm-jj` (date fields) or `jj/mm/aaaa`.
pub fn parse_date(input: &str) -> Option<NaiveDate> {
    let s = input.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y"))
        .ok()
}

/// A child's birth date: a real date, before today, less than 26 years ago.
pub fn parse_birth_date(input: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    let Some(d) = parse_date(input) else {
        return Err("Indiquez la date de naissance, par exemple 14/07/2018.".into());
    };
    if d >= today {
        return Err("La date de naissance doit être passée.".into());
    }
    match csc_pricing::age_on(d, today) {
        Some(age) if age <= 25 => Ok(d),
        _ => Err("Cette date de naissance semble erronée : vérifiez l'année.".into()),
    }
}

/// A quotient familial in whole euros, or nothing.
pub fn parse_qf(input: &str) -> Result<Option<u32>, String> {
    let s = input.trim().replace([' ', '\u{a0}', '\u{202f}'], "");
    if s.is_empty() {
        return Ok(None);
    }
    let s = s.strip_suffix('€').unwrap_or(&s);
    let whole = s.split([',', '.']).next().unwrap_or("");
    match whole.parse::<i64>() {
        Ok(n) if (0..=i64::from(QF_MAX)).contains(&n) => Ok(u32::try_from(n).ok()),
        _ => Err(format!(
            "Indiquez votre quotient familial en euros, un nombre entre 0 et {QF_MAX} (il figure sur votre attestation CAF ou MSA), ou laissez vide."
        )),
    }
}

/// A benefit number: letters and digits only, at most 15.
fn parse_allocataire(input: &str) -> Result<String, String> {
    let s: String = input
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if s.chars().count() <= 15 && s.chars().all(|c| c.is_ascii_alphanumeric()) {
        Ok(s)
    } else {
        Err("Le numéro d'allocataire ne contient que des chiffres (et parfois des lettres), 15 au plus.".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
    }

    fn form(pairs: &[(&str, &str)]) -> HouseholdForm {
        HouseholdForm(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
                .collect(),
        )
    }

    fn valid() -> Vec<(&'static str, &'static str)> {
        vec![
            ("a1_first_name", "Samia"),
            ("a1_last_name", "Benali"),
            ("a1_email", "samia@example.org"),
            ("postcode", "59000"),
            ("town", "Lille"),
            ("scheme", "caf"),
            ("qf", "825"),
            ("c1_first_name", "Inès"),
            ("c1_last_name", "Benali"),
            ("c1_birth_date", "2018-07-14"),
            ("consent_data", "on"),
        ]
    }

    #[test]
    fn a_complete_form_parses() {
        let h = form(&valid()).parse(today()).unwrap();
        assert_eq!(h.qf, Some(825));
        assert_eq!(h.adults.len(), 1);
        assert_eq!(
            h.children[0].birth_date,
            NaiveDate::from_ymd_opt(2018, 7, 14).unwrap()
        );
    }

    #[test]
    fn every_bad_field_gets_its_message() {
        let mut f = valid();
        f.retain(|(k, _)| *k != "consent_data" && *k != "qf");
        f.push(("qf", "-12"));
        f.push(("c2_first_name", "Yanis"));
        f.push(("c2_birth_date", "2030-01-01"));
        let e = form(&f).parse(today()).unwrap_err();
        assert!(e.get("qf").unwrap().contains("entre 0 et"));
        assert!(e.get("consent_data").is_some());
        assert_eq!(e.get("c2_last_name"), Some("Indiquez son nom."));
        assert_eq!(
            e.get("c2_birth_date"),
            Some("La date de naissance doit être passée.")
        );
    }

    #[test]
    fn qf_accepts_spaces_and_euros_and_refuses_absurd_values() {
        assert_eq!(parse_qf(" 1 250 € "), Ok(Some(1250)));
        assert_eq!(parse_qf("825,50"), Ok(Some(825)));
        assert_eq!(parse_qf(""), Ok(None));
        assert!(parse_qf("250000").is_err());
        assert!(parse_qf("beaucoup").is_err());
    }

    #[test]
    fn a_form_without_child_is_refused() {
        let mut f = valid();
        f.retain(|(k, _)| !k.starts_with("c1_"));
        let e = form(&f).parse(today()).unwrap_err();
        assert_eq!(e.get("c1_first_name"), Some("Indiquez au moins un enfant."));
    }
}
