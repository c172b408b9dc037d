use csc_testkit::{location, TestClient};
use reqwest::StatusCode;

use crate::helpers::{user_id, world, World, PASSWORD};

fn admin_get_routes(w: &World, other_user: i64) -> Vec<String> {
    vec![
        "/admin".into(),
        "/admin/centres".into(),
        "/admin/centres/nouveau".into(),
        format!("/admin/centres/{}", w.centre_a),
        "/admin/utilisateurs".into(),
        "/admin/utilisateurs/inviter".into(),
        format!("/admin/utilisateurs/{other_user}"),
        "/admin/courriels".into(),
    ]
}

fn admin_post_routes(w: &World, other_user: i64) -> Vec<(String, Vec<(&'static str, String)>)> {
    vec![
        ("/admin/centres".into(), vec![("name", "Pirate".into())]),
        (
            format!("/admin/centres/{}", w.centre_a),
            vec![("name", "Pirate".into())],
        ),
        (
            "/admin/utilisateurs/inviter".into(),
            vec![
                ("email", "x@exemple.fr".into()),
                ("display_name", "X".into()),
                ("centre_id", w.centre_a.to_string()),
                ("role", "referent".into()),
            ],
        ),
        (
            format!("/admin/utilisateurs/{other_user}/roles"),
            vec![
                ("centre_id", w.centre_a.to_string()),
                ("role", "referent".into()),
                ("action", "ajouter".into()),
            ],
        ),
        (
            format!("/admin/utilisateurs/{other_user}/desactiver"),
            vec![],
        ),
        (
            format!("/admin/utilisateurs/{other_user}/reactiver"),
            vec![],
        ),
        ("/admin/courriels/1/relancer".into(), vec![]),
    ]
}

async fn post(c: &TestClient, path: &str, fields: &[(&'static str, String)]) -> reqwest::Response {
    let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    c.post_form(path, &f).await
}

#[tokio::test]
async fn a_user_without_the_role_gets_403_on_every_admin_route() {
    let w = world().await;
    let other = user_id(&w.app, "referent.b@exemple.fr").await;
    let c = w.app.new_client();
    c.login_ok("habitant.a@exemple.fr", PASSWORD).await;
    for path in admin_get_routes(&w, other) {
        let res = c.get(&path).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "GET {path}");
        assert!(
            res.text()
                .await
                .unwrap()
                .contains("Vous n&#x27;avez pas accès"),
            "French 403 page on {path}"
        );
    }
    for (path, fields) in admin_post_routes(&w, other) {
        assert_eq!(
            post(&c, &path, &fields).await.status(),
            StatusCode::FORBIDDEN,
            "POST {path}"
        );
    }
    // Nothing was changed by the refused posts.
    let admin = w.app.new_client();
    admin.login_ok("admin@exemple.fr", PASSWORD).await;
    let centres = admin.get_text("/admin/centres", StatusCode::OK).await;
    assert!(!centres.contains("Pirate"));
}

#[tokio::test]
async fn anonymous_visitors_are_sent_to_sign_in() {
    let w = world().await;
    let other = user_id(&w.app, "referent.b@exemple.fr").await;
    let c = w.app.new_client();
    for path in admin_get_routes(&w, other)
        .into_iter()
        .chain(["/mon-compte".to_string()])
    {
        let res = c.get(&path).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "GET {path}");
        assert!(
            location(&res).starts_with("/connexion?suivant="),
            "GET {path}"
        );
    }
    for (path, fields) in admin_post_routes(&w, other) {
        let res = post(&c, &path, &fields).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "POST {path}");
        assert!(location(&res).starts_with("/connexion"), "POST {path}");
    }
}

#[tokio::test]
async fn a_referent_of_centre_a_cannot_touch_centre_b() {
    let w = world().await;
    let b_referent = user_id(&w.app, "referent.b@exemple.fr").await;
    let c = w.app.new_client();
    c.login_ok("referent.a@exemple.fr", PASSWORD).await;

    // Own centre: allowed.
    assert_eq!(
        c.get(&format!("/admin/centres/{}", w.centre_a))
            .await
            .status(),
        StatusCode::OK
    );
    let list = c.get_text("/admin/centres", StatusCode::OK).await;
    assert!(list.contains("Centre A") && !list.contains("Centre B"));
    let users = c.get_text("/admin/utilisateurs", StatusCode::OK).await;
    assert!(users.contains("habitant.a@exemple.fr") && !users.contains("referent.b@exemple.fr"));

    // Centre B: refused, and nothing changes.
    assert_eq!(
        c.get(&format!("/admin/centres/{}", w.centre_b))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let res = c
        .post_form(
            &format!("/admin/centres/{}", w.centre_b),
            &[("name", "Centre B piraté")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        c.get(&format!("/admin/utilisateurs/{b_referent}"))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let b = w.centre_b.to_string();
    let res = c
        .post_form(
            &format!("/admin/utilisateurs/{b_referent}/roles"),
            &[
                ("centre_id", &b),
                ("role", "referent"),
                ("action", "retirer"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = c
        .post_form(
            "/admin/utilisateurs/inviter",
            &[
                ("email", "intrus@exemple.fr"),
                ("display_name", "Intrus"),
                ("centre_id", &b),
                ("role", "accueil"),
            ],
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "centre B is not offered to a referent of A"
    );
    // Federation-only pages.
    assert_eq!(
        c.get("/admin/centres/nouveau").await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        c.get("/admin/courriels").await.status(),
        StatusCode::FORBIDDEN
    );

    let admin = w.app.new_client();
    admin.login_ok("admin@exemple.fr", PASSWORD).await;
    let page = admin
        .get_text(&format!("/admin/utilisateurs/{b_referent}"), StatusCode::OK)
        .await;
    assert!(page.contains("Centre B"), "referent B keeps the role");
    let centres = admin.get_text("/admin/centres", StatusCode::OK).await;
    assert!(!centres.contains("piraté"));
}

#[tokio::test]
async fn a_referent_cannot_change_the_short_name_of_their_centre() {
    let w = world().await;
    let c = w.app.new_client();
    c.login_ok("referent.a@exemple.fr", PASSWORD).await;
    let res = c
        .post_form(
            &format!("/admin/centres/{}", w.centre_a),
            &[("name", "Centre A renommé"), ("slug", "autre-nom")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = c
        .get_text(&format!("/admin/centres/{}", w.centre_a), StatusCode::OK)
        .await;
    assert!(page.contains("Centre A renommé"));
    assert!(page.contains("<code>centre-a</code>"));
}
