//! The monthly report of an activity (item 3 of the issue): what is counted, and how, is
//! written under each figure (`Report::lines`) and in docs/guide-check.md.
//!
//! Only people marked present count. Public totals never include the sessions reserved to a
//! group (a school class, a crèche): those are reported apart.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Datelike, Months, NaiveDate, NaiveTime};
use serde::Serialize;

use crate::model::{band_on, AgeBand};

/// A session of the month.
#[derive(Debug, Clone)]
pub struct SessionRow {
    pub id: i64,
    pub day: NaiveDate,
    pub starts_at: Option<NaiveTime>,
    pub ends_at: Option<NaiveTime>,
    pub reserved: bool,
}

impl SessionRow {
    /// Minutes between start and end (0 when the hours are unknown).
    pub fn minutes(&self) -> i64 {
        match (self.starts_at, self.ends_at) {
            (Some(s), Some(e)) if e > s => (e - s).num_minutes(),
            _ => 0,
        }
    }
}

/// One person present at one session of the month.
#[derive(Debug, Clone)]
pub struct Visit {
    pub session_id: i64,
    pub day: NaiveDate,
    pub starts_at: Option<NaiveTime>,
    pub person_id: i64,
    pub adult: bool,
    pub birth: Option<NaiveDate>,
    pub band: Option<AgeBand>,
    pub family_id: Option<i64>,
}

/// What is known of a family for the report.
#[derive(Debug, Clone, Default)]
pub struct FamilyInfo {
    pub town: String,
    /// Some(true) in a priority neighbourhood, None when unknown.
    pub qpv: Option<bool>,
    /// caf | msa | autre | '' (unknown)
    pub regime: String,
}

/// Anonymous counts of a session (LAEP).
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct Tally {
    pub adultes: i64,
    pub enfants_moins_3: i64,
    pub enfants_3_5: i64,
    pub enfants_6_11: i64,
    pub enfants_12_17: i64,
    pub familles_nouvelles: i64,
}

impl Tally {
    pub fn children(&self) -> i64 {
        self.enfants_moins_3 + self.enfants_3_5 + self.enfants_6_11 + self.enfants_12_17
    }

    pub fn add(&mut self, counter: &str, value: i64) {
        match counter {
            "adultes" => self.adultes += value,
            "enfants_moins_3" => self.enfants_moins_3 += value,
            "enfants_3_5" => self.enfants_3_5 += value,
            "enfants_6_11" => self.enfants_6_11 += value,
            "enfants_12_17" => self.enfants_12_17 += value,
            "familles_nouvelles" => self.familles_nouvelles += value,
            _ => {}
        }
    }
}

/// The counters of anonymous tallies, with their labels.
pub const TALLY_COUNTERS: [(&str, &str); 6] = [
    ("adultes", "Adultes"),
    ("enfants_moins_3", "Enfants de moins de 3 ans"),
    ("enfants_3_5", "Enfants de 3 à 5 ans"),
    ("enfants_6_11", "Enfants de 6 à 11 ans"),
    ("enfants_12_17", "Enfants de 12 à 17 ans"),
    ("familles_nouvelles", "Nouvelles familles"),
];

/// Distinct children by age band, in the JSON shape `{"<3": n, "3-5": n, "6-11": n, "12-17": n}`.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct ByAge {
    #[serde(rename = "<3")]
    pub under_3: i64,
    #[serde(rename = "3-5")]
    pub from_3_to_5: i64,
    #[serde(rename = "6-11")]
    pub from_6_to_11: i64,
    #[serde(rename = "12-17")]
    pub from_12_to_17: i64,
}

/// Families and passages of one town, QPV answer or régime.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct Split {
    pub familles: i64,
    pub passages: i64,
}

/// The monthly report (its JSON keys are those of `csc check rapport --format json`).
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Report {
    pub activite: String,
    pub mois: String,
    pub seances_publiques: i64,
    pub heures_publiques: f64,
    pub seances_groupes: i64,
    pub heures_groupes: f64,
    pub passages_groupes: i64,
    pub passages: i64,
    pub passages_adultes: i64,
    pub passages_enfants: i64,
    pub visites_familles: i64,
    pub familles_par_seance: f64,
    pub familles_distinctes: i64,
    pub familles_nouvelles: i64,
    pub personnes_distinctes: i64,
    pub adultes_distincts: i64,
    pub enfants_distincts: i64,
    pub enfants_par_age: ByAge,
    pub enfants_age_inconnu: i64,
    pub passages_enfants_moins_6: i64,
    pub passages_enfants_6_plus: i64,
    pub passages_enfants_age_inconnu: i64,
    pub par_commune: BTreeMap<String, Split>,
    pub par_qpv: BTreeMap<String, Split>,
    pub par_regime: BTreeMap<String, Split>,
    pub comptage_anonyme: Tally,
}

/// Hours as a decimal number with 2 decimals.
pub fn hours(minutes: i64) -> f64 {
    round2(minutes as f64 / 60.0)
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The first and the day after the last day of a month written `2025-03`.
pub fn month_bounds(month: &str) -> Result<(NaiveDate, NaiveDate), String> {
    let bad = || format!("mois illisible « {month} » : écrivez 2025-03");
    let (y, m) = month.trim().split_once('-').ok_or_else(bad)?;
    let (y, m): (i32, u32) = (y.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    let first = NaiveDate::from_ymd_opt(y, m, 1).ok_or_else(bad)?;
    let next = first.checked_add_months(Months::new(1)).ok_or_else(bad)?;
    Ok((first, next))
}

fn regime_label(code: &str) -> &'static str {
    match code {
        "caf" => "CAF",
        "msa" => "MSA",
        "autre" => "autre",
        _ => "inconnu",
    }
}

/// Computes the report of one month from its sessions, the people present, what is known of
/// their families, the families already seen before the month, and the anonymous tallies.
pub fn compute(
    sessions: &[SessionRow],
    visits: &[Visit],
    families: &HashMap<i64, FamilyInfo>,
    seen_before: &HashSet<i64>,
    tallies: &[(i64, String, i64)],
) -> Report {
    let mut r = Report::default();
    let reserved: HashMap<i64, bool> = sessions.iter().map(|s| (s.id, s.reserved)).collect();
    let (mut public_minutes, mut group_minutes) = (0, 0);
    for s in sessions {
        if s.reserved {
            r.seances_groupes += 1;
            group_minutes += s.minutes();
        } else {
            r.seances_publiques += 1;
            public_minutes += s.minutes();
        }
    }
    r.heures_publiques = hours(public_minutes);
    r.heures_groupes = hours(group_minutes);

    let mut public: Vec<&Visit> = Vec::with_capacity(visits.len());
    for v in visits {
        match reserved.get(&v.session_id) {
            Some(false) => public.push(v),
            Some(true) => r.passages_groupes += 1,
            None => {}
        }
    }
    // Each person's first visit of the month gives their age band.
    public.sort_by_key(|v| (v.day, v.starts_at, v.session_id, v.person_id));

    let mut family_visits: HashSet<(i64, i64)> = HashSet::new();
    let mut persons: HashSet<i64> = HashSet::new();
    let mut adults: HashSet<i64> = HashSet::new();
    let mut children: HashSet<i64> = HashSet::new();
    let mut fams: HashSet<i64> = HashSet::new();
    let mut family_passages: HashMap<i64, i64> = HashMap::new();
    for v in &public {
        r.passages += 1;
        persons.insert(v.person_id);
        if v.adult {
            r.passages_adultes += 1;
            adults.insert(v.person_id);
        } else {
            r.passages_enfants += 1;
            let band = band_on(v.birth, v.band, v.day);
            match band {
                Some(b) if b.under_6() => r.passages_enfants_moins_6 += 1,
                Some(_) => r.passages_enfants_6_plus += 1,
                None => r.passages_enfants_age_inconnu += 1,
            }
            if children.insert(v.person_id) {
                match band {
                    Some(AgeBand::Under3) => r.enfants_par_age.under_3 += 1,
                    Some(AgeBand::From3To5) => r.enfants_par_age.from_3_to_5 += 1,
                    Some(AgeBand::From6To11) => r.enfants_par_age.from_6_to_11 += 1,
                    Some(AgeBand::From12To17) => r.enfants_par_age.from_12_to_17 += 1,
                    None => r.enfants_age_inconnu += 1,
                }
            }
        }
        if let Some(f) = v.family_id {
            family_visits.insert((v.session_id, f));
            fams.insert(f);
            *family_passages.entry(f).or_default() += 1;
        }
    }
    // Anonymous tallies add to the passages of public sessions.
    for (session, counter, value) in tallies {
        if reserved.get(session) == Some(&false) {
            r.comptage_anonyme.add(counter, *value);
        }
    }
    let t = &r.comptage_anonyme;
    r.passages_adultes += t.adultes;
    r.passages_enfants += t.children();
    r.passages += t.adultes + t.children();
    r.passages_enfants_moins_6 += t.enfants_moins_3 + t.enfants_3_5;
    r.passages_enfants_6_plus += t.enfants_6_11 + t.enfants_12_17;

    r.visites_familles = family_visits.len() as i64;
    r.familles_par_seance = if r.seances_publiques == 0 {
        0.0
    } else {
        round2(r.visites_familles as f64 / r.seances_publiques as f64)
    };
    r.familles_distinctes = fams.len() as i64;
    r.familles_nouvelles = fams.iter().filter(|f| !seen_before.contains(f)).count() as i64;
    r.personnes_distinctes = persons.len() as i64;
    r.adultes_distincts = adults.len() as i64;
    r.enfants_distincts = children.len() as i64;

    let unknown = FamilyInfo::default();
    for f in &fams {
        let info = families.get(f).unwrap_or(&unknown);
        let passages = family_passages.get(f).copied().unwrap_or(0);
        let town = if info.town.trim().is_empty() {
            "inconnue".to_string()
        } else {
            info.town.trim().to_string()
        };
        let qpv = match info.qpv {
            Some(true) => "oui",
            Some(false) => "non",
            None => "inconnu",
        };
        for (map, k) in [
            (&mut r.par_commune, town),
            (&mut r.par_qpv, qpv.to_string()),
            (&mut r.par_regime, regime_label(&info.regime).to_string()),
        ] {
            let e = map.entry(k).or_default();
            e.familles += 1;
            e.passages += passages;
        }
    }
    r
}

/// One figure of the report with the rule that counts it.
#[derive(Debug, Clone, Serialize)]
pub struct Line {
    pub key: String,
    pub label: String,
    pub value: String,
    pub rule: String,
}

fn dec(x: f64) -> String {
    format!("{x:.2}").replace('.', ",")
}

impl Report {
    /// Every figure with its French label and its rule, in reading order.
    pub fn lines(&self) -> Vec<Line> {
        let mut out = Vec::new();
        let mut add = |key: &str, label: &str, value: String, rule: &str| {
            out.push(Line {
                key: key.into(),
                label: label.into(),
                value,
                rule: rule.into(),
            });
        };
        let n = |x: i64| x.to_string();
        add(
            "seances_publiques",
            "Séances publiques",
            n(self.seances_publiques),
            "Séances du mois ouvertes à tous (hors séances réservées à un groupe).",
        );
        add("heures_publiques", "Heures d'ouverture au public", dec(self.heures_publiques),
            "Somme des durées (fin moins début) des séances publiques, en heures décimales ; une séance sans horaires compte 0.");
        add(
            "seances_groupes",
            "Séances réservées à un groupe",
            n(self.seances_groupes),
            "Séances réservées (classe, crèche…), comptées à part, jamais dans les totaux publics.",
        );
        add(
            "heures_groupes",
            "Heures des séances de groupe",
            dec(self.heures_groupes),
            "Somme des durées des séances réservées à un groupe.",
        );
        add(
            "passages_groupes",
            "Passages en séances de groupe",
            n(self.passages_groupes),
            "Personnes présentes aux séances réservées, une par séance.",
        );
        add("passages", "Passages", n(self.passages),
            "Personnes présentes aux séances publiques, une par séance (une personne venue à 3 séances compte 3), comptages anonymes compris.");
        add(
            "passages_adultes",
            "Passages d'adultes",
            n(self.passages_adultes),
            "Passages des adultes.",
        );
        add(
            "passages_enfants",
            "Passages d'enfants",
            n(self.passages_enfants),
            "Passages des enfants.",
        );
        add("visites_familles", "Visites de familles", n(self.visites_familles),
            "Une famille venue à une séance compte une visite, quel que soit le nombre de ses membres présents.");
        add("familles_par_seance", "Familles par séance", dec(self.familles_par_seance),
            "Visites de familles divisées par le nombre de séances publiques, arrondi à 2 décimales.");
        add(
            "familles_distinctes",
            "Familles différentes",
            n(self.familles_distinctes),
            "Familles venues au moins une fois dans le mois.",
        );
        add(
            "familles_nouvelles",
            "dont nouvelles familles",
            n(self.familles_nouvelles),
            "Familles dont la toute première visite à cette activité a lieu ce mois-ci.",
        );
        add(
            "personnes_distinctes",
            "Personnes différentes",
            n(self.personnes_distinctes),
            "Personnes venues au moins une fois dans le mois (hors comptages anonymes).",
        );
        add(
            "adultes_distincts",
            "Adultes différents",
            n(self.adultes_distincts),
            "Adultes venus au moins une fois dans le mois.",
        );
        add(
            "enfants_distincts",
            "Enfants différents",
            n(self.enfants_distincts),
            "Enfants venus au moins une fois dans le mois.",
        );
        for (band, value) in [
            (AgeBand::Under3, self.enfants_par_age.under_3),
            (AgeBand::From3To5, self.enfants_par_age.from_3_to_5),
            (AgeBand::From6To11, self.enfants_par_age.from_6_to_11),
            (AgeBand::From12To17, self.enfants_par_age.from_12_to_17),
        ] {
            add(&format!("enfants_par_age.{}", band.code()),
                &format!("Enfants différents de {}", band.label()), n(value),
                "Âge le jour de la première visite du mois de l'enfant (une année de naissance seule vaut le 1er janvier de cette année).");
        }
        add(
            "enfants_age_inconnu",
            "Enfants d'âge inconnu ou de 18 ans et plus",
            n(self.enfants_age_inconnu),
            "Enfants sans date ni tranche d'âge connue, ou de 18 ans et plus.",
        );
        add(
            "passages_enfants_moins_6",
            "Passages d'enfants de moins de 6 ans",
            n(self.passages_enfants_moins_6),
            "Âge le jour de chaque passage.",
        );
        add(
            "passages_enfants_6_plus",
            "Passages d'enfants de 6 ans et plus",
            n(self.passages_enfants_6_plus),
            "Âge le jour de chaque passage.",
        );
        for (title, map) in [
            ("Commune", &self.par_commune),
            ("Quartier prioritaire (QPV)", &self.par_qpv),
            ("Régime", &self.par_regime),
        ] {
            for (k, s) in map {
                add(&format!("{title}.{k}"), &format!("{title} : {k}"),
                    format!("{} famille(s), {} passage(s)", s.familles, s.passages),
                    "Familles différentes du mois selon leur fiche, et les passages de leurs membres.");
            }
        }
        out
    }

    /// The report as text, one figure a line with its rule under it.
    pub fn to_text(&self) -> String {
        let mut s = format!("Rapport mensuel — {} — {}\n\n", self.activite, self.mois);
        for l in self.lines() {
            s.push_str(&format!("{} : {}\n    {}\n", l.label, l.value, l.rule));
        }
        s
    }

    /// The report as a sheet: figure, value, rule.
    pub fn to_sheet(&self) -> csc_documents::Sheet {
        csc_documents::Sheet {
            name: format!("Rapport {}", self.mois),
            headers: vec![
                "Indicateur".into(),
                "Valeur".into(),
                "Règle de calcul".into(),
            ],
            rows: self
                .lines()
                .into_iter()
                .map(|l| vec![l.label.into(), l.value.into(), l.rule.into()])
                .collect(),
        }
    }
}

/// First day of the month of `day`.
pub fn month_of(day: NaiveDate) -> String {
    format!("{:04}-{:02}", day.year(), day.month())
}
