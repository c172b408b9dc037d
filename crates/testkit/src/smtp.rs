//! A real SMTP server for tests: Python's aiosmtpd (`scripts/smtp_sink.py`), which keeps every
//! message it receives as a file. A test can stop it and start it again on the same port.

use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running (or stopped) SMTP server.
pub struct SmtpSink {
    pub port: u16,
    dir: tempfile::TempDir,
    child: Option<Child>,
}

fn script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scripts/smtp_sink.py")
}

impl SmtpSink {
    /// Starts a server on a free loopback port.
    pub fn start() -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut sink = Self {
            port,
            dir: tempfile::tempdir().unwrap(),
            child: None,
        };
        sink.restart();
        sink
    }

    /// `SMTP_URL` for the app.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Starts the server again on the same port (after `stop`).
    pub fn restart(&mut self) {
        assert!(self.child.is_none(), "SMTP server already running");
        let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
        let child = Command::new(python)
            .arg(script())
            .arg("--port")
            .arg(self.port.to_string())
            .arg("--dir")
            .arg(self.dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect(
                "python3 is needed for the SMTP test server (scripts/test.sh installs aiosmtpd)",
            );
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(15);
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            if let Some(Ok(Some(status))) = self.child.as_mut().map(|c| c.try_wait()) {
                panic!("SMTP test server exited ({status}); is aiosmtpd installed? (pip install aiosmtpd)");
            }
            assert!(Instant::now() < deadline, "SMTP test server did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Stops the server; connections are then refused.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        while TcpStream::connect(("127.0.0.1", self.port)).is_ok() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Every message received so far (raw RFC 5322 text), oldest first.
    pub fn messages(&self) -> Vec<String> {
        crate::app::read_eml_dir(self.dir.path())
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.stop();
    }
}
