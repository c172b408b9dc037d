//! HTTP handlers of the auth pages and API.

pub mod account;
pub mod admin_centres;
pub mod admin_users;
pub mod api;
pub mod login;
pub mod password;
