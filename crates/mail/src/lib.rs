//! Mail: every message goes through the `mail_outbox` table; a background sender delivers it
//! with retries and backoff, over SMTP (lettre) or as `.eml` files. Nothing is lost when the SMTP
//! server is down, and with several instances each mail is claimed by one sender only.

pub mod admin;
mod outbox;
mod schema;
mod sender;

pub use outbox::{purge_sent, queued_since, Attachment, Mailer, OutboxRow, Status};
pub use sender::{spawn_sender, SenderConfig, SenderHandle, Transport};

/// Page templates of the outbox administration.
pub static TEMPLATES: include_dir::Dir<'static> =
    include_dir::include_dir!("$CARGO_MANIFEST_DIR/templates");
