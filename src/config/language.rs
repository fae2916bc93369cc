//! The site's `language`: a BCP 47 tag, checked, written in canonical form, and the direction
//! its script runs in.
//!
//! ICU4X parses the tag and, from CLDR's likely-subtags data, tells which script a language is
//! written in and so whether pages run right to left (`ar`, `fa`, `he`, `ur`, `ps`, …); no list
//! of right-to-left languages is kept here. Tags are case-insensitive, so `EN-us` is taken silently as
//! `en-US`, the form pages carry. A deprecated code (`iw`) is replaced by the current one
//! (`he`) with a warning. A well-formed language subtag that ISO 639 does not know (`xx`) is
//! kept with a warning: it may be a private-use code meant as such. A language *name* instead
//! of a tag (`english`, `русский`, `farsi`) is an error whose help names the tag, looked up in
//! the ISO 639 names and autonyms of the `isolang` crate, then by similarity for misspellings.

use icu_locale::{Direction, LocaleCanonicalizer, LocaleDirectionality, TransformResult};
use icu_locale_core::Locale;
use isolang::Language;

/// Which way the site's script runs: `dir` on every page's `<html>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TextDirection {
    #[default]
    Ltr,
    Rtl,
}

impl TextDirection {
    pub fn as_str(self) -> &'static str {
        match self {
            TextDirection::Ltr => "ltr",
            TextDirection::Rtl => "rtl",
        }
    }
}

/// A language tag that may be used, in canonical form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub tag: String,
    pub dir: TextDirection,
    /// Something to tell without refusing the tag: message and help.
    pub warning: Option<(String, String)>,
}

/// Why a `language` value is refused: message and help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub message: String,
    pub help: String,
}

/// Checks a `language` value as written in `site.toml`.
pub fn check(written: &str) -> Result<Checked, Invalid> {
    let Ok(mut locale) = Locale::try_from_str(written.trim()) else {
        return Err(invalid(
            written,
            format!("`language` {written:?} is not a BCP 47 language tag"),
        ));
    };
    // Two or three letters: ICU4X refuses the five-to-eight-letter subtags BCP 47 reserves (none
    // was ever registered), so `english` is refused above.
    let subtag = locale.id.language.as_str().to_string();
    if subtag.len() == 3
        && let Some(short) = Language::from_639_3(&subtag).and_then(|l| l.to_639_1())
    {
        return Err(Invalid {
            message: format!(
                "`language` {written:?} uses the three-letter code of a language that has a two-letter one"
            ),
            help: format!(
                "BCP 47 takes the shortest code: did you mean `language = \"{}\"`?",
                with_language(&locale, short)
            ),
        });
    }
    let mut warning = None;
    if LocaleCanonicalizer::new_extended().canonicalize(&mut locale) == TransformResult::Modified {
        warning = Some((
            format!(
                "`language` {written:?} is a deprecated tag; pages will say {:?}",
                locale.to_string()
            ),
            format!("write `language = \"{locale}\"`"),
        ));
    } else if !is_known(&subtag) {
        let help = match suggest(&subtag) {
            Some(tag) => format!(
                "did you mean `language = \"{tag}\"`? If {subtag:?} is meant (a private-use code), ignore this warning"
            ),
            None => format!(
                "use an ISO 639 code such as \"en\", \"ar\" or \"ru\"; if {subtag:?} is meant (a private-use code), ignore this warning"
            ),
        };
        warning = Some((
            format!("`language` {written:?}: {subtag:?} is not a language ISO 639 knows"),
            help,
        ));
    }
    let dir = match LocaleDirectionality::new_extended().get(&locale.id) {
        Some(Direction::RightToLeft) => TextDirection::Rtl,
        _ => TextDirection::Ltr,
    };
    Ok(Checked {
        tag: locale.to_string(),
        dir,
        warning,
    })
}

/// An ISO 639 code BCP 47 may use: two letters, or three for a language without two.
fn is_known(subtag: &str) -> bool {
    match subtag.len() {
        2 => Language::from_639_1(subtag).is_some(),
        3 => Language::from_639_3(subtag).is_some_and(|l| l.to_639_1().is_none()),
        _ => false,
    }
}

/// The tag of `locale` with its language subtag replaced by `code`.
fn with_language(locale: &Locale, code: &str) -> String {
    let mut l = locale.clone();
    match code.parse() {
        Ok(language) => {
            l.id.language = language;
            l.to_string()
        }
        Err(_) => code.to_string(),
    }
}

fn invalid(written: &str, message: String) -> Invalid {
    let help = match suggest(written) {
        Some(tag) => format!("did you mean `language = \"{tag}\"`?"),
        None => "use a BCP 47 tag such as \"en\", \"en-GB\", \"ar\" or \"ru\"".into(),
    };
    Invalid { message, help }
}

/// Names ISO 639 does not use for a language, that people write for it.
const OTHER_NAMES: &[(&str, &str)] = &[
    ("farsi", "fa"),
    ("mandarin", "zh"),
    ("brazilian", "pt-BR"),
    ("castilian", "es"),
    ("flemish", "nl-BE"),
];

/// The tag meant by `written`: a tag with `_` for `-`, a language's English name or autonym
/// (`english`, `русский`), or the closest of those names to a misspelling.
fn suggest(written: &str) -> Option<String> {
    let written = written.trim();
    if written.contains('_')
        && let Ok(c) = check(&written.replace('_', "-"))
        && c.warning.is_none()
    {
        return Some(c.tag);
    }
    let name = written.to_lowercase();
    if let Some((_, tag)) = OTHER_NAMES.iter().find(|(n, _)| *n == name) {
        return Some((*tag).to_string());
    }
    let names = names();
    if let Some((_, l)) = names.iter().find(|(n, _)| *n == name) {
        return Some(code(*l));
    }
    // A misspelling: the closest name among the languages with two-letter codes (some 180, the
    // ones sites are most written in); too short a word is close to too many.
    if name.chars().count() < 4 {
        return None;
    }
    let (best, l) = names
        .iter()
        .filter(|(_, l)| l.to_639_1().is_some())
        .map(|(n, l)| (strsim::jaro_winkler(&name, n), *l))
        .max_by(|a, b| a.0.total_cmp(&b.0))?;
    (best > 0.85).then(|| code(l))
}

/// Every language's English name and autonym, lower-cased, those with a two-letter code first
/// (so "swahili" is `sw`, not the individual language `swh`).
fn names() -> Vec<(String, Language)> {
    let mut names: Vec<(String, Language)> = isolang::languages()
        .flat_map(|l| {
            let english = l.to_name().split(';').map(str::trim);
            let autonym = l.to_autonym().map(|a| {
                a.split(['(', ','])
                    .next()
                    .unwrap_or(a)
                    .trim_matches(|c: char| c.is_whitespace() || c == '\u{200e}')
            });
            english
                .chain(autonym)
                // A name of a letter or two (there are some) would match codes and typos.
                .filter(|n| n.chars().count() > 2)
                .map(move |n| (n.to_lowercase(), l))
                .collect::<Vec<_>>()
        })
        .collect();
    names.sort_by_key(|(_, l)| l.to_639_1().is_none());
    names
}

/// The BCP 47 language subtag of an ISO 639 language.
fn code(l: Language) -> String {
    l.to_639_1().unwrap_or_else(|| l.to_639_3()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(written: &str) -> (String, TextDirection, bool) {
        let c = check(written).unwrap_or_else(|e| panic!("{written:?}: {e:?}"));
        (c.tag, c.dir, c.warning.is_some())
    }

    fn help(written: &str) -> String {
        check(written).expect_err(written).help
    }

    #[test]
    fn tags_are_taken_in_canonical_case() {
        assert_eq!(tag("en"), ("en".into(), TextDirection::Ltr, false));
        assert_eq!(tag("EN-us"), ("en-US".into(), TextDirection::Ltr, false));
        assert_eq!(
            tag("zh-hant-tw"),
            ("zh-Hant-TW".into(), TextDirection::Ltr, false)
        );
        assert_eq!(tag("yue"), ("yue".into(), TextDirection::Ltr, false));
    }

    #[test]
    fn direction_comes_from_the_script() {
        for rtl in [
            "ar", "fa", "he", "ur", "ps", "ar-EG", "ckb", "yi", "dv", "sd",
        ] {
            assert_eq!(tag(rtl).1, TextDirection::Rtl, "{rtl}");
        }
        for ltr in ["en", "ru", "tr", "zh", "ja", "th", "az-Latn", "uz"] {
            assert_eq!(tag(ltr).1, TextDirection::Ltr, "{ltr}");
        }
        // Written in Latin letters, Persian runs left to right; Azerbaijani in Arabic script
        // runs right to left.
        assert_eq!(tag("fa-Latn").1, TextDirection::Ltr);
        assert_eq!(tag("az-Arab").1, TextDirection::Rtl);
    }

    #[test]
    fn names_get_their_tag() {
        for (written, meant) in [
            ("english", "en"),
            ("English", "en"),
            ("Russian", "ru"),
            ("русский", "ru"),
            ("farsi", "fa"),
            ("persian", "fa"),
            ("arabic", "ar"),
            ("العربية", "ar"),
            ("deutsch", "de"),
            ("german", "de"),
            ("français", "fr"),
            ("turkish", "tr"),
            ("ukrainian", "uk"),
            ("englsh", "en"),
            ("en_US", "en-US"),
            ("rus", "ru"),
            ("ara-EG", "ar-EG"),
        ] {
            assert!(
                help(written).contains(&format!("`language = \"{meant}\"`")),
                "{written}: {}",
                help(written)
            );
        }
    }

    #[test]
    fn nonsense_is_refused_without_a_guess() {
        for written in ["", "e", "a b", "en--US", "qwertyuiop"] {
            let e = check(written).expect_err(written);
            assert!(e.help.contains("such as"), "{written}: {e:?}");
        }
    }

    #[test]
    fn unknown_and_deprecated_codes_are_warned_about() {
        let c = check("xx").unwrap();
        assert_eq!(c.tag, "xx");
        assert!(c.warning.is_some());
        let c = check("iw").unwrap();
        assert_eq!((c.tag.as_str(), c.dir), ("he", TextDirection::Rtl));
        assert!(c.warning.unwrap().1.contains("\"he\""));
    }
}
