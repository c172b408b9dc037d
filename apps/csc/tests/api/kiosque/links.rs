//! The link check: broken and slow links, shown to admins and to the centre's referents.

use std::time::Duration;

use super::*;

/// A tiny local web site: `/ok` answers 200, `/absent` 404, `/lent` never answers in time.
async fn local_site() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(async move {
                use tokio::io::{AsyncReadExt, AsyncWriteExt};
                let mut buf = vec![0u8; 2048];
                let n = sock.read(&mut buf).await.unwrap_or(0);
                let req = String::from_utf8_lossy(&buf[..n]).to_string();
                let path = req.split_whitespace().nth(1).unwrap_or("/").to_string();
                if path == "/lent" {
                    tokio::time::sleep(Duration::from_secs(10)).await;
                }
                let status = if path == "/ok" {
                    "200 OK"
                } else {
                    "404 Not Found"
                };
                let _ = sock
                    .write_all(
                        format!(
                            "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        )
                        .as_bytes(),
                    )
                    .await;
            });
        }
    });
    format!("http://{addr}")
}

#[tokio::test]
async fn broken_links_are_found_and_shown_to_admins_and_referents() {
    let w = world().await;
    let site = local_site().await;
    let r = referent_a(&w).await;
    let a = w.centre_a;
    // Point the whole catalogue at the local site (no outside network in tests), one page missing.
    let (ok, absent, slow) = (
        format!("{site}/ok"),
        format!("{site}/absent"),
        format!("{site}/lent"),
    );
    let (o, ab) = (ok.clone(), absent.clone());
    w.app
        .db
        .run(move |c| {
            use diesel::sql_types::Text;
            diesel::sql_query("UPDATE kiosque_procedures SET url = $1")
                .bind::<Text, _>(&o)
                .execute(c)?;
            diesel::sql_query(
                "UPDATE kiosque_procedures SET url = $1 WHERE slug = 'caf-declarer-ressources'",
            )
            .bind::<Text, _>(&ab)
            .execute(c)?;
            Ok(())
        })
        .await
        .unwrap();
    r.post_form(
        &format!("{MOUNT}/gestion/{a}/liens"),
        &[
            ("title", "Site lent de la mairie"),
            ("url", &slow),
            ("theme_id", ""),
        ],
    )
    .await;
    let summary = csc_kiosque::links::check_all(&w.app.db, Duration::from_secs(2))
        .await
        .unwrap();
    assert_eq!(summary.checked, 3);
    assert_eq!(summary.broken, 2);
    let page = r
        .get_text(&format!("{MOUNT}/gestion/{a}"), StatusCode::OK)
        .await;
    assert!(
        page.contains("Déclarer mes ressources à la CAF")
            && page.contains("Page introuvable (erreur 404)")
    );
    assert!(page.contains("Site lent de la mairie") && page.contains("pas répondu à temps"));
    let rb = w.app.new_client();
    rb.login_ok("referent.b@exemple.fr", PASSWORD).await;
    let page_b = rb
        .get_text(&format!("{MOUNT}/gestion/{}", w.centre_b), StatusCode::OK)
        .await;
    assert!(page_b.contains("Page introuvable") && !page_b.contains("Site lent de la mairie"));
    let admin = w.app.new_client();
    admin.login_ok("admin@exemple.fr", PASSWORD).await;
    let cat = admin.get_text(&kiosque("/catalogue"), StatusCode::OK).await;
    assert!(
        cat.contains("Page introuvable (erreur 404)") && cat.contains("Site lent de la mairie")
    );
    // Fixed, then checked again: the report empties.
    let ok2 = ok.clone();
    w.app
        .db
        .run(move |c| {
            use diesel::sql_types::Text;
            diesel::sql_query("UPDATE kiosque_procedures SET url = $1")
                .bind::<Text, _>(&ok2)
                .execute(c)?;
            diesel::sql_query("DELETE FROM kiosque_local_links").execute(c)?;
            Ok(())
        })
        .await
        .unwrap();
    let summary = csc_kiosque::links::check_all(&w.app.db, Duration::from_secs(2))
        .await
        .unwrap();
    assert_eq!((summary.checked, summary.broken), (1, 0));
    let page = r
        .get_text(&format!("{MOUNT}/gestion/{a}"), StatusCode::OK)
        .await;
    assert!(page.contains("Aucun lien en erreur"));
}
