//! The Boussole in a real browser (`apps/boussole/tests/browser/boussole.mjs`: headless Chromium,
//! playwright-core and axe-core, the kiosque's npm packages): a parent finds an open LAEP near
//! 59100 for a 2-year-old without JavaScript; no axe violation on every Boussole page. Runs when
//! `BROWSER_TESTS=1` (scripts/test.sh sets it after scripts/browser-deps.sh).

use std::path::PathBuf;
use std::process::Command;

use csc_boussole::import;
use csc_core::Role;

use super::lieux::{place, territory};
use crate::helpers::{scalar, PASSWORD};

#[tokio::test]
async fn a_parent_finds_an_open_laep_without_javascript_and_axe_passes() {
    if std::env::var("BROWSER_TESTS").map_or(true, |v| v.is_empty()) {
        eprintln!("browser test not run: set BROWSER_TESTS=1 after scripts/browser-deps.sh");
        return;
    }
    let app = territory().await;
    // Open at any hour, so that « ouvert maintenant » holds whenever the test runs; a closed
    // LAEP next to it is left out.
    app.db
        .write(|c| {
            let mut open = place(
                "laep",
                "LAEP Les Petits Pas",
                "Roubaix",
                "59512",
                50.69421,
                3.17456,
                "24/7",
            );
            open.postcode = "59100".into();
            let closed = place(
                "laep-ferme",
                "LAEP Toujours fermé",
                "Roubaix",
                "59512",
                50.695,
                3.175,
                "off",
            );
            Ok(import::save(c, &[open, closed])?)
        })
        .await
        .unwrap();
    let closed = scalar(
        &app,
        "SELECT id FROM boussole_places WHERE ext_id = 'laep-ferme'",
    )
    .await;
    app.db
        .write(move |c| {
            use diesel::prelude::*;
            diesel::sql_query(format!(
                "INSERT INTO boussole_services (place_id, name, kind, themes, age_min, age_max, access, created_at, updated_at) \
                 VALUES ({closed}, 'Accueil', 'accueil', 'famille--soutien-a-la-parentalite', 0, 3, 'sans-rendez-vous', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            ))
            .execute(c)?;
            Ok(())
        })
        .await
        .unwrap();
    let centre = app.create_centre("centre-a", "Centre A").await;
    app.create_user(
        "referent@exemple.fr",
        PASSWORD,
        false,
        &[(centre, Role::Referent)],
    )
    .await;
    let id = scalar(&app, "SELECT id FROM boussole_places WHERE ext_id = 'laep'").await;
    let deps = std::env::var("BROWSER_DEPS").unwrap_or_else(|_| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../kiosque/tests/browser").to_string()
    });
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../boussole/tests/browser");
    let base = app.address.clone();
    let output = tokio::task::spawn_blocking(move || {
        Command::new("node")
            .arg("boussole.mjs")
            .current_dir(&dir)
            .env("BASE_URL", &base)
            .env("BROWSER_DEPS", deps)
            .env("PLACE_URL", format!("{base}/boussole/lieux/{id}"))
            .env("STAFF_EMAIL", "referent@exemple.fr")
            .env("STAFF_PASSWORD", PASSWORD)
            .env(
                "STAFF_URLS",
                format!("/boussole/gestion /boussole/gestion/agenda /boussole/gestion/lieux/{id}"),
            )
            .output()
    })
    .await
    .unwrap()
    .expect("node runs (scripts/browser-deps.sh installs it)");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    assert!(
        output.status.success() && stdout.contains(", 0 failed"),
        "browser test failed:\n{stdout}\n{stderr}"
    );
}
