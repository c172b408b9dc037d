//! The kiosque over HTTP: portals, personalisation, guides, kiosks, directory, workshops, link
//! check, poster and statistics, with the denials.

use csc_core::Role;
use csc_kiosque::MOUNT;
use csc_testkit::{eventually, location, TestApp};
use diesel::prelude::*;
use reqwest::StatusCode;

use crate::helpers::{kiosque, world, World, PASSWORD};

mod access;
mod directory;
mod kiosk;
mod links;
mod portal;
mod poster;
mod stats;
mod workshops;

/// The id of a procedure of the starting catalogue.
async fn procedure_id(app: &TestApp, slug: &str) -> i64 {
    let slug = slug.to_string();
    app.db
        .run(move |c| Ok(csc_kiosque::catalogue::active_by_slug(c, &slug)?.id))
        .await
        .unwrap()
}

async fn referent_a(w: &World) -> csc_testkit::TestClient {
    let c = w.app.new_client();
    c.login_ok("referent.a@exemple.fr", PASSWORD).await;
    c
}

/// The position of `needle` in `page`, which must contain it.
fn at(page: &str, needle: &str) -> usize {
    page.find(needle)
        .unwrap_or_else(|| panic!("« {needle} » missing from the page"))
}
