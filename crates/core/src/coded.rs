//! Stored states and kinds: an enum whose values are kept in the database as short text codes
//! (`"validee"`) and shown to people by their French label (« Validée par le centre »).
//!
//! Declare one with [`coded!`](crate::coded); its diesel mapping is one line of
//! `csc_db::sql_coded!` next to it. Nothing else spells the codes: handlers and templates use the
//! enum, its label, or booleans computed from it.

use serde::Serialize;

/// An enum stored as a text code and shown by a French label.
pub trait Coded: Copy + Eq + std::fmt::Debug + 'static {
    /// Every value, in the order forms and lists show them.
    const ALL: &'static [Self];

    /// The code stored in the database and sent by forms.
    fn code(self) -> &'static str;

    /// The French label shown to people.
    fn label(self) -> &'static str;

    /// The value of a stored or submitted code (surrounding spaces ignored).
    fn parse(code: &str) -> Option<Self> {
        let code = code.trim();
        Self::ALL.iter().copied().find(|v| v.code() == code)
    }

    /// The choices of a `<select>` or of radio buttons, in order.
    fn choices() -> Vec<Choice> {
        Self::ALL
            .iter()
            .map(|v| Choice {
                code: v.code(),
                label: v.label(),
            })
            .collect()
    }
}

/// One choice of a list, as templates read it (`value="{{ c.code }}"`, `{{ c.label }}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Choice {
    pub code: &'static str,
    pub label: &'static str,
}

/// Declares a [`Coded`] enum: each variant with its stored code and its French label. It is
/// serialised as `{ "code": …, "label": … }` (templates show `x.label`; JSON exports carry both),
/// deserialised from its code, and displayed as its label. Attributes before `enum` (diesel's
/// derives, say) are kept.
///
/// ```ignore
/// csc_core::coded! {
///     #[derive(diesel::AsExpression, diesel::FromSqlRow)]
///     #[diesel(sql_type = diesel::sql_types::Text)]
///     pub enum Level { Beginner = ("debutant", "Débutant"), Easy = ("a-l-aise", "À l'aise") }
/// }
/// ```
#[macro_export]
macro_rules! coded {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $($(#[$vmeta:meta])* $variant:ident = ($code:literal, $label:literal)),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $crate::coded::Coded for $name {
            const ALL: &'static [Self] = &[$(Self::$variant),+];

            fn code(self) -> &'static str {
                match self {
                    $(Self::$variant => $code),+
                }
            }

            fn label(self) -> &'static str {
                match self {
                    $(Self::$variant => $label),+
                }
            }
        }

        #[allow(dead_code)] // not every enum uses each shortcut
        impl $name {
            /// The code stored in the database.
            pub fn code(self) -> &'static str {
                $crate::coded::Coded::code(self)
            }

            /// The French label.
            pub fn label(self) -> &'static str {
                $crate::coded::Coded::label(self)
            }

            /// The value of a code, if it is one.
            pub fn parse(code: &str) -> Option<Self> {
                <Self as $crate::coded::Coded>::parse(code)
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str($crate::coded::Coded::label(*self))
            }
        }

        impl $crate::serde::Serialize for $name {
            fn serialize<S: $crate::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                $crate::coded::Choice {
                    code: $crate::coded::Coded::code(*self),
                    label: $crate::coded::Coded::label(*self),
                }
                .serialize(s)
            }
        }

        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let code = <String as $crate::serde::Deserialize>::deserialize(d)?;
                <Self as $crate::coded::Coded>::parse(&code).ok_or_else(|| {
                    <D::Error as $crate::serde::de::Error>::custom(format!(
                        "unknown {} code {code:?}",
                        stringify!($name)
                    ))
                })
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::Coded;

    crate::coded! {
        /// A test enum.
        pub enum Colour {
            Red = ("rouge", "Rouge"),
            Light = ("bleu-clair", "Bleu clair"),
        }
    }

    #[test]
    fn codes_parse_back_and_labels_show() {
        for c in Colour::ALL {
            assert_eq!(Colour::parse(c.code()), Some(*c));
        }
        assert_eq!(Colour::parse(" bleu-clair "), Some(Colour::Light));
        assert_eq!(Colour::parse("Bleu clair"), None);
        assert_eq!(Colour::Light.to_string(), "Bleu clair");
        assert_eq!(Colour::choices().len(), 2);
    }

    #[test]
    fn serialised_with_code_and_label_read_from_the_code() {
        let json = serde_json::to_string(&Colour::Light).unwrap_or_default();
        assert_eq!(json, r#"{"code":"bleu-clair","label":"Bleu clair"}"#);
        let back: Result<Colour, _> = serde_json::from_str(r#""rouge""#);
        assert_eq!(back.ok(), Some(Colour::Red));
        assert!(serde_json::from_str::<Colour>(r#""vert""#).is_err());
    }
}
