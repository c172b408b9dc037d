//! Shared foundations of the suite: settings, the one HTTP-edge error type, domain newtypes, clock.

pub mod coded;
pub mod error;
pub mod identity;
pub mod settings;
pub mod time;
pub mod types;

pub use coded::{Choice, Coded};
pub use error::{AppError, AppResult};
pub use identity::{CentreRole, Identity, Role};
pub use settings::Settings;
pub use types::{Cents, Email, Phone, Postcode, Slug, WebUrl};

#[doc(hidden)]
pub use serde;
