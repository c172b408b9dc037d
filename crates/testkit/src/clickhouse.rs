//! ClickHouse for tests: the shared server `scripts/test.sh` starts (`TEST_CLICKHOUSE_URL`), with
//! a fresh database per test, or a private server a test can stop and restart.

use std::path::PathBuf;
use std::process::Command;

/// A fresh database on the shared test server: the `CLICKHOUSE_URL` to give the app.
pub fn clickhouse_test_url() -> String {
    let base = std::env::var("TEST_CLICKHOUSE_URL").unwrap_or_else(|_| {
        panic!("TEST_CLICKHOUSE_URL is not set: run the tests with scripts/test.sh, which starts ClickHouse")
    });
    format!(
        "{}/csc_test_{}",
        base.trim_end_matches('/'),
        uuid::Uuid::new_v4().simple()
    )
}

/// A private ClickHouse server (Debian's clickhouse-server) on a free loopback port.
pub struct ClickHouseServer {
    pub port: u16,
    tcp_port: u16,
    dir: tempfile::TempDir,
    running: bool,
    paused: bool,
}

fn script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scripts/clickhouse.sh")
}

impl ClickHouseServer {
    /// Starts a server with an empty data folder.
    pub fn start() -> Self {
        let free = || {
            std::net::TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port()
        };
        let mut s = Self {
            port: free(),
            tcp_port: free(),
            dir: tempfile::tempdir().unwrap(),
            running: false,
            paused: false,
        };
        s.restart();
        s
    }

    /// The server's base URL.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Starts it again, with the same data, on the same port.
    pub fn restart(&mut self) {
        assert!(!self.running, "ClickHouse already running");
        let status = Command::new("bash")
            .env("CH_TCP_PORT", self.tcp_port.to_string())
            .arg(script())
            .arg("start")
            .arg(self.dir.path())
            .arg(self.port.to_string())
            .status()
            .expect("bash runs scripts/clickhouse.sh");
        assert!(status.success(), "ClickHouse did not start (is clickhouse-server installed? scripts/test.sh installs it)");
        self.running = true;
    }

    /// Freezes it (SIGSTOP): connections are accepted but nothing is answered, as with a server
    /// that hangs.
    pub fn pause(&mut self) {
        assert!(self.running && !self.paused, "ClickHouse not running");
        self.signal("STOP");
        self.paused = true;
    }

    /// Lets a paused server go on (SIGCONT).
    pub fn resume(&mut self) {
        if self.paused {
            self.signal("CONT");
            self.paused = false;
        }
    }

    fn signal(&self, name: &str) {
        let pid = std::fs::read_to_string(self.dir.path().join("clickhouse.pid"))
            .expect("scripts/clickhouse.sh writes clickhouse.pid");
        let status = Command::new("kill")
            .arg(format!("-{name}"))
            .arg(pid.trim())
            .status()
            .expect("kill runs");
        assert!(status.success(), "kill -{name} ClickHouse");
    }

    /// Stops it (SIGTERM, then waits).
    pub fn stop(&mut self) {
        self.resume();
        if self.running {
            let _ = Command::new("bash")
                .arg(script())
                .arg("stop")
                .arg(self.dir.path())
                .status();
            self.running = false;
        }
    }
}

impl Drop for ClickHouseServer {
    fn drop(&mut self) {
        self.stop();
    }
}
