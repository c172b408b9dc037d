//! The forgiving search: an in-memory index of every published entry's spellings (its word and
//! its aliases), rebuilt when the glossary changes, queried without touching the words' table.
//!
//! A query is compared with each spelling, best kind first, and each entry is given once, by its
//! best kind (`exacte` > `alias` > `phonetique` > `approchee`):
//! - **exacte**: the normalised query is the entry's word (case, accents, spaces, hyphens and
//!   apostrophes ignored: « motdepasse », « capture decran »);
//! - **alias**: it is one of the entry's aliases (« e-mail » for courriel);
//! - **phonetique**: its French phonetic key is the key of the word or of an alias (« ouifi »
//!   for wifi, « fishing » for hameçonnage through its alias « phishing »);
//! - **approchee**: it is at most 1 edit away from the word or an alias (insertion, deletion,
//!   substitution, or swap of two adjacent letters: Damerau-Levenshtein), 2 edits when the
//!   *query* has 8 letters or more (letters and digits of its normalised form: « naviagteur »
//!   has 10). The query's length, not the word's: the tolerance is known before any word is
//!   looked at, and a short query never reaches far.
//!
//! Within a kind: the closest spelling first (edit distance), then the word in alphabetical order.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use csc_core::AppError;
use csc_db::DbConn;
use diesel::prelude::*;
use serde::Serialize;

use crate::schema::{glossaire_aliases as a, glossaire_entries as e, glossaire_lexicons as l};
use crate::text::{self, distance, letter_mask, normalize, pair_mask, phonetic, tolerance};

/// The longest query, in characters.
pub const QUERY_MAX: usize = 100;

/// How many results a search gives at most.
pub const RESULTS_MAX: usize = 20;

csc_core::coded! {
    /// How a result matched the query, best first.
    pub enum Correspondance {
        Exact = ("exacte", "le mot lui-même"),
        Alias = ("alias", "un autre nom du mot"),
        Phonetic = ("phonetique", "un mot qui se prononce pareil"),
        Approximate = ("approchee", "un mot qui s'écrit presque pareil"),
    }
}

impl Correspondance {
    fn rank(self) -> u8 {
        match self {
            Self::Exact => 0,
            Self::Alias => 1,
            Self::Phonetic => 2,
            Self::Approximate => 3,
        }
    }
}

/// A checked query: what was typed (trimmed) and its normalised spelling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    pub text: String,
    pub norm: String,
}

impl Query {
    /// A query of 1 to [`QUERY_MAX`] characters with at least one letter or digit; the French
    /// message otherwise.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let text = raw.trim();
        if text.is_empty() {
            return Err("Tapez le mot que vous cherchez.".into());
        }
        if text.chars().count() > QUERY_MAX {
            return Err(format!(
                "Votre recherche est trop longue : {QUERY_MAX} caractères au plus. Tapez seulement le mot que vous cherchez."
            ));
        }
        let norm = normalize(text);
        if norm.is_empty() {
            return Err("Tapez un mot avec des lettres ou des chiffres.".into());
        }
        Ok(Self {
            text: text.to_string(),
            norm,
        })
    }
}

/// One entry found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hit {
    pub entry_id: i64,
    /// The entry's word.
    pub term: String,
    /// Its lexicon's name and slug.
    pub lexicon: String,
    pub lexicon_slug: String,
    pub correspondance: Correspondance,
    /// The spelling that matched (the word or one of its aliases).
    pub matched: String,
    /// Edits between the query and that spelling.
    pub distance: usize,
}

/// One spelling of a published entry.
#[derive(Debug, Clone)]
struct Form {
    entry: usize,
    alias: bool,
    text: String,
    norm: String,
    mask: u64,
    pairs: u64,
}

#[derive(Debug, Clone)]
struct EntryInfo {
    id: i64,
    term: String,
    lexicon: usize,
}

#[derive(Debug, Clone)]
struct LexiconInfo {
    id: i64,
    slug: String,
    name: String,
}

/// Every published spelling, ready to be searched.
#[derive(Debug, Default)]
pub struct Index {
    revision: i64,
    lexicons: Vec<LexiconInfo>,
    entries: Vec<EntryInfo>,
    /// Sorted by normalised length; `by_len[n]` is the first form of length `n` or more.
    forms: Vec<Form>,
    by_len: Vec<usize>,
    by_norm: HashMap<String, Vec<usize>>,
    by_phon: HashMap<String, Vec<usize>>,
}

/// The revision the index was built from (bumped by every change of a published entry).
pub fn revision(conn: &mut DbConn) -> QueryResult<i64> {
    use crate::schema::glossaire_revision as r;
    r::table.find(1).select(r::revision).first(conn)
}

/// Marks the glossary as changed: every process rebuilds its index at its next search.
pub fn bump(conn: &mut DbConn) -> QueryResult<()> {
    use crate::schema::glossaire_revision as r;
    diesel::update(r::table.find(1))
        .set(r::revision.eq(r::revision + 1))
        .execute(conn)?;
    Ok(())
}

impl Index {
    /// Reads every published entry and its aliases.
    pub fn load(conn: &mut DbConn) -> QueryResult<Self> {
        let revision = revision(conn)?;
        let lexicons: Vec<(i64, String, String)> = l::table
            .select((l::id, l::slug, l::name))
            .order(l::id)
            .load(conn)?;
        let words: Vec<(i64, i64, String, String)> = e::table
            .filter(e::published.is_not_null())
            .select((e::id, e::lexicon_id, e::term, e::norm))
            .order(e::id)
            .load(conn)?;
        let aliases: Vec<(i64, String, String)> = a::table
            .inner_join(e::table)
            .filter(e::published.is_not_null())
            .select((a::entry_id, a::alias, a::norm))
            .load(conn)?;
        Ok(Self::build(revision, lexicons, words, aliases))
    }

    fn build(
        revision: i64,
        lexicons: Vec<(i64, String, String)>,
        words: Vec<(i64, i64, String, String)>,
        aliases: Vec<(i64, String, String)>,
    ) -> Self {
        let lexicon_at: HashMap<i64, usize> =
            lexicons.iter().enumerate().map(|(i, x)| (x.0, i)).collect();
        let mut entries = Vec::with_capacity(words.len());
        let mut entry_at = HashMap::with_capacity(words.len());
        let mut forms = Vec::with_capacity(words.len() + aliases.len());
        for (id, lexicon, term, norm) in words {
            let Some(&lex) = lexicon_at.get(&lexicon) else {
                continue;
            };
            entry_at.insert(id, entries.len());
            forms.push(Form {
                entry: entries.len(),
                alias: false,
                text: term.clone(),
                mask: letter_mask(&norm),
                pairs: pair_mask(&norm),
                norm,
            });
            entries.push(EntryInfo {
                id,
                term,
                lexicon: lex,
            });
        }
        for (entry, alias, norm) in aliases {
            if let Some(&at) = entry_at.get(&entry) {
                forms.push(Form {
                    entry: at,
                    alias: true,
                    text: alias,
                    mask: letter_mask(&norm),
                    pairs: pair_mask(&norm),
                    norm,
                });
            }
        }
        forms.sort_by_key(|f| f.norm.len());
        let longest = forms.last().map_or(0, |f| f.norm.len());
        let mut by_len = Vec::with_capacity(longest + 2);
        let mut k = 0;
        for n in 0..=longest + 1 {
            while k < forms.len() && forms[k].norm.len() < n {
                k += 1;
            }
            by_len.push(k);
        }
        let mut by_norm: HashMap<String, Vec<usize>> = HashMap::with_capacity(forms.len());
        let mut by_phon: HashMap<String, Vec<usize>> = HashMap::with_capacity(forms.len());
        for (i, f) in forms.iter().enumerate() {
            by_norm.entry(f.norm.clone()).or_default().push(i);
            by_phon.entry(phonetic(&f.text)).or_default().push(i);
        }
        Self {
            revision,
            lexicons: lexicons
                .into_iter()
                .map(|(id, slug, name)| LexiconInfo { id, slug, name })
                .collect(),
            entries,
            forms,
            by_len,
            by_norm,
            by_phon,
        }
    }

    /// The id of a lexicon named by its slug or its name (accents and case ignored).
    pub fn lexicon_id(&self, name: &str) -> Option<i64> {
        let wanted = normalize(name);
        self.lexicons
            .iter()
            .find(|x| normalize(&x.slug) == wanted || normalize(&x.name) == wanted)
            .map(|x| x.id)
    }

    /// How many published entries and spellings the index holds.
    pub fn size(&self) -> (usize, usize) {
        (self.entries.len(), self.forms.len())
    }

    /// The entries matching `q`, best first, in the lexicon `lexicon` (every lexicon if `None`).
    pub fn find(&self, lexicon: Option<i64>, q: &Query) -> Vec<Hit> {
        let lex_ok = |f: &Form| {
            lexicon.is_none_or(|id| self.lexicons[self.entries[f.entry].lexicon].id == id)
        };
        // Best (kind, distance, spelling) per entry.
        let mut best: HashMap<usize, (Correspondance, usize, usize)> = HashMap::new();
        let mut offer = |form: usize, kind: Correspondance, d: usize| {
            let f = &self.forms[form];
            let slot = best.entry(f.entry).or_insert((kind, d, form));
            if (kind.rank(), d) < (slot.0.rank(), slot.1) {
                *slot = (kind, d, form);
            }
        };
        for &i in self.by_norm.get(&q.norm).into_iter().flatten() {
            let f = &self.forms[i];
            if lex_ok(f) {
                let kind = if f.alias {
                    Correspondance::Alias
                } else {
                    Correspondance::Exact
                };
                offer(i, kind, 0);
            }
        }
        let key = phonetic(&q.text);
        if !key.is_empty() {
            for &i in self.by_phon.get(&key).into_iter().flatten() {
                let f = &self.forms[i];
                if lex_ok(f) {
                    offer(i, Correspondance::Phonetic, distance(&q.norm, &f.norm));
                }
            }
        }
        let max = tolerance(text::letters(&q.norm));
        let len = q.norm.len();
        let from = self.by_len[len.saturating_sub(max).min(self.by_len.len() - 1)];
        let to = self.by_len[(len + max + 1).min(self.by_len.len() - 1)];
        let mask = letter_mask(&q.norm);
        let pairs = pair_mask(&q.norm);
        for i in from..to {
            let f = &self.forms[i];
            if ((f.mask ^ mask).count_ones() as usize) > 2 * max
                || ((f.pairs ^ pairs).count_ones() as usize) > 6 * max
                || !lex_ok(f)
            {
                continue;
            }
            if let Some(d) = text::within(&q.norm, &f.norm, max).filter(|d| *d > 0) {
                offer(i, Correspondance::Approximate, d);
            }
        }
        let mut hits: Vec<Hit> = best
            .into_iter()
            .map(|(entry, (kind, d, form))| {
                let info = &self.entries[entry];
                let lex = &self.lexicons[info.lexicon];
                Hit {
                    entry_id: info.id,
                    term: info.term.clone(),
                    lexicon: lex.name.clone(),
                    lexicon_slug: lex.slug.clone(),
                    correspondance: kind,
                    matched: self.forms[form].text.clone(),
                    distance: d,
                }
            })
            .collect();
        hits.sort_by(|x, y| {
            (x.correspondance.rank(), x.distance)
                .cmp(&(y.correspondance.rank(), y.distance))
                .then_with(|| normalize(&x.term).cmp(&normalize(&y.term)))
                .then_with(|| x.entry_id.cmp(&y.entry_id))
        });
        hits.truncate(RESULTS_MAX);
        hits
    }
}

/// Why a search gave nothing to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchError {
    /// The query is empty, too long, or has no letter: the French message.
    Query(String),
    /// No lexicon has this name.
    UnknownLexicon(String),
}

impl SearchError {
    /// The French message.
    pub fn message(&self) -> String {
        match self {
            Self::Query(m) => m.clone(),
            Self::UnknownLexicon(name) => format!("Le lexique « {name} » n'existe pas."),
        }
    }
}

/// A process's index, rebuilt when the glossary's revision changes. Cheap to share.
#[derive(Debug, Default, Clone)]
pub struct Searcher {
    cache: Arc<RwLock<Option<Arc<Index>>>>,
}

impl Searcher {
    /// The index, rebuilt first if the glossary changed since it was built.
    pub fn index(&self, conn: &mut DbConn) -> Result<Arc<Index>, AppError> {
        let now = revision(conn)?;
        if let Some(idx) = self.cache.read().ok().and_then(|c| c.clone()) {
            if idx.revision == now {
                return Ok(idx);
            }
        }
        let fresh = Arc::new(Index::load(conn)?);
        if let Ok(mut slot) = self.cache.write() {
            *slot = Some(fresh.clone());
        }
        Ok(fresh)
    }

    /// Searches `query` in the lexicon named `lexicon` (slug or name), or in all of them.
    pub fn search(
        &self,
        conn: &mut DbConn,
        lexicon: Option<&str>,
        query: &str,
    ) -> Result<Result<Vec<Hit>, SearchError>, AppError> {
        let q = match Query::parse(query) {
            Ok(q) => q,
            Err(m) => return Ok(Err(SearchError::Query(m))),
        };
        let idx = self.index(conn)?;
        let lex = match lexicon.map(str::trim).filter(|s| !s.is_empty()) {
            Some(name) => match idx.lexicon_id(name) {
                Some(id) => Some(id),
                None => return Ok(Err(SearchError::UnknownLexicon(name.to_string()))),
            },
            None => None,
        };
        Ok(Ok(idx.find(lex, &q)))
    }
}

/// Searches once, without keeping an index (for another app's occasional look-up; keep a
/// [`Searcher`] to search often).
pub fn search(
    conn: &mut DbConn,
    lexicon: Option<&str>,
    query: &str,
) -> Result<Result<Vec<Hit>, SearchError>, AppError> {
    Searcher::default().search(conn, lexicon, query)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> Index {
        let lexicons = vec![
            (1, "numerique".into(), "numérique".into()),
            (2, "parentalite".into(), "parentalité".into()),
        ];
        let words: Vec<(i64, i64, String, String)> = [
            (10, 1, "wifi"),
            (11, 1, "hameçonnage"),
            (12, 1, "navigateur"),
            (13, 1, "mot de passe"),
            (14, 1, "capture d'écran"),
            (15, 1, "courriel"),
            (16, 1, "wiki"),
            (17, 1, "clavier"),
            (18, 1, "application"),
            (20, 2, "PMI"),
            (21, 2, "CAF"),
        ]
        .into_iter()
        .map(|(id, lex, t)| (id, lex, t.to_string(), normalize(t)))
        .collect();
        let aliases = [
            (10, "wi-fi"),
            (11, "phishing"),
            (15, "e-mail"),
            (15, "mail"),
            (15, "mél"),
            (18, "appli"),
        ]
        .into_iter()
        .map(|(e, t)| (e, t.to_string(), normalize(t)))
        .collect();
        Index::build(1, lexicons, words, aliases)
    }

    fn find(q: &str) -> Vec<(String, &'static str)> {
        index()
            .find(None, &Query::parse(q).unwrap())
            .into_iter()
            .map(|h| (h.term, h.correspondance.code()))
            .collect()
    }

    fn first(q: &str) -> (String, &'static str) {
        find(q).into_iter().next().unwrap_or_default()
    }

    #[test]
    fn each_kind_of_match() {
        assert_eq!(first("wifi"), ("wifi".into(), "exacte"));
        assert_eq!(first("WIFI"), ("wifi".into(), "exacte"));
        assert_eq!(first("Hameconnage"), ("hameçonnage".into(), "exacte"));
        assert_eq!(first("motdepasse"), ("mot de passe".into(), "exacte"));
        assert_eq!(
            first("capture decran"),
            ("capture d'écran".into(), "exacte")
        );
        assert_eq!(first("Wi-Fi"), ("wifi".into(), "exacte"));
        assert_eq!(first("e-mail"), ("courriel".into(), "alias"));
        assert_eq!(first("MEL"), ("courriel".into(), "alias"));
        assert_eq!(first("phishing"), ("hameçonnage".into(), "alias"));
        assert_eq!(first("ouifi"), ("wifi".into(), "phonetique"));
        assert_eq!(first("fishing"), ("hameçonnage".into(), "phonetique"));
        assert_eq!(first("naviagteur"), ("navigateur".into(), "approchee"));
        assert_eq!(first("nvigatuer"), ("navigateur".into(), "approchee"));
        assert_eq!(first("clavjer"), ("clavier".into(), "approchee"));
    }

    #[test]
    fn typo_tolerance_reads_the_query_length() {
        // 7 letters typed: one edit only, even for a longer word.
        assert!(find("klavjer").is_empty());
        assert!(find("navgtur").iter().all(|(t, _)| t != "navigateur"));
        // 8 letters typed: two edits, even for a shorter word (« clavier » has 7).
        assert_eq!(first("klavjerr").0, "");
        assert_eq!(first("clavjerr"), ("clavier".into(), "approchee"));
        // 8 letters, three edits: too far.
        assert!(find("nvgateru").iter().all(|(t, _)| t != "navigateur"));
    }

    #[test]
    fn results_are_ranked_exact_then_alias_then_phonetic_then_approximate() {
        let all = find("wiki");
        assert_eq!(all[0], ("wiki".into(), "exacte"));
        assert!(all.contains(&("wifi".into(), "approchee")));
        let mail = find("mail");
        assert_eq!(mail[0], ("courriel".into(), "alias"));
    }

    #[test]
    fn the_lexicon_filter_keeps_its_own_words() {
        let idx = index();
        let q = Query::parse("pmi").unwrap();
        assert_eq!(idx.find(Some(2), &q)[0].term, "PMI");
        assert!(idx.find(Some(1), &q).is_empty());
        assert_eq!(idx.lexicon_id("Parentalité"), Some(2));
        assert_eq!(idx.lexicon_id("parentalite"), Some(2));
        assert_eq!(idx.lexicon_id("inconnu"), None);
    }

    #[test]
    fn bad_queries_are_refused_in_french() {
        assert!(Query::parse("").is_err());
        assert!(Query::parse("   ").is_err());
        assert!(Query::parse("?!").is_err());
        assert!(Query::parse(&"a".repeat(2000)).is_err());
        assert!(Query::parse(&"é".repeat(100)).is_ok());
    }

    /// Pseudo-random words of 5 to 12 letters (a fixed linear congruential sequence).
    pub(crate) fn random_words(n: usize, seed: u64) -> Vec<String> {
        let mut x = seed;
        let mut next = move || {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (x >> 33) as usize
        };
        (0..n)
            .map(|_| {
                let len = 5 + next() % 8;
                (0..len)
                    .map(|_| (b'a' + (next() % 26) as u8) as char)
                    .collect()
            })
            .collect()
    }

    #[test]
    fn ten_thousand_words_are_searched_quickly() {
        let lexicons = vec![(1, "grand".to_string(), "grand".to_string())];
        let terms = random_words(10_000, 7);
        let others = random_words(20_000, 11);
        let words: Vec<(i64, i64, String, String)> = terms
            .iter()
            .enumerate()
            .map(|(i, t)| (i as i64, 1, t.clone(), normalize(t)))
            .collect();
        let aliases = others
            .iter()
            .enumerate()
            .map(|(i, t)| ((i / 2) as i64, t.clone(), normalize(t)))
            .collect();
        let idx = Index::build(1, lexicons, words, aliases);
        assert_eq!(idx.size(), (10_000, 30_000));
        let mut typo = terms[1234].clone().into_bytes();
        typo.swap(1, 2);
        let q = Query::parse(std::str::from_utf8(&typo).unwrap()).unwrap();
        assert!(idx.find(None, &q).iter().any(|h| h.term == terms[1234]));
        let start = std::time::Instant::now();
        for _ in 0..100 {
            idx.find(None, &q);
        }
        // Generous: an unoptimised test build on a shared machine.
        assert!(start.elapsed() < std::time::Duration::from_secs(2));
    }
}
