//! Families (foyers) of the centres, shared by the pre-registration and attendance services:
//! one or two responsible adults, children (a child may belong to two households), the
//! benefit scheme and quotient familial, memberships (adhésions) and consents.
//!
//! Families need no account: a household is reached through a private link whose secret only
//! the family has (its SHA-256 is stored).

#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod form;
pub mod household;
pub mod membership;
mod schema;

pub use form::{ChildData, HouseholdData, HouseholdForm, MAX_CHILDREN};
pub use household::{Adult, Child, Family, Household};
pub use membership::{Membership, Validity};

/// Benefit schemes, with their French names.
pub const SCHEMES: [(&str, &str); 3] = [
    ("caf", "CAF"),
    ("msa", "MSA"),
    ("autre", "Autre régime, ou aucun"),
];

/// The French name of a scheme code.
pub fn scheme_label(code: &str) -> &'static str {
    SCHEMES
        .iter()
        .find(|(c, _)| *c == code)
        .map_or("Autre régime, ou aucun", |(_, l)| l)
}
