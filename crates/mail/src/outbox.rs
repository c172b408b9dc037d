//! Composing mails from template files and keeping them in the outbox.

use std::sync::Arc;

use chrono::{Duration, NaiveDateTime};
use csc_core::{time, AppError, Email};
use csc_db::DbConn;
use diesel::prelude::*;
use include_dir::Dir;
use serde::Serialize;
use tera::{Context, Tera};
use tokio::sync::Notify;

use crate::schema::{mail_attachments, mail_outbox};

csc_core::coded! {
    /// Where a mail is in its life.
    #[derive(diesel::AsExpression, diesel::FromSqlRow)]
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub enum Status {
        Pending = ("pending", "En attente"),
        Sent = ("sent", "Envoyé"),
        Failed = ("failed", "En échec"),
    }
}

csc_db::sql_coded!(Status);

/// A file joined to a mail.
#[derive(Debug, Clone)]
pub struct Attachment {
    pub filename: String,
    pub content_type: String,
    pub data: Vec<u8>,
}

/// A row of the outbox.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = mail_outbox)]
pub struct OutboxRow {
    pub id: i64,
    pub template: String,
    pub to_addr: String,
    pub subject: String,
    #[serde(skip)]
    pub body_text: String,
    #[serde(skip)]
    pub body_html: Option<String>,
    pub status: Status,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub claimed_by: Option<String>,
    pub claimed_until: Option<NaiveDateTime>,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
}

#[derive(Insertable)]
#[diesel(table_name = mail_outbox)]
struct NewMail<'a> {
    template: &'a str,
    to_addr: &'a str,
    subject: &'a str,
    body_text: &'a str,
    body_html: Option<&'a str>,
    status: Status,
    attempts: i32,
    next_attempt_at: NaiveDateTime,
    created_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = mail_attachments)]
struct NewAttachment<'a> {
    mail_id: i64,
    filename: &'a str,
    content_type: &'a str,
    data: &'a [u8],
}

/// Renders mail templates and puts mails in the outbox. Cheap to share.
#[derive(Clone)]
pub struct Mailer {
    tera: Arc<Tera>,
    base_url: String,
    wake: Arc<Notify>,
}

impl Mailer {
    /// Loads the mail templates of every crate and app (`NAME.subject.txt`, `NAME.txt`,
    /// optional `NAME.html`).
    pub fn new(dirs: &[&'static Dir<'static>], base_url: &str) -> anyhow::Result<Self> {
        Ok(Self {
            tera: Arc::new(csc_web::render::load_templates(dirs)?),
            base_url: base_url.trim_end_matches('/').to_string(),
            wake: Arc::new(Notify::new()),
        })
    }

    /// The public address of the suite (no trailing slash), for links in mails.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Wakes the sender when a mail is waiting.
    pub(crate) fn notifier(&self) -> Arc<Notify> {
        self.wake.clone()
    }

    /// Renders the three parts of `template` (`base_url` is always in the context).
    pub fn compose(
        &self,
        template: &str,
        ctx: &Context,
    ) -> Result<(String, String, Option<String>), AppError> {
        let mut ctx = ctx.clone();
        ctx.insert("base_url", &self.base_url);
        let render = |name: String| {
            self.tera
                .render(&name, &ctx)
                .map_err(|e| AppError::Internal(anyhow::anyhow!("mail template {name}: {e:?}")))
        };
        let subject = render(format!("{template}.subject.txt"))?
            .lines()
            .map(str::trim)
            .collect::<Vec<_>>()
            .join(" ")
            .trim()
            .to_string();
        let text = render(format!("{template}.txt"))?;
        let html_name = format!("{template}.html");
        let html = if self.tera.get_template_names().any(|n| n == html_name) {
            Some(render(html_name)?)
        } else {
            None
        };
        Ok((subject, text, html))
    }

    /// Puts a mail in the outbox, in the caller's transaction; the sender delivers it.
    pub fn enqueue(
        &self,
        conn: &mut DbConn,
        to: &Email,
        template: &str,
        ctx: &Context,
        attachments: &[Attachment],
    ) -> Result<i64, AppError> {
        let (subject, text, html) = self.compose(template, ctx)?;
        let now = time::now();
        let row: OutboxRow = diesel::insert_into(mail_outbox::table)
            .values(NewMail {
                template,
                to_addr: to.as_str(),
                subject: &subject,
                body_text: &text,
                body_html: html.as_deref(),
                status: Status::Pending,
                attempts: 0,
                next_attempt_at: now,
                created_at: now,
            })
            .get_result(conn)?;
        for a in attachments {
            diesel::insert_into(mail_attachments::table)
                .values(NewAttachment {
                    mail_id: row.id,
                    filename: &a.filename,
                    content_type: &a.content_type,
                    data: &a.data,
                })
                .execute(conn)?;
        }
        self.wake.notify_one();
        Ok(row.id)
    }
}

/// How many mails of these templates were queued for `to` since `since` (to limit how often a
/// public form may mail one address).
pub fn queued_since(
    conn: &mut DbConn,
    to: &Email,
    templates: &[&str],
    since: chrono::NaiveDateTime,
) -> QueryResult<i64> {
    mail_outbox::table
        .filter(mail_outbox::to_addr.eq(to.as_str()))
        .filter(mail_outbox::template.eq_any(templates))
        .filter(mail_outbox::created_at.ge(since))
        .count()
        .get_result(conn)
}

/// The attachments of a mail.
pub(crate) fn attachments_of(conn: &mut DbConn, mail_id: i64) -> QueryResult<Vec<Attachment>> {
    let rows: Vec<(String, String, Vec<u8>)> = mail_attachments::table
        .filter(mail_attachments::mail_id.eq(mail_id))
        .order(mail_attachments::id)
        .select((
            mail_attachments::filename,
            mail_attachments::content_type,
            mail_attachments::data,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(filename, content_type, data)| Attachment {
            filename,
            content_type,
            data,
        })
        .collect())
}

/// Claims the oldest due mail for `worker` until `now + lease`. The claim is a conditional
/// update, so two senders (even in two processes) never get the same mail.
pub(crate) fn claim_next(
    conn: &mut DbConn,
    worker: &str,
    lease: Duration,
) -> QueryResult<Option<OutboxRow>> {
    use crate::schema::mail_outbox::dsl::*;
    let now = time::now();
    let free = claimed_until.is_null().or(claimed_until.lt(now));
    let candidates: Vec<i64> = mail_outbox
        .filter(status.eq(Status::Pending))
        .filter(next_attempt_at.le(now))
        .filter(free)
        .order(id)
        .select(id)
        .limit(8)
        .load(conn)?;
    for candidate in candidates {
        let taken = diesel::update(
            mail_outbox
                .filter(id.eq(candidate))
                .filter(status.eq(Status::Pending))
                .filter(claimed_until.is_null().or(claimed_until.lt(now))),
        )
        .set((claimed_by.eq(worker), claimed_until.eq(now + lease)))
        .execute(conn)?;
        if taken == 1 {
            return mail_outbox
                .find(candidate)
                .select(OutboxRow::as_select())
                .first(conn)
                .map(Some);
        }
    }
    Ok(None)
}

/// Records a delivery.
pub(crate) fn mark_sent(conn: &mut DbConn, mail_id: i64, worker: &str) -> QueryResult<usize> {
    use crate::schema::mail_outbox::dsl::*;
    diesel::update(
        mail_outbox
            .filter(id.eq(mail_id))
            .filter(claimed_by.eq(worker)),
    )
    .set((
        status.eq(Status::Sent),
        sent_at.eq(Some(time::now())),
        attempts.eq(attempts + 1),
        claimed_by.eq(None::<String>),
        claimed_until.eq(None::<NaiveDateTime>),
        last_error.eq(None::<String>),
    ))
    .execute(conn)
}

/// Records a failed attempt and schedules the next one (or gives up after `max_attempts`).
pub(crate) fn mark_failed(
    conn: &mut DbConn,
    row: &OutboxRow,
    worker: &str,
    error: &str,
    retry_in: Duration,
    max_attempts: i32,
) -> QueryResult<usize> {
    use crate::schema::mail_outbox::dsl::*;
    let tries = row.attempts + 1;
    let new_status = if tries >= max_attempts {
        Status::Failed
    } else {
        Status::Pending
    };
    let short: String = error.chars().take(500).collect();
    diesel::update(
        mail_outbox
            .filter(id.eq(row.id))
            .filter(claimed_by.eq(worker)),
    )
    .set((
        status.eq(new_status),
        attempts.eq(tries),
        next_attempt_at.eq(time::now() + retry_in),
        claimed_by.eq(None::<String>),
        claimed_until.eq(None::<NaiveDateTime>),
        last_error.eq(Some(short)),
    ))
    .execute(conn)
}

/// Puts a failed mail back in the queue (admin action).
pub fn retry(conn: &mut DbConn, mail_id: i64) -> Result<(), AppError> {
    use crate::schema::mail_outbox::dsl::*;
    let n = diesel::update(
        mail_outbox
            .filter(id.eq(mail_id))
            .filter(status.eq(Status::Failed)),
    )
    .set((
        status.eq(Status::Pending),
        attempts.eq(0),
        next_attempt_at.eq(time::now()),
    ))
    .execute(conn)?;
    if n == 1 {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// Deletes mails sent more than `days` ago (their content is personal data).
pub fn purge_sent(conn: &mut DbConn, days: i64) -> QueryResult<usize> {
    use crate::schema::mail_outbox::dsl::*;
    let limit = time::now() - Duration::days(days);
    diesel::delete(
        mail_outbox
            .filter(status.eq(Status::Sent))
            .filter(sent_at.lt(limit)),
    )
    .execute(conn)
}

/// How many mails are in each status.
pub type StatusCounts = Vec<(Status, i64)>;

/// The latest mails, optionally of one status, and the count per status.
pub fn list(
    conn: &mut DbConn,
    only: Option<Status>,
    limit: i64,
) -> QueryResult<(Vec<OutboxRow>, StatusCounts)> {
    use crate::schema::mail_outbox::dsl::*;
    let mut q = mail_outbox.select(OutboxRow::as_select()).into_boxed();
    if let Some(s) = only {
        q = q.filter(status.eq(s));
    }
    let rows = q.order(id.desc()).limit(limit).load(conn)?;
    let counts = mail_outbox
        .group_by(status)
        .select((status, diesel::dsl::count_star()))
        .load::<(Status, i64)>(conn)?;
    Ok((rows, counts))
}
