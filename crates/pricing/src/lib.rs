//! Pricing of the leisure-centre pre-registration service.
//!
//! - [`qf::compute`] works out a quotient familial the CAF way when a family has no CAF figure.
//! - A [`Grid`] is one centre's tariff grid for an activity and season, loaded from JSON
//!   ([`Grid::from_json`]) and checked once; [`Grid::price`] turns a [`Query`] into a [`Quote`]
//!   explained in French. Pure functions: no I/O, no clock.
//!
//! Money is integer cents ([`Cents`]); every rounding to the cent goes through
//! [`money::round_half_up`]. The JSON format is documented for admins in docs/tarifs-grilles.md.

mod engine;
pub mod grid;
mod grid_error;
pub mod money;
pub mod qf;
mod quote;
pub mod unit;
mod validate;

pub use grid::{
    AgeRange, Band, BandPricing, EffortPricing, EffortRate, GridSpec, Limit, MembershipFee,
    MembershipKind, MissingQf, NonResident, PriceSpec, Pricing, Schedule,
};
pub use grid_error::GridError;
pub use money::{Cents, Percent};
pub use qf::{Qf, QfError, QfInput};
pub use quote::{age_on, Explanation, PriceError, Query, Quote};
pub use unit::{Unit, UnknownUnit};
pub use validate::{Grid, MAX_AMOUNT_CENTS};
