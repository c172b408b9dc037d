//! `csc glossaire import FICHIER.csv` as the real binary on the test's database, and the same
//! upload on the admin page with its dry run.

use std::process::Command;

use csc_testkit::{spawn_app, TestApp};
use reqwest::StatusCode;

use super::{best, g, LEXICON};
use crate::helpers::{scalar, PASSWORD};

/// Runs `csc glossaire import` on the app's database: (exit code, stdout, stderr).
fn cli(app: &TestApp, csv: &str, extra: &[&str]) -> (Option<i32>, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("lexique.csv");
    std::fs::write(&file, csv).unwrap();
    let mut args = vec!["glossaire", "import", file.to_str().unwrap()];
    args.extend_from_slice(extra);
    let out = Command::new(env!("CARGO_BIN_EXE_csc"))
        .args(&args)
        .env_remove("CSC_CONFIG")
        .env("DATABASE_URL", app.test_db.url())
        .env("DATA_DIR", dir.path())
        .env("RUST_LOG", "off")
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[tokio::test]
async fn the_command_imports_a_lexicon_creates_it_and_publishes_its_words() {
    let app = spawn_app(&csc::modules()).await;
    let (code, out, err) = cli(&app, LEXICON, &["--essai"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("Essai : 12 mots seraient ajoutés"), "{out}");
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM glossaire_entries").await,
        0
    );

    let (code, out, err) = cli(&app, LEXICON, &[]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("12 mots ajoutés, 0 mis à jour"), "{out}");
    assert!(
        out.contains("Lexiques créés : numérique, parentalité."),
        "{out}"
    );
    assert_eq!(
        best(&app, "phishing").await,
        ("hameçonnage".into(), "alias".into())
    );

    // Again: a new version of each, nothing duplicated.
    let (code, out, _) = cli(&app, LEXICON, &[]);
    assert_eq!(code, Some(0));
    assert!(out.contains("0 mot ajouté, 12 mis à jour"), "{out}");
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM glossaire_entries").await,
        12
    );
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM glossaire_versions").await,
        24
    );
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM glossaire_lexicons").await,
        2
    );
}

#[tokio::test]
async fn a_file_with_bad_lines_is_reported_per_line_and_nothing_is_written() {
    let app = spawn_app(&csc::modules()).await;
    let csv = "lexique;terme;alias;classe;definition;exemple;categorie\n\
               numérique;wifi;wi-fi;nom;Sans fil.;;internet\n\
               numérique;;;nom;Sans mot.;;\n\
               numérique;souris;;nom\n\
               nouveau;clé USB;;nom;Une petite mémoire.;;matériel\n";
    let (code, out, err) = cli(&app, csv, &[]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        err.contains("2 lignes à corriger, rien n'a été importé"),
        "{err}"
    );
    assert!(
        err.contains("ligne 3 : la colonne « terme » est vide"),
        "{err}"
    );
    assert!(err.contains("ligne 4 : 4 colonnes au lieu de 7"), "{err}");
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM glossaire_entries").await,
        0
    );
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM glossaire_lexicons").await,
        0
    );
}

async fn upload(app: &TestApp, csv: &str, dry_run: bool) -> (StatusCode, String) {
    let token = app.csrf_token().await;
    let mut form = reqwest::multipart::Form::new().part(
        "fichier",
        reqwest::multipart::Part::bytes(csv.as_bytes().to_vec())
            .file_name("lexique.csv")
            .mime_str("text/csv")
            .unwrap(),
    );
    if dry_run {
        form = form.text("essai", "1");
    }
    let res = app
        .client
        .http
        .post(app.url(&format!("{}?csrf_token={token}", g("/admin/import"))))
        .multipart(form)
        .send()
        .await
        .unwrap();
    (res.status(), res.text().await.unwrap())
}

#[tokio::test]
async fn the_admin_uploads_a_lexicon_with_a_dry_run_first() {
    let app = spawn_app(&csc::modules()).await;
    app.create_user("admin@exemple.fr", PASSWORD, true, &[])
        .await;
    app.login_ok("admin@exemple.fr", PASSWORD).await;
    let (status, page) = upload(&app, LEXICON, true).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("Essai : 12 mots seraient ajoutés"), "{page}");
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM glossaire_entries").await,
        0
    );
    let (status, page) = upload(
        &app,
        "numérique;x;;;;;\nnumérique;wifi;;;Sans fil.;;\n",
        false,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("ligne 1 : la colonne « definition » est vide"),
        "{page}"
    );
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM glossaire_entries").await,
        0
    );
    let (status, page) = upload(&app, LEXICON, false).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("12 mots ajoutés"), "{page}");
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM glossaire_entries").await,
        12
    );
}

#[tokio::test]
async fn html_in_a_definition_is_shown_as_text() {
    let app = spawn_app(&csc::modules()).await;
    super::load(
        &app,
        "numérique;balise;;nom;<script>alert(1)</script> Un <b>repère</b>.;;\n",
    )
    .await;
    let id = scalar(&app, "SELECT id FROM glossaire_entries").await;
    let page = app
        .get_text(&g(&format!("/mots/{id}")), StatusCode::OK)
        .await;
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;"),
        "{page}"
    );
    assert!(!page.contains("<script>alert(1)"));
}
