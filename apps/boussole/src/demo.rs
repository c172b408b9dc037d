//! Demo data of the Boussole (`csc demo`): 60 places of parenting support across 20 communes
//! of the metropolis, each with its service and opening hours, and one announced closure.
//! Names and addresses are made up; coordinates are near each commune's centre.

use chrono::Days;
use csc_core::{time, AppError};
use csc_db::DbConn;
use diesel::prelude::*;

use crate::communes;
use crate::import::{self, PlaceData};
use crate::manage;
use crate::places::{self, Access, ServiceData, ServiceKind};
use crate::schema::boussole_places as p;

const COMMUNES: [&str; 20] = [
    "Lille",
    "Roubaix",
    "Tourcoing",
    "Villeneuve-d'Ascq",
    "Wattrelos",
    "Marcq-en-Barœul",
    "Lambersart",
    "Armentières",
    "Mons-en-Barœul",
    "Loos",
    "La Madeleine",
    "Hem",
    "Croix",
    "Haubourdin",
    "Wasquehal",
    "Seclin",
    "Halluin",
    "Ronchin",
    "Faches-Thumesnil",
    "Wambrechies",
];

const STREETS: [&str; 10] = [
    "rue Jean Jaurès",
    "rue de la Gare",
    "place de la République",
    "rue Victor Hugo",
    "rue Pasteur",
    "avenue Jean-Baptiste Lebas",
    "rue du Général de Gaulle",
    "rue de Lille",
    "rue Roger Salengro",
    "rue Gambetta",
];

const LAEP_NAMES: [&str; 7] = [
    "Les P'tits Pas",
    "La Ribambelle",
    "Pomme d'Api",
    "L'Île aux enfants",
    "Les Petits Loups",
    "La Maison des familles",
    "Bulle d'éveil",
];

/// One kind of structure: name (with `{}` for the commune), service, theme, ages, access, hours.
struct Kind {
    name: &'static str,
    service: &'static str,
    kind: ServiceKind,
    theme: &'static str,
    ages: (i32, i32),
    access: Access,
    free: bool,
    hours: &'static str,
    description: &'static str,
}

const KINDS: [Kind; 7] = [
    Kind { name: "LAEP {}", service: "Lieu d'accueil enfants-parents", kind: ServiceKind::Welcome, theme: "soutien-a-la-parentalite", ages: (0, 5), access: Access::WalkIn, free: true, hours: "Tu,Th 09:00-11:30; Sa 09:30-11:30; PH off", description: "Un lieu pour jouer avec son enfant et rencontrer d'autres parents, anonyme et gratuit, sans inscription." },
    Kind { name: "PMI de {}", service: "Consultations de protection maternelle et infantile", kind: ServiceKind::Support, theme: "accompagnement-femme-enceinte-bebe-jeune-enfant", ages: (-1, 6), access: Access::Appointment, free: true, hours: "Mo-Fr 08:30-12:00,13:30-17:00; PH off", description: "Suivi de grossesse, pesée et vaccins des bébés, conseils de puériculture." },
    Kind { name: "Relais petite enfance de {}", service: "Information sur les modes de garde", kind: ServiceKind::Information, theme: "garde-denfants", ages: (0, 5), access: Access::Appointment, free: true, hours: "Mo,Tu,Th 09:00-12:00,13:30-17:00; We 09:00-12:00; PH off", description: "Trouver une assistante maternelle, comprendre les aides de la CAF, ateliers d'éveil." },
    Kind { name: "Centre social de {}", service: "Ateliers parents-enfants", kind: ServiceKind::Workshop, theme: "soutien-aux-familles", ages: (0, 11), access: Access::WalkIn, free: false, hours: "Mo-Fr 09:00-12:00,14:00-18:00; Sa 09:00-12:00; PH off", description: "Ateliers cuisine, jeux et sorties en famille ; adhésion au centre selon le quotient familial." },
    Kind { name: "Accompagnement à la scolarité (CLAS) de {}", service: "Aide aux devoirs et ateliers", kind: ServiceKind::Workshop, theme: "soutien-aux-familles", ages: (6, 15), access: Access::WalkIn, free: true, hours: "Mo,Tu,Th,Fr 16:30-18:30; PH off", description: "Aide aux devoirs, ateliers culturels et rencontres avec les parents." },
    Kind { name: "Point info familles de {}", service: "Information des parents", kind: ServiceKind::Information, theme: "information-et-accompagnement-des-parents", ages: (-1, 18), access: Access::WalkIn, free: true, hours: "Mo-Fr 09:00-12:00,14:00-17:00; PH off", description: "Toutes les informations utiles aux familles : droits, loisirs, santé, scolarité." },
    Kind { name: "Médiation familiale de {}", service: "Médiation familiale", kind: ServiceKind::Support, theme: "vie-familiale-conflictuelle", ages: (0, 18), access: Access::Appointment, free: false, hours: "Mo-Fr 09:00-17:00; PH off", description: "Renouer le dialogue lors d'une séparation ou d'un conflit familial ; tarif selon les revenus." },
];

/// 60 places if the Boussole has no demo place yet; the address of the search.
pub fn load(conn: &mut DbConn, _centre_id: i64) -> Result<Vec<(String, String)>, AppError> {
    let address = vec![
        ("Boussole des parents".to_string(), crate::MOUNT.to_string()),
        (
            "Agenda des parents".to_string(),
            format!("{}/agenda", crate::MOUNT),
        ),
    ];
    let known: i64 = p::table
        .filter(p::ext_id.like("demo-%"))
        .count()
        .get_result(conn)?;
    if known > 0 {
        return Ok(address);
    }
    let mut rows = Vec::new();
    let mut services = Vec::new();
    for (i, name) in COMMUNES.iter().enumerate() {
        let Some(c) = communes::by_name(name) else {
            continue;
        };
        for j in 0..3 {
            let n = i * 3 + j;
            let kind = &KINDS[(i + j * 3) % KINDS.len()];
            let label = if kind.name.starts_with("LAEP") {
                format!("LAEP {}", LAEP_NAMES[n % LAEP_NAMES.len()])
            } else {
                kind.name.replace("{}", &c.name)
            };
            // Spread around the commune's centre, a few hundred metres.
            let dlat = ((n * 37 % 13) as f64 - 6.0) * 0.0009;
            let dlon = ((n * 53 % 11) as f64 - 5.0) * 0.0012;
            rows.push(PlaceData {
                ext_id: format!("demo-{n}"),
                name: if label.contains(&c.name) {
                    label
                } else {
                    format!("{label} ({})", c.name)
                },
                description: kind.description.into(),
                address: format!("{} {}", 3 + n * 7 % 120, STREETS[n % STREETS.len()]),
                postcode: c.postcodes[0].clone(),
                commune: c.name.clone(),
                commune_code: c.code.clone(),
                latitude: c.latitude + dlat,
                longitude: c.longitude + dlon,
                phone: format!(
                    "03 20 {:02} {:02} {:02}",
                    10 + n % 80,
                    n * 7 % 100,
                    n * 13 % 100
                ),
                email: String::new(),
                website: String::new(),
                accessibility: if n % 2 == 0 {
                    "Accès de plain-pied, poussettes bienvenues".into()
                } else {
                    String::new()
                },
                hours: kind.hours.into(),
            });
            services.push((format!("demo-{n}"), kind));
        }
    }
    import::save(conn, &rows)?;
    for (ext, kind) in services {
        let Some(place_id) = places::id_of_ext(conn, &ext)? else {
            continue;
        };
        places::add_service(
            conn,
            &ServiceData {
                place_id,
                name: kind.service.into(),
                kind: kind.kind,
                description: kind.description.into(),
                themes: format!("famille--{}", kind.theme),
                age_min: kind.ages.0,
                age_max: kind.ages.1,
                audience: "Parents et futurs parents".into(),
                free: kind.free,
                access: kind.access,
                languages: "français".into(),
            },
        )?;
    }
    // Two months of agenda: a weekly workshop at every third place, from next week.
    let today = time::today_paris();
    let titles = [
        (
            "Atelier jeux d'éveil",
            "Jeux, comptines et motricité pour les tout-petits et leurs parents.",
            (0, 3),
            10,
        ),
        (
            "Café des parents",
            "Un moment d'échange entre parents, autour d'un thème choisi ensemble.",
            (0, 18),
            9,
        ),
        (
            "Atelier cuisine en famille",
            "Préparer et partager un goûter équilibré.",
            (3, 11),
            14,
        ),
        (
            "Aide aux devoirs et jeux de société",
            "Pour les écoliers, avec un parent le dernier mercredi.",
            (6, 11),
            16,
        ),
    ];
    for n in (0..60).step_by(3) {
        let Some(place_id) = places::id_of_ext(conn, &format!("demo-{n}"))? else {
            continue;
        };
        let (title, description, ages, hour) = titles[n / 3 % titles.len()];
        let row = &rows[n];
        let day = today + Days::new(7 + (n as u64 % 5));
        let (Some(start), Some(end)) = (
            day.and_hms_opt(hour, 0, 0).and_then(time::paris_to_utc),
            day.and_hms_opt(hour + 1, 30, 0)
                .and_then(time::paris_to_utc),
        ) else {
            continue;
        };
        crate::agenda::create(
            conn,
            &crate::agenda::EventData {
                place_id: Some(place_id),
                commune_code: row.commune_code.clone(),
                title: title.into(),
                description: description.into(),
                location: format!("{}, {} {}", row.name, row.postcode, row.commune),
                starts_at: start,
                ends_at: end,
                weekly_count: 8,
                exdates: String::new(),
                age_min: ages.0,
                age_max: ages.1,
                free: true,
                registration: if n % 2 == 0 {
                    "sur place".into()
                } else {
                    format!("par téléphone au {}", row.phone)
                },
            },
            crate::agenda::EventStatus::Published,
        )?;
    }
    // A closure announced to parents (it starts in 10 days).
    if let Some(first) = places::id_of_ext(conn, "demo-0")? {
        if let (Some(start), Some(end)) = (
            today.checked_add_days(Days::new(10)),
            today.checked_add_days(Days::new(14)),
        ) {
            manage::add_closure(conn, first, start, end, "Formation de l'équipe")?;
        }
    }
    Ok(address)
}
