//! Anim'Connect.

mod encadrement;
