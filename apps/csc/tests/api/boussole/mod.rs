//! Boussole parentale: opening hours through the real binary, the near-me search and its JSON
//! API, the import of data·inclusion files.

mod agenda;
mod browser;
mod horaires;
mod import;
mod lieux;
mod pages;
