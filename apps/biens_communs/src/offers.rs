//! Offers (skills a member gives) and needs (help a member asks for), the Accorderie rules
//! checked when one is written (no exchange in one's own profession, none touching health,
//! nothing commercial: the offer goes to the staff's review queue with the reason), and the
//! matching of needs and offers.

use chrono::NaiveDateTime;
use csc_core::AppError;
use csc_db::DbConn;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::ledger::{Account, LedgerError};
use crate::members::{Member, MemberStatus};
use crate::schema::{bc_accounts, bc_members, bc_offers};

csc_core::coded! {
    /// Offer or need.
    #[derive(diesel::AsExpression, diesel::FromSqlRow)]
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub enum OfferKind {
        Offer = ("offre", "Je propose"),
        Need = ("besoin", "Je cherche"),
    }
}
csc_db::sql_coded!(OfferKind);

csc_core::coded! {
    /// The categories of services.
    #[derive(diesel::AsExpression, diesel::FromSqlRow)]
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub enum Category {
        Diy = ("bricolage", "Bricolage et petites réparations"),
        Garden = ("jardinage", "Jardinage"),
        Cooking = ("cuisine", "Cuisine"),
        Sewing = ("couture", "Couture et tricot"),
        Digital = ("numerique", "Ordinateur, téléphone, démarches en ligne"),
        Languages = ("langues", "Langues et conversation"),
        Homework = ("devoirs", "Aide aux devoirs"),
        Company = ("compagnie", "Visites, promenades, compagnie"),
        Moving = ("transport", "Courses, déménagement, transport"),
        Paperwork = ("papiers", "Courrier et papiers"),
        Music = ("loisirs", "Musique, arts et loisirs"),
        Other = ("autre", "Autre"),
    }
}
csc_db::sql_coded!(Category);

csc_core::coded! {
    /// Where an offer or need stands.
    #[derive(diesel::AsExpression, diesel::FromSqlRow)]
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub enum OfferStatus {
        Open = ("ouverte", "Visible"),
        Review = ("a_verifier", "À vérifier par l'équipe"),
        Refused = ("refusee", "Refusée"),
        Closed = ("close", "Retirée"),
    }
}
csc_db::sql_coded!(OfferStatus);

/// An offer or need as stored.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = bc_offers)]
pub struct Offer {
    pub id: i64,
    pub centre_id: i64,
    pub member_id: i64,
    pub kind: OfferKind,
    pub category: Category,
    pub title: String,
    pub tags: String,
    pub availability: String,
    pub status: OfferStatus,
    pub review_reason: String,
    pub created_at: NaiveDateTime,
}

/// The form of an offer or need.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
pub struct OfferForm {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub tags: String,
    #[serde(default)]
    pub availability: String,
}

/// A checked offer or need.
#[derive(Debug, Clone)]
pub struct OfferData {
    pub kind: OfferKind,
    pub category: Category,
    pub title: String,
    pub tags: Vec<String>,
    pub availability: String,
}

impl OfferForm {
    pub fn parse(&self) -> Result<OfferData, csc_web::FieldErrors> {
        use csc_web::forms::{optional, required};
        let mut e = csc_web::FieldErrors::new();
        let kind = e.check(
            "kind",
            OfferKind::parse(&self.kind)
                .ok_or_else(|| "Choisissez : je propose ou je cherche.".into()),
        );
        let category = e.check(
            "category",
            Category::parse(&self.category).ok_or_else(|| "Choisissez une catégorie.".into()),
        );
        let title = e.check(
            "title",
            required(&self.title, 200, "ce que vous proposez ou cherchez"),
        );
        let tags = e.check("tags", optional(&self.tags, 300));
        let availability = e.check("availability", optional(&self.availability, 200));
        match (kind, category, title, tags, availability) {
            (Some(kind), Some(category), Some(title), Some(tags), Some(availability))
                if e.is_empty() =>
            {
                Ok(OfferData {
                    kind,
                    category,
                    title,
                    tags: split_tags(&tags),
                    availability,
                })
            }
            _ => Err(e),
        }
    }
}

/// Free words: lower case, trimmed, without duplicates.
pub fn split_tags(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in s.split([',', ';', '\n']) {
        let t = t.trim().to_lowercase();
        if !t.is_empty() && t.chars().count() <= 40 && !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

/// Lower case without accents, for comparing words.
fn plain(s: &str) -> String {
    s.to_lowercase()
        .chars()
        .map(|c| match c {
            'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            '€' => 'E',
            other => other,
        })
        .collect()
}

/// Words that touch health: no exchange of such services (Accorderie rules).
const HEALTH: &[&str] = &[
    "soin",
    "sante",
    "medic",
    "infirm",
    "kine",
    "massage",
    "masser",
    "therap",
    "piqure",
    "pansement",
    "ordonnance",
    "osteo",
    "psycho",
    "reflexo",
    "aide-soignan",
];

/// Why an offer must be looked at by the staff before it is shown (Accorderie rules: not in
/// one's own profession, nothing touching health, no price in euros), or `None`.
pub fn review_reason(d: &OfferData, profession: &str) -> Option<String> {
    let text = plain(&format!(
        "{} {} {}",
        d.title,
        d.tags.join(" "),
        d.availability
    ));
    let mut reasons = Vec::new();
    let profession = plain(profession.trim());
    if d.kind == OfferKind::Offer && profession.chars().count() >= 3 {
        // The same word, or the same stem (« plombier » and « plomberie », « coiffeuse » and
        // « coiffure »): the first five letters of each word of five letters or more.
        let stems: Vec<String> = profession
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() >= 5)
            .map(|w| w.chars().take(5).collect())
            .collect();
        let words: Vec<&str> = text.split(|c: char| !c.is_alphanumeric()).collect();
        if text.contains(&profession)
            || stems
                .iter()
                .any(|s| words.iter().any(|w| w.starts_with(s.as_str())))
        {
            reasons.push(format!(
                "semble relever du métier de la personne (« {} ») : pas d'échange dans sa propre profession",
                profession
            ));
        }
    }
    if text
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .any(|w| HEALTH.iter().any(|h| w.starts_with(h)))
    {
        reasons
            .push("touche à la santé ou aux soins : ces services ne s'échangent pas".to_string());
    }
    let has_price = text.contains('E')
        || text.contains("euro")
        || text
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| w == "eur" || w == "tarif" || w == "prix" || w == "paye" || w == "payant");
    if has_price {
        reasons.push(
            "mentionne un prix : rien ne se paie en euros, une heure vaut une heure".to_string(),
        );
    }
    if reasons.is_empty() {
        None
    } else {
        Some(format!("Cette annonce {}.", reasons.join(" ; elle ")))
    }
}

/// Writes an offer or need of an active member; it goes to the review queue with the reason when
/// an Accorderie rule may be broken. Returns (id, status).
pub fn create(
    c: &mut DbConn,
    member: &Member,
    d: &OfferData,
) -> Result<(i64, OfferStatus), LedgerError> {
    if member.status != MemberStatus::Active {
        return Err(LedgerError::App(AppError::bad_request(
            "L'inscription doit d'abord être validée par le centre.",
        )));
    }
    let reason = review_reason(d, &member.profession);
    let status = if reason.is_some() {
        OfferStatus::Review
    } else {
        OfferStatus::Open
    };
    let id = diesel::insert_into(bc_offers::table)
        .values((
            bc_offers::centre_id.eq(member.centre_id),
            bc_offers::member_id.eq(member.id),
            bc_offers::kind.eq(d.kind),
            bc_offers::category.eq(d.category),
            bc_offers::title.eq(&d.title),
            bc_offers::tags.eq(d.tags.join(", ")),
            bc_offers::availability.eq(&d.availability),
            bc_offers::status.eq(status),
            bc_offers::review_reason.eq(reason.unwrap_or_default()),
            bc_offers::created_at.eq(csc_core::time::now()),
        ))
        .returning(bc_offers::id)
        .get_result(c)?;
    Ok((id, status))
}

/// The staff's decision on an offer of the review queue.
pub fn decide(
    c: &mut DbConn,
    centre_id: i64,
    offer_id: i64,
    accept: bool,
) -> Result<(), LedgerError> {
    let n = diesel::update(
        bc_offers::table
            .find(offer_id)
            .filter(bc_offers::centre_id.eq(centre_id))
            .filter(bc_offers::status.eq(OfferStatus::Review)),
    )
    .set(bc_offers::status.eq(if accept {
        OfferStatus::Open
    } else {
        OfferStatus::Refused
    }))
    .execute(c)?;
    csc_db::exactly_one(n)?;
    Ok(())
}

/// An offer or need with who wrote it.
#[derive(Debug, Clone, Serialize)]
pub struct Listed {
    pub offer: Offer,
    pub member: String,
    pub member_id: i64,
    pub balance: Option<i64>,
}

fn listed(rows: Vec<(Offer, Member, Option<Account>)>) -> Vec<Listed> {
    rows.into_iter()
        .map(|(offer, m, a)| Listed {
            member: m.display(),
            member_id: m.id,
            balance: a.map(|a| a.balance),
            offer,
        })
        .collect()
}

/// The centre's offers or needs in `status`, newest first.
pub fn of_centre(c: &mut DbConn, centre_id: i64, status: OfferStatus) -> QueryResult<Vec<Listed>> {
    let rows = bc_offers::table
        .inner_join(bc_members::table)
        .left_join(bc_accounts::table.on(bc_accounts::member_id.eq(bc_members::id.nullable())))
        .filter(bc_offers::centre_id.eq(centre_id))
        .filter(bc_offers::status.eq(status))
        .order(bc_offers::id.desc())
        .select((
            Offer::as_select(),
            Member::as_select(),
            Option::<Account>::as_select(),
        ))
        .load(c)?;
    Ok(listed(rows))
}

/// A member's offers and needs.
pub fn of_member(c: &mut DbConn, member_id: i64) -> QueryResult<Vec<Offer>> {
    bc_offers::table
        .filter(bc_offers::member_id.eq(member_id))
        .filter(bc_offers::status.ne(OfferStatus::Closed))
        .order(bc_offers::id.desc())
        .select(Offer::as_select())
        .load(c)
}

fn shares_words(a: &str, b: &str) -> bool {
    let a = split_tags(a);
    let b = split_tags(b);
    a.iter().any(|t| b.contains(t))
}

/// For a need: the members who offer that skill (same category, or a shared free word), those
/// who most need to earn hours (the lowest balance) first. For an offer: the open needs it
/// answers, oldest first. The writer's own are left out.
pub fn matches(c: &mut DbConn, offer: &Offer) -> QueryResult<Vec<Listed>> {
    let wanted = match offer.kind {
        OfferKind::Need => OfferKind::Offer,
        OfferKind::Offer => OfferKind::Need,
    };
    let mut found: Vec<Listed> = of_centre(c, offer.centre_id, OfferStatus::Open)?
        .into_iter()
        .filter(|l| l.offer.kind == wanted && l.member_id != offer.member_id)
        .filter(|l| l.offer.category == offer.category || shares_words(&l.offer.tags, &offer.tags))
        .collect();
    match offer.kind {
        OfferKind::Need => found.sort_by_key(|l| (l.balance.unwrap_or(0), l.offer.id)),
        OfferKind::Offer => found.sort_by_key(|l| l.offer.id),
    }
    Ok(found)
}

/// One offer of the centre.
pub fn get(c: &mut DbConn, centre_id: i64, id: i64) -> Result<Offer, LedgerError> {
    bc_offers::table
        .find(id)
        .filter(bc_offers::centre_id.eq(centre_id))
        .select(Offer::as_select())
        .first(c)
        .optional()?
        .ok_or(LedgerError::App(AppError::NotFound))
}

/// Withdraws a member's own offer or need.
pub fn withdraw(c: &mut DbConn, member: &Member, id: i64) -> Result<(), LedgerError> {
    let n = diesel::update(
        bc_offers::table
            .find(id)
            .filter(bc_offers::member_id.eq(member.id)),
    )
    .set(bc_offers::status.eq(OfferStatus::Closed))
    .execute(c)?;
    csc_db::exactly_one(n)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(kind: OfferKind, title: &str, tags: &str) -> OfferData {
        OfferData {
            kind,
            category: Category::Other,
            title: title.into(),
            tags: split_tags(tags),
            availability: String::new(),
        }
    }

    #[test]
    fn the_accorderie_rules_send_offers_to_review_with_the_reason() {
        let ok = data(OfferKind::Offer, "Réparer un vélo", "vélo, crevaison");
        assert_eq!(review_reason(&ok, "secrétaire"), None);
        let own = data(OfferKind::Offer, "Cours de coiffure à domicile", "");
        assert!(review_reason(&own, "Coiffeuse").unwrap().contains("métier"));
        let own = data(OfferKind::Offer, "Plomberie : fuites, robinets", "");
        assert!(review_reason(&own, "plombier").unwrap().contains("métier"));
        let other = data(OfferKind::Offer, "Jardinage", "");
        assert!(review_reason(&other, "plombier").is_none());
        let own = data(OfferKind::Offer, "Petits travaux de plomberie", "");
        assert!(review_reason(&own, "plomberie").unwrap().contains("métier"));
        let health = data(OfferKind::Offer, "Massage relaxant", "");
        assert!(review_reason(&health, "").unwrap().contains("santé"));
        let price = data(OfferKind::Offer, "Repassage", "10 € de l'heure");
        assert!(review_reason(&price, "").unwrap().contains("prix"));
        let need = data(OfferKind::Need, "J'ai besoin d'aide pour mes papiers", "");
        assert!(
            review_reason(&need, "").is_none(),
            "« besoin » is not « soin »"
        );
        let price = data(OfferKind::Offer, "Baby-sitting 8 euros", "");
        assert!(review_reason(&price, "").unwrap().contains("prix"));
        // A need in one's own trade is fine (the rule is about giving).
        let need = data(OfferKind::Need, "Aide en plomberie", "");
        assert!(review_reason(&need, "plomberie").is_none());
    }
}
