//! The poster: a PDF with the portal's address and the centre's welcome.

use super::*;

#[tokio::test]
async fn the_poster_is_a_pdf_with_the_portal_address() {
    let w = world().await;
    let r = referent_a(&w).await;
    r.post_form(
        &format!("{MOUNT}/gestion/{}/accueil", w.centre_a),
        &[(
            "welcome",
            "Borne ouverte du lundi au vendredi, accès libre.",
        )],
    )
    .await;
    let res = w.app.get(&kiosque("/c/centre-a/affiche.pdf")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    let bytes = res.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    let text = pdf_extract::extract_text_from_mem(&bytes).unwrap();
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("Le numérique à mon service"), "{flat}");
    assert!(flat.contains("Centre A"), "{flat}");
    assert!(
        flat.contains(&format!("{}{MOUNT}/c/centre-a", w.app.address)),
        "{flat}"
    );
    assert!(
        flat.contains("Borne ouverte du lundi au vendredi"),
        "{flat}"
    );
    assert_eq!(
        w.app.get(&kiosque("/c/inconnu/affiche.pdf")).await.status(),
        StatusCode::NOT_FOUND
    );
}
