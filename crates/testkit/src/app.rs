//! The real application, built by the same `Application::build` as `csc serve`, on a free port.

use std::ops::Deref;
use std::path::PathBuf;

use csc_core::{Email, Role, Settings};
use csc_db::Db;
use csc_server::Application;
use csc_web::AppModule;

use crate::{TestClient, TestDb};

/// A running app with its own database and data folder.
pub struct TestApp {
    pub address: String,
    pub port: u16,
    pub db: Db,
    pub settings: Settings,
    /// The default client; `new_client()` gives others with their own cookies.
    pub client: TestClient,
    pub test_db: TestDb,
    _data: tempfile::TempDir,
}

impl Deref for TestApp {
    type Target = TestClient;
    fn deref(&self) -> &TestClient {
        &self.client
    }
}

/// The suite with the given apps and default test settings.
pub async fn spawn_app(modules: &[AppModule]) -> TestApp {
    spawn_app_with(modules, |_| {}).await
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The suite with settings adjusted by `tweak` (SMTP server, timings…).
pub async fn spawn_app_with(modules: &[AppModule], tweak: impl Fn(&mut Settings)) -> TestApp {
    spawn_on(TestDb::new(), None, modules, tweak).await
}

/// Another process of the same deployment as `first`: same database and session secret, its own
/// port and data folder (the services as separate processes behind one address).
pub async fn spawn_app_beside(
    first: &TestApp,
    modules: &[AppModule],
    tweak: impl Fn(&mut Settings),
) -> TestApp {
    let db = TestDb::shared(first.test_db.url());
    spawn_on(db, Some(first.settings.jwt_secret_path()), modules, tweak).await
}

async fn spawn_on(
    test_db: TestDb,
    jwt_secret_file: Option<PathBuf>,
    modules: &[AppModule],
    tweak: impl Fn(&mut Settings),
) -> TestApp {
    if std::env::var_os("TEST_LOG").is_some() {
        csc_server::init_tracing();
    }
    let data = tempfile::tempdir().unwrap();
    let mut last_error = None;
    for _ in 0..5 {
        let port = free_port();
        let mut settings = Settings::for_data_dir(data.path());
        settings.database_url = test_db.url().to_string();
        settings.bind = format!("127.0.0.1:{port}");
        settings.public_url = format!("http://127.0.0.1:{port}");
        settings.workers = Some(2);
        settings.pool_size = 6;
        settings.mail_retry_base_secs = 1;
        settings.mail_retry_max_secs = 1;
        settings.mail_poll_millis = 100;
        settings.stats_flush_millis = 50;
        settings.jwt_secret_file.clone_from(&jwt_secret_file);
        tweak(&mut settings);
        match Application::build(settings.clone(), modules).await {
            Ok(app) => {
                let db = app.db().clone();
                tokio::spawn(app.run_until_stopped());
                let address = format!("http://127.0.0.1:{port}");
                return TestApp {
                    client: TestClient::new(&address),
                    address,
                    port,
                    db,
                    settings,
                    test_db,
                    _data: data,
                };
            }
            // The port may have been taken between probing and binding: try another.
            Err(e) => last_error = Some(e),
        }
    }
    panic!("the app did not start: {last_error:?}");
}

impl TestApp {
    /// Another browser, with its own cookies.
    pub fn new_client(&self) -> TestClient {
        TestClient::new(&self.address)
    }

    /// The secret that signs session tokens (to forge expired or foreign tokens).
    pub fn jwt_secret(&self) -> Vec<u8> {
        std::fs::read(self.settings.jwt_secret_path()).unwrap()
    }

    /// Creates a centre directly in the database; returns its id.
    pub async fn create_centre(&self, slug: &str, name: &str) -> i64 {
        let form = csc_auth::centres::CentreForm {
            name: name.into(),
            slug: slug.into(),
            ..Default::default()
        };
        let data = form.parse().unwrap();
        self.db
            .run(move |c| Ok(csc_auth::centres::create(c, &data)?.unwrap().id))
            .await
            .unwrap()
    }

    /// Creates an active account with a password and roles; returns its id.
    pub async fn create_user(
        &self,
        email: &str,
        password: &str,
        is_admin: bool,
        roles: &[(i64, Role)],
    ) -> i64 {
        let email = Email::parse(email).unwrap();
        let hash = csc_auth::password::hash(password).unwrap();
        let roles = roles.to_vec();
        self.db
            .run(move |c| {
                let u = csc_auth::users::create(c, &email, email.as_str(), Some(&hash), is_admin)?;
                for (centre, role) in roles {
                    csc_auth::users::grant(c, u.id, centre, role)?;
                }
                Ok(u.id)
            })
            .await
            .unwrap()
    }

    /// Mails written as files (when no SMTP server is configured).
    pub fn mail_files(&self) -> Vec<String> {
        read_eml_dir(&self.settings.mail_dir())
    }
}

/// The `.eml` files of a folder, oldest first.
pub fn read_eml_dir(dir: &std::path::Path) -> Vec<String> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    paths.retain(|p| p.extension().is_some_and(|e| e == "eml"));
    paths.sort();
    paths
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect()
}
