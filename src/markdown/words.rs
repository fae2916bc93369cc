//! How many words a body has, and how long it takes to read, in any script.
//!
//! Most briefs are in scripts that put spaces between words (Latin, Cyrillic, Arabic, Hebrew,
//! Devanagari, Hangul…): their words are counted between whitespace, with a byte loop for ASCII.
//! Chinese and Japanese, and Thai, Lao, Khmer and Burmese, write words without spaces; text with
//! any of their letters is split into words by ICU4X's word segmenter, which finds the words of
//! those scripts in its dictionaries (and splits other text at Unicode's word boundaries, UAX #29).
//!
//! Reading time adds up words at 200 a minute and Chinese and Japanese characters (Han ideographs
//! and kana) at 500 a minute, the rate by which Chinese and Japanese reading is usually measured;
//! the words they form are not counted again. Thai, Lao, Khmer and Burmese are read by words.

use std::sync::LazyLock;

use icu_properties::props::{LineBreak, Script};
use icu_properties::{CodePointMapData, CodePointMapDataBorrowed};
use icu_segmenter::options::WordBreakInvariantOptions;
use icu_segmenter::{WordSegmenter, WordSegmenterBorrowed};

/// Words read in a minute.
pub const WORDS_PER_MINUTE: usize = 200;
/// Chinese and Japanese characters read in a minute.
pub const CHARACTERS_PER_MINUTE: usize = 500;

/// The length of a text, as a reader meets it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WordCount {
    /// Words in every script.
    pub words: usize,
    /// Of [`WordCount::words`], those written in Han ideographs or kana, read by characters.
    pub cjk_words: usize,
    /// Han ideographs and kana in those words.
    pub cjk_chars: usize,
}

impl WordCount {
    /// The words and characters of `text`.
    pub fn of(text: &str) -> WordCount {
        if text.is_ascii() {
            return WordCount {
                words: ascii_words(text),
                ..WordCount::default()
            };
        }
        match spaced_words(text) {
            Some(words) => WordCount {
                words,
                ..WordCount::default()
            },
            None => segmented(text),
        }
    }

    /// Minutes to read, rounded up, at least 1.
    pub fn reading_minutes(&self) -> usize {
        // In thousandths of a minute, so that both rates stay whole numbers.
        let words = (self.words - self.cjk_words) * (1000 / WORDS_PER_MINUTE);
        let chars = self.cjk_chars * (1000 / CHARACTERS_PER_MINUTE);
        (words + chars).div_ceil(1000).max(1)
    }
}

impl std::ops::AddAssign for WordCount {
    fn add_assign(&mut self, other: WordCount) {
        self.words += other.words;
        self.cjk_words += other.cjk_words;
        self.cjk_chars += other.cjk_chars;
    }
}

/// The number of whitespace-separated words of ASCII text, as `split_whitespace().count()`.
fn ascii_words(text: &str) -> usize {
    let mut words = 0;
    let mut in_word = false;
    for &b in text.as_bytes() {
        let space = b.is_ascii_whitespace() || b == 0x0b;
        words += usize::from(!space && !in_word);
        in_word = !space;
    }
    words
}

/// The number of whitespace-separated words, as `split_whitespace().count()`, in the same pass
/// that looks for letters of scripts without spaces: `None` at the first.
fn spaced_words(text: &str) -> Option<usize> {
    let mut words = 0;
    let mut in_word = false;
    for c in text.chars() {
        if unspaced(c) {
            return None;
        }
        let space = c.is_whitespace();
        words += usize::from(!space && !in_word);
        in_word = !space;
    }
    Some(words)
}

const SCRIPTS: CodePointMapDataBorrowed<'static, Script> = CodePointMapData::<Script>::new();
const LINE_BREAK: CodePointMapDataBorrowed<'static, LineBreak> =
    CodePointMapData::<LineBreak>::new();

/// Whether `c` belongs to a script written without spaces between words: Unicode gives the
/// letters of Thai, Lao, Khmer, Burmese and the like the line-break class "complex context".
/// Everything before Thai (U+0E00) is spaced, which spares Latin, Cyrillic, Arabic and Hebrew
/// text any look-up.
fn unspaced(c: char) -> bool {
    c >= '\u{0E00}' && (cjk(c) || LINE_BREAK.get(c) == LineBreak::ComplexContext)
}

/// A Han ideograph or kana.
fn cjk(c: char) -> bool {
    c >= '\u{2E80}'
        && matches!(
            SCRIPTS.get(c),
            Script::Han | Script::Hiragana | Script::Katakana
        )
}

// OK because immutable: the segmenter's dictionaries are compiled in; loading them once spares
// each text with Chinese in it the work.
static SEGMENTER: LazyLock<WordSegmenterBorrowed<'static>> =
    LazyLock::new(|| WordSegmenter::new_dictionary(WordBreakInvariantOptions::default()));

fn segmented(text: &str) -> WordCount {
    let mut count = WordCount::default();
    let mut start = 0;
    for (end, kind) in SEGMENTER.segment_str(text).iter_with_word_type() {
        if kind.is_word_like() {
            let cjk_chars = text[start..end].chars().filter(|&c| cjk(c)).count();
            count.words += 1;
            count.cjk_words += usize::from(cjk_chars > 0);
            count.cjk_chars += cjk_chars;
        }
        start = end;
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaced_text_counts_as_split_whitespace() {
        for text in [
            "",
            " ",
            "one",
            "  two words  ",
            "tab\tand\nnewline\r\nand\x0bvertical\x0cfeed",
            "non-ASCII: naïve café\u{a0}with no-break\u{2003}em space",
            "a,b;c",
            "Переговоры продолжатся «в ближайшее время»",
            "المحادثات في الرياض",
        ] {
            assert_eq!(
                WordCount::of(text).words,
                text.split_whitespace().count(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn chinese_and_japanese_are_counted_by_characters() {
        // "The two sides held talks in Riyadh.": 11 ideographs, some 6 words.
        let zh = WordCount::of("双方在利雅得举行了会谈。");
        assert_eq!(zh.cjk_chars, 11);
        assert!((4..=8).contains(&zh.words), "{zh:?}");
        assert_eq!(zh.words, zh.cjk_words);
        let ja = WordCount::of("こんにちは世界");
        assert_eq!((ja.words, ja.cjk_chars), (2, 7));
        let mixed = WordCount::of("The talks 会谈 resumed.");
        assert_eq!((mixed.words, mixed.cjk_words, mixed.cjk_chars), (4, 1, 2));
    }

    #[test]
    fn thai_is_split_into_words() {
        // "every two weeks": three words, no spaces.
        let th = WordCount::of("ทุกสองสัปดาห์");
        assert_eq!((th.words, th.cjk_chars), (3, 0));
    }

    #[test]
    fn reading_time_weighs_words_and_characters() {
        let words = |n| WordCount {
            words: n,
            ..WordCount::default()
        };
        assert_eq!(words(0).reading_minutes(), 1);
        assert_eq!(words(200).reading_minutes(), 1);
        assert_eq!(words(201).reading_minutes(), 2);
        let chinese = WordCount {
            words: 600,
            cjk_words: 600,
            cjk_chars: 1500,
        };
        assert_eq!(chinese.reading_minutes(), 3);
    }
}
