//! Marks the glossary's words in another service's page: a kiosque guide, a Boussole page. Each
//! known word or alias of a lexicon (case, accents, hyphens and apostrophes ignored) becomes, the
//! first time it appears, a link to its entry with its definition as `<abbr title>`.

use std::collections::HashMap;

use csc_core::AppError;
use csc_db::DbConn;
use diesel::prelude::*;

use crate::schema::{glossaire_aliases as a, glossaire_entries as e, glossaire_lexicons as l};
use crate::text::normalize;

/// Tags whose text is never marked.
const SKIPPED: [&str; 7] = ["a", "abbr", "script", "style", "code", "pre", "textarea"];

/// The longest expression looked for, in words.
const MAX_WORDS: usize = 4;

/// The spellings of a lexicon's published entries, ready to mark a page.
#[derive(Debug, Default, Clone)]
pub struct Marker {
    /// normalised spelling -> entry
    spellings: HashMap<String, i64>,
    /// entry -> definition
    definitions: HashMap<i64, String>,
}

impl Marker {
    /// Every published spelling of the lexicon named `lexicon` (slug or name), or of all.
    pub fn load(conn: &mut DbConn, lexicon: Option<&str>) -> Result<Self, AppError> {
        let lex_id = match lexicon {
            Some(name) => Some(
                crate::entries::lexicon_named(conn, name)?
                    .ok_or(AppError::NotFound)?
                    .id,
            ),
            None => None,
        };
        let mut q = e::table
            .inner_join(l::table)
            .filter(e::published.is_not_null())
            .select((e::id, e::norm))
            .into_boxed();
        if let Some(id) = lex_id {
            q = q.filter(l::id.eq(id));
        }
        let words: Vec<(i64, String)> = q.load(conn)?;
        let ids: Vec<i64> = words.iter().map(|w| w.0).collect();
        let aliases: Vec<(i64, String)> = a::table
            .filter(a::entry_id.eq_any(&ids))
            .select((a::entry_id, a::norm))
            .load(conn)?;
        let mut spellings = HashMap::new();
        for (id, norm) in aliases.into_iter().chain(words) {
            if norm.len() >= 2 {
                spellings.insert(norm, id);
            }
        }
        let definitions = crate::entries::definitions(conn, &ids)?
            .into_iter()
            .collect();
        Ok(Self {
            spellings,
            definitions,
        })
    }

    /// The fragment with the first occurrence of each known word marked.
    pub fn mark(&self, html: &str) -> String {
        let mut out = String::with_capacity(html.len() + 64);
        let mut done: Vec<i64> = Vec::new();
        let mut skip_depth = 0usize;
        let mut rest = html;
        while !rest.is_empty() {
            if let Some(tag_start) = rest.find('<') {
                let (text, tail) = rest.split_at(tag_start);
                self.mark_text(text, skip_depth > 0, &mut done, &mut out);
                let end = tail.find('>').map_or(tail.len(), |i| i + 1);
                let tag = &tail[..end];
                let name: String = tag
                    .trim_start_matches('<')
                    .trim_start_matches('/')
                    .chars()
                    .take_while(char::is_ascii_alphanumeric)
                    .collect::<String>()
                    .to_ascii_lowercase();
                if SKIPPED.contains(&name.as_str()) && !tag.ends_with("/>") {
                    if tag.starts_with("</") {
                        skip_depth = skip_depth.saturating_sub(1);
                    } else {
                        skip_depth += 1;
                    }
                }
                out.push_str(tag);
                rest = &tail[end..];
            } else {
                self.mark_text(rest, skip_depth > 0, &mut done, &mut out);
                rest = "";
            }
        }
        out
    }

    fn mark_text(&self, text: &str, skip: bool, done: &mut Vec<i64>, out: &mut String) {
        if skip || self.spellings.is_empty() {
            out.push_str(text);
            return;
        }
        // Words: runs of letters and digits, with their byte ranges.
        let mut words: Vec<(usize, usize)> = Vec::new();
        let mut start = None;
        for (i, c) in text.char_indices() {
            match (c.is_alphanumeric(), start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    words.push((s, i));
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = start {
            words.push((s, text.len()));
        }
        let mut copied = 0;
        let mut i = 0;
        while i < words.len() {
            let mut found = None;
            for n in (1..=MAX_WORDS.min(words.len() - i)).rev() {
                let joined = &text[words[i].0..words[i + n - 1].1];
                // Words of an expression are joined by spaces, hyphens or apostrophes only.
                if joined
                    .chars()
                    .any(|c| !(c.is_alphanumeric() || matches!(c, ' ' | '-' | '\'' | '’')))
                {
                    continue;
                }
                if let Some(&id) = self.spellings.get(&normalize(joined)) {
                    if !done.contains(&id) {
                        found = Some((n, id));
                        break;
                    }
                }
            }
            match found {
                Some((n, id)) => {
                    let (from, to) = (words[i].0, words[i + n - 1].1);
                    out.push_str(&text[copied..from]);
                    let title = self.definitions.get(&id).map_or(String::new(), |d| {
                        let short: String = d.chars().take(200).collect();
                        escape(&short)
                    });
                    out.push_str(&format!(
                        "<a class=\"glossaire-mot\" href=\"{}/mots/{id}\"><abbr title=\"{title}\">{}</abbr></a>",
                        crate::MOUNT,
                        &text[from..to]
                    ));
                    copied = to;
                    done.push(id);
                    i += n;
                }
                None => i += 1,
            }
        }
        out.push_str(&text[copied..]);
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Marks the known words of the lexicon `lexicon` (slug or name; all lexicons if `None`) in an
/// HTML fragment (already safe HTML: only its text is changed).
pub fn annotate(conn: &mut DbConn, lexicon: Option<&str>, html: &str) -> Result<String, AppError> {
    Ok(Marker::load(conn, lexicon)?.mark(html))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marker() -> Marker {
        let mut m = Marker::default();
        m.spellings.insert("caf".into(), 1);
        m.spellings.insert("motdepasse".into(), 2);
        m.spellings.insert("wifi".into(), 3);
        m.definitions
            .insert(1, "Caisse d'allocations familiales \"CAF\" <aide>".into());
        m
    }

    #[test]
    fn known_words_become_links_once() {
        let out = marker().mark("<p>Votre CAF et la caf. Votre mot de passe !</p>");
        assert_eq!(out.matches("glossaire-mot").count(), 2, "{out}");
        assert!(out.contains(
            "<a class=\"glossaire-mot\" href=\"/glossaire/mots/1\"><abbr title=\"Caisse d'allocations familiales &quot;CAF&quot; &lt;aide&gt;\">CAF</abbr></a> et la caf."
        ));
        assert!(out.contains("\">mot de passe</abbr></a> !</p>"));
    }

    #[test]
    fn links_and_code_are_left_alone() {
        let out = marker().mark("<a href=\"/x\">la CAF</a> <code>wifi</code> le Wi-Fi");
        assert!(out.starts_with("<a href=\"/x\">la CAF</a> <code>wifi</code> le <a class"));
        assert!(out.contains(">Wi-Fi</abbr>"));
    }
}
