//! Integration tests of the suite's foundation, against the real app over HTTP, on the backend
//! named by `TEST_DATABASE_URL` (SQLite when unset).

#![allow(clippy::unwrap_used)]

mod access;
mod admin;
mod animconnect;
mod biens_communs;
mod boussole;
mod browser;
mod calendar;
mod check;
mod cli;
mod csrf;
mod demo;
mod errors;
mod glossaire;
mod helpers;
mod home;
mod kiosque;
mod login;
mod mail;
mod matrix;
mod pages;
mod preinscription;
mod probes;
mod sessions;
mod split;
mod stats;
mod stats_sinks;
mod transactions;
