use std::path::PathBuf;

use super::*;

fn locales(files: &[(&str, &str)]) -> Locales {
    let files: Vec<SourceFile> = files
        .iter()
        .map(|(p, t)| SourceFile {
            path: PathBuf::from(p),
            text: t.to_string(),
        })
        .collect();
    Locales::new(Catalogs::load(&files).expect("valid tables"))
}

fn errors(files: &[(&str, &str)]) -> Vec<Diagnostic> {
    let files: Vec<SourceFile> = files
        .iter()
        .map(|(p, t)| SourceFile {
            path: PathBuf::from(p),
            text: t.to_string(),
        })
        .collect();
    Catalogs::load(&files).expect_err("invalid tables")
}

fn date(y: i16, m: i8, d: i8) -> jiff::civil::Date {
    jiff::civil::date(y, m, d)
}

#[test]
fn builtin_tables_are_valid_against_english() {
    let en = parse_table(BUILTIN[0].1, None).expect("English table");
    for (lang, text) in BUILTIN {
        let catalog = parse_table(text, Some(&en))
            .unwrap_or_else(|e| panic!("the built-in {lang} table: {e:?}"));
        let mut missing: Vec<&str> = en
            .messages
            .keys()
            .filter(|k| !catalog.messages.contains_key(*k))
            .map(|k| &**k)
            .collect();
        missing.sort_unstable();
        assert!(missing.is_empty(), "{lang} lacks {missing:?}");
    }
}

#[test]
fn builtin_plurals_have_every_category_of_their_language() {
    for (lang, text) in BUILTIN {
        let catalog = parse_table(text, None).expect("table");
        let icu: IcuLocale = lang.parse().expect("tag");
        let rules = PluralRules::try_new_cardinal((&icu).into()).expect("rules");
        let wanted: Vec<usize> = rules
            .categories()
            .map(|c| match c {
                PluralCategory::Zero => 0,
                PluralCategory::One => 1,
                PluralCategory::Two => 2,
                PluralCategory::Few => 3,
                PluralCategory::Many => 4,
                PluralCategory::Other => OTHER,
            })
            .collect();
        for (id, m) in &catalog.messages {
            if let Message::Plural(forms) = m {
                for &i in &wanted {
                    assert!(
                        forms[i].is_some(),
                        "{lang}: `{id}` lacks `{}`",
                        CATEGORIES[i]
                    );
                }
            }
        }
    }
}

#[test]
fn russian_plurals_take_three_forms() {
    let l = locales(&[]);
    let ru = l.get("ru");
    let forms: Vec<String> = [1, 2, 5, 21, 11, 0]
        .iter()
        .map(|&n| ru.text("briefs_count", Some(n), &[]))
        .collect();
    assert_eq!(
        forms,
        [
            "1 материал",
            "2 материала",
            "5 материалов",
            "21 материал",
            "11 материалов",
            "0 материалов"
        ]
    );
}

#[test]
fn arabic_plurals_take_six_forms() {
    let l = locales(&[]);
    let ar = l.get("ar");
    let forms: Vec<String> = [0, 1, 2, 3, 11, 100]
        .iter()
        .map(|&n| ar.text("briefs_count", Some(n), &[]))
        .collect();
    assert_eq!(
        forms,
        [
            "لا أخبار",
            "خبر واحد",
            "خبران",
            "3 أخبار",
            "11 خبرًا",
            "100 خبر"
        ]
    );
}

#[test]
fn english_plurals_and_placeholders() {
    let l = locales(&[]);
    let en = l.get("en");
    assert_eq!(en.text("briefs_count", Some(1), &[]), "1 brief");
    assert_eq!(en.text("briefs_count", Some(0), &[]), "0 briefs");
    assert_eq!(
        en.text("page_of", None, &[("page", "2"), ("total", "7")]),
        "Page 2 of 7"
    );
}

#[test]
fn regional_tags_use_their_language_and_unknown_languages_english() {
    let l = locales(&[]);
    assert_eq!(
        l.get("de-AT").text("latest_briefs", None, &[]),
        "Neueste Beiträge"
    );
    assert_eq!(l.get("fa-IR").text("archive", None, &[]), "بایگانی");
    assert_eq!(
        l.get("pt").text("latest_briefs", None, &[]),
        "Latest briefs"
    );
    assert_eq!(l.get("pt").text("briefs_count", Some(2), &[]), "2 briefs");
}

#[test]
fn dates_follow_the_language() {
    let l = locales(&[]);
    let d = date(2025, 3, 14);
    assert_eq!(l.get("en").date(d, DateStyle::Long), "14 March 2025");
    assert_eq!(l.get("en").date(d, DateStyle::Short), "14 Mar");
    assert_eq!(l.get("en").date(d, DateStyle::Month), "March 2025");
    assert_eq!(l.get("en").date(d, DateStyle::MonthShort), "Mar 2025");
    assert!(
        l.get("ru")
            .date(d, DateStyle::Long)
            .starts_with("14 марта 2025")
    );
    assert_eq!(l.get("tr").date(d, DateStyle::Long), "14 Mart 2025");
    assert_eq!(l.get("de").date(d, DateStyle::Long), "14. März 2025");
    // Persian keeps the Gregorian calendar, in Persian words and digits.
    let fa = l.get("fa").date(d, DateStyle::Long);
    assert!(fa.contains("مارس"), "{fa}");
}

#[test]
fn a_site_overrides_a_message() {
    let l = locales(&[("de.toml", "latest_briefs = \"Das Neueste\"\n")]);
    assert_eq!(l.get("de").text("latest_briefs", None, &[]), "Das Neueste");
    assert_eq!(l.get("de").text("archive", None, &[]), "Archiv");
    assert_eq!(
        l.get("en").text("latest_briefs", None, &[]),
        "Latest briefs"
    );
}

#[test]
fn a_site_adds_a_language() {
    let l = locales(&[(
        "pt.toml",
        "latest_briefs = \"Últimas notas\"\nbriefs_count = { one = \"{n} nota\", other = \"{n} notas\" }\n",
    )]);
    assert_eq!(
        l.get("pt-BR").text("latest_briefs", None, &[]),
        "Últimas notas"
    );
    assert_eq!(l.get("pt").text("briefs_count", Some(3), &[]), "3 notas");
}

#[test]
fn every_problem_of_an_override_file_is_located() {
    let text = "lates_briefs = \"x\"\nbriefs_count = { one = \"{n} x\" }\npage_of = \"{page} {pages}\"\narchive = { other = \"x\" }\n";
    let d = errors(&[("de.toml", text)]);
    assert_eq!(d.len(), 4, "{d:#?}");
    assert!(
        d.iter()
            .all(|d| d.path == Some(PathBuf::from("i18n/de.toml")))
    );
    assert!(d[0].message.contains("unknown message `lates_briefs`"));
    assert!(d[0].help.as_deref().unwrap_or("").contains("latest_briefs"));
    assert_eq!((d[0].line, d[0].column), (Some(1), Some(1)));
    assert!(d[1].message.contains("without `other`"));
    assert_eq!(d[1].line, Some(2));
    assert!(d[2].message.contains("unknown placeholder `{pages}`"));
    assert_eq!(d[2].line, Some(3));
    assert!(d[3].message.contains("takes no count"));
}

#[test]
fn a_syntax_error_is_located() {
    let d = errors(&[("ru.toml", "archive = \"Архив\nx = 1\n")]);
    assert_eq!(d.len(), 1);
    assert!(d[0].message.contains("TOML"), "{}", d[0].message);
    assert_eq!(d[0].line, Some(1));
}

#[test]
fn braces_escape_and_bad_placeholders_fail() {
    let p = Pattern::parse("{{literal}} {n}").expect("pattern");
    let mut out = String::new();
    p.write(&mut out, false, |_, o| o.push('5'));
    assert_eq!(out, "{literal} 5");
    assert!(Pattern::parse("{n").is_err());
    assert!(Pattern::parse("a } b").is_err());
    assert!(Pattern::parse("{a b}").is_err());
}

#[test]
fn dates_in_languages_without_a_table() {
    let l = locales(&[]);
    let d = date(2025, 3, 14);
    assert_eq!(l.get("pt").date(d, DateStyle::Month), "março de 2025");
    assert_eq!(l.get("en-US").date(d, DateStyle::Long), "March 14, 2025");
    // Every style of a few tags, including ones ICU does not read, without a panic.
    for tag in ["pt-BR", "es", "zh", "ja", "fa", "ar", "xx", "english", ""] {
        for style in DateStyle::NAMES.map(|n| DateStyle::parse(n).expect("a style")) {
            assert!(!l.get(tag).date(d, style).is_empty(), "{tag} {style:?}");
        }
    }
}
