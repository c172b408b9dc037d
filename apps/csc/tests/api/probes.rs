//! What a probe of about 4,000 hostile requests found (issue « Kiosque et pré-inscription as
//! their users meet them », item 11), each reproduced here and fixed.

use reqwest::StatusCode;

use crate::helpers::{scalar, world, PASSWORD};

#[actix_web::test]
async fn a_head_request_is_answered_as_the_get_without_a_body() {
    let w = world().await;
    for path in [
        "/".to_string(),
        "/connexion".to_string(),
        format!("{}/c/centre-a", csc_kiosque::MOUNT),
    ] {
        let res = w.app.http.head(w.app.url(&path)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "HEAD {path}");
        assert!(res.text().await.unwrap().is_empty(), "HEAD {path}");
    }
    // Only GET routes answer HEAD: a form's address does not.
    let res = w
        .app
        .http
        .head(w.app.url("/mon-compte/mot-de-passe"))
        .send()
        .await
        .unwrap();
    assert_ne!(res.status(), StatusCode::OK);
}

#[actix_web::test]
async fn the_token_api_says_when_to_try_again() {
    let w = world().await;
    let ask = |password: &'static str| {
        let c = w.app.new_client();
        async move {
            c.http
                .post(c.url("/api/v1/jetons"))
                .json(
                    &serde_json::json!({ "email": "referent.a@exemple.fr", "password": password }),
                )
                .send()
                .await
                .unwrap()
        }
    };
    for _ in 0..5 {
        assert_eq!(ask("mauvais").await.status(), StatusCode::UNAUTHORIZED);
    }
    let res = ask(PASSWORD).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: i64 = res
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("a Retry-After in seconds");
    assert!((1..=15 * 60).contains(&wait), "{wait}");
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["status"], 429);
}

#[actix_web::test]
async fn clicks_and_events_are_refused_for_a_centre_that_does_not_exist() {
    let w = world().await;
    let res = w
        .app
        .get("/go/kiosque/999999/caf-declarer-ressources")
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let event = |centre: i64| {
        let c = w.app.new_client();
        async move {
            c.http
                .post(c.url("/api/v1/evenements"))
                .json(&serde_json::json!({
                    "app": "kiosque", "centre": centre, "name": "essai", "value": "oui"
                }))
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(event(999_999).await, StatusCode::BAD_REQUEST);
    assert_eq!(event(w.centre_a).await, StatusCode::ACCEPTED);
    assert_eq!(event(0).await, StatusCode::ACCEPTED);
}

#[actix_web::test]
async fn personal_json_is_never_cached() {
    let w = world().await;
    let c = w.app.new_client();
    let res = c
        .http
        .post(c.url("/api/v1/jetons"))
        .json(&serde_json::json!({ "email": "habitant.a@exemple.fr", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(res.headers()["cache-control"], "no-store");
    let token = res.json::<serde_json::Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string();
    let res = c
        .http
        .get(c.url("/api/v1/moi"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["cache-control"], "no-store");
}

#[actix_web::test]
async fn a_nul_byte_in_a_public_form_is_refused_in_french_and_nothing_is_stored() {
    let w = world().await;
    let parent = w.app.new_client();
    let mut fields =
        crate::preinscription::household_fields("samia@exemple.fr", "612", "In\u{0}ès");
    fields.push(("address", "12 rue\u{1b} des Lilas"));
    let path = format!("{}/c/centre-a/adhesion", csc_preinscription::MOUNT);
    let res = parent.post_form(&path, &fields).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let page = res.text().await.unwrap();
    assert!(page.contains("caractère invisible"), "{page}");
    let households = scalar(&w.app, "SELECT count(*) FROM members_households").await;
    assert_eq!(households, 0);
    // The same with the token in the header instead of the body.
    let token = parent.csrf_token().await;
    let res = parent
        .http
        .post(parent.url(&path))
        .header("X-CSRF-Token", token)
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    // Line breaks and tabs of a text area are kept.
    let mut fields = crate::preinscription::household_fields("samia@exemple.fr", "612", "Inès");
    fields.retain(|(k, _)| *k != "c1_health");
    fields.push(("c1_health", "Allergie :\r\n\tarachides"));
    let res = parent.post_form(&path, &fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
}

#[actix_web::test]
async fn asking_for_an_account_never_tells_whether_an_address_has_one_and_mails_it_a_few_times_only(
) {
    let w = world().await;
    let (activity, day) =
        crate::preinscription::open_activity(&w.app, "referent.a@exemple.fr", w.centre_a, "5")
            .await;
    // One household with a new address, one with the address of an existing account.
    let (new_one, _) =
        crate::preinscription::family_with_request(&w.app, activity, &day, "nouveau@exemple.fr")
            .await;
    let (taken, _) =
        crate::preinscription::family_with_request(&w.app, activity, &day, "habitant.a@exemple.fr")
            .await;
    let visitor = w.app.new_client();
    let answer = |family: String| {
        let visitor = visitor.clone();
        async move {
            let res = visitor.post_form(&format!("{family}/compte"), &[]).await;
            assert_eq!(res.status(), StatusCode::SEE_OTHER);
            let page = visitor
                .get_text(&csc_testkit::location(&res), StatusCode::OK)
                .await;
            let flash = page
                .split("role=\"status\">")
                .nth(1)
                .and_then(|rest| rest.split('<').next())
                .unwrap_or_default()
                .to_string();
            flash
        }
    };
    let for_new = answer(new_one.clone()).await;
    let for_taken = answer(taken.clone()).await;
    assert!(!for_new.is_empty());
    assert_eq!(for_new, for_taken, "the same answer whatever the address");
    // Asked again and again: at most three mails an hour to that address.
    for _ in 0..4 {
        assert_eq!(answer(taken.clone()).await, for_taken);
    }
    let mails = scalar(
        &w.app,
        "SELECT count(*) FROM mail_outbox WHERE to_addr = 'habitant.a@exemple.fr' \
         AND template = 'preinscription/compte_existant'",
    )
    .await;
    assert_eq!(mails, csc_preinscription::families::ACCOUNT_MAILS_PER_HOUR);
}

#[actix_web::test]
async fn the_current_password_cannot_be_guessed_on_the_account_page() {
    let w = world().await;
    let c = w.app.new_client();
    c.login_ok("habitant.a@exemple.fr", PASSWORD).await;
    let attempt = |current: &'static str| {
        let c = c.clone();
        async move {
            let res = c
                .post_form(
                    "/mon-compte/mot-de-passe",
                    &[
                        ("current", current),
                        ("password", "une nouvelle phrase"),
                        ("confirmation", "une nouvelle phrase"),
                    ],
                )
                .await;
            (res.status(), res.text().await.unwrap())
        }
    };
    for _ in 0..5 {
        let (status, page) = attempt("mauvais").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("n&#x27;est pas le bon"), "{page}");
    }
    // Blocked now, even with the right password; the password is unchanged.
    let (status, page) = attempt(PASSWORD).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Trop d&#x27;essais"), "{page}");
    w.app
        .new_client()
        .login("habitant.a@exemple.fr", "une nouvelle phrase")
        .await
        .status()
        .is_client_error()
        .then_some(())
        .expect("the password was not changed");
}

#[actix_web::test]
async fn requests_through_a_proxy_that_is_not_trusted_are_pointed_out() {
    let w = world().await;
    assert_eq!(w.app.get_text("/readyz", StatusCode::OK).await, "prêt");
    let res = w
        .app
        .http
        .get(w.app.url("/"))
        .header("X-Forwarded-For", "203.0.113.9")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let ready = w.app.get_text("/readyz", StatusCode::OK).await;
    assert!(ready.starts_with("prêt"), "{ready}");
    assert!(ready.contains("TRUST_PROXY est désactivé"), "{ready}");

    // Behind a trusted proxy, nothing to say.
    let trusted = csc_testkit::spawn_app_with(&csc::modules(), |s| s.trust_proxy = true).await;
    trusted
        .http
        .get(trusted.url("/"))
        .header("X-Forwarded-For", "203.0.113.9")
        .send()
        .await
        .unwrap();
    assert_eq!(trusted.get_text("/readyz", StatusCode::OK).await, "prêt");
}

#[actix_web::test]
async fn the_logo_form_reads_a_bounded_body_whatever_its_parts() {
    use reqwest::multipart::{Form, Part};
    let w = world().await;
    let c = w.app.new_client();
    c.login_ok("referent.a@exemple.fr", PASSWORD).await;
    let send = |form: Form| {
        let c = c.clone();
        let centre = w.centre_a;
        async move {
            let token = c.csrf_token().await;
            c.http
                .post(c.url(&format!("/admin/centres/{centre}/logo?csrf_token={token}")))
                .multipart(form)
                .send()
                .await
                .map(|r| r.status())
        }
    };
    // 2 MB of junk in parts that are not the logo: refused, not read to the end.
    let mut junk = Form::new();
    for i in 0..4 {
        junk = junk.part(format!("x{i}"), Part::bytes(vec![b'a'; 500_000]));
    }
    let status = send(junk).await;
    // The server may answer before reading the rest, and close the connection.
    assert!(
        status
            .as_ref()
            .map_or(true, |s| *s == StatusCode::PAYLOAD_TOO_LARGE),
        "{status:?}"
    );
    // Many small parts: refused too.
    let mut many = Form::new();
    for i in 0..20 {
        many = many.text(format!("x{i}"), "a");
    }
    assert_eq!(send(many).await.ok(), Some(StatusCode::BAD_REQUEST));
}
