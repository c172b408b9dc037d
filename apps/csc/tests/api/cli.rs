//! `csc tarif` and `csc qf`, run as the real binary against the grids published by real centres
//! (crates/pricing/tests/grids/*.json, each citing its source). Expected prices are worked out by
//! hand from the grids' JSON. No database.

use std::path::PathBuf;
use std::process::Command;

/// What a run of the binary printed.
pub(crate) struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `csc` with `args`. The French no-break spaces of amounts (`1 250,00 €`) become plain
/// spaces so expectations stay readable; `amounts_keep_french_no_break_spaces` checks the raw
/// bytes once.
pub(crate) fn csc(args: &[&str]) -> Run {
    let raw = csc_raw(args);
    let plain = |s: String| s.replace(['\u{a0}', '\u{202f}'], " ");
    Run {
        code: raw.code,
        stdout: plain(raw.stdout),
        stderr: plain(raw.stderr),
    }
}

fn csc_raw(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_csc"))
        .args(args)
        .env_remove("CSC_CONFIG")
        .env("RUST_LOG", "off")
        .output()
        .expect("the csc binary runs");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn grid(name: &str) -> String {
    concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../crates/pricing/tests/grids/"
    )
    .to_string()
        + name
}

const SAFFRE: &str = "saffre-les-copains-dabord-2025.json";
const WAVRIN: &str = "wavrin-petites-vacances-2025.json";
const HELENE: &str = "enfants-dhelene-2023.json";
const FAY: &str = "fay-aux-loges-restaurant-scolaire.json";

/// `csc tarif --grille <name> <args…>`, which must succeed; its standard output.
fn tarif_ok(name: &str, args: &[&str]) -> String {
    let path = grid(name);
    let mut all = vec!["tarif", "--grille", path.as_str()];
    all.extend_from_slice(args);
    let run = csc(&all);
    assert_eq!(run.code, Some(0), "{all:?}\n{}", run.stderr);
    assert_eq!(run.stderr, "", "{all:?}");
    run.stdout
}

/// A run that must fail with exit code 1 and nothing on standard output; its standard error.
pub(crate) fn fails(args: &[&str]) -> String {
    let run = csc(args);
    assert_eq!(run.code, Some(1), "{args:?}\n{}{}", run.stdout, run.stderr);
    assert_eq!(run.stdout, "", "{args:?}");
    run.stderr
}

#[test]
fn qf_on_an_inclusive_band_limit_stays_in_the_lower_band() {
    // Saffré: « Tranche 1 » ends at 450 included (the grid's note), « Tranche 2 » is 451 à 550.
    assert_eq!(
        tarif_ok(SAFFRE, &["--qf", "450", "--unite", "journee"]),
        "Prix : 7,20 € la journée\n\
         QF 450 -> tranche 0–450 -> 7,20 € la journée\n\
         \x20 - QF 450 : tranche « Tranche 1 » (0–450).\n\
         \x20 - Prix de la tranche : 7,20 € la journée.\n\
         \x20 - Total : 1 × 7,20 € = 7,20 €.\n\
         Grille : Les Copains d'abord (Saffré), Accueil de loisirs — mercredis et vacances \
         (à compter du 1er juillet 2025).\n"
    );
    let above = tarif_ok(SAFFRE, &["--qf", "451", "--unite", "journee"]);
    assert!(above.starts_with("Prix : 7,70 € la journée\n"), "{above}");
}

#[test]
fn qf_on_a_shared_limit_goes_to_the_band_above_by_age() {
    // Les Enfants d'Hélène: « < 450 € » then « 450 € – 650 € » (450 included), one schedule
    // per age: 6,20 € for a child of 8, 8,93 € for a teenager of 13.
    let out = tarif_ok(HELENE, &["--qf", "450", "--unite", "journee", "--age", "8"]);
    assert_eq!(
        out.lines().take(5).collect::<Vec<_>>(),
        [
            "Prix : 6,20 € la journée",
            "8 ans : Pôle enfants (maternelles et primaires) -> QF 450 -> tranche 450–649 -> 6,20 € la journée",
            "  - Enfant de 8 ans : barème « Pôle enfants (maternelles et primaires) » (3–11 ans).",
            "  - QF 450 : tranche « 450 € – 650 € » (450–649).",
            "  - Prix de la tranche : 6,20 € la journée.",
        ]
    );
    let teen = tarif_ok(
        HELENE,
        &["--qf", "449", "--unite", "journee", "--age", "13"],
    );
    assert!(teen.starts_with("Prix : 7,88 € la journée\n"), "{teen}");
}

#[test]
fn family_without_qf_pays_what_the_grid_says() {
    // No `missing_qf` in Saffré's grid: the highest band, « > 1950 », 24,90 € a day.
    let out = tarif_ok(SAFFRE, &["--unite", "journee"]);
    assert!(
        out.starts_with(
            "Prix : 24,90 € la journée\n\
             QF non communiqué -> tranche la plus haute 1951 et plus -> 24,90 € la journée\n\
             \x20 - QF non communiqué : la grille applique la tranche la plus haute, \
             « Tranche 14 » (1951 et plus).\n"
        ),
        "{out}"
    );
    // Fay-aux-Loges' taux d'effort: the ceiling, 4,50 € a meal.
    let out = tarif_ok(FAY, &["--unite", "repas"]);
    assert!(
        out.starts_with(
            "Prix : 4,50 € le repas\n\
             QF non communiqué -> plafond 4,50 € le repas\n\
             \x20 - QF non communiqué : la grille applique le plafond, 4,50 € le repas.\n"
        ),
        "{out}"
    );
}

#[test]
fn non_resident_pays_the_surcharge_or_the_own_price() {
    // Saffré: QF 825 is « Tranche 5 » (751–850), 8,35 € the half-day with meal, + 2,00 €
    // outside the communauté de communes = 10,35 €.
    let out = tarif_ok(
        SAFFRE,
        &[
            "--qf",
            "825",
            "--unite",
            "demi_journee_repas",
            "--hors-commune",
        ],
    );
    assert!(
        out.starts_with(
            "Prix : 10,35 € la demi-journée avec repas\n\
             QF 825 -> tranche 751–850 -> 8,35 € la demi-journée avec repas, \
             hors commune +2,00 € -> 10,35 €\n"
        ),
        "{out}"
    );
    assert!(out.contains(
        "  - Hors commune : majoration de 2,00 € -> 10,35 € la demi-journée avec repas.\n"
    ));
    // Wavrin: the « extérieur » column, one price whatever the rank: 15,00 € at QF 825.
    let out = tarif_ok(
        WAVRIN,
        &[
            "--qf",
            "825",
            "--unite",
            "journee",
            "--age",
            "8",
            "--rang",
            "2",
            "--hors-commune",
        ],
    );
    assert!(out.starts_with("Prix : 15,00 € la journée\n"), "{out}");
    assert!(out.contains("  - Prix de la tranche (hors commune) : 15,00 € la journée.\n"));
}

#[test]
fn third_child_gets_the_price_of_its_rank_or_the_lower_band() {
    // Wavrin, « 800,01 à 1100 », [9,14 ; 8,25 ; 7,45 ; 6,73]: the 3rd child pays 7,45 €.
    let out = tarif_ok(
        WAVRIN,
        &[
            "--qf", "825", "--unite", "journee", "--age", "8", "--rang", "3",
        ],
    );
    assert!(out.starts_with("Prix : 7,45 € la journée\n"), "{out}");
    assert!(out.contains("  - Prix de la tranche (3e enfant) : 7,45 € la journée.\n"));
    // Saffré: a 3rd child means 3 children registered, so the band below: QF 825 pays the
    // « Tranche 4 » (651–750) day, 10,05 € instead of 11,30 €.
    let out = tarif_ok(
        SAFFRE,
        &["--qf", "825", "--unite", "journee", "--rang", "3"],
    );
    assert!(out.starts_with("Prix : 10,05 € la journée\n"), "{out}");
    assert!(out.contains(
        "  - 3 enfants inscrits (à partir de 3) : tranche inférieure « Tranche 4 » (651–750).\n"
    ));
    let first = tarif_ok(
        SAFFRE,
        &[
            "--qf",
            "825",
            "--unite",
            "journee",
            "--enfants-inscrits",
            "3",
        ],
    );
    assert!(first.starts_with("Prix : 10,05 € la journée\n"), "{first}");
    // Les Enfants d'Hélène: -20 % from the 2nd child; 6,83 € × 0,8 = 5,464 -> 5,46 €.
    let out = tarif_ok(
        HELENE,
        &[
            "--qf", "825", "--unite", "journee", "--age", "8", "--rang", "3",
        ],
    );
    assert!(out.starts_with("Prix : 5,46 € la journée\n"), "{out}");
    assert!(out.contains("  - 3e enfant : réduction fratrie de 20 % -> 5,46 € la journée.\n"));
}

#[test]
fn taux_d_effort_and_quantity_are_explained() {
    // Fay-aux-Loges: 825 × 0,36 % = 2,97 €, between 2,60 € and 4,50 €; 4 meals = 11,88 €.
    assert_eq!(
        tarif_ok(FAY, &["--qf", "825", "--unite", "repas", "--quantite", "4"])
            .lines()
            .take(5)
            .collect::<Vec<_>>(),
        [
            "Prix : 2,97 € le repas",
            "QF 825 -> taux d'effort 0,36 % -> 2,97 € le repas ; 4 × 2,97 € = 11,88 €",
            "  - Taux d'effort : QF 825 × 0,36 % = 2,97 €.",
            "  - Entre le plancher (2,60 €) et le plafond (4,50 €) : 2,97 € le repas.",
            "  - Total : 4 × 2,97 € = 11,88 €.",
        ]
    );
}

#[test]
fn a_band_is_chosen_by_its_name() {
    // Wavrin's « conditions CCAS » line: 1,00 € for a 2nd child.
    let out = tarif_ok(
        WAVRIN,
        &[
            "--unite",
            "journee",
            "--age",
            "8",
            "--rang",
            "2",
            "--tranche",
            "conditions CCAS",
        ],
    );
    assert!(out.starts_with("Prix : 1,00 € la journée\n"), "{out}");
    assert!(out.contains(
        "  - Tarif « conditions CCAS » demandé : la tranche est choisie par son nom, sans QF.\n"
    ));
}

#[test]
fn amounts_keep_french_no_break_spaces() {
    let run = csc_raw(&["tarif", "--grille", &grid(SAFFRE), "--unite", "journee"]);
    assert!(run.stdout.starts_with("Prix : 24,90\u{a0}€ la journée\n"));
    let run = csc_raw(&[
        "qf",
        "--revenus-annuels",
        "30000",
        "--prestations-mensuelles",
        "150",
        "--adultes",
        "2",
        "--enfants",
        "2",
    ]);
    assert!(run.stdout.contains("(30\u{202f}000,00\u{a0}€ / 12"));
}

#[test]
fn unknown_unit_lists_the_valid_codes() {
    let err = fails(&["tarif", "--grille", &grid(SAFFRE), "--unite", "jour"]);
    assert_eq!(
        err,
        "Erreur : Unité inconnue « jour » : les unités possibles sont journee, demi_journee, \
         demi_journee_repas, repas, heure, semaine, sejour.\n"
    );
}

#[test]
fn price_errors_are_explained() {
    let err = fails(&["tarif", "--grille", &grid(HELENE), "--unite", "journee"]);
    assert_eq!(
        err,
        "Erreur : Cette grille dépend de l'âge de l'enfant : indiquez son âge.\n"
    );
    let err = fails(&["tarif", "--grille", &grid(SAFFRE), "--unite", "repas"]);
    assert!(
        err.starts_with("Erreur : Pas de prix pour le repas dans le barème « Accueil de loisirs »"),
        "{err}"
    );
    let err = fails(&[
        "tarif",
        "--grille",
        &grid(SAFFRE),
        "--unite",
        "journee",
        "--rang",
        "3",
        "--enfants-inscrits",
        "2",
    ]);
    assert!(
        err.starts_with(
            "Erreur : l'enfant de rang 3 ne peut pas faire partie de 2 enfant(s) inscrit(s)"
        ),
        "{err}"
    );
}

#[test]
fn missing_or_invalid_grid_file_is_refused() {
    let err = fails(&[
        "tarif",
        "--grille",
        "/nulle-part/grille.json",
        "--unite",
        "journee",
    ]);
    assert_eq!(
        err,
        "Erreur : impossible de lire la grille « /nulle-part/grille.json » : fichier introuvable.\n"
    );
    // The published « < 450 » then « 451 à 550 », read literally: QF 450 has no band.
    let path: PathBuf =
        std::env::temp_dir().join(format!("csc-cli-trou-{}.json", std::process::id()));
    let json = r#"{
      "centre": "Test", "activity": "Test", "season": "2025",
      "schedules": [ { "label": "Accueil", "pricing": { "kind": "tranches", "bands": [
        { "label": "T1", "max": { "qf": 450, "inclusive": false }, "prices": { "journee": 720 } },
        { "label": "T2", "min": { "qf": 451, "inclusive": true }, "prices": { "journee": 770 } }
      ] } } ]
    }"#;
    std::fs::write(&path, json).unwrap();
    let shown = path.display().to_string();
    let err = fails(&["tarif", "--grille", &shown, "--unite", "journee"]);
    std::fs::remove_file(&path).unwrap();
    assert_eq!(
        err,
        format!(
            "Erreur : grille « {shown} » : Trou entre les tranches « T1 » et « T2 » : \
             le QF 450 n'est dans aucune tranche.\n"
        )
    );
    // TOML is not JSON: `[package]` reads as an array until the `p`.
    let not_json = concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml");
    let err = fails(&["tarif", "--grille", not_json, "--unite", "journee"]);
    assert_eq!(
        err,
        format!(
            "Erreur : grille « {not_json} » : Le fichier n'est pas une grille valide \
             (ligne 1, colonne 2) : expected value\n"
        )
    );
}

fn qf(income: &str, benefits: &str, adults: &str, children: &str, extra: &[&str]) -> Run {
    let mut args = vec![
        "qf",
        "--revenus-annuels",
        income,
        "--prestations-mensuelles",
        benefits,
        "--adultes",
        adults,
        "--enfants",
        children,
    ];
    args.extend_from_slice(extra);
    csc(&args)
}

#[test]
fn qf_of_a_couple_with_two_children() {
    // (30 000 / 12 + 150) / 3 parts = 2 650 / 3 = 883,33 -> 883.
    let run = qf("30000", "150", "2", "2", &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "Quotient familial : 883\n\
         Parts : 3 (2 adultes, 2 enfants)\n\
         \x20 - adultes : 2 (couple)\n\
         \x20 - 1er enfant : 0,5\n\
         \x20 - 2e enfant : 0,5\n\
         Formule de la CAF : (revenu annuel imposable / 12 + prestations familiales du mois) \
         / nombre de parts\n\
         Calcul : (30 000,00 € / 12 + 150,00 €) / 3 parts = 2 650,00 € / 3 parts \
         -> QF 883 (partie entière)\n"
    );
    // Every way of typing the amounts gives the same figures.
    for (income, benefits) in [
        ("30 000", "150,00"),
        ("30000.00", "150.0"),
        ("30000,00", "150"),
    ] {
        assert_eq!(qf(income, benefits, "2", "2", &[]).stdout, run.stdout);
    }
}

#[test]
fn single_parent_counts_two_parts_like_a_couple() {
    // 25 000 / 12 = 2 083,33; / 2 parts = 1 041,67, truncated to 1 041.
    let run = qf("25000", "0", "1", "0", &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stdout.starts_with(
            "Quotient familial : 1041\n\
             Parts : 2 (1 adulte, 0 enfant)\n\
             \x20 - adultes : 2 (parent seul, compté comme un couple)\n\
             Formule"
        ),
        "{}",
        run.stdout
    );
    let couple = qf("30000", "150", "2", "2", &[]).stdout;
    let single = qf("30000", "150", "1", "2", &[]).stdout;
    assert_eq!(
        single,
        couple
            .replace("2 adultes", "1 adulte")
            .replace("(couple)", "(parent seul, compté comme un couple)")
    );
}

#[test]
fn third_child_and_disability_add_parts() {
    // Couple, 3 children, one with a disability: 2 + 0,5 + 0,5 + 1 + 0,5 = 4,5 parts;
    // (40 000 / 12 + 300) = 3 633,33; / 4,5 = 807,41 -> 807 (docs/tarifs-grilles.md).
    let run = qf("40000,00", "300", "2", "3", &["--handicap", "1"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(
        run.stdout.lines().take(6).collect::<Vec<_>>(),
        [
            "Quotient familial : 807",
            "Parts : 4,5 (2 adultes, 3 enfants dont 1 en situation de handicap)",
            "  - adultes : 2 (couple)",
            "  - 1er enfant : 0,5",
            "  - 2e enfant : 0,5",
            "  - 3e enfant : 1",
        ]
    );
    assert!(run
        .stdout
        .contains("  - 1 enfant en situation de handicap : 0,5\n"));
    assert!(run.stdout.contains(
        "Calcul : (40 000,00 € / 12 + 300,00 €) / 4,5 parts = 3 633,33 € / 4,5 parts -> QF 807 (partie entière)\n"
    ));
}

#[test]
fn qf_refuses_bad_households_and_amounts_in_french() {
    let err = fails(&[
        "qf",
        "--revenus-annuels",
        "30000",
        "--prestations-mensuelles",
        "150",
        "--adultes",
        "3",
        "--enfants",
        "2",
    ]);
    assert_eq!(
        err,
        "Erreur : --adultes 3 : indiquez 1 (parent seul) ou 2 (couple) ; la CAF compte 2 parts \
         pour les adultes dans les deux cas.\n"
    );
    let run = qf("30000", "150", "0", "2", &[]);
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.starts_with("Erreur : --adultes 0 : "));
    let run = qf("-1", "0", "2", "2", &[]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "Erreur : Le revenu annuel imposable ne peut pas être négatif.\n"
    );
    let run = qf("30000", "150", "2", "2", &["--handicap", "3"]);
    assert_eq!(run.code, Some(1));
    assert_eq!(
        run.stderr,
        "Erreur : Le nombre d'enfants en situation de handicap (3) dépasse le nombre d'enfants \
         à charge (2).\n"
    );
    let run = qf("trente mille", "150", "2", "2", &[]);
    assert_eq!(run.code, Some(1));
    assert_eq!(
        run.stderr,
        "Erreur : --revenus-annuels « trente mille » : Indiquez un montant en euros, par exemple \
         12,40.\n"
    );
}
