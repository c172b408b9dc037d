//! Form helpers: per-field French errors, and extractor settings that answer bad input with a
//! French 4xx instead of actix's English defaults.

use std::collections::BTreeMap;
use std::fmt::Display;
use std::ops::RangeInclusive;
use std::str::FromStr;

use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError, UrlencodedError};
use actix_web::web;
use csc_core::AppError;
use serde::Serialize;

/// Errors of a submitted form, keyed by field name, shown next to each field.
#[derive(Debug, Default, Clone, Serialize)]
pub struct FieldErrors(BTreeMap<String, String>);

impl FieldErrors {
    /// No error yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records an error for `field` (the first one per field is kept).
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0
            .entry(field.to_string())
            .or_insert_with(|| message.into());
    }

    /// Records the error of a parse result and returns its value.
    pub fn check<T>(&mut self, field: &str, parsed: Result<T, String>) -> Option<T> {
        match parsed {
            Ok(v) => Some(v),
            Err(msg) => {
                self.add(field, msg);
                None
            }
        }
    }

    /// True when nothing is wrong.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The error of one field.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.get(field).map(String::as_str)
    }

    /// Adds the errors of another check of the same form (a field's first error is kept).
    pub fn merge(&mut self, other: FieldErrors) {
        for (field, message) in other.0 {
            self.0.entry(field).or_insert(message);
        }
    }
}

/// A choice of a `<select>` made from rows at run time (a centre: its id and its name); the
/// `select` macro reads it as it reads a [`csc_core::Choice`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowChoice {
    pub code: String,
    pub label: String,
}

impl RowChoice {
    /// The choice of `code`, shown as `label`.
    pub fn new(code: impl ToString, label: impl Into<String>) -> Self {
        Self {
            code: code.to_string(),
            label: label.into(),
        }
    }
}

/// A required text field: trimmed, not empty, at most `max` characters.
pub fn required(value: &str, max: usize, what: &str) -> Result<String, String> {
    let v = value.trim();
    if v.is_empty() {
        Err(format!("Indiquez {what}."))
    } else if v.chars().count() > max {
        Err(format!("{max} caractères au maximum."))
    } else {
        Ok(v.to_string())
    }
}

/// An optional text field: trimmed, at most `max` characters.
pub fn optional(value: &str, max: usize) -> Result<String, String> {
    let v = value.trim();
    if v.chars().count() > max {
        Err(format!("{max} caractères au maximum."))
    } else {
        Ok(v.to_string())
    }
}

/// A whole number within `range`, as typed (`" 12 "`, `"1 000"`); `what` names it in the
/// message: « Indiquez un nombre entre 1 et 60 pour la durée. »
pub fn int_in<T>(value: &str, range: RangeInclusive<T>, what: &str) -> Result<T, String>
where
    T: FromStr + PartialOrd + Display,
{
    let digits: String = value.chars().filter(|c| !c.is_whitespace()).collect();
    match digits.parse::<T>() {
        Ok(n) if range.contains(&n) => Ok(n),
        _ => Err(format!(
            "Indiquez un nombre entre {} et {} pour {what}.",
            range.start(),
            range.end()
        )),
    }
}

/// An optional field read by a domain parser (`Phone::parse`, `Email::parse`…): empty stays
/// empty, anything else is parsed and kept as its normalised text.
pub fn optional_parsed<T: Display>(
    value: &str,
    parse: impl FnOnce(&str) -> Result<T, String>,
) -> Result<String, String> {
    if value.trim().is_empty() {
        Ok(String::new())
    } else {
        parse(value).map(|v| v.to_string())
    }
}

/// Largest url-encoded form a handler accepts.
pub const FORM_LIMIT: usize = 64 * 1024;
/// Largest JSON body a handler accepts.
pub const JSON_LIMIT: usize = 256 * 1024;

/// Registers French error handling and size limits for the `Form`, `Json`, `Query` and `Path`
/// extractors.
pub fn configure_extractors(cfg: &mut web::ServiceConfig) {
    cfg.app_data(
        web::FormConfig::default()
            .limit(FORM_LIMIT)
            .error_handler(|e, _| {
                match e {
            UrlencodedError::Overflow { .. } => {
                AppError::PayloadTooLarge("Le formulaire envoyé est trop volumineux.".into())
            }
            UrlencodedError::ContentType => {
                AppError::bad_request("Ce formulaire doit être envoyé depuis la page du site.")
            }
            _ => AppError::bad_request(
                "Le formulaire envoyé n'a pas pu être lu. Rechargez la page et recommencez.",
            ),
        }
        .into()
            }),
    )
    .app_data(
        web::JsonConfig::default()
            .limit(JSON_LIMIT)
            .error_handler(|e, _| {
                match e {
                    JsonPayloadError::OverflowKnownLength { .. }
                    | JsonPayloadError::Overflow { .. } => AppError::PayloadTooLarge(
                        "Les données envoyées sont trop volumineuses.".into(),
                    ),
                    _ => AppError::bad_request("Les données JSON envoyées ne sont pas valides."),
                }
                .into()
            }),
    )
    .app_data(
        web::QueryConfig::default().error_handler(|_: QueryPayloadError, _| {
            AppError::bad_request("L'adresse de la page contient des paramètres incorrects.").into()
        }),
    )
    .app_data(web::PathConfig::default().error_handler(|_: PathError, _| AppError::NotFound.into()))
    .app_data(web::PayloadConfig::default().limit(FORM_LIMIT));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_errors_keep_the_first_message() {
        let mut e = FieldErrors::new();
        assert!(e.is_empty());
        let v: Option<i32> = e.check("age", Err("trop jeune".into()));
        assert!(v.is_none());
        e.add("age", "autre");
        assert_eq!(e.get("age"), Some("trop jeune"));
    }

    #[test]
    fn required_fields_are_trimmed_and_bounded() {
        assert_eq!(required("  Lille ", 10, "la ville"), Ok("Lille".into()));
        assert_eq!(
            required("  ", 10, "la ville"),
            Err("Indiquez la ville.".into())
        );
        assert!(required("abcdefghijk", 10, "x").is_err());
    }

    #[test]
    fn whole_numbers_are_read_within_their_bounds() {
        let minutes = |s: &str| int_in(s, 1..=60, "la durée");
        assert_eq!(minutes("1"), Ok(1));
        assert_eq!(minutes("60"), Ok(60));
        assert_eq!(minutes(" 45 "), Ok(45));
        assert_eq!(int_in("1 000", 0..=5000, "x"), Ok(1000));
        assert_eq!(int_in("1\u{202f}000", 0..=5000, "x"), Ok(1000));
        assert_eq!(int_in("-3", -10..=10, "x"), Ok(-3));
        let message = Err("Indiquez un nombre entre 1 et 60 pour la durée.".to_string());
        for bad in [
            "",
            "  ",
            "0",
            "61",
            "-5",
            "douze",
            "12,5",
            "1e3",
            "99999999999999999999999",
        ] {
            assert_eq!(minutes(bad), message, "{bad:?}");
        }
        assert!(int_in::<i32>("3000000000", 0..=i32::MAX, "x").is_err());
        assert_eq!(int_in::<i32>("2147483647", 0..=i32::MAX, "x"), Ok(i32::MAX));
    }

    #[test]
    fn optional_parsed_fields_stay_empty_or_are_normalised() {
        let upper = |s: &str| -> Result<String, String> { Ok(s.trim().to_uppercase()) };
        assert_eq!(optional_parsed("  ", upper), Ok(String::new()));
        assert_eq!(optional_parsed(" lille ", upper), Ok("LILLE".into()));
        let refuse = |_: &str| -> Result<String, String> { Err("non".into()) };
        assert_eq!(optional_parsed("x", refuse), Err("non".into()));
    }
}
