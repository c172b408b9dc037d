//! Each role's own home: the work waiting for them in every app, per centre, and the staff's
//! way into each app in the navigation; the reception is told of each new request by mail,
//! unless a member turned it off.

use csc_core::Role;
use csc_testkit::eventually;
use reqwest::StatusCode;

use crate::helpers::{world, PASSWORD};
use crate::preinscription::{add_accueil, family_with_request, open_activity};

#[actix_web::test]
async fn each_role_finds_its_work_on_the_home_page() {
    let w = world().await;
    let (activity, day) = open_activity(&w.app, "referent.a@exemple.fr", w.centre_a, "4").await;
    family_with_request(&w.app, activity, &day, "samia@exemple.fr").await;
    add_accueil(&w.app, w.centre_a).await;
    w.app
        .create_user(
            "animateur.a@exemple.fr",
            PASSWORD,
            false,
            &[(w.centre_a, Role::Animateur)],
        )
        .await;

    let accueil = w.app.new_client();
    accueil.login_ok("accueil.a@exemple.fr", PASSWORD).await;
    let home = accueil.get_text("/", StatusCode::OK).await;
    assert!(home.contains("Votre travail"), "{home}");
    assert!(home.contains(r#"<span class="count">1</span> Nouvelles demandes de pré-inscription"#));
    assert!(home.contains("Centre A"));
    // The reception's way in is in the navigation, on every page.
    assert!(home.contains("Suivre les pré-inscriptions"));
    let account = accueil.get_text("/mon-compte", StatusCode::OK).await;
    assert!(account.contains("Suivre les pré-inscriptions"));

    // The referent of another centre sees its own centre's count, not centre A's requests.
    let referent_b = w.app.new_client();
    referent_b.login_ok("referent.b@exemple.fr", PASSWORD).await;
    let home = referent_b.get_text("/", StatusCode::OK).await;
    assert!(home.contains(r#"<span class="count">0</span> Nouvelles demandes de pré-inscription"#));
    assert!(home.contains("Centre B"));
    assert!(!home.contains("Centre A"));
    assert!(home.contains("Activités ouvertes et grilles tarifaires"));

    // The animator finds the week's workshops, not the requests.
    let animateur = w.app.new_client();
    animateur.login_ok("animateur.a@exemple.fr", PASSWORD).await;
    let home = animateur.get_text("/", StatusCode::OK).await;
    assert!(home.contains("Ateliers numériques des 7 prochains jours"));
    assert!(!home.contains("Nouvelles demandes"));
    assert!(!home.contains("Suivre les pré-inscriptions"));

    // A resident has no staff work and no staff links.
    let habitant = w.app.new_client();
    habitant.login_ok("habitant.a@exemple.fr", PASSWORD).await;
    let home = habitant.get_text("/", StatusCode::OK).await;
    assert!(!home.contains("Votre travail"));
    assert!(!home.contains("Suivre les pré-inscriptions"));
    assert!(!home.contains("Gérer le kiosque"));
}

#[actix_web::test]
async fn the_reception_is_told_of_each_new_request_unless_it_turned_it_off() {
    let w = world().await;
    let (activity, day) = open_activity(&w.app, "referent.a@exemple.fr", w.centre_a, "4").await;
    add_accueil(&w.app, w.centre_a).await;
    w.app
        .create_user(
            "accueil2.a@exemple.fr",
            PASSWORD,
            false,
            &[(w.centre_a, Role::Accueil)],
        )
        .await;
    let quiet = w.app.new_client();
    quiet.login_ok("accueil2.a@exemple.fr", PASSWORD).await;
    let account = quiet.get_text("/mon-compte", StatusCode::OK).await;
    assert!(account.contains("Une famille envoie une demande de pré-inscription"));
    assert!(account.contains(" checked>"), "on by default");
    // No box checked: the topic is turned off.
    let res = quiet.post_form("/mon-compte/courriels", &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let account = quiet.get_text("/mon-compte", StatusCode::OK).await;
    assert!(!account.contains(" checked>"));

    family_with_request(&w.app, activity, &day, "samia@exemple.fr").await;
    let told = eventually(10, "the reception's mail", || async {
        w.app
            .mail_files()
            .into_iter()
            .find(|m| m.contains("To: accueil.a@exemple.fr"))
    })
    .await;
    assert!(told.contains("Subject: Nouvelle demande de"), "{told}");
    assert!(told.contains(&format!(
        "{}/gestion/{}/demandes/",
        csc_preinscription::MOUNT,
        w.centre_a
    )));
    // The mail carries no child's name: that stays in the application.
    assert!(!told.contains("Inès"));
    // The family's own mail and the referent's (the reception is accueil and referent) are
    // written too; the member who turned it off got nothing, nor anyone of centre B.
    for to in ["To: samia@exemple.fr", "To: referent.a@exemple.fr"] {
        eventually(10, to, || async {
            w.app.mail_files().into_iter().find(|m| m.contains(to))
        })
        .await;
    }
    assert!(!w
        .app
        .mail_files()
        .iter()
        .any(|m| m.contains("accueil2.a@exemple.fr")));
    assert!(!w
        .app
        .mail_files()
        .iter()
        .any(|m| m.contains("referent.b@exemple.fr")));
}
