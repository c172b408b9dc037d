//! Builds the running suite: one `Application::build` used by `csc serve`, by each app's own
//! binary and by the tests.

mod home;

use std::net::TcpListener;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::middleware::{from_fn, Condition};
use actix_web::{web, App, HttpServer};
use csc_auth::AuthConfig;
use csc_core::Settings;
use csc_db::Db;
use csc_mail::{Mailer, SenderConfig, SenderHandle, Transport};
use csc_stats::{Stats, StatsTasks};
use csc_web::render::Site;
use csc_web::{AppModule, Routes, Ui};
use tracing_actix_web::TracingLogger;

/// Page templates of the server itself (home page).
static TEMPLATES: include_dir::Dir<'static> =
    include_dir::include_dir!("$CARGO_MANIFEST_DIR/templates");

/// How long personal data in sent mails is kept.
const SENT_MAIL_DAYS: i64 = 90;

/// Sets up logs (`RUST_LOG`, default `info`). Safe to call twice.
pub fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).try_init();
}

/// Opens the database and applies pending migrations.
pub async fn open_database(settings: &Settings) -> anyhow::Result<Db> {
    let url = settings.database_url.clone();
    let pool = settings.pool_size;
    tokio::task::spawn_blocking(move || {
        let db = Db::connect(&url, pool)?;
        let mut conn = db.get().map_err(|e| anyhow::anyhow!("{e}"))?;
        let applied = csc_db::run_migrations(&mut conn)?;
        if applied > 0 {
            tracing::info!(applied, backend = db.backend().name(), "migrations applied");
        }
        drop(conn);
        Ok::<_, anyhow::Error>(db)
    })
    .await?
}

/// The mailer with every crate's and app's mail templates.
pub fn mailer(settings: &Settings, modules: &[AppModule]) -> anyhow::Result<Mailer> {
    let mut dirs: Vec<&'static include_dir::Dir<'static>> = vec![&csc_auth::MAIL_TEMPLATES];
    dirs.extend(modules.iter().filter_map(|m| m.mail_templates));
    Mailer::new(&dirs, settings.base_url())
}

/// Declares and registers the pages every process serves, whatever its apps: home, health,
/// sign-in and account, administration, mail outbox, statistics, legal pages, static files.
pub fn shared_routes(r: &mut Routes) {
    home::routes(r);
    csc_web::pages::routes(r);
    csc_web::assets::routes(r);
    csc_auth::routes(r);
    csc_mail::admin::routes(r);
    csc_stats::routes(r);
}

/// The apps this process serves: those named by `settings.apps` (every app when unset), in the
/// registry's order. An unknown name is an error that lists the known ones.
pub fn served(settings: &Settings, modules: &[AppModule]) -> anyhow::Result<Vec<AppModule>> {
    let Some(names) = &settings.apps else {
        return Ok(modules.to_vec());
    };
    for name in names {
        anyhow::ensure!(
            modules.iter().any(|m| m.info.key == name.as_str()),
            "application inconnue : « {name} » (applications : {})",
            modules
                .iter()
                .map(|m| m.info.key)
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    Ok(modules
        .iter()
        .filter(|m| names.iter().any(|n| n == m.info.key))
        .copied()
        .collect())
}

/// Requests that come through a proxy (`X-Forwarded-For`) while `TRUST_PROXY` is off: every
/// visitor then has the proxy's address, so the sign-in throttle and the statistics see one
/// person. Noticed once in the log, and said by `/readyz` from then on.
pub struct ProxyCheck {
    trusted: bool,
    seen: std::sync::atomic::AtomicBool,
}

impl ProxyCheck {
    /// What `/readyz` adds once such a request was seen.
    pub const WARNING_FR: &'static str = "\nattention : des requêtes arrivent par un serveur mandataire \
        (X-Forwarded-For) alors que TRUST_PROXY est désactivé ; tous les visiteurs ont alors la même \
        adresse. Activez TRUST_PROXY derrière nginx.";

    fn new(trusted: bool) -> Self {
        Self {
            trusted,
            seen: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// Whether such a request was seen.
    pub fn seen(&self) -> bool {
        self.seen.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn look(&self, req: &actix_web::dev::ServiceRequest) {
        if self.trusted || self.seen() || !req.headers().contains_key("x-forwarded-for") {
            return;
        }
        if !self.seen.swap(true, std::sync::atomic::Ordering::Relaxed) {
            tracing::warn!(
                "requests carry X-Forwarded-For while TRUST_PROXY is off: every visitor has the \
                 proxy's address (sign-in throttle, statistics); set TRUST_PROXY=true behind nginx"
            );
        }
    }
}

/// The middleware of [`ProxyCheck`].
async fn check_proxy(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    if let Some(check) = req.app_data::<web::Data<ProxyCheck>>() {
        check.look(&req);
    }
    next.call(req).await
}

/// Every app of the suite, served here or not (the home page asks each for its user's work).
pub struct Registry {
    pub modules: Vec<AppModule>,
}

/// A built, listening, not yet running suite.
pub struct Application {
    port: u16,
    server: Server,
    sender: SenderHandle,
    stats: StatsTasks,
    maintenance: tokio::task::JoinHandle<()>,
    jobs: Vec<tokio::task::JoinHandle<()>>,
    db: Db,
}

impl Application {
    /// Opens the database (migrating it), starts the mail sender and binds the HTTP listener.
    /// Every app of `modules` is known (navigation, home page, `/go/` links, mails); only those
    /// that `settings.apps` names are served here, with their start-up work and jobs.
    pub async fn build(settings: Settings, modules: &[AppModule]) -> anyhow::Result<Self> {
        let served = served(&settings, modules)?;
        let db = open_database(&settings).await?;
        for m in &served {
            if let Some(init) = m.init {
                db.run(move |c| init(c).map_err(csc_core::AppError::Internal))
                    .await
                    .map_err(|e| anyhow::anyhow!("{}: {e:?}", m.info.key))?;
            }
        }
        let auth = AuthConfig::from_settings(&settings)?;
        let mut dirs: Vec<&'static include_dir::Dir<'static>> = vec![
            &csc_web::TEMPLATES,
            &TEMPLATES,
            &csc_auth::TEMPLATES,
            &csc_mail::TEMPLATES,
            &csc_stats::TEMPLATES,
        ];
        dirs.extend(modules.iter().filter_map(|m| m.templates));
        let site = Site {
            operator_name: settings.operator_name.clone(),
            operator_address: settings.operator_address.clone(),
            operator_email: settings.operator_email.clone(),
            public_url: settings.base_url().to_string(),
        };
        let services = modules.iter().map(|m| m.info).collect();
        let ui = web::Data::new(Ui::new(&dirs, services, site, settings.secure_cookies())?);
        let mailer = mailer(&settings, modules)?;
        let sender = csc_mail::spawn_sender(
            db.clone(),
            &mailer,
            Transport::from_settings(&settings)?,
            SenderConfig::from_settings(&settings),
        );
        let maintenance = tokio::spawn(maintenance(db.clone()));
        let jobs = served
            .iter()
            .filter_map(|m| m.job)
            .map(|job| tokio::spawn(job(db.clone(), settings.clone())))
            .collect();
        let (stats, stats_tasks) = Stats::start(&settings, db.clone(), modules).await?;
        let stats = web::Data::new(stats);

        let listener = TcpListener::bind(&settings.bind)
            .map_err(|e| anyhow::anyhow!("impossible d'écouter sur {} : {e}", settings.bind))?;
        let port = listener.local_addr()?.port();
        let db_data = web::Data::new(db.clone());
        let auth = web::Data::new(auth);
        let mailer = web::Data::new(mailer);
        let settings_data = web::Data::new(settings.clone());
        let mounted = served
            .iter()
            .map(|m| Ok((*m, m.data.map(|make| make(&settings)).transpose()?)))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let registry = web::Data::new(Registry {
            modules: modules.to_vec(),
        });
        let proxy_check = web::Data::new(ProxyCheck::new(settings.trust_proxy));
        // Request spans cost a few per cent of a page; build them only when someone records them.
        let log_requests = tracing::enabled!(target: "tracing_actix_web", tracing::Level::INFO);
        let server = HttpServer::new(move || {
            let mut app = App::new()
                .app_data(db_data.clone())
                .app_data(auth.clone())
                .app_data(mailer.clone())
                .app_data(ui.clone())
                .app_data(settings_data.clone())
                .app_data(stats.clone())
                .app_data(registry.clone())
                .app_data(proxy_check.clone())
                .wrap(from_fn(csc_auth::middleware::session))
                .wrap(from_fn(check_proxy))
                .wrap(from_fn(csc_web::csrf::protect))
                .wrap(csc_web::errors::handlers())
                // Outside the error pages, so it sees the page that was finally sent.
                .wrap(from_fn(csc_stats::collect))
                .wrap(csc_web::security::headers())
                .wrap(Condition::new(log_requests, TracingLogger::default()))
                .configure(csc_web::forms::configure_extractors)
                .configure(|cfg| shared_routes(&mut Routes::new(cfg)));
            for (m, data) in &mounted {
                app = app.service(web::scope(m.info.mount).configure(|cfg| {
                    cfg.app_data(csc_web::render::Mount(m.info.mount));
                    if let Some(data) = data {
                        data(cfg);
                    }
                    m.register(&mut Routes::new(cfg));
                }));
                if let Some(api) = m.api {
                    app = app.service(web::scope(&m.api_scope()).configure(|cfg| {
                        if let Some(data) = data {
                            data(cfg);
                        }
                        api(&mut Routes::new(cfg));
                    }));
                }
            }
            app.default_service(web::to(csc_web::errors::not_found))
        })
        .workers(
            settings
                .workers
                .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get())),
        )
        .shutdown_timeout(10)
        .listen(listener)?
        .run();
        Ok(Self {
            port,
            server,
            sender,
            stats: stats_tasks,
            maintenance,
            jobs,
            db,
        })
    }

    /// The port the server listens on (useful with `BIND=127.0.0.1:0`).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The database pool.
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// Serves until SIGINT/SIGTERM, then lets in-flight requests finish and drains the mail sender.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let result = self.server.await;
        self.maintenance.abort();
        for job in &self.jobs {
            job.abort();
        }
        self.stats.stop(Duration::from_secs(15)).await;
        self.sender.stop(Duration::from_secs(15)).await;
        tracing::info!("stopped");
        result
    }
}

/// Hourly housekeeping: expired sessions and tokens, old sent mails.
async fn maintenance(db: Db) {
    let mut tick = tokio::time::interval(Duration::from_secs(3600));
    loop {
        tick.tick().await;
        let result = db
            .run(|c| {
                let n = csc_auth::service::purge(c)?;
                let m = csc_mail::purge_sent(c, SENT_MAIL_DAYS)?;
                Ok((n, m))
            })
            .await;
        match result {
            Ok((n, m)) => tracing::debug!(tokens_and_sessions = n, mails = m, "housekeeping done"),
            Err(e) => tracing::warn!(error = %e, "housekeeping failed"),
        }
    }
}
