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

csc_core::coded! {
    /// The family's benefit scheme (who pays its family benefits and gives its QF).
    #[derive(diesel::AsExpression, diesel::FromSqlRow)]
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub enum Scheme {
        Caf = ("caf", "CAF"),
        Msa = ("msa", "MSA"),
        Other = ("autre", "Autre régime, ou aucun"),
    }
}

csc_core::coded! {
    /// Where the proof of the family's quotient familial stands (the reception checks it).
    #[derive(diesel::AsExpression, diesel::FromSqlRow)]
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub enum QfProof {
        Missing = ("non_fourni", "justificatif non fourni"),
        Given = ("fourni", "justificatif fourni"),
        Checked = ("verifie", "justificatif vérifié"),
    }
}

csc_core::coded! {
    /// Where a membership (adhésion) stands: asked for by the family, then paid and validated.
    #[derive(diesel::AsExpression, diesel::FromSqlRow)]
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub enum MembershipStatus {
        Asked = ("demandee", "demandée, à régler à l'accueil"),
        Validated = ("validee", "validée"),
    }
}

csc_db::sql_coded!(Scheme, QfProof, MembershipStatus);
