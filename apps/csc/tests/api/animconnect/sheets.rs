//! The library of sheets: lifecycle (draft → centre → shared), who may read and change a sheet,
//! adaptation with credit, search filters, ratings, and bad input.

use csc_core::Role;
use csc_testkit::{location, TestClient};
use reqwest::StatusCode;

use crate::helpers::{scalar, world, World, PASSWORD};

fn ac(path: &str) -> String {
    format!("{}{path}", csc_animconnect::MOUNT)
}

/// A valid sheet form, with `extra` fields replacing or adding to it.
fn sheet_form<'a>(title: &'a str, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut f: Vec<(&str, &str)> = vec![
        ("title", title),
        ("summary", "Un jeu de relais pour apprendre à coopérer."),
        ("kind", "jeu"),
        ("theme", "cooperation"),
        ("age_min", "6"),
        ("age_max", "10"),
        ("group_min", "8"),
        ("group_max", "24"),
        ("duration", "45"),
        ("setup", "10"),
        ("tidy", ""),
        ("place", "dehors"),
        ("animators", "2"),
        ("tags", "relais, Équipe"),
        ("visibility", "brouillon"),
        ("m0_article", "plots"),
        ("m0_quantity", "8"),
        ("m0_unit", ""),
        ("m1_article", "balles de tennis"),
        ("m1_quantity", "20"),
        ("s0_timing", "5 min"),
        ("s0_what", "Former les équipes"),
        ("s0_who", "Animateur"),
        ("dangers", "Chutes sur un sol glissant."),
    ];
    for (k, v) in extra {
        f.retain(|(name, _)| name != k);
        f.push((k, v));
    }
    f
}

async fn signed_in(w: &World, email: &str) -> TestClient {
    let c = w.app.new_client();
    c.login_ok(email, PASSWORD).await;
    c
}

/// Creates a sheet through the form; its id.
async fn create(c: &TestClient, fields: &[(&str, &str)]) -> i64 {
    let res = c.post_form(&ac("/fiches/nouvelle"), fields).await;
    assert_eq!(
        res.status(),
        StatusCode::SEE_OTHER,
        "{}",
        res.text().await.unwrap()
    );
    let to = location(&res);
    to.rsplit('/').next().unwrap().parse().unwrap()
}

struct Team {
    w: World,
    anim_a: TestClient,
    anim_a2: TestClient,
    anim_b: TestClient,
    referent_a: TestClient,
}

async fn team() -> Team {
    let w = world().await;
    w.app
        .create_user(
            "anim.a@exemple.fr",
            PASSWORD,
            false,
            &[(w.centre_a, Role::Animateur)],
        )
        .await;
    w.app
        .create_user(
            "anim.a2@exemple.fr",
            PASSWORD,
            false,
            &[(w.centre_a, Role::Animateur)],
        )
        .await;
    w.app
        .create_user(
            "anim.b@exemple.fr",
            PASSWORD,
            false,
            &[(w.centre_b, Role::Animateur)],
        )
        .await;
    Team {
        anim_a: signed_in(&w, "anim.a@exemple.fr").await,
        anim_a2: signed_in(&w, "anim.a2@exemple.fr").await,
        anim_b: signed_in(&w, "anim.b@exemple.fr").await,
        referent_a: signed_in(&w, "referent.a@exemple.fr").await,
        w,
    }
}

#[actix_web::test]
async fn a_sheet_opens_from_draft_to_centre_to_all_centres() {
    let t = team().await;
    let id = create(&t.anim_a, &sheet_form("Le relais des déménageurs", &[])).await;
    let page = ac(&format!("/fiches/{id}"));
    let body = t.anim_a.get_text(&page, StatusCode::OK).await;
    assert!(body.contains("Le relais des déménageurs"));
    assert!(
        body.contains("8  plots") || body.contains("8 plots"),
        "{body}"
    );
    // Printed on A4, its text extractable.
    let res = t.anim_a.get(&format!("{page}/fiche.pdf")).await;
    assert_eq!(res.status(), StatusCode::OK);
    let bytes = res.bytes().await.unwrap();
    let text = pdf_extract::extract_text_from_mem(&bytes).unwrap();
    for expected in [
        "Le relais des déménageurs",
        "Matériel",
        "balles de tennis",
        "Former les équipes",
        "Chutes sur un sol glissant.",
    ] {
        assert!(text.contains(expected), "{expected}: {text}");
    }
    // A draft: its author only.
    assert_eq!(t.anim_a2.get(&page).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(t.anim_b.get(&page).await.status(), StatusCode::NOT_FOUND);
    let list = t.anim_a2.get_text(&ac("/fiches"), StatusCode::OK).await;
    assert!(!list.contains("Le relais des déménageurs"));

    // Opened to the centre: centre A's team reads it, centre B does not.
    let res = t
        .anim_a
        .post_form(&format!("{page}/visibilite"), &[("visibility", "centre")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(t.anim_a2.get(&page).await.status(), StatusCode::OK);
    assert_eq!(t.anim_b.get(&page).await.status(), StatusCode::NOT_FOUND);

    // Shared: every centre reads it; only its author and centre A's referent change it.
    t.anim_a
        .post_form(&format!("{page}/visibilite"), &[("visibility", "partagee")])
        .await;
    assert_eq!(t.anim_b.get(&page).await.status(), StatusCode::OK);
    let list = t.anim_b.get_text(&ac("/fiches"), StatusCode::OK).await;
    assert!(list.contains("Le relais des déménageurs"));
    let edit = format!("{page}/modifier");
    assert_eq!(t.anim_b.get(&edit).await.status(), StatusCode::FORBIDDEN);
    let res = t.anim_b.post_form(&edit, &sheet_form("Volé", &[])).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = t
        .anim_b
        .post_form(
            &format!("{page}/visibilite"),
            &[("visibility", "brouillon")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(t.anim_a2.get(&edit).await.status(), StatusCode::FORBIDDEN);
    let res = t
        .referent_a
        .post_form(
            &edit,
            &sheet_form(
                "Le relais des déménageurs (révisé)",
                &[("visibility", "partagee")],
            ),
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let title: i64 = scalar(
        &t.w.app,
        format!("SELECT COUNT(*) FROM animconnect_sheets WHERE id = {id} AND title = 'Le relais des déménageurs (révisé)'"),
    )
    .await;
    assert_eq!(title, 1);
}

#[actix_web::test]
async fn residents_and_visitors_never_reach_the_library() {
    let t = team().await;
    let id = create(
        &t.anim_a,
        &sheet_form("Fiche", &[("visibility", "partagee")]),
    )
    .await;
    let parent = signed_in(&t.w, "habitant.a@exemple.fr").await;
    for path in [
        ac("/fiches"),
        ac(&format!("/fiches/{id}")),
        ac("/fiches/nouvelle"),
    ] {
        assert_eq!(
            parent.get(&path).await.status(),
            StatusCode::FORBIDDEN,
            "{path}"
        );
        let visitor = t.w.app.new_client();
        let res = visitor.get(&path).await;
        assert!(
            res.status() == StatusCode::UNAUTHORIZED || location(&res).starts_with("/connexion"),
            "{path}: {}",
            res.status()
        );
    }
}

#[actix_web::test]
async fn adapting_a_sheet_credits_the_original() {
    let t = team().await;
    let id = create(
        &t.anim_a,
        &sheet_form("Pâte à sel des petits", &[("visibility", "partagee")]),
    )
    .await;
    let form = t
        .anim_b
        .get_text(&ac(&format!("/fiches/{id}/adapter")), StatusCode::OK)
        .await;
    assert!(
        form.contains("Adaptée de « Pâte à sel des petits » (anim.a@exemple.fr, Centre A)"),
        "{form}"
    );
    assert!(form.contains("value=\"Pâte à sel des petits\""));
    let fork_id = {
        let res = t
            .anim_b
            .post_form(
                &ac(&format!("/fiches/{id}/adapter")),
                &sheet_form(
                    "Pâte à sel, version des grands",
                    &[("age_min", "6"), ("age_max", "9")],
                ),
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        location(&res)
            .rsplit('/')
            .next()
            .unwrap()
            .parse::<i64>()
            .unwrap()
    };
    let page = t
        .anim_b
        .get_text(&ac(&format!("/fiches/{fork_id}")), StatusCode::OK)
        .await;
    assert!(page.contains("Adaptée de « Pâte à sel des petits » (anim.a@exemple.fr, Centre A)"));
    assert!(page.contains(&format!("href=\"{}\"", ac(&format!("/fiches/{id}")))));
    let (forked, centre) = (
        scalar(
            &t.w.app,
            format!("SELECT forked_from FROM animconnect_sheets WHERE id = {fork_id}"),
        )
        .await,
        scalar(
            &t.w.app,
            format!("SELECT centre_id FROM animconnect_sheets WHERE id = {fork_id}"),
        )
        .await,
    );
    assert_eq!((forked, centre), (id, t.w.centre_b));
    // A sheet one may not see cannot be adapted.
    let draft = create(&t.anim_a, &sheet_form("Secret", &[])).await;
    let res = t
        .anim_b
        .post_form(
            &ac(&format!("/fiches/{draft}/adapter")),
            &sheet_form("Copie", &[]),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        t.anim_b
            .get(&ac(&format!("/fiches/{draft}/adapter")))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[actix_web::test]
async fn search_filters_words_ages_duration_group_theme_place_and_rain() {
    let t = team().await;
    let shared = ("visibility", "partagee");
    create(
        &t.anim_a,
        &sheet_form(
            "Pâte à sel",
            &[
                shared,
                ("age_min", "3"),
                ("age_max", "5"),
                ("kind", "manuel"),
                ("theme", "creativite"),
                ("place", "dedans"),
                ("rainy_day", "on"),
                ("duration", "40"),
                ("group_min", "4"),
                ("group_max", "10"),
            ],
        ),
    )
    .await;
    create(
        &t.anim_a,
        &sheet_form(
            "Relais géant",
            &[shared, ("duration", "1 h 30"), ("place", "dehors")],
        ),
    )
    .await;
    create(
        &t.anim_a,
        &sheet_form(
            "Jeux de société",
            &[
                shared,
                ("place", "les-deux"),
                ("age_min", "8"),
                ("age_max", "14"),
                ("theme", "culture"),
                ("rainy_day", "on"),
            ],
        ),
    )
    .await;
    let found = |q: &'static str| {
        let c = &t.anim_b;
        async move {
            let body = c
                .get_text(&ac(&format!("/fiches?{q}")), StatusCode::OK)
                .await;
            let mut titles: Vec<&str> = ["Pâte à sel", "Relais géant", "Jeux de société"]
                .into_iter()
                .filter(|t| body.contains(&format!(">{t}</a>")))
                .collect();
            titles.sort_unstable();
            titles
        }
    };
    // Words: accents and case ignored, all words needed, materials searched too.
    assert_eq!(found("q=PATE").await, ["Pâte à sel"]);
    assert_eq!(found("q=relais+geant").await, ["Relais géant"]);
    assert_eq!(found("q=balles+tennis").await.len(), 3);
    assert_eq!(found("q=sel+geant").await, Vec::<&str>::new());
    // A child's age inside the range, edges included.
    assert_eq!(found("age=5").await, ["Pâte à sel"]);
    assert_eq!(found("age=6").await, ["Relais géant"]);
    assert_eq!(found("age=8").await, ["Jeux de société", "Relais géant"]);
    // At most this long.
    assert_eq!(found("duree=45").await, ["Jeux de société", "Pâte à sel"]);
    assert_eq!(found("duree=1+h+30").await.len(), 3);
    // A group size that fits.
    assert_eq!(found("enfants=4").await, ["Pâte à sel"]);
    assert_eq!(
        found("enfants=24").await,
        ["Jeux de société", "Relais géant"]
    );
    assert_eq!(found("theme=creativite").await, ["Pâte à sel"]);
    // Inside: sheets « les deux » too.
    assert_eq!(
        found("lieu=dedans").await,
        ["Jeux de société", "Pâte à sel"]
    );
    assert_eq!(
        found("lieu=dehors").await,
        ["Jeux de société", "Relais géant"]
    );
    assert_eq!(found("pluie=1").await, ["Jeux de société", "Pâte à sel"]);
    // Bad filters: a French message, 422, never a 500.
    let res = t.anim_b.get(&ac("/fiches?age=douze&duree=0")).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(
        body.contains("La durée : entre 1 et 1440 minutes"),
        "{body}"
    );
}

#[actix_web::test]
async fn ratings_average_replace_and_never_come_from_the_author() {
    let t = team().await;
    let id = create(
        &t.anim_a,
        &sheet_form("Loup glacé", &[("visibility", "partagee")]),
    )
    .await;
    let rate = format!("{}/avis", ac(&format!("/fiches/{id}")));
    let ok = |c: &TestClient, stars: &'static str| {
        let rate = rate.clone();
        let c = c.clone();
        async move {
            let res = c
                .post_form(
                    &rate,
                    &[("stars", stars), ("comment", "Les enfants ont adoré")],
                )
                .await;
            assert_eq!(res.status(), StatusCode::SEE_OTHER);
        }
    };
    ok(&t.anim_a2, "3").await;
    ok(&t.anim_b, "5").await;
    ok(&t.anim_a2, "4").await; // replaces the 3
    let page = t
        .anim_b
        .get_text(&ac(&format!("/fiches/{id}")), StatusCode::OK)
        .await;
    assert!(page.contains("note 4.5 sur 5 (2 avis)"), "{page}");
    let res = t
        .anim_a
        .post_form(&rate, &[("stars", "5"), ("comment", "")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = t
        .anim_b
        .post_form(&rate, &[("stars", "6"), ("comment", "")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("la note (1 à 5)"));
    let n = scalar(
        &t.w.app,
        format!("SELECT CAST(rating_count AS BIGINT) FROM animconnect_sheets WHERE id = {id}"),
    )
    .await;
    assert_eq!(n, 2);
    // Sorted by rating, this one comes first.
    create(
        &t.anim_a,
        &sheet_form("Sans avis", &[("visibility", "partagee")]),
    )
    .await;
    let list = t
        .anim_b
        .get_text(&ac("/fiches?tri=note"), StatusCode::OK)
        .await;
    assert!(list.find("Loup glacé").unwrap() < list.find("Sans avis").unwrap());
}

#[actix_web::test]
async fn bad_sheets_are_refused_with_the_input_kept() {
    let t = team().await;
    let cases: [(&[(&str, &str)], &str); 6] = [
        (
            &[("age_min", "10"), ("age_max", "6")],
            "L&#x27;âge maximum (6 ans) est plus petit que l&#x27;âge minimum (10 ans).",
        ),
        (&[("duration", "0")], "La durée : entre 5 et 600 minutes"),
        (&[("duration", "99 h")], "La durée : entre 5 et 600 minutes"),
        (
            &[("duration", "longtemps")],
            "La durée : écrivez des minutes",
        ),
        (
            &[("group_min", "30"), ("group_max", "12")],
            "Le nombre maximum d&#x27;enfants (12) est plus petit que le minimum (30).",
        ),
        (&[("m2_article", "ciseaux")], "la quantité"),
    ];
    for (extra, message) in cases {
        let res = t
            .anim_a
            .post_form(
                &ac("/fiches/nouvelle"),
                &sheet_form("Fiche à corriger", extra),
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{extra:?}");
        let body = res.text().await.unwrap();
        assert!(body.contains(message), "{extra:?}: {message}\n{body}");
        assert!(body.contains("value=\"Fiche à corriger\""), "input kept");
    }
    assert_eq!(
        scalar(&t.w.app, "SELECT COUNT(*) FROM animconnect_sheets").await,
        0
    );
}

async fn upload_photo(c: &TestClient, sheet: i64, bytes: Vec<u8>) -> reqwest::Response {
    use reqwest::multipart::{Form, Part};
    let token = c.csrf_token().await;
    let form = Form::new().part("photo", Part::bytes(bytes).file_name("photo.png"));
    c.http
        .post(c.url(&ac(&format!("/fiches/{sheet}/photos?csrf_token={token}"))))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

fn png(n: u8) -> Vec<u8> {
    let mut b = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];
    b.extend(std::iter::repeat_n(n, 64));
    b
}

#[actix_web::test]
async fn up_to_four_real_images_per_sheet() {
    let t = team().await;
    let id = create(
        &t.anim_a,
        &sheet_form("Photos", &[("visibility", "partagee")]),
    )
    .await;
    for n in 0..4 {
        let res = upload_photo(&t.anim_a, id, png(n)).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
    }
    let res = upload_photo(&t.anim_a, id, png(9)).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("Une fiche a 4 photos au plus"));
    let photo = scalar(
        &t.w.app,
        format!("SELECT MIN(id) FROM animconnect_sheet_photos WHERE sheet_id = {id}"),
    )
    .await;
    // Another centre reads the shared sheet's photo, with its sniffed type.
    let res = t
        .anim_b
        .get(&ac(&format!("/fiches/{id}/photos/{photo}")))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "image/png");
    assert_eq!(res.bytes().await.unwrap().to_vec(), png(0));
    // …but neither adds nor removes one.
    assert_eq!(
        upload_photo(&t.anim_b, id, png(1)).await.status(),
        StatusCode::FORBIDDEN
    );
    let remove = ac(&format!("/fiches/{id}/photos/{photo}/supprimer"));
    assert_eq!(
        t.anim_b.post_form(&remove, &[]).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        t.anim_a.post_form(&remove, &[]).await.status(),
        StatusCode::SEE_OTHER
    );
    // Not an image, or too large: a message next to the field.
    let res = upload_photo(&t.anim_a, id, b"<html>pas une image</html>".to_vec()).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("n&#x27;est pas une image PNG, JPEG ou WebP"));
    let mut big = png(1);
    big.resize(2 * 1024 * 1024 + 1, 0);
    let res = upload_photo(&t.anim_a, id, big).await;
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("Le fichier dépasse 2048 Ko"));
    assert_eq!(
        scalar(&t.w.app, "SELECT COUNT(*) FROM animconnect_sheet_photos").await,
        3
    );
}
