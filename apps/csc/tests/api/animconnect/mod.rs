//! Anim'Connect.

mod encadrement;
mod sheets;
