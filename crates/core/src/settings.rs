//! Typed settings, layered: defaults -> optional `csc.toml` -> environment variables.

use std::path::{Path, PathBuf};

use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use serde::{Deserialize, Serialize};

/// Every environment variable the suite reads (upper case), mapped to the field of the same name.
/// Environment variables of one app's section, with their place in it: `FAMILY_DATA_MONTHS`
/// is `[preinscription] family_data_months` (the names of the first releases keep working).
const APP_ENV_KEYS: &[(&str, &str)] =
    &[("FAMILY_DATA_MONTHS", "preinscription.family_data_months")];

const ENV_KEYS: &[&str] = &[
    "DATABASE_URL",
    "BIND",
    "PUBLIC_URL",
    "SMTP_URL",
    "CLICKHOUSE_URL",
    "DATA_DIR",
    "JWT_SECRET_FILE",
    "MAIL_FROM",
    "SESSION_HOURS",
    "POOL_SIZE",
    "WORKERS",
    "MAIL_RETRY_BASE_SECS",
    "MAIL_RETRY_MAX_SECS",
    "MAIL_MAX_ATTEMPTS",
    "MAIL_POLL_MILLIS",
    "TRUST_PROXY",
    "STATS_ENABLED",
    "STATS_CHANNEL_CAPACITY",
    "STATS_BATCH_SIZE",
    "STATS_BATCH_BYTES",
    "STATS_FLUSH_MILLIS",
    "OPERATOR_NAME",
    "OPERATOR_ADDRESS",
    "OPERATOR_EMAIL",
];

/// The settings of one running instance of the suite.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// `sqlite://path/file.sqlite` (or a plain path) or `postgres://…`.
    pub database_url: String,
    /// Address and port the HTTP server listens on.
    pub bind: String,
    /// The address users reach the suite at, used in mails and links (no trailing slash).
    /// Empty: `http://` and the address of `bind`.
    pub public_url: String,
    /// `smtp://user:pass@host:port` (`smtps://` for implicit TLS); files under `data/mail/` when unset.
    pub smtp_url: Option<String>,
    /// ClickHouse HTTP address for statistics; the SQL database when unset.
    pub clickhouse_url: Option<String>,
    /// Where the embedded defaults keep their files (SQLite database, mails, keys).
    pub data_dir: PathBuf,
    /// File holding the secret that signs session tokens; created on first start when missing.
    pub jwt_secret_file: Option<PathBuf>,
    /// Sender of every mail.
    pub mail_from: String,
    /// How long a sign-in lasts.
    pub session_hours: i64,
    /// Maximum number of pooled database connections.
    pub pool_size: u32,
    /// HTTP worker threads (defaults to the number of cores).
    pub workers: Option<usize>,
    /// First retry delay of a failed mail; doubles at each attempt.
    pub mail_retry_base_secs: u64,
    /// Longest delay between two attempts of a mail.
    pub mail_retry_max_secs: u64,
    /// Attempts after which a mail is marked failed (an admin can retry it).
    pub mail_max_attempts: i32,
    /// How often the mail sender looks for due mail when nothing woke it.
    pub mail_poll_millis: u64,
    /// Trust `X-Forwarded-For` from the reverse proxy for the client address.
    pub trust_proxy: bool,
    /// Record page views (the dashboard stays available when off).
    pub stats_enabled: bool,
    /// Events waiting for the statistics writer before new ones are dropped (and counted). One
    /// worker thread alone may fill it while each other keeps its share, so at most under twice
    /// this many wait.
    pub stats_channel_capacity: usize,
    /// Events written to the statistics sink at once.
    pub stats_batch_size: usize,
    /// Bytes of encoded events written at once at most, whatever their number: with the batch
    /// being written and the one filling, the statistics hold about twice this in memory.
    pub stats_batch_bytes: usize,
    /// Longest wait before queued statistics are written.
    pub stats_flush_millis: u64,
    /// Who publishes this instance (legal notice, privacy page).
    pub operator_name: String,
    /// Postal address of the publisher.
    pub operator_address: String,
    /// Contact address for privacy and accessibility requests.
    pub operator_email: String,
    /// The apps this process serves (`csc serve --apps kiosque,preinscription`); every app when
    /// unset. The others are still known (home page, navigation, `/go/` links), served elsewhere.
    pub apps: Option<Vec<String>>,
    /// Each app's own section (`[preinscription]` in `csc.toml`), read by the app with
    /// [`Settings::section`].
    #[serde(flatten)]
    pub sections: std::collections::BTreeMap<String, serde_json::Value>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            database_url: "sqlite://data/csc.sqlite".into(),
            bind: "127.0.0.1:8080".into(),
            public_url: String::new(),
            smtp_url: None,
            clickhouse_url: None,
            data_dir: PathBuf::from("data"),
            jwt_secret_file: None,
            mail_from: "Centres Sociaux Connectés <ne-pas-repondre@centres-sociaux.localhost>"
                .into(),
            session_hours: 12,
            pool_size: 10,
            workers: None,
            mail_retry_base_secs: 30,
            mail_retry_max_secs: 3600,
            mail_max_attempts: 12,
            mail_poll_millis: 2000,
            trust_proxy: false,
            stats_enabled: true,
            stats_channel_capacity: 100_000,
            // Few, large parts: ClickHouse's work per event (inserting, then merging) falls by
            // about 45 % from batches of 200,000 every 5 s (docs/performance.md, session 13).
            stats_batch_size: 1_000_000,
            stats_batch_bytes: 16 * 1024 * 1024,
            stats_flush_millis: 20_000,
            operator_name: "Fédération des centres sociaux (à configurer)".into(),
            operator_address: "Adresse postale à configurer (OPERATOR_ADDRESS)".into(),
            operator_email: "contact@centres-sociaux.localhost".into(),
            apps: None,
            sections: std::collections::BTreeMap::new(),
        }
    }
}

impl Settings {
    /// Loads defaults, then `config_file` (or `csc.toml` in the working directory) when it
    /// exists, then the environment.
    pub fn load(config_file: Option<&Path>) -> anyhow::Result<Self> {
        let file = config_file.unwrap_or(Path::new("csc.toml"));
        if config_file.is_some() && !file.exists() {
            anyhow::bail!("fichier de configuration introuvable : {}", file.display());
        }
        let app_keys: Vec<&str> = APP_ENV_KEYS.iter().map(|(k, _)| *k).collect();
        let mut settings: Settings = Figment::from(Serialized::defaults(Settings::default()))
            .merge(Toml::file(file))
            .merge(
                Env::raw()
                    .only(ENV_KEYS)
                    .map(|k| k.as_str().to_lowercase().into()),
            )
            .merge(Env::raw().only(&app_keys).map(|k| {
                APP_ENV_KEYS
                    .iter()
                    .find(|(env, _)| k == *env)
                    .map_or(k.as_str(), |(_, path)| *path)
                    .to_string()
                    .into()
            }))
            .extract()?;
        settings.fill_public_url();
        settings.move_legacy_keys()?;
        settings.check()?;
        Ok(settings)
    }

    /// Settings for a throw-away instance whose files all live under `data_dir`.
    pub fn for_data_dir(data_dir: &Path) -> Self {
        let mut s = Self {
            database_url: format!("sqlite://{}", data_dir.join("csc.sqlite").display()),
            data_dir: data_dir.to_path_buf(),
            ..Self::default()
        };
        s.fill_public_url();
        s
    }

    /// Keys of the first releases' files that now live in an app's section
    /// (`family_data_months = 12` at the top is `[preinscription] family_data_months = 12`); any
    /// other value at the top that is not a section is refused, so a typo is not silently ignored.
    fn move_legacy_keys(&mut self) -> anyhow::Result<()> {
        for (env, path) in APP_ENV_KEYS {
            let legacy = env.to_lowercase();
            let Some(value) = self.sections.remove(&legacy) else {
                continue;
            };
            let (section, key) = path.split_once('.').unwrap_or((path, &legacy));
            let entry = self
                .sections
                .entry(section.to_string())
                .or_insert_with(|| serde_json::json!({}));
            if let Some(table) = entry.as_object_mut() {
                table.entry(key.to_string()).or_insert(value);
            }
        }
        if let Some((key, _)) = self.sections.iter().find(|(_, v)| !v.is_object()) {
            anyhow::bail!("réglage inconnu : « {key} » (vérifiez son nom dans csc.toml)");
        }
        Ok(())
    }

    /// An empty `public_url` becomes the address of `bind` (a wildcard address reads as
    /// `127.0.0.1`), so that a demo on another port prints links that work.
    pub fn fill_public_url(&mut self) {
        if !self.public_url.trim().is_empty() {
            return;
        }
        let bind = self.bind.trim();
        let (host, port) = bind.rsplit_once(':').unwrap_or((bind, "80"));
        let host = match host {
            "0.0.0.0" | "" => "127.0.0.1",
            "[::]" => "[::1]",
            other => other,
        };
        self.public_url = format!("http://{host}:{port}");
    }

    /// The app's own section of the settings (`[key]` in `csc.toml`), its defaults filling what
    /// is not set. A section that does not fit `T` is an error naming the app.
    pub fn section<T: serde::de::DeserializeOwned + Default>(
        &self,
        key: &str,
    ) -> anyhow::Result<T> {
        match self.sections.get(key) {
            None => Ok(T::default()),
            Some(v) => serde_json::from_value(v.clone())
                .map_err(|e| anyhow::anyhow!("section [{key}] des réglages invalide : {e}")),
        }
    }

    fn check(&self) -> anyhow::Result<()> {
        let url = url::Url::parse(&self.public_url)
            .map_err(|e| anyhow::anyhow!("PUBLIC_URL invalide ({}) : {e}", self.public_url))?;
        anyhow::ensure!(
            matches!(url.scheme(), "http" | "https"),
            "PUBLIC_URL doit commencer par http:// ou https://"
        );
        anyhow::ensure!(self.session_hours > 0, "SESSION_HOURS doit être positif");
        anyhow::ensure!(self.pool_size > 0, "POOL_SIZE doit être positif");
        Ok(())
    }

    /// The secret file path, defaulting to `data_dir/jwt.secret`.
    pub fn jwt_secret_path(&self) -> PathBuf {
        self.jwt_secret_file
            .clone()
            .unwrap_or_else(|| self.data_dir.join("jwt.secret"))
    }

    /// Where mails are written as `.eml` files when no SMTP server is configured.
    pub fn mail_dir(&self) -> PathBuf {
        self.data_dir.join("mail")
    }

    /// Cookies get the `Secure` flag when the public address is HTTPS.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    /// The public address without a trailing slash.
    pub fn base_url(&self) -> &str {
        self.public_url.trim_end_matches('/')
    }
}

#[cfg(test)]
#[allow(clippy::result_large_err)] // figment's test jail returns its own large error
mod tests {
    use super::*;

    #[test]
    fn defaults_use_sqlite_under_data() {
        let s = Settings::default();
        assert!(s.database_url.starts_with("sqlite://data/"));
        assert_eq!(s.bind, "127.0.0.1:8080");
        assert_eq!(s.jwt_secret_path(), PathBuf::from("data/jwt.secret"));
    }

    #[test]
    fn toml_file_then_environment_override_defaults() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("csc.toml", "bind = \"0.0.0.0:9000\"\nsession_hours = 3\n")?;
            jail.set_env("SESSION_HOURS", "5");
            let s = Settings::load(None).map_err(|e| e.to_string())?;
            assert_eq!(s.bind, "0.0.0.0:9000");
            assert_eq!(s.session_hours, 5);
            Ok(())
        });
    }

    #[test]
    fn the_public_address_follows_the_bound_port_unless_set() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("BIND", "0.0.0.0:9001");
            let s = Settings::load(None).map_err(|e| e.to_string())?;
            assert_eq!(s.base_url(), "http://127.0.0.1:9001");
            jail.set_env("BIND", "127.0.0.2:9002");
            let s = Settings::load(None).map_err(|e| e.to_string())?;
            assert_eq!(s.base_url(), "http://127.0.0.2:9002");
            jail.set_env("PUBLIC_URL", "https://centres.example/");
            let s = Settings::load(None).map_err(|e| e.to_string())?;
            assert_eq!(s.base_url(), "https://centres.example");
            Ok(())
        });
    }

    #[derive(Debug, Default, serde::Deserialize, PartialEq)]
    #[serde(default)]
    struct AppPart {
        family_data_months: u32,
        other: String,
    }

    #[test]
    fn an_app_reads_its_section_from_the_file_or_the_old_variable() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("csc.toml", "[preinscription]\nfamily_data_months = 12\n")?;
            let s = Settings::load(None).map_err(|e| e.to_string())?;
            let part: AppPart = s.section("preinscription").map_err(|e| e.to_string())?;
            assert_eq!(part.family_data_months, 12);
            jail.set_env("FAMILY_DATA_MONTHS", "36");
            let s = Settings::load(None).map_err(|e| e.to_string())?;
            let part: AppPart = s.section("preinscription").map_err(|e| e.to_string())?;
            assert_eq!(part.family_data_months, 36);
            let none: AppPart = s.section("absent").map_err(|e| e.to_string())?;
            assert_eq!(none, AppPart::default());
            // The first releases' files kept it at the top.
            jail.clear_env();
            jail.create_file("csc.toml", "family_data_months = 18\n")?;
            let s = Settings::load(None).map_err(|e| e.to_string())?;
            let part: AppPart = s.section("preinscription").map_err(|e| e.to_string())?;
            assert_eq!(part.family_data_months, 18);
            // A misspelt key is refused rather than ignored.
            jail.create_file("csc.toml", "sesion_hours = 3\n")?;
            let err = Settings::load(None)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(err.contains("sesion_hours"), "{err}");
            Ok(())
        });
    }

    #[test]
    fn bad_public_url_is_refused() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("PUBLIC_URL", "ftp://x");
            assert!(Settings::load(None).is_err());
            Ok(())
        });
    }
}
