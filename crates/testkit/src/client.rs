//! An HTTP client with its own cookie jar, no automatic redirects, and form helpers that add the
//! CSRF token like a browser page would.

use std::sync::Arc;

use reqwest::cookie::{CookieStore, Jar};
use reqwest::{Response, StatusCode};

/// A browser-like client of the test app.
#[derive(Clone)]
pub struct TestClient {
    pub address: String,
    pub http: reqwest::Client,
    pub jar: Arc<Jar>,
}

impl TestClient {
    /// A new client with an empty cookie jar.
    pub fn new(address: &str) -> Self {
        let jar = Arc::new(Jar::default());
        let http = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Self {
            address: address.to_string(),
            http,
            jar,
        }
    }

    /// Full URL of a path.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// The value of a cookie this client holds.
    pub fn cookie(&self, name: &str) -> Option<String> {
        let url = url::Url::parse(&self.address).unwrap();
        let header = self.jar.cookies(&url)?;
        header.to_str().ok()?.split("; ").find_map(|kv| {
            let (k, v) = kv.split_once('=')?;
            (k == name).then(|| v.to_string())
        })
    }

    /// `GET path`.
    pub async fn get(&self, path: &str) -> Response {
        self.http.get(self.url(path)).send().await.unwrap()
    }

    /// `GET path` and the body, asserting the status.
    pub async fn get_text(&self, path: &str, status: StatusCode) -> String {
        let res = self.get(path).await;
        assert_eq!(res.status(), status, "GET {path}");
        res.text().await.unwrap()
    }

    /// The CSRF token, fetching a page first if the client has none yet.
    pub async fn csrf_token(&self) -> String {
        if let Some(t) = self.cookie(csc_web::csrf::COOKIE) {
            return t;
        }
        self.get("/connexion").await;
        self.cookie(csc_web::csrf::COOKIE)
            .expect("the app sets a CSRF cookie")
    }

    /// Posts a form with the CSRF token added.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        let token = self.csrf_token().await;
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push((csc_web::csrf::FIELD, &token));
        self.post_raw_form(path, &all).await
    }

    /// Posts a form exactly as given (no CSRF token added).
    pub async fn post_raw_form(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        self.http
            .post(self.url(path))
            .form(fields)
            .send()
            .await
            .unwrap()
    }

    /// Signs in through the form; returns the response (303 on success).
    pub async fn login(&self, email: &str, password: &str) -> Response {
        self.post_form("/connexion", &[("email", email), ("password", password)])
            .await
    }

    /// Signs in and asserts it worked.
    pub async fn login_ok(&self, email: &str, password: &str) {
        let res = self.login(email, password).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "sign-in of {email}");
    }
}

/// The `Location` header of a redirect.
pub fn location(res: &Response) -> String {
    res.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}
