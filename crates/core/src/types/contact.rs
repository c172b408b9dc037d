//! How to reach a place or a person: French phone numbers and postcodes, web addresses.

use serde::{Deserialize, Serialize};

/// A French phone number, written in five pairs: `03 20 16 84 30`.
///
/// Accepts what people type: spaces, dots, dashes, `+33 3 20…`, `+33 (0)3 20…`, `0033 3 20…`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Phone(String);

impl Phone {
    /// Parses a typed number.
    pub fn parse(input: &str) -> Result<Self, String> {
        let s = input.trim();
        if s.is_empty() {
            return Err("Indiquez un numéro de téléphone.".into());
        }
        let bad =
            || "Le numéro de téléphone compte 10 chiffres, par exemple 03 20 16 84 30.".to_string();
        let allowed = s
            .chars()
            .all(|c| c.is_ascii_digit() || c.is_whitespace() || ".-+()".contains(c));
        if !allowed {
            return Err(bad());
        }
        let digits: String = s.chars().filter(char::is_ascii_digit).collect();
        // The international forms: +33 or 0033, then the number without its 0 (or with it, in
        // parentheses: +33 (0)3 …).
        let international = if s.starts_with('+') {
            digits.strip_prefix("33")
        } else {
            digits.strip_prefix("0033")
        };
        let national = match international {
            Some(rest) if rest.len() == 9 => format!("0{rest}"),
            Some(rest) if rest.len() == 10 && rest.starts_with('0') => rest.to_string(),
            Some(_) => return Err(bad()),
            None if s.starts_with('+') => return Err(bad()),
            None => digits,
        };
        let b = national.as_bytes();
        if b.len() != 10 || b[0] != b'0' || b[1] == b'0' {
            return Err(bad());
        }
        let pairs: Vec<&str> = (0..5).map(|i| &national[i * 2..i * 2 + 2]).collect();
        Ok(Self(pairs.join(" ")))
    }

    /// The number as shown: `03 20 16 84 30`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A French postcode: five digits, `59000` (`59 000` is read too).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Postcode(String);

impl Postcode {
    /// Parses a typed postcode.
    pub fn parse(input: &str) -> Result<Self, String> {
        let s: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        if s.is_empty() {
            return Err("Indiquez le code postal.".into());
        }
        // Départements run from 01 to 98 (Corsica is 20, overseas 97 and 98): no postcode starts
        // with 00 or 99.
        let ok = s.len() == 5
            && s.chars().all(|c| c.is_ascii_digit())
            && !s.starts_with("00")
            && !s.starts_with("99");
        if ok {
            Ok(Self(s))
        } else {
            Err("Le code postal compte 5 chiffres, par exemple 59000.".into())
        }
    }

    /// The five digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A web address that is safe to link to: `http` or `https`, a host name with a dot, no user
/// name or password, 500 characters at most. Kept normalised (`https://www.caf.fr/`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct WebUrl(String);

/// Longest web address accepted.
const URL_MAX: usize = 500;

impl WebUrl {
    /// Parses a complete address, scheme included (`https://www.caf.fr`): an official address
    /// copied from the browser.
    pub fn parse(input: &str) -> Result<Self, String> {
        let s = input.trim();
        if s.is_empty() {
            return Err("Indiquez l'adresse du site.".into());
        }
        let lower = s.to_ascii_lowercase();
        if !(lower.starts_with("https://") || lower.starts_with("http://")) {
            return Err(Self::message());
        }
        Self::checked(s)
    }

    /// Parses an address as people type it: without a scheme (`www.exemple.fr`), `https://`
    /// is assumed. Any other scheme (`javascript:`, `ftp://`) is refused.
    pub fn parse_typed(input: &str) -> Result<Self, String> {
        let s = input.trim();
        if s.is_empty() {
            return Err("Indiquez l'adresse du site.".into());
        }
        if has_scheme(s) {
            Self::parse(s)
        } else {
            Self::checked(&format!("https://{s}"))
        }
    }

    fn checked(s: &str) -> Result<Self, String> {
        if s.len() > URL_MAX {
            return Err(format!("{URL_MAX} caractères au maximum."));
        }
        match url::Url::parse(s) {
            Ok(u)
                if matches!(u.scheme(), "http" | "https")
                    && u.host_str()
                        .is_some_and(|h| h.contains('.') && !h.starts_with('.'))
                    && u.username().is_empty()
                    && u.password().is_none() =>
            {
                Ok(Self(u.to_string()))
            }
            _ => Err(Self::message()),
        }
    }

    fn message() -> String {
        "Indiquez une adresse de site web : une adresse complète commençant par https:// (ou http://), par exemple https://www.caf.fr."
            .into()
    }

    /// The normalised address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// `javascript:…`, `mailto:…`, `https://…`: letters before a colon, and no dot among them (so
/// `www.exemple.fr:8080` is a host and a port).
fn has_scheme(s: &str) -> bool {
    match s.split_once(':') {
        Some((scheme, _)) => {
            scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-')
        }
        None => false,
    }
}

super::text_newtype!(Phone, Postcode, WebUrl);

#[cfg(test)]
mod tests {
    use super::*;

    fn phone(s: &str) -> Result<String, String> {
        Phone::parse(s).map(String::from)
    }

    #[test]
    fn phones_are_written_in_pairs() {
        for typed in [
            "0320168430",
            "03 20 16 84 30",
            " 03.20.16.84.30 ",
            "03-20-16-84-30",
            "+33 3 20 16 84 30",
            "+33320168430",
            "+33 (0)3 20 16 84 30",
            "0033 3 20 16 84 30",
            "03\u{a0}20\u{a0}16\u{a0}84\u{a0}30",
        ] {
            assert_eq!(phone(typed), Ok("03 20 16 84 30".into()), "{typed}");
        }
        assert_eq!(phone("06 12 34 56 78"), Ok("06 12 34 56 78".into()));
    }

    #[test]
    fn phones_that_are_not_french_numbers_are_refused() {
        for bad in [
            "",
            "   ",
            "12",
            "03 20 16 84",
            "03 20 16 84 30 1",
            "3 20 16 84 30",
            "00 20 16 84 30",
            "+44 20 7946 0958",
            "+1 555 0100",
            "03 20 16 84 3O",
            "tel:0320168430",
        ] {
            assert!(Phone::parse(bad).is_err(), "{bad:?}");
        }
        assert_eq!(phone(""), Err("Indiquez un numéro de téléphone.".into()));
    }

    #[test]
    fn postcodes_are_five_digits() {
        let pc = |s: &str| Postcode::parse(s).map(String::from);
        assert_eq!(pc("59000"), Ok("59000".into()));
        assert_eq!(pc(" 59 000 "), Ok("59000".into()));
        assert_eq!(pc("01000"), Ok("01000".into()));
        assert_eq!(pc("97400"), Ok("97400".into()));
        for bad in [
            "", "  ", "5900", "1000", "590000", "59O00", "00100", "99000", "59-000",
        ] {
            assert!(Postcode::parse(bad).is_err(), "{bad:?}");
        }
        assert_eq!(pc(""), Err("Indiquez le code postal.".into()));
        assert!(pc("5900").is_err_and(|e| e.contains("5 chiffres")));
    }

    #[test]
    fn complete_web_addresses_only_http_and_https() {
        let url = |s: &str| WebUrl::parse(s).map(String::from);
        assert_eq!(
            url(" https://www.caf.fr "),
            Ok("https://www.caf.fr/".into())
        );
        assert_eq!(
            url("HTTP://Exemple.FR/a?b=c"),
            Ok("http://exemple.fr/a?b=c".into())
        );
        assert!(url("http://127.0.0.1:8080/ok").is_ok());
        for bad in [
            "",
            "javascript:alert(1)",
            "JAVASCRIPT:alert(1)",
            "data:text/html,<script>",
            "www.caf.fr",
            "ftp://exemple.fr",
            "https://",
            "https://localhost/",
            "https://user:pass@exemple.fr",
            "https://exemple.fr@evil.fr",
        ] {
            assert!(url(bad).is_err(), "{bad:?}");
        }
        let long = format!("https://exemple.fr/{}", "a".repeat(500));
        assert!(url(&long).is_err());
    }

    #[test]
    fn typed_web_addresses_get_https() {
        let url = |s: &str| WebUrl::parse_typed(s).map(String::from);
        assert_eq!(
            url("www.association-projet.org"),
            Ok("https://www.association-projet.org/".into())
        );
        assert_eq!(
            url("exemple.fr:8080/x"),
            Ok("https://exemple.fr:8080/x".into())
        );
        assert_eq!(url("http://exemple.fr"), Ok("http://exemple.fr/".into()));
        for bad in [
            "",
            "javascript:alert(1)",
            "mailto:contact@exemple.fr",
            "ftp://exemple.fr",
            "exemple",
            "une adresse",
            "user:pass@exemple.fr",
        ] {
            assert!(url(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn serde_reads_and_writes_the_text() {
        let p: Result<Phone, _> = serde_json::from_str(r#""+33 6 12 34 56 78""#);
        assert_eq!(p.map(String::from).ok(), Some("06 12 34 56 78".into()));
        assert!(serde_json::from_str::<Postcode>(r#""5900""#).is_err());
        let u = WebUrl::parse("https://www.caf.fr").map(|u| serde_json::to_string(&u).ok());
        assert_eq!(u, Ok(Some(r#""https://www.caf.fr/""#.into())));
    }
}
