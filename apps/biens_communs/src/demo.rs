//! Demo data of Biens communs (`csc demo`): a neighbourhood of 40 members with offers and needs,
//! a month of exchanges, items on loan and a queue. Nothing is added when the centre has members.

use csc_core::AppError;
use csc_db::DbConn;
use diesel::prelude::*;

use crate::exchanges::{self, Recorded};
use crate::ledger::{Channel, LedgerError};
use crate::lending::{self, ItemClass, LendingError};
use crate::members::{self, Contact, MemberData};
use crate::offers::{self, Category, OfferData, OfferKind};
use crate::schema::{bc_entries, bc_exchanges, bc_members, bc_transfers};

const FIRST: &[&str] = &[
    "Aïcha",
    "Bernard",
    "Chloé",
    "Dominique",
    "Émile",
    "Fatou",
    "Gérard",
    "Hélène",
    "Inès",
    "Jacques",
    "Karima",
    "Louis",
    "Malika",
    "Nathalie",
    "Omar",
    "Paulette",
    "Quentin",
    "Rachida",
    "Sylvie",
    "Thierry",
    "Urbain",
    "Valérie",
    "William",
    "Yasmina",
    "Zoé",
    "Ahmed",
    "Brigitte",
    "Cédric",
    "Denise",
    "Étienne",
    "Farida",
    "Guy",
    "Habiba",
    "Isabelle",
    "Jean-Pierre",
    "Khadija",
    "Lucienne",
    "Mohamed",
    "Nadia",
    "Odette",
];
const LAST: &[&str] = &[
    "Benali", "Lefebvre", "Dupont", "Martin", "Diallo", "Petit", "Haddad", "Roussel",
];
const HOODS: &[&str] = &[
    "Moulins",
    "Wazemmes",
    "Fives",
    "Lille-Sud",
    "Faubourg de Béthune",
];

const OFFERS: &[(Category, &str, &str)] = &[
    (
        Category::Diy,
        "Petites réparations, montage de meubles",
        "meubles, perceuse, étagère",
    ),
    (
        Category::Garden,
        "Tailler les haies, entretenir un potager",
        "potager, haie",
    ),
    (
        Category::Cooking,
        "Cuisine du Maghreb, pâtisseries",
        "couscous, gâteaux",
    ),
    (Category::Sewing, "Ourlets et retouches", "ourlet, couture"),
    (
        Category::Digital,
        "Aide au téléphone portable",
        "smartphone, whatsapp",
    ),
    (Category::Languages, "Conversation en anglais", "anglais"),
    (
        Category::Homework,
        "Aide aux devoirs en maths (collège)",
        "maths, collège",
    ),
    (
        Category::Company,
        "Promenade et compagnie le dimanche",
        "promenade",
    ),
    (
        Category::Moving,
        "Aide pour un déménagement",
        "cartons, camionnette",
    ),
    (
        Category::Paperwork,
        "Relire un courrier, classer ses papiers",
        "courrier, classement",
    ),
    (Category::Music, "Initiation à la guitare", "guitare"),
    (
        Category::Digital,
        "Créer une adresse e-mail",
        "e-mail, ordinateur",
    ),
];
const NEEDS: &[(Category, &str, &str)] = &[
    (Category::Diy, "Monter une armoire", "meubles"),
    (
        Category::Digital,
        "Installer WhatsApp pour parler à mes petits-enfants",
        "whatsapp",
    ),
    (Category::Sewing, "Raccourcir deux pantalons", "ourlet"),
    (
        Category::Homework,
        "Aide aux devoirs pour mon fils en 5e",
        "maths",
    ),
    (Category::Garden, "Retourner la terre du jardin", "potager"),
    (
        Category::Company,
        "Quelqu'un pour marcher avec moi",
        "promenade",
    ),
    (
        Category::Paperwork,
        "Comprendre une lettre de la CAF",
        "courrier",
    ),
    (Category::Moving, "Porter un canapé", "cartons"),
];

fn ledger(e: LedgerError) -> AppError {
    match e {
        LedgerError::App(e) => e,
        other => AppError::internal(format!("demo: {other:?}")),
    }
}

fn lending_err(e: LendingError) -> AppError {
    AppError::internal(format!("demo: {e:?}"))
}

/// Loads the demo neighbourhood into `centre_id` when it has no member yet.
pub fn load(c: &mut DbConn, centre_id: i64) -> Result<Vec<(String, String)>, AppError> {
    let existing: i64 = bc_members::table
        .filter(bc_members::centre_id.eq(centre_id))
        .count()
        .get_result(c)?;
    let link = vec![(
        "Biens communs (équipe)".to_string(),
        format!("{}/gestion/{centre_id}", crate::MOUNT),
    )];
    if existing > 0 {
        return Ok(link);
    }
    let habitant: Option<i64> = {
        use diesel::dsl::sql;
        diesel::select(
            sql::<diesel::sql_types::Nullable<diesel::sql_types::BigInt>>(
                "(SELECT id FROM users WHERE email = 'habitant@demo.csc.test')",
            ),
        )
        .get_result(c)?
    };
    let mut ids = Vec::new();
    for (i, first) in FIRST.iter().enumerate() {
        let d = MemberData {
            first_name: (*first).into(),
            last_name: LAST[i % LAST.len()].into(),
            neighbourhood: HOODS[i % HOODS.len()].into(),
            contact: if i % 3 == 0 {
                Contact::Email
            } else {
                Contact::Centre
            },
            contact_detail: if i % 3 == 0 {
                format!("membre{i}@demo.csc.test")
            } else {
                String::new()
            },
            profession: if i == 3 {
                "plombière".into()
            } else {
                String::new()
            },
        };
        let user = if i == 0 { habitant } else { None };
        ids.push(members::register(c, centre_id, &d, user, true).map_err(ledger)?);
    }
    // Offers and needs, and one in the review queue (an offer in the member's trade).
    for (n, (cat, title, tags)) in OFFERS.iter().enumerate() {
        let m = members::get(c, centre_id, ids[n * 3 % ids.len()]).map_err(ledger)?;
        offers::create(c, &m, &data(OfferKind::Offer, *cat, title, tags)).map_err(ledger)?;
    }
    for (n, (cat, title, tags)) in NEEDS.iter().enumerate() {
        let m = members::get(c, centre_id, ids[(n * 5 + 1) % ids.len()]).map_err(ledger)?;
        offers::create(c, &m, &data(OfferKind::Need, *cat, title, tags)).map_err(ledger)?;
    }
    let plumber = members::get(c, centre_id, ids[3]).map_err(ledger)?;
    offers::create(
        c,
        &plumber,
        &data(
            OfferKind::Offer,
            Category::Diy,
            "Réparer une fuite, changer un robinet (plomberie)",
            "",
        ),
    )
    .map_err(ledger)?;
    // A month of exchanges: 60, one every half-day, backdated.
    let now = csc_core::time::now();
    for n in 0..60_usize {
        let giver = ids[(n * 7) % ids.len()];
        let receiver = ids[(n * 11 + 3) % ids.len()];
        if giver == receiver {
            continue;
        }
        let (title, minutes) = match n % 4 {
            0 => ("Montage d'une étagère", 90),
            1 => ("Aide au téléphone", 45),
            2 => ("Ourlets", 60),
            _ => ("Promenade", 120),
        };
        let r = Recorded {
            giver,
            receiver,
            minutes,
            description: title.into(),
            channel: [Channel::Counter, Channel::Phone, Channel::Paper][n % 3],
            cheque: (n % 3 == 2).then(|| format!("CT-{:04}", 100 + n)),
            form_token: format!("demo-{n}"),
        };
        let (out, exchange) = match exchanges::record_by_staff(c, centre_id, &r, None) {
            Ok(x) => x,
            // A member at their floor: that exchange did not happen.
            Err(LedgerError::Refused(_)) => continue,
            Err(e) => return Err(ledger(e)),
        };
        let when = now - chrono::Duration::hours(12 * (60 - i64::try_from(n).unwrap_or(0)));
        diesel::update(bc_transfers::table.find(out.id()))
            .set(bc_transfers::created_at.eq(when))
            .execute(c)?;
        diesel::update(bc_entries::table.filter(bc_entries::transfer_id.eq(out.id())))
            .set(bc_entries::created_at.eq(when))
            .execute(c)?;
        diesel::update(bc_exchanges::table.find(exchange))
            .set((
                bc_exchanges::created_at.eq(when),
                bc_exchanges::updated_at.eq(when),
            ))
            .execute(c)?;
    }
    // Lending: tools and party things, three on loan, a queue of two on the drill.
    let tools = lending::create_class(
        c,
        &ItemClass {
            id: 0,
            centre_id,
            name: "Outils".into(),
            loan_days: 7,
            renewals_allowed: 1,
            max_per_member: 2,
            hold_days: 3,
            loan_minutes: 0,
        },
    )?;
    let party = lending::create_class(
        c,
        &ItemClass {
            id: 0,
            centre_id,
            name: "Fêtes et cuisine".into(),
            loan_days: 4,
            renewals_allowed: 0,
            max_per_member: 3,
            hold_days: 2,
            loan_minutes: 0,
        },
    )?;
    let mut items = Vec::new();
    for (class, owner, name) in [
        (tools, None, "Perceuse-visseuse"),
        (tools, None, "Escabeau 5 marches"),
        (tools, Some(ids[5]), "Ponceuse"),
        (tools, None, "Taille-haie"),
        (party, None, "Appareil à raclette"),
        (party, Some(ids[8]), "Grande marmite"),
        (party, None, "Tables pliantes (lot de 4)"),
        (party, None, "Sono portable"),
    ] {
        items.push(lending::create_item(c, class, owner, name, "bon état").map_err(lending_err)?);
    }
    let today = csc_core::time::today_paris();
    let start = today - chrono::Duration::days(3);
    for (item, who) in [
        (items[0], ids[10]),
        (items[4], ids[12]),
        (items[5], ids[14]),
    ] {
        lending::lend(c, item, who, start, "bon état", None).map_err(lending_err)?;
    }
    for who in [ids[16], ids[18]] {
        lending::hold(c, items[0], who, today).map_err(lending_err)?;
    }
    Ok(link)
}

fn data(kind: OfferKind, category: Category, title: &str, tags: &str) -> OfferData {
    OfferData {
        kind,
        category,
        title: title.into(),
        tags: offers::split_tags(tags),
        availability: "En semaine, l'après-midi".into(),
    }
}
