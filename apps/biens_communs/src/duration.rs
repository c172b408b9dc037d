//! Durations as people type them: « 1 h 30 », « 1h15 », « 2,5 h », « 0 h 20 », « 45 min »,
//! « 1:30 », « 2 heures ». Whole minutes only; zero and negative durations are refused.

/// The longest duration accepted (in minutes): 1,000 hours.
pub const MAX_MINUTES: i64 = 60_000;

/// Minutes of `input`, or a French message saying what is wrong.
pub fn parse(input: &str) -> Result<i64, String> {
    let lowered = input.trim().to_lowercase();
    if lowered.is_empty() {
        return Err("Indiquez une durée, par exemple « 1 h 30 » ou « 45 min ».".into());
    }
    if lowered.starts_with('-') || lowered.starts_with('−') {
        return Err("Une durée ne peut pas être négative.".into());
    }
    let mut s: String = lowered.chars().filter(|c| !c.is_whitespace()).collect();
    for (long, short) in [
        ("heures", "h"),
        ("heure", "h"),
        ("hrs", "h"),
        ("hr", "h"),
        ("minutes", "m"),
        ("minute", "m"),
        ("mins", "m"),
        ("min", "m"),
        ("mn", "m"),
    ] {
        s = s.replace(long, short);
    }
    let minutes = if let Some((h, m)) = s.split_once(':') {
        whole(h)? * 60 + below_sixty(m)?
    } else if let Some((h, rest)) = s.split_once('h') {
        let rest = rest.strip_suffix('m').unwrap_or(rest);
        if rest.is_empty() {
            decimal_hours(h)?
        } else {
            whole(h)? * 60 + below_sixty(rest)?
        }
    } else if let Some(m) = s.strip_suffix('m') {
        whole(m)?
    } else {
        return Err(
            "Précisez l'unité : « h » pour les heures ou « min » pour les minutes (par exemple « 1 h 30 »)."
                .into(),
        );
    };
    if minutes <= 0 {
        return Err("La durée doit être de plus de zéro minute.".into());
    }
    if minutes > MAX_MINUTES {
        return Err("Cette durée est trop longue (1 000 heures au plus).".into());
    }
    Ok(minutes)
}

fn not_understood() -> String {
    "Durée non comprise : écrivez par exemple « 1 h 30 », « 2,5 h » ou « 45 min ».".into()
}

fn whole(s: &str) -> Result<i64, String> {
    if s.is_empty() || s.len() > 6 || !s.chars().all(|c| c.is_ascii_digit()) {
        return Err(not_understood());
    }
    s.parse().map_err(|_| not_understood())
}

fn below_sixty(s: &str) -> Result<i64, String> {
    let m = whole(s)?;
    if m >= 60 {
        return Err(
            "Après les heures, les minutes vont de 0 à 59 (par exemple « 1 h 45 »).".into(),
        );
    }
    Ok(m)
}

/// « 2,5 » or « 2.25 » hours, exactly, when they make whole minutes.
fn decimal_hours(s: &str) -> Result<i64, String> {
    let (int, frac) = match s.split_once([',', '.']) {
        Some((i, f)) => (i, f),
        None => (s, ""),
    };
    let int = if int.is_empty() && !frac.is_empty() {
        0
    } else {
        whole(int)?
    };
    if frac.is_empty() {
        return Ok(int * 60);
    }
    if frac.len() > 4 || !frac.chars().all(|c| c.is_ascii_digit()) {
        return Err(not_understood());
    }
    let digits: i64 = frac.parse().map_err(|_| not_understood())?;
    let scale = 10_i64.pow(u32::try_from(frac.len()).unwrap_or(4));
    let sixty = digits * 60;
    if sixty % scale != 0 {
        return Err(
            "Comptez en minutes entières (par exemple « 1 h 20 » plutôt que « 1,33 h »).".into(),
        );
    }
    Ok(int * 60 + sixty / scale)
}

/// « 1 h 30 », « 45 min », « 2 h », « −0 h 20 » for a number of minutes.
pub fn format(minutes: i64) -> String {
    let sign = if minutes < 0 { "−" } else { "" };
    let m = minutes.abs();
    match (m / 60, m % 60) {
        (0, r) => format!("{sign}{r} min"),
        (h, 0) => format!("{sign}{h} h"),
        (h, r) => format!("{sign}{h} h {r:02}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_as_people_type_them() {
        for (input, minutes) in [
            ("1 h 30", 90),
            ("1h15", 75),
            ("2,5 h", 150),
            ("2.5h", 150),
            ("0 h 20", 20),
            ("45 min", 45),
            ("45 minutes", 45),
            ("2 heures", 120),
            ("1 heure 30", 90),
            ("1h30min", 90),
            ("1:30", 90),
            ("3H", 180),
            (",5 h", 30),
            ("0,25 h", 15),
            ("1 h 05", 65),
        ] {
            assert_eq!(parse(input), Ok(minutes), "{input}");
        }
    }

    #[test]
    fn zero_negative_and_unclear_durations_are_refused() {
        for input in [
            "",
            "0 h",
            "0 min",
            "0 h 00",
            "-1 h",
            "−1 h",
            "- 30 min",
            "30",
            "1 h 75",
            "abc",
            "1,33 h",
            "h",
            "1,5 h 20",
            "99999999 h",
        ] {
            assert!(parse(input).is_err(), "{input}");
        }
    }

    #[test]
    fn durations_are_shown_plainly() {
        assert_eq!(format(90), "1 h 30");
        assert_eq!(format(45), "45 min");
        assert_eq!(format(120), "2 h");
        assert_eq!(format(-65), "−1 h 05");
        assert_eq!(format(0), "0 min");
    }
}
