//! The forms a word is compared by: its normalised spelling (case, accents, spaces, hyphens and
//! apostrophes ignored), its French phonetic key, and the Damerau-Levenshtein distance between
//! two normalised spellings.

/// The normalised spelling: lower case, accents and ligatures spelt out (`œ` is `oe`), letters
/// and digits only. « Capture d'écran » and « capture decran » are both `capturedecran`.
pub fn normalize(s: &str) -> String {
    deunicode::deunicode(s)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// How many letters or digits a normalised spelling has (the length the typo tolerance reads).
pub fn letters(norm: &str) -> usize {
    norm.len()
}

/// The typos a search forgives on a query of `len` letters (normalised): 1 edit, 2 from 8 letters.
pub fn tolerance(len: usize) -> usize {
    if len >= 8 {
        2
    } else {
        1
    }
}

/// The Damerau-Levenshtein distance between two spellings: insertions, deletions, substitutions
/// and swaps of two adjacent letters each count as one edit.
pub fn distance(a: &str, b: &str) -> usize {
    strsim::damerau_levenshtein(a, b)
}

/// Whether two spellings are at most `max` edits apart (Damerau-Levenshtein), with the distance:
/// a quick restricted pass (optimal string alignment, no allocation, stopped as soon as every
/// alignment costs more than `max + 1`) rules most words out; the survivors get the exact
/// distance. The restricted distance is never below the exact one, and exceeds it by at most one
/// when the exact one is 2 or less, so nothing within `max` is missed.
pub fn within(a: &str, b: &str, max: usize) -> Option<usize> {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    if x.len().abs_diff(y.len()) > max {
        return None;
    }
    if y.len() < 127 && osa_over(x, y, max + 1) {
        return None;
    }
    let d = distance(a, b);
    (d <= max).then_some(d)
}

/// Whether the optimal-string-alignment distance exceeds `limit` (rows of at most 128 cells).
fn osa_over(x: &[u8], y: &[u8], limit: usize) -> bool {
    let m = y.len();
    let mut prev2 = [0usize; 128];
    let mut prev: [usize; 128] = [0; 128];
    let mut cur = [0usize; 128];
    for (j, p) in prev.iter_mut().enumerate().take(m + 1) {
        *p = j;
    }
    for i in 1..=x.len() {
        cur[0] = i;
        let mut best = cur[0];
        for j in 1..=m {
            let cost = usize::from(x[i - 1] != y[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
            best = best.min(v);
        }
        if best > limit {
            return true;
        }
        prev2 = prev;
        prev = cur;
    }
    prev[m] > limit
}

/// The set of letters and digits of a normalised spelling, as bits: each edit adds or removes at
/// most two of them, so two spellings `d` edits apart differ by at most `2 d` bits. A cheap test
/// that skips most words before their distance is computed.
pub fn letter_mask(norm: &str) -> u64 {
    norm.bytes().fold(0u64, |m, b| {
        let bit = match b {
            b'a'..=b'z' => b - b'a',
            b'0'..=b'9' => 26 + b - b'0',
            _ => 63,
        };
        m | (1u64 << bit)
    })
}

/// The pairs of adjacent letters of a normalised spelling, hashed to bits. An insertion,
/// deletion or substitution changes at most 2 pairs on each side, a swap at most 3: two spellings
/// `d` edits apart differ by at most `6 d` bits (a hash collision only makes them closer).
pub fn pair_mask(norm: &str) -> u64 {
    norm.as_bytes().windows(2).fold(0u64, |m, w| {
        let h = (u32::from(w[0]).wrapping_mul(31) + u32::from(w[1])).wrapping_mul(2_654_435_761);
        m | (1u64 << (h >> 26))
    })
}

/// The French phonetic key of a word or expression: spellings that sound alike in French share
/// it (« ouifi » and « wifi », « fishing » and « phishing », « mél » and « mail », « aplicassion »
/// and « application »). Each word is coded apart, then the codes are joined.
///
/// A simplified cousin of « Soundex 2 » and « Phonex » that keeps the vowels' sounds:
/// - groups first: `eau`, `au` → o; `ou`, `oo`, `w` → ou; `ai`, `ei`, `ay`, `ey` → è; `eu`, `oe`
///   → eu; `oi` → ou + a; `ee`, `y` → i; `an`/`am`/`en`/`em`, `on`/`om`, `in`/`im`/`un`/`um`/
///   `ain`/`ein` before a consonant or at the end → nasal vowels; `ph` → f; `th` → t; `ch`,
///   `sh`, `sch` → ch (`chr` → k); `qu`, `ck`, `q`, `k`, hard `c` → k; soft `c` (before e, i,
///   y) → s; `gu` before e, i, y → g; soft `g` → j; `gn` → n + i; `x` → k + s; `z` → s; `tion` →
///   s + ion; `h` is silent; `u` alone is the French u;
/// - a letter repeated is one sound (`rr`, `ss`, `nn`);
/// - at the end of a word of three sounds or more, a silent `e` (also the `é` of `er`, `ez`,
///   `et`), then an `s` (plural or not: « virusse » is « virus »), then an `e` again are dropped.
pub fn phonetic(s: &str) -> String {
    // `ç` sounds s: said before the accents are dropped.
    let lower = deunicode::deunicode(&s.replace(['ç', 'Ç'], "s")).to_ascii_lowercase();
    let mut out: Vec<char> = Vec::new();
    for word in lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        for c in word_key(word.as_bytes()) {
            if out.last() != Some(&c) {
                out.push(c);
            }
        }
    }
    out.into_iter().collect()
}

fn is_vowel(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u' | b'y')
}

/// Codes of the sounds (one char each): vowels a e i o, `U` for « ou », `Y` for the French u,
/// `Ø` for « eu », nasals `Â` (an), `Ô` (on), `Î` (in); consonants upper-case, `X` for « ch ».
fn word_key(w: &[u8]) -> Vec<char> {
    let n = w.len();
    let at = |k: usize| w.get(k).copied().unwrap_or(0);
    let starts = |i: usize, s: &str| w[i..].starts_with(s.as_bytes());
    // A nasal vowel: the vowel group then `n`/`m` not followed by a vowel or another n/m.
    let nasal_after = |k: usize| {
        matches!(at(k), b'n' | b'm') && !is_vowel(at(k + 1)) && !matches!(at(k + 1), b'n' | b'm')
    };
    let mut out: Vec<char> = Vec::with_capacity(n);
    let mut i = 0;
    while i < n {
        let c = w[i];
        let next = at(i + 1);
        let soft = matches!(next, b'e' | b'i' | b'y');
        let (codes, used): (&[char], usize) = if starts(i, "eau") {
            (&['o'], 3)
        } else if starts(i, "sch") {
            (&['X'], 3)
        } else if starts(i, "chr") {
            (&['K'], 2)
        } else if starts(i, "ch") || starts(i, "sh") {
            (&['X'], 2)
        } else if starts(i, "ph") {
            (&['F'], 2)
        } else if starts(i, "th") {
            (&['T'], 2)
        } else if starts(i, "tion") {
            (&['S'], 1)
        } else if starts(i, "qu") || starts(i, "ck") {
            (&['K'], 2)
        } else if starts(i, "gu") && matches!(at(i + 2), b'e' | b'i' | b'y') {
            (&['G'], 2)
        } else if starts(i, "gn") {
            (&['N', 'i'], 2)
        } else if (starts(i, "ain") || starts(i, "ein")) && nasal_after(i + 2) {
            (&['Î'], 3)
        } else if starts(i, "ou") || starts(i, "oo") {
            (&['U'], 2)
        } else if starts(i, "oi") || starts(i, "oy") {
            (&['U', 'a'], 2)
        } else if starts(i, "ai") || starts(i, "ei") || starts(i, "ay") || starts(i, "ey") {
            (&['e'], 2)
        } else if starts(i, "au") {
            (&['o'], 2)
        } else if starts(i, "eu") || starts(i, "oe") {
            (&['Ø'], 2)
        } else if starts(i, "ee") {
            (&['i'], 2)
        } else if matches!(c, b'a' | b'e') && nasal_after(i + 1) {
            (&['Â'], 2)
        } else if c == b'o' && nasal_after(i + 1) {
            (&['Ô'], 2)
        } else if matches!(c, b'i' | b'y' | b'u') && nasal_after(i + 1) {
            (&['Î'], 2)
        } else if (starts(i, "er") || starts(i, "ez") || starts(i, "et")) && i + 2 == n && n > 2 {
            (&['e'], 2)
        } else {
            let one: &[char] = match c {
                b'a' => &['a'],
                b'e' => &['e'],
                b'i' | b'y' => &['i'],
                b'o' => &['o'],
                b'u' => &['Y'],
                b'w' => &['U'],
                b'c' if soft => &['S'],
                b'c' | b'k' | b'q' => &['K'],
                b'g' if soft => &['J'],
                b'g' => &['G'],
                b'j' => &['J'],
                b'x' => &['K', 'S'],
                b's' | b'z' => &['S'],
                b'h' => &[],
                b'p' => &['P'],
                b'b' => &['B'],
                b't' => &['T'],
                b'd' => &['D'],
                b'f' => &['F'],
                b'v' => &['V'],
                b'l' => &['L'],
                b'r' => &['R'],
                b'm' => &['M'],
                b'n' => &['N'],
                b'0' => &['0'],
                b'1' => &['1'],
                b'2' => &['2'],
                b'3' => &['3'],
                b'4' => &['4'],
                b'5' => &['5'],
                b'6' => &['6'],
                b'7' => &['7'],
                b'8' => &['8'],
                b'9' => &['9'],
                _ => &[],
            };
            (one, 1)
        };
        for &code in codes {
            if out.last() != Some(&code) {
                out.push(code);
            }
        }
        i += used;
    }
    // « virusse » and « virus », « pages » and « page »: e, then s, then e again.
    for silent in ['e', 'S', 'e'] {
        if out.len() > 2 && out.last() == Some(&silent) {
            out.pop();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalising_ignores_case_accents_spaces_hyphens_and_apostrophes() {
        assert_eq!(normalize("Wi-Fi"), "wifi");
        assert_eq!(normalize("  Capture d'écran "), "capturedecran");
        assert_eq!(normalize("capture decran"), "capturedecran");
        assert_eq!(normalize("Mot de passe"), "motdepasse");
        assert_eq!(normalize("HAMEÇONNAGE"), "hameconnage");
        assert_eq!(normalize("Œuvre"), "oeuvre");
        assert_eq!(normalize("mél"), "mel");
        assert_eq!(normalize("clé USB 3.0"), "cleusb30");
        assert_eq!(normalize("!!! ?"), "");
    }

    #[test]
    fn tolerance_is_two_edits_from_eight_letters() {
        assert_eq!(tolerance(1), 1);
        assert_eq!(tolerance(7), 1);
        assert_eq!(tolerance(8), 2);
        assert_eq!(tolerance(20), 2);
    }

    #[test]
    fn a_swap_of_two_letters_is_one_edit() {
        assert_eq!(distance("naviagteur", "navigateur"), 1);
        assert_eq!(distance("wfii", "wifi"), 1);
        assert_eq!(distance("navigateur", "navigateur"), 0);
        assert_eq!(distance("navgateur", "navigateur"), 1);
        assert_eq!(distance("nvigatuer", "navigateur"), 2);
        assert_eq!(distance("clavier", "klavjer"), 2);
    }

    #[test]
    fn the_quick_pass_never_loses_a_close_word() {
        let words = [
            "ca",
            "abc",
            "wifi",
            "wfii",
            "navigateur",
            "naviagteur",
            "nvigatuer",
            "clavier",
            "clavjerr",
            "klavjer",
            "internet",
            "intrnt",
            "a",
            "",
            "motdepasse",
            "motdpase",
        ];
        for a in words {
            for b in words {
                for max in 1..=2 {
                    let d = distance(a, b);
                    assert_eq!(within(a, b, max), (d <= max).then_some(d), "{a} {b} {max}");
                }
            }
        }
    }

    #[test]
    fn letter_masks_bound_the_distance() {
        let pairs = [
            ("naviagteur", "navigateur"),
            ("wifi", "wify"),
            ("ordinateur", "ordinatuer"),
            ("abc", "xyz"),
            ("abcdefgh", "badcfehg"),
            ("motdepasse", "motdpase"),
        ];
        for (a, b) in pairs {
            let bits = (letter_mask(a) ^ letter_mask(b)).count_ones() as usize;
            assert!(bits <= 2 * distance(a, b), "{a} {b}");
            let pairs = (pair_mask(a) ^ pair_mask(b)).count_ones() as usize;
            assert!(pairs <= 6 * distance(a, b), "{a} {b}");
        }
    }

    fn same(a: &str, b: &str) {
        assert_eq!(
            phonetic(a),
            phonetic(b),
            "« {a} » and « {b} » should sound alike"
        );
    }

    fn differ(a: &str, b: &str) {
        assert_ne!(
            phonetic(a),
            phonetic(b),
            "« {a} » and « {b} » should differ"
        );
    }

    #[test]
    fn french_spellings_of_the_same_sound_share_a_key() {
        same("ouifi", "wifi");
        same("ouifi", "Wi-Fi");
        same("fishing", "phishing");
        same("mél", "mail");
        same("mel", "mail");
        same("aplicassion", "application");
        same("kouriel", "courriel");
        same("couriel", "courriel");
        same("touite", "tweet");
        same("couki", "cookie");
        same("gougle", "google");
        same("smartfone", "smartphone");
        same("telecharger", "télécharger");
        same("telechargé", "télécharger");
        same("telecharge", "télécharger");
        same("aker", "hacker");
        same("ordinatteur", "ordinateur");
        same("navigateurs", "navigateur");
        same("pixel", "piksel");
        same("sinial", "signal");
        same("lien", "lian");
        same("moteur de recherche", "moteurderecherche");
        same("sécurité", "sekurite");
        same("anti-virus", "antivirusse");
        same("pirate", "pirat");
        same("hameçonnage", "amessonage");
    }

    #[test]
    fn different_sounds_keep_different_keys() {
        differ("wifi", "wiki");
        differ("mail", "mal");
        differ("clavier", "clavette");
        differ("souris", "sourire");
        differ("pain", "pan");
        differ("bon", "ban");
        differ("cookie", "coquille");
        differ("une", "un");
    }

    #[test]
    fn keys_of_odd_input_are_well_defined() {
        assert_eq!(phonetic(""), "");
        assert_eq!(phonetic("!!!"), "");
        assert_eq!(phonetic("h"), "");
        assert_eq!(phonetic("3G"), "3G");
        assert!(!phonetic("😀 wifi").is_empty());
        let long = "a".repeat(5000);
        assert_eq!(phonetic(&long), "a");
    }
}
