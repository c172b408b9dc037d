//! The authorization matrix, generated from the route registry: every declared route of the
//! shared pages and of every app is requested as a visitor, as each of the seven roles (six
//! per-centre roles at centre A, and a federation admin) and as the staff of centre B, and each
//! answer is checked against the route's declared access. A route can only be registered through
//! the registry (`Routes`), so a route without a declared access cannot exist.

use std::collections::HashSet;

use csc_core::Role;
use csc_testkit::{location, spawn_app, TestClient};
use csc_web::routes::{Access, Declared, Routes, Verb};
use reqwest::StatusCode;

use crate::helpers::PASSWORD;

/// Who asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Caller {
    Visitor,
    /// One role at centre A.
    At(Role),
    Admin,
    /// Every role, at centre B only.
    OtherCentre,
}

/// Routes (after their app's mount) checked for the callers refused only: the allowed ones would
/// reach the outside network.
const NOT_RUN_FOR_ALLOWED: &[&str] = &["/catalogue/verifier-liens"];

/// Every declared route, with its absolute path.
fn all_routes() -> Vec<Declared> {
    let mut all = Routes::declared(csc_server::shared_routes);
    for m in csc::modules() {
        all.extend(m.declared().into_iter().map(|d| Declared {
            path: format!("{}{}", m.info.mount, d.path),
            ..d
        }));
        all.extend(m.declared_api().into_iter().map(|d| Declared {
            path: format!("{}{}", m.api_scope(), d.path),
            ..d
        }));
    }
    all
}

/// The path with sample values: centre A, unknown ids and secrets, or `target` for a user.
fn concrete(path: &str, centre: i64, target_user: i64) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = rest[start..]
            .find('}')
            .map_or(rest.len(), |e| start + e + 1);
        let name = rest[start + 1..end - 1]
            .split(':')
            .next()
            .unwrap_or_default();
        let value = match name {
            "centre" => centre.to_string(),
            "id" if path.starts_with("/admin/utilisateurs/") => target_user.to_string(),
            "slug" | "site" if !path.contains("/borne/") => "centre-a".into(),
            "app" => "kiosque".into(),
            "name" => "inconnu.css".into(),
            "path" => "csc.css".into(),
            "id" | "membership" | "signup" => "999999".into(),
            _ => "inconnu".into(),
        };
        out.push_str(&value);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Whether `caller` may use a route of `access`; `in_centre` when its path names centre A.
fn allowed(caller: Caller, access: Access, in_centre: bool) -> bool {
    match (access, caller) {
        (Access::Public | Access::Secret, _) => true,
        (_, Caller::Visitor) => false,
        (Access::SignedIn, _) | (_, Caller::Admin) => true,
        (Access::Admin, _) => false,
        (Access::Staff(roles), Caller::At(role)) => roles.contains(&role),
        (Access::Staff(_), Caller::OtherCentre) => !in_centre,
    }
}

/// Ending the session: requested last by each caller.
fn ends_session(d: &Declared) -> bool {
    matches!(
        (d.verb, d.path.as_str()),
        (Verb::Post, "/deconnexion") | (Verb::Delete, "/api/v1/jetons/courant")
    )
}

async fn request(c: &TestClient, verb: Verb, path: &str) -> (StatusCode, String) {
    let res = match verb {
        Verb::Get => c.get(path).await,
        Verb::Post => c.post_form(path, &[]).await,
        Verb::Delete => {
            let token = c.csrf_token().await;
            c.http
                .delete(c.url(path))
                .header("X-CSRF-Token", token)
                .send()
                .await
                .unwrap()
        }
    };
    let to = if res.status().is_redirection() {
        location(&res)
    } else {
        String::new()
    };
    (res.status(), to)
}

/// Every route as `caller`; returns what did not answer as declared.
async fn walk(
    caller: Caller,
    c: TestClient,
    email: Option<String>,
    centre: i64,
    target: i64,
) -> Vec<String> {
    let mut routes = all_routes();
    routes.sort_by_key(ends_session);
    let mut wrong = Vec::new();
    for d in routes {
        // The route is about centre A: by its path, or by the user it shows (of centre A).
        let in_centre =
            d.path.contains("{centre}") || d.path.starts_with("/admin/utilisateurs/{id}");
        let may = allowed(caller, d.access, in_centre);
        if may && NOT_RUN_FOR_ALLOWED.iter().any(|p| d.path.ends_with(p)) {
            continue;
        }
        let path = concrete(&d.path, centre, target);
        let (status, to) = request(&c, d.verb, &path).await;
        if ends_session(&d) {
            if let Some(email) = &email {
                c.login_ok(email, PASSWORD).await;
            }
        }
        let to_sign_in = to.starts_with("/connexion");
        let refused =
            status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN || to_sign_in;
        let ok = if status.is_server_error() {
            false
        } else if d.access == Access::Secret {
            // A wrong secret opens nothing, whoever asks.
            status == StatusCode::NOT_FOUND
        } else if may {
            !refused
        } else if caller == Caller::Visitor {
            status == StatusCode::UNAUTHORIZED || to_sign_in
        } else {
            status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND
        };
        if !ok {
            wrong.push(format!(
                "{caller:?} {} {path} ({:?}): {status} {to}",
                d.verb.as_str(),
                d.access
            ));
        }
    }
    wrong
}

#[test]
fn every_route_is_declared_once() {
    let routes = all_routes();
    let mut seen = HashSet::new();
    for d in &routes {
        assert!(
            seen.insert((d.verb, d.path.clone())),
            "declared twice: {} {}",
            d.verb.as_str(),
            d.path
        );
    }
    // Both apps and the shared pages are in the registry.
    for prefix in [
        csc_kiosque::MOUNT,
        csc_preinscription::MOUNT,
        "/admin",
        "/stats",
    ] {
        assert!(
            routes.iter().any(|d| d.path.starts_with(prefix)),
            "{prefix}"
        );
    }
}

#[actix_web::test]
async fn every_route_answers_each_role_as_declared() {
    let app = spawn_app(&csc::modules()).await;
    let a = app.create_centre("centre-a", "Centre A").await;
    let b = app.create_centre("centre-b", "Centre B").await;
    let target = app
        .create_user(
            "cible.a@exemple.fr",
            PASSWORD,
            false,
            &[(a, Role::Habitant)],
        )
        .await;
    let mut callers = vec![(Caller::Visitor, None)];
    app.create_user("admin@exemple.fr", PASSWORD, true, &[])
        .await;
    callers.push((Caller::Admin, Some("admin@exemple.fr".to_string())));
    for role in Role::ALL {
        let email = format!("{}.a@exemple.fr", role.code());
        app.create_user(&email, PASSWORD, false, &[(a, role)]).await;
        callers.push((Caller::At(role), Some(email)));
    }
    let all_at_b: Vec<(i64, Role)> = Role::ALL.iter().map(|r| (b, *r)).collect();
    app.create_user("equipe.b@exemple.fr", PASSWORD, false, &all_at_b)
        .await;
    callers.push((Caller::OtherCentre, Some("equipe.b@exemple.fr".into())));

    let walks = callers.into_iter().map(|(caller, email)| {
        let app = &app;
        async move {
            let c = app.new_client();
            if let Some(email) = &email {
                c.login_ok(email, PASSWORD).await;
            }
            walk(caller, c, email, a, target).await
        }
    });
    let wrong: Vec<String> = futures_util::future::join_all(walks)
        .await
        .into_iter()
        .flatten()
        .collect();
    assert!(
        wrong.is_empty(),
        "{} answers differ from the declared access:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
