//! The kiosk in a real browser (Debian's headless Chromium driven by playwright-core, with
//! axe-core): `apps/kiosque/tests/browser/kiosk.mjs` against this app. It needs Node.js, Chromium
//! and the npm packages that `scripts/browser-deps.sh` installs; `scripts/test.sh` runs both and sets
//! `BROWSER_TESTS=1`. Without that variable the test says so and does nothing.

use std::path::PathBuf;
use std::process::Command;

use csc_testkit::spawn_app;

#[tokio::test]
async fn the_kiosk_works_in_chromium_and_passes_axe() {
    if std::env::var("BROWSER_TESTS").map_or(true, |v| v.is_empty()) {
        eprintln!("browser test not run: set BROWSER_TESTS=1 after scripts/browser-deps.sh (scripts/test.sh does)");
        return;
    }
    let app = spawn_app(&csc::modules()).await;
    let centre = app
        .create_centre("centre-test", "Centre social de l'Épine")
        .await;
    // 10 seconds before the warning, the shortest warning allowed (20 s): the test waits for both.
    let kiosk = app
        .db
        .run(move |c| {
            Ok(csc_kiosque::kiosks::create(
                c,
                centre,
                "Borne de test",
                10,
                20,
            )?)
        })
        .await
        .unwrap();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../kiosque/tests/browser");
    let base = app.address.clone();
    let output = tokio::task::spawn_blocking(move || {
        Command::new("node")
            .arg("kiosk.mjs")
            .current_dir(&dir)
            .env("KIOSK_URL", format!("{base}/kiosque/borne/{}", kiosk.token))
            .env("PORTAL_URL", format!("{base}/kiosque/c/centre-test"))
            .env(
                "GUIDE_URL",
                format!("{base}/kiosque/c/centre-test/demarche/caf-declarer-ressources"),
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
