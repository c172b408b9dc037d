//! Anim'Connect.

mod encadrement;
mod planning;
mod sheets;
