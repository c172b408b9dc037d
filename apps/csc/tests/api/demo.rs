//! `csc demo`: every app's demo data loads on the test database, twice without duplicates, and
//! each address the demo lists answers to the demo accounts.

use csc_testkit::spawn_app;
use reqwest::StatusCode;

use crate::helpers::scalar;

#[actix_web::test]
async fn the_demo_loads_once_and_its_addresses_answer() {
    let app = spawn_app(&csc::modules()).await;
    let modules = csc::modules();
    let report = app
        .db
        .run(move |c| csc::demo::load(c, &modules))
        .await
        .unwrap();
    let sheets = scalar(&app, "SELECT COUNT(*) FROM animconnect_sheets").await;
    assert_eq!(sheets, 30);
    let sessions = scalar(&app, "SELECT COUNT(*) FROM animconnect_sessions").await;
    assert!(sessions >= 8, "{sessions}");
    // Again: nothing new.
    let modules = csc::modules();
    app.db
        .run(move |c| csc::demo::load(c, &modules))
        .await
        .unwrap();
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM animconnect_sheets").await,
        sheets
    );
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM animconnect_sessions").await,
        sessions
    );

    // The federation's admin sees each listed page, and the staffing warning of the demo period.
    let (email, _, password) = report
        .accounts
        .iter()
        .find(|a| a.0.starts_with("admin@"))
        .cloned()
        .unwrap();
    let client = app.new_client();
    client.login_ok(&email, &password.unwrap()).await;
    for (what, path) in &report.addresses {
        let res = client.get(path).await;
        assert!(res.status().is_success(), "{what} {path}: {}", res.status());
    }
    let period = report
        .addresses
        .iter()
        .find(|a| a.0.contains("alerte d'encadrement"))
        .map(|a| a.1.clone())
        .unwrap();
    let groups: Vec<i64> = {
        let g = scalar(&app, "SELECT MAX(id) FROM activity_groups").await;
        vec![g]
    };
    let page = client
        .get_text(&format!("{period}?groupe={}", groups[0]), StatusCode::OK)
        .await;
    assert!(page.contains("il manque"), "{page}");
    let coverage = client
        .get_text(&format!("{period}/couverture"), StatusCode::OK)
        .await;
    assert!(coverage.contains("jamais travaillé"), "{coverage}");
}
