//! The background sender: claims due mails, delivers them, retries with exponential backoff.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::Duration;
use csc_core::{AppError, Settings};
use csc_db::Db;
use lettre::message::header::ContentType;
use lettre::message::{Attachment as LettreAttachment, Mailbox, MultiPart, SinglePart};
use lettre::{Message, SmtpTransport, Transport as _};
use tokio::sync::{watch, Notify};
use tokio::task::JoinHandle;

use crate::outbox::{self, Attachment, Mailer, OutboxRow};

/// How mails leave the building.
#[derive(Clone)]
pub enum Transport {
    /// A real SMTP server.
    Smtp(SmtpTransport),
    /// `.eml` files in a folder (the embedded default).
    Files(PathBuf),
}

impl Transport {
    /// SMTP when `SMTP_URL` is set, else files under `data/mail/`.
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Self> {
        match &settings.smtp_url {
            Some(url) if !url.trim().is_empty() => {
                let t = SmtpTransport::from_url(url.trim())
                    .map_err(|e| anyhow::anyhow!("SMTP_URL invalide : {e}"))?
                    .timeout(Some(StdDuration::from_secs(20)))
                    .build();
                Ok(Transport::Smtp(t))
            }
            _ => Ok(Transport::Files(settings.mail_dir())),
        }
    }

    fn deliver(&self, id: i64, msg: &Message) -> Result<(), String> {
        match self {
            Transport::Smtp(t) => t.send(msg).map(|_| ()).map_err(|e| e.to_string()),
            Transport::Files(dir) => {
                std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
                let name = format!(
                    "{}-{id:08}.eml",
                    csc_core::time::now().format("%Y%m%d-%H%M%S")
                );
                let tmp = dir.join(format!(".{name}.tmp"));
                std::fs::write(&tmp, msg.formatted()).map_err(|e| e.to_string())?;
                std::fs::rename(&tmp, dir.join(name)).map_err(|e| e.to_string())
            }
        }
    }
}

/// Timing of the sender.
#[derive(Debug, Clone)]
pub struct SenderConfig {
    pub from: String,
    pub retry_base: StdDuration,
    pub retry_max: StdDuration,
    pub max_attempts: i32,
    pub poll: StdDuration,
    /// How long a claim protects a mail from other senders.
    pub lease: StdDuration,
}

impl SenderConfig {
    /// From the instance settings.
    pub fn from_settings(s: &Settings) -> Self {
        Self {
            from: s.mail_from.clone(),
            retry_base: StdDuration::from_secs(s.mail_retry_base_secs.max(1)),
            retry_max: StdDuration::from_secs(s.mail_retry_max_secs.max(1)),
            max_attempts: s.mail_max_attempts.max(1),
            poll: StdDuration::from_millis(s.mail_poll_millis.max(50)),
            lease: StdDuration::from_secs(300),
        }
    }

    fn backoff(&self, attempts_done: i32) -> Duration {
        let factor = 2u32.saturating_pow(attempts_done.clamp(0, 20) as u32);
        let d = self.retry_base.saturating_mul(factor).min(self.retry_max);
        Duration::from_std(d).unwrap_or(Duration::hours(1))
    }
}

/// A running sender; `stop` lets it finish what it holds, then send what is due, then exit.
pub struct SenderHandle {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl SenderHandle {
    /// Asks the sender to drain and waits for it (at most `grace`).
    pub async fn stop(self, grace: StdDuration) {
        let _ = self.stop.send(true);
        if tokio::time::timeout(grace, self.task).await.is_err() {
            tracing::warn!("mail sender did not finish in time; pending mails stay in the outbox");
        }
    }
}

/// Starts the sender on the current runtime.
pub fn spawn_sender(
    db: Db,
    mailer: &Mailer,
    transport: Transport,
    config: SenderConfig,
) -> SenderHandle {
    let (stop, stopped) = watch::channel(false);
    let wake = mailer.notifier();
    let worker = format!("{}-{}", std::process::id(), uuid::Uuid::new_v4().simple());
    let task = tokio::spawn(run(db, transport, config, wake, stopped, worker));
    SenderHandle { stop, task }
}

async fn run(
    db: Db,
    transport: Transport,
    config: SenderConfig,
    wake: Arc<Notify>,
    mut stopped: watch::Receiver<bool>,
    worker: String,
) {
    let from: Mailbox = match config.from.parse() {
        Ok(m) => m,
        Err(e) => {
            tracing::error!(error = %e, from = config.from, "MAIL_FROM is not a valid mailbox; mail sender not started");
            return;
        }
    };
    loop {
        // Send everything that is due, one mail at a time.
        loop {
            match send_one(&db, &transport, &config, &from, &worker).await {
                Ok(true) => continue,
                Ok(false) => break,
                Err(e) => {
                    tracing::warn!(error = %e, "mail sender could not reach the database");
                    break;
                }
            }
        }
        if *stopped.borrow() {
            break;
        }
        tokio::select! {
            _ = wake.notified() => {}
            _ = tokio::time::sleep(config.poll) => {}
            _ = stopped.changed() => {}
        }
    }
    tracing::info!("mail sender stopped");
}

/// Claims and delivers one due mail. `Ok(false)` when none is due.
async fn send_one(
    db: &Db,
    transport: &Transport,
    config: &SenderConfig,
    from: &Mailbox,
    worker: &str,
) -> Result<bool, AppError> {
    let lease = Duration::from_std(config.lease).unwrap_or(Duration::minutes(5));
    let w = worker.to_string();
    let claimed = db
        .run(move |c| {
            let row = outbox::claim_next(c, &w, lease)?;
            match row {
                Some(r) => {
                    let files = outbox::attachments_of(c, r.id)?;
                    Ok(Some((r, files)))
                }
                None => Ok(None),
            }
        })
        .await?;
    let Some((row, files)) = claimed else {
        return Ok(false);
    };
    let outcome = match build_message(from, &row, &files) {
        Ok(msg) => {
            let t = transport.clone();
            let id = row.id;
            tokio::task::spawn_blocking(move || t.deliver(id, &msg))
                .await
                .unwrap_or_else(|e| Err(e.to_string()))
        }
        Err(e) => Err(e),
    };
    let w = worker.to_string();
    match outcome {
        Ok(()) => {
            tracing::info!(mail = row.id, template = row.template, "mail delivered");
            db.run(move |c| outbox::mark_sent(c, row.id, &w).map_err(AppError::from))
                .await?;
        }
        Err(error) => {
            let retry_in = config.backoff(row.attempts);
            let max = config.max_attempts;
            tracing::warn!(
                mail = row.id,
                attempts = row.attempts + 1,
                error,
                "mail delivery failed"
            );
            db.run(move |c| {
                outbox::mark_failed(c, &row, &w, &error, retry_in, max).map_err(AppError::from)
            })
            .await?;
            // Do not hammer a server that is down: the next due mail waits for the next round.
            return Ok(false);
        }
    }
    Ok(true)
}

fn build_message(from: &Mailbox, row: &OutboxRow, files: &[Attachment]) -> Result<Message, String> {
    let to: Mailbox = row
        .to_addr
        .parse()
        .map_err(|e| format!("destinataire invalide : {e}"))?;
    let text = SinglePart::plain(row.body_text.clone());
    let body = match &row.body_html {
        Some(html) => MultiPart::alternative()
            .singlepart(text)
            .singlepart(SinglePart::html(html.clone())),
        None => MultiPart::mixed().singlepart(text),
    };
    let body = if files.is_empty() {
        body
    } else {
        let mut mixed = MultiPart::mixed().multipart(body);
        for f in files {
            let ct = ContentType::parse(&f.content_type).unwrap_or_else(|_| {
                ContentType::parse("application/octet-stream").expect("static mime")
            });
            mixed = mixed
                .singlepart(LettreAttachment::new(f.filename.clone()).body(f.data.clone(), ct));
        }
        mixed
    };
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(row.subject.clone())
        .multipart(body)
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_then_caps() {
        let mut s = SenderConfig::from_settings(&Settings::default());
        s.retry_base = StdDuration::from_secs(30);
        s.retry_max = StdDuration::from_secs(600);
        assert_eq!(s.backoff(0), Duration::seconds(30));
        assert_eq!(s.backoff(1), Duration::seconds(60));
        assert_eq!(s.backoff(3), Duration::seconds(240));
        assert_eq!(s.backoff(10), Duration::seconds(600));
    }
}
