use csc_testkit::spawn_app;
use reqwest::StatusCode;

#[tokio::test]
async fn health_endpoints_answer() {
    let app = spawn_app(&csc::modules()).await;
    assert_eq!(app.get_text("/healthz", StatusCode::OK).await, "ok");
    assert_eq!(app.get_text("/readyz", StatusCode::OK).await, "prêt");
}

#[tokio::test]
async fn pages_are_french_with_security_headers() {
    let app = spawn_app(&csc::modules()).await;
    let res = app.get("/").await;
    assert_eq!(res.status(), StatusCode::OK);
    let h = res.headers().clone();
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert!(csp.contains("frame-ancestors 'none'"));
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "same-origin");
    let body = res.text().await.unwrap();
    assert!(body.contains("<html lang=\"fr\">"));
    assert!(body.contains("href=\"#contenu\""), "skip link");
    assert_eq!(body.matches("<h1").count(), 1);
    for link in ["/accessibilite", "/mentions-legales", "/confidentialite"] {
        assert!(
            body.contains(&format!("href=\"{link}\"")),
            "footer link {link}"
        );
        let page = app.get_text(link, StatusCode::OK).await;
        assert_eq!(page.matches("<h1").count(), 1, "{link}");
    }
}

#[tokio::test]
async fn static_assets_are_embedded() {
    let app = spawn_app(&csc::modules()).await;
    let res = app.get("/static/csc.css").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/css"));
    assert!(res.text().await.unwrap().contains(":focus-visible"));
    assert_eq!(
        app.get("/static/../Cargo.toml").await.status(),
        StatusCode::NOT_FOUND
    );
}
