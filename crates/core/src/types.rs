//! Domain newtypes that parse instead of validate. Their errors are French sentences.

use std::fmt;

use serde::{Deserialize, Serialize};

mod contact;

pub use contact::{Phone, Postcode, WebUrl};

/// The text side of a newtype over a `String` with a `parse(&str) -> Result<Self, String>`:
/// read back from text (serde's `try_from`), turned into text (serde's `into`), displayed as is.
macro_rules! text_newtype {
    ($($t:ident),+ $(,)?) => {$(
        impl TryFrom<String> for $t {
            type Error = String;
            fn try_from(s: String) -> Result<Self, String> {
                Self::parse(&s)
            }
        }

        impl From<$t> for String {
            fn from(v: $t) -> String {
                v.0
            }
        }

        impl ::std::fmt::Display for $t {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    )+};
}
pub(crate) use text_newtype;

/// A syntactically valid e-mail address, trimmed and lower-cased.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    /// Parses a user-typed address.
    pub fn parse(input: &str) -> Result<Self, String> {
        let s = input.trim().to_lowercase();
        if s.is_empty() {
            return Err("Indiquez une adresse e-mail.".into());
        }
        let invalid = || {
            "Cette adresse e-mail n'est pas valide (exemple : prenom.nom@exemple.fr).".to_string()
        };
        if s.len() > 254 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid());
        }
        let (local, domain) = s.split_once('@').ok_or_else(invalid)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '.');
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.contains(['<', '>', '(', ')', '[', ']', ',', ';', ':', '"', '\\']);
        if !local_ok || !domain_ok {
            return Err(invalid());
        }
        Ok(Self(s))
    }

    /// The address as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A short URL-safe name: lower-case letters, digits and hyphens.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Slug(String);

impl Slug {
    /// Parses a slug as typed by an administrator.
    pub fn parse(input: &str) -> Result<Self, String> {
        let s = input.trim();
        let ok = (2..=60).contains(&s.len())
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !s.starts_with('-')
            && !s.ends_with('-');
        if ok {
            Ok(Self(s.to_string()))
        } else {
            Err("L'identifiant court doit faire 2 à 60 caractères : lettres minuscules sans accent, chiffres et tirets.".into())
        }
    }

    /// Derives a slug from a French name: `Maison du Chemin Rouge` -> `maison-du-chemin-rouge`.
    pub fn from_name(name: &str) -> Result<Self, String> {
        let mut out = String::new();
        for c in name.chars().flat_map(fold_accent) {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            } else if !out.ends_with('-') && !out.is_empty() {
                out.push('-');
            }
        }
        let trimmed: String = out.trim_end_matches('-').chars().take(60).collect();
        Self::parse(trimmed.trim_end_matches('-'))
    }

    /// The slug as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn fold_accent(c: char) -> Vec<char> {
    let folded = match c {
        'à' | 'â' | 'ä' | 'á' | 'À' | 'Â' | 'Ä' => 'a',
        'ç' | 'Ç' => 'c',
        'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'e',
        'î' | 'ï' | 'Î' | 'Ï' => 'i',
        'ô' | 'ö' | 'Ô' | 'Ö' => 'o',
        'ù' | 'û' | 'ü' | 'Ù' | 'Û' | 'Ü' => 'u',
        'ÿ' => 'y',
        'œ' | 'Œ' => return vec!['o', 'e'],
        'æ' | 'Æ' => return vec!['a', 'e'],
        other => other,
    };
    vec![folded]
}

text_newtype!(Email, Slug);

/// An amount of money in euro cents.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub struct Cents(pub i64);

impl Cents {
    /// Parses `12,40`, `12.40`, `12 €` or `12` (euros) into cents.
    pub fn parse(input: &str) -> Result<Self, String> {
        let bad = || "Indiquez un montant en euros, par exemple 12,40.".to_string();
        let s: String = input
            .trim()
            .trim_end_matches('€')
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '\u{a0}' && *c != '\u{202f}')
            .collect();
        let s = s.replace(',', ".");
        let (neg, s) = match s.strip_prefix('-') {
            Some(rest) => (true, rest.to_string()),
            None => (false, s),
        };
        let (euros, cents) = match s.split_once('.') {
            Some((e, c)) => (e, c),
            None => (s.as_str(), ""),
        };
        if euros.is_empty() || !euros.chars().all(|c| c.is_ascii_digit()) || euros.len() > 12 {
            return Err(bad());
        }
        if cents.len() > 2 || !cents.chars().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        let e: i64 = euros.parse().map_err(|_| bad())?;
        let c: i64 = format!("{cents:0<2}").parse().map_err(|_| bad())?;
        let total = e * 100 + c;
        Ok(Cents(if neg { -total } else { total }))
    }
}

impl fmt::Display for Cents {
    /// French notation: `12,40 €`, `1 250,00 €`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let euros = (abs / 100).to_string();
        let mut grouped = String::new();
        for (i, c) in euros.chars().enumerate() {
            if i > 0 && (euros.len() - i).is_multiple_of(3) {
                grouped.push('\u{202f}');
            }
            grouped.push(c);
        }
        write!(f, "{sign}{grouped},{:02}\u{a0}€", abs % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            Email::parse("  Marie.Dupont@Exemple.FR ").map(|e| e.to_string()),
            Ok("marie.dupont@exemple.fr".to_string())
        );
        for bad in [
            "",
            "marie",
            "marie@",
            "@exemple.fr",
            "marie@exemple",
            "ma rie@exemple.fr",
            "a@b..fr",
            "<a>@b.fr",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn slugs_are_derived_from_french_names() {
        assert_eq!(
            Slug::from_name("La Maison du Chemin Rouge").map(|s| s.to_string()),
            Ok("la-maison-du-chemin-rouge".to_string())
        );
        assert_eq!(
            Slug::from_name("Faubourg de Béthune / Projet").map(|s| s.to_string()),
            Ok("faubourg-de-bethune-projet".to_string())
        );
        assert!(Slug::parse("Avec Majuscule").is_err());
        assert!(Slug::parse("-x").is_err());
    }

    #[test]
    fn cents_parse_and_display_in_french() {
        assert_eq!(Cents::parse("12,40"), Ok(Cents(1240)));
        assert_eq!(Cents::parse("12.4"), Ok(Cents(1240)));
        assert_eq!(Cents::parse("7 €"), Ok(Cents(700)));
        assert_eq!(Cents::parse("-3,05"), Ok(Cents(-305)));
        assert!(Cents::parse("12,345").is_err());
        assert!(Cents::parse("abc").is_err());
        assert_eq!(Cents(124050).to_string(), "1\u{202f}240,50\u{a0}€");
        assert_eq!(Cents(5).to_string(), "0,05\u{a0}€");
    }
}
