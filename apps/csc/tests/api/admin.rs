use csc_core::Role;
use reqwest::multipart::{Form, Part};
use reqwest::StatusCode;

use crate::helpers::{world, PASSWORD};

#[tokio::test]
async fn an_admin_creates_a_centre_and_bad_fields_are_explained_with_input_kept() {
    let w = world().await;
    let c = w.app.new_client();
    c.login_ok("admin@exemple.fr", PASSWORD).await;
    let res = c
        .post_form(
            "/admin/centres",
            &[
                ("name", "Maison <b>Test</b>"),
                ("postcode", "59"),
                ("phone", "12"),
                ("website", "javascript:alert(1)"),
                ("city", "Roubaix"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(body.contains("Le code postal compte 5 chiffres"));
    assert!(body.contains("Le numéro de téléphone compte 10 chiffres"));
    assert!(body.contains("Indiquez une adresse de site web"));
    assert!(body.contains("value=\"Roubaix\""), "input kept");
    assert!(
        body.contains("Maison &lt;b&gt;Test&lt;&#x2F;b&gt;"),
        "HTML is escaped"
    );
    assert!(!body.contains("<b>Test</b>"));

    let res = c
        .post_form(
            "/admin/centres",
            &[
                ("name", "Maison <b>Test</b>"),
                ("postcode", "59100"),
                ("phone", "0320260411"),
                ("city", "Roubaix"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let list = c.get_text("/admin/centres", StatusCode::OK).await;
    assert!(list.contains("Maison &lt;b&gt;Test&lt;&#x2F;b&gt;"));
    assert!(list.contains("03 20 26 04 11"));
    assert!(list.contains("<code>maison-b-test-b</code>"));

    // A slug already taken is a field error, not a 500.
    let res = c
        .post_form("/admin/centres", &[("name", "Autre"), ("slug", "centre-a")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("déjà utilisé"));
}

fn png() -> Vec<u8> {
    let mut v = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];
    v.extend_from_slice(&[0u8; 64]);
    v
}

async fn upload(
    c: &csc_testkit::TestClient,
    centre: i64,
    bytes: Vec<u8>,
    name: &str,
) -> reqwest::Response {
    let token = c.csrf_token().await;
    let form = Form::new().part("logo", Part::bytes(bytes).file_name(name.to_string()));
    c.http
        .post(c.url(&format!("/admin/centres/{centre}/logo?csrf_token={token}")))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_referent_uploads_a_logo_and_only_real_images_are_kept() {
    let w = world().await;
    let c = w.app.new_client();
    c.login_ok("referent.a@exemple.fr", PASSWORD).await;
    let res = upload(
        &c,
        w.centre_a,
        b"<svg onload=\"alert(1)\"/>".to_vec(),
        "logo.png",
    )
    .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().await.unwrap().contains("PNG, JPEG ou WebP"));
    let res = upload(&c, w.centre_a, vec![0xff; 600 * 1024], "gros.jpg").await;
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        upload(&c, w.centre_b, png(), "logo.png").await.status(),
        StatusCode::FORBIDDEN
    );

    let res = upload(&c, w.centre_a, png(), "logo.png").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let logo = w.app.new_client().get("/centres/centre-a/logo").await;
    assert_eq!(logo.status(), StatusCode::OK);
    assert_eq!(logo.headers()["content-type"], "image/png");
    assert_eq!(logo.bytes().await.unwrap().to_vec(), png());

    // Without the CSRF token in the query string the upload is refused.
    let form = Form::new().part("logo", Part::bytes(png()).file_name("logo.png"));
    let res = c
        .http
        .post(c.url(&format!("/admin/centres/{}/logo", w.centre_a)))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_invitation_form_checks_every_field_and_keeps_the_input() {
    let w = world().await;
    let c = w.app.new_client();
    c.login_ok("referent.a@exemple.fr", PASSWORD).await;
    let res = c
        .post_form(
            "/admin/utilisateurs/inviter",
            &[
                ("email", "pas une adresse"),
                ("display_name", "Zoé"),
                ("centre_id", "abc"),
                ("role", "roi"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(body.contains("Le formulaire contient 3 erreurs"), "{body}");
    assert!(body.contains("value=\"Zoé\""));
    assert!(body.contains("value=\"pas une adresse\""));
}

#[tokio::test]
async fn the_invitation_form_grants_no_role_and_no_centre_by_default() {
    let w = world().await;
    let c = w.app.new_client();
    c.login_ok("admin@exemple.fr", PASSWORD).await;
    let page = c
        .get_text("/admin/utilisateurs/inviter", StatusCode::OK)
        .await;
    // Both lists start on an empty choice, and nothing is pre-selected.
    assert!(
        page.contains(r#"<option value="">Choisir le centre…</option>"#),
        "{page}"
    );
    assert!(page.contains(r#"<option value="">Choisir le rôle…</option>"#));
    assert!(!page.contains(" selected>"), "{page}");
    // Sent as shown (name and address only): refused, nobody invited.
    let res = c
        .post_form(
            "/admin/utilisateurs/inviter",
            &[("email", "zoe@exemple.fr"), ("display_name", "Zoé")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(
        body.contains("Choisissez un des centres de la liste."),
        "{body}"
    );
    assert!(body.contains("Choisissez un rôle dans la liste."));
    let invited = w
        .app
        .db
        .run(|c| {
            Ok(csc_auth::users::by_email(
                c,
                &csc_core::Email::parse("zoe@exemple.fr")
                    .map_err(csc_core::AppError::BadRequest)?,
            )?
            .is_some())
        })
        .await
        .unwrap();
    assert!(!invited);
}

#[tokio::test]
async fn inviting_an_existing_account_adds_the_role() {
    let w = world().await;
    let c = w.app.new_client();
    c.login_ok("admin@exemple.fr", PASSWORD).await;
    let b = w.centre_b.to_string();
    let res = c
        .post_form(
            "/admin/utilisateurs/inviter",
            &[
                ("email", "Referent.A@exemple.fr"),
                ("display_name", "R"),
                ("centre_id", &b),
                ("role", "animateur"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let r = w.app.new_client();
    r.login_ok("referent.a@exemple.fr", PASSWORD).await;
    let page = r.get_text("/mon-compte", StatusCode::OK).await;
    assert!(page.contains("Centre B : Animateur·rice"));
    assert!(page.contains("Centre A : Référent·e du centre"));
}

#[tokio::test]
async fn the_accounts_list_shows_each_roles_per_centre_and_only_the_referents_centres() {
    let w = world().await;
    w.app
        .create_user(
            "double@exemple.fr",
            PASSWORD,
            false,
            &[
                (w.centre_a, Role::Accueil),
                (w.centre_a, Role::Animateur),
                (w.centre_b, Role::Referent),
            ],
        )
        .await;
    let admin = w.app.new_client();
    admin.login_ok("admin@exemple.fr", PASSWORD).await;
    let page = admin.get_text("/admin/utilisateurs", StatusCode::OK).await;
    assert!(page.contains("Rôles par centre"));
    assert!(
        page.contains("Centre A : Accueil, Animateur·rice"),
        "{page}"
    );
    assert!(page.contains("Centre B : Référent·e du centre"));
    // The referent of centre A sees the account's roles in centre A only.
    let referent = w.app.new_client();
    referent.login_ok("referent.a@exemple.fr", PASSWORD).await;
    let page = referent
        .get_text("/admin/utilisateurs", StatusCode::OK)
        .await;
    assert!(
        page.contains("Centre A : Accueil, Animateur·rice"),
        "{page}"
    );
    assert!(!page.contains("Centre B"), "{page}");
}
