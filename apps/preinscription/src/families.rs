//! The family's own actions as whole services: joining the centre (household, membership asked
//! for, mail with the private link), erasing its data, attaching an account. Each runs inside
//! the caller's write transaction: its rows and its mails are saved together or not at all.

use csc_auth::centres::{self, Centre};
use csc_auth::service::{self, Invitation};
use csc_core::{time, AppError, Email, Role};
use csc_db::DbConn;
use csc_mail::Mailer;
use csc_members::{household, HouseholdData};
use csc_pricing::MembershipKind;
use tera::Context;

use crate::{grids, notify, rgpd};

/// The household joins the centre: it is recorded with its membership asked for, and the
/// family gets the private link of its page by mail. Returns the link's secret.
pub fn join(
    conn: &mut DbConn,
    mailer: &Mailer,
    centre: &Centre,
    data: &HouseholdData,
) -> Result<String, AppError> {
    let to = Email::parse(&data.adults[0].email).map_err(AppError::BadRequest)?;
    let fee = membership_fee(conn, centre, &data.postcode)?;
    let (_, secret) = household::create(conn, centre.id, data, fee, time::today_paris())?;
    let link = format!("{}{}/foyer/{secret}", mailer.base_url(), crate::MOUNT);
    let mut ctx = Context::new();
    ctx.insert("centre", centre);
    ctx.insert("first_name", &data.adults[0].first_name);
    ctx.insert("link", &link);
    mailer.enqueue(conn, &to, "preinscription/adhesion", &ctx, &[])?;
    Ok(secret)
}

/// The family membership fee of the centre's first grid that gives one (0 when none does).
fn membership_fee(conn: &mut DbConn, centre: &Centre, postcode: &str) -> Result<i64, AppError> {
    // Families of the centre's commune pay the resident fee (all of them when it has no postcode).
    let resident = centre.postcode.is_empty() || postcode == centre.postcode;
    for stored in grids::of_centre(conn, centre.id)? {
        if let Ok(fee) = stored
            .grid()?
            .membership_fee(MembershipKind::Family, resident)
        {
            return Ok(fee.0);
        }
    }
    Ok(0)
}

/// The family deletes its household and requests now; their places go to the children
/// waiting, whose families are told.
pub fn erase(conn: &mut DbConn, mailer: &Mailer, secret: &str) -> Result<(), AppError> {
    let h = household::by_secret(conn, secret)?;
    let promoted = rgpd::erase(conn, h.id)?;
    notify::seat_freed(conn, mailer, &promoted)
}

/// What asking for an account from the household's page did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountOutcome {
    /// A mail went to the household's address: to choose a password for a new account, or to
    /// say that an account has this address (the page says the same in both cases, so that it
    /// never tells whether an address has an account).
    Mailed,
    /// The signed-in owner of the address: the household is attached to their account.
    Attached,
    /// The household already had an account.
    AlreadyAttached,
}

/// Mails about an account that one address may get from the households' pages in an hour.
pub const ACCOUNT_MAILS_PER_HOUR: i64 = 3;

/// The templates of those mails.
const ACCOUNT_MAILS: [&str; 2] = ["auth/invitation", "preinscription/compte_existant"];

/// An account for the household's first adult. A new account gets a mail to choose its
/// password (which proves the address); an existing one is attached only when its owner
/// (`signed_in`, a user id) asks, and otherwise told by mail how to do it. At most
/// [`ACCOUNT_MAILS_PER_HOUR`] such mails go to one address in an hour; the answer is the same
/// when the limit holds one back.
pub fn attach_account(
    conn: &mut DbConn,
    mailer: &Mailer,
    secret: &str,
    signed_in: Option<i64>,
) -> Result<AccountOutcome, AppError> {
    let h = household::by_secret(conn, secret)?;
    let adults = household::adults(conn, h.id)?;
    let adult = adults.first().ok_or(AppError::NotFound)?;
    let email = Email::parse(&adult.email).map_err(AppError::BadRequest)?;
    if h.user_id.is_some() {
        return Ok(AccountOutcome::AlreadyAttached);
    }
    let existing = csc_auth::users::by_email(conn, &email)?;
    if let Some(user) = &existing {
        if signed_in == Some(user.id) {
            household::set_user(conn, h.id, user.id)?;
            return Ok(AccountOutcome::Attached);
        }
    }
    let hour_ago = time::now() - chrono::Duration::hours(1);
    if csc_mail::queued_since(conn, &email, &ACCOUNT_MAILS, hour_ago)? >= ACCOUNT_MAILS_PER_HOUR {
        return Ok(AccountOutcome::Mailed);
    }
    let centre = centres::get(conn, h.centre_id)?;
    if existing.is_some() {
        let mut ctx = Context::new();
        ctx.insert("centre", &centre);
        ctx.insert("first_name", &adult.first_name);
        ctx.insert(
            "link",
            &format!(
                "{}{}/foyer/{secret}#compte",
                mailer.base_url(),
                crate::MOUNT
            ),
        );
        ctx.insert("sign_in", &format!("{}/connexion", mailer.base_url()));
        ctx.insert(
            "forgot",
            &format!("{}/mot-de-passe-oublie", mailer.base_url()),
        );
        mailer.enqueue(conn, &email, "preinscription/compte_existant", &ctx, &[])?;
        return Ok(AccountOutcome::Mailed);
    }
    let name = format!("{} {}", adult.first_name, adult.last_name);
    service::invite(
        conn,
        mailer,
        &Invitation {
            email: &email,
            display_name: &name,
            centre_id: centre.id,
            centre_name: &centre.name,
            role: Role::Habitant,
            invited_by: "la pré-inscription en ligne",
        },
    )?;
    let user = csc_auth::users::by_email(conn, &email)?.ok_or(AppError::NotFound)?;
    household::set_user(conn, h.id, user.id)?;
    Ok(AccountOutcome::Mailed)
}
