//! The services as separate processes (`csc serve --apps …`) behind one address: each serves
//! its own apps and the shared pages, and one sign-in works in all of them.

use csc_core::{Role, Settings};
use csc_testkit::{location, spawn_app_beside, spawn_app_with, TestClient};
use reqwest::StatusCode;

use crate::helpers::PASSWORD;

fn only(app: &'static str) -> impl Fn(&mut Settings) {
    move |s| s.apps = Some(vec![app.to_string()])
}

/// The same browser (one cookie jar: cookies do not depend on the port) at another process.
fn same_browser_at(c: &TestClient, address: &str) -> TestClient {
    TestClient {
        address: address.to_string(),
        http: c.http.clone(),
        jar: c.jar.clone(),
    }
}

#[actix_web::test]
async fn two_processes_with_different_apps_share_the_sign_in() {
    let kiosque = spawn_app_with(&csc::modules(), only("kiosque")).await;
    let preinscription = spawn_app_beside(&kiosque, &csc::modules(), only("preinscription")).await;

    // Each process serves its own app, and both the shared pages.
    assert_eq!(
        kiosque.get(csc_kiosque::MOUNT).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        kiosque.get(csc_preinscription::MOUNT).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        preinscription.get(csc_preinscription::MOUNT).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        preinscription.get(csc_kiosque::MOUNT).await.status(),
        StatusCode::NOT_FOUND
    );
    for app in [&kiosque, &preinscription] {
        assert_eq!(app.get("/connexion").await.status(), StatusCode::OK);
        // The home page of either lists every service of the suite.
        let home = app.get_text("/", StatusCode::OK).await;
        for m in csc::modules() {
            let shown = m.info.title.replace('\'', "&#x27;");
            assert!(home.contains(&shown), "{}", m.info.title);
        }
    }

    let centre = kiosque.create_centre("centre-a", "Centre A").await;
    kiosque
        .create_user(
            "accueil@exemple.fr",
            PASSWORD,
            false,
            &[(centre, Role::Accueil)],
        )
        .await;
    let at_kiosque = kiosque.new_client();
    at_kiosque.login_ok("accueil@exemple.fr", PASSWORD).await;
    let at_preinscription = same_browser_at(&at_kiosque, &preinscription.address);
    // Signed in on one process, accepted by the other.
    assert_eq!(
        at_preinscription.get("/mon-compte").await.status(),
        StatusCode::OK
    );
    let staff = format!("{}/gestion/{centre}", csc_preinscription::MOUNT);
    assert_eq!(at_preinscription.get(&staff).await.status(), StatusCode::OK);

    // Signed out on one: the token is refused by both.
    let token = at_kiosque.cookie("csc_session").expect("a session cookie");
    let res = at_preinscription.post_form("/deconnexion", &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    for app in [&kiosque, &preinscription] {
        let res = app
            .new_client()
            .http
            .get(app.url("/mon-compte"))
            .header("Cookie", format!("csc_session={token}"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", app.address);
        assert!(location(&res).starts_with("/connexion"));
    }
}

#[actix_web::test]
async fn an_unknown_app_name_stops_the_start_with_the_known_names() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = Settings::for_data_dir(dir.path());
    settings.bind = "127.0.0.1:0".into();
    settings.apps = Some(vec!["kiosk".into()]);
    let err = csc_server::Application::build(settings, &csc::modules())
        .await
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains("« kiosk »"), "{err}");
    assert!(err.contains("kiosque, preinscription"), "{err}");
}
