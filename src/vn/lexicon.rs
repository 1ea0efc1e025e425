//! Vietnamese words of two and three syllables, for line breaking.
//!
//! Takes syllables as they stand in a text; answers whether they make one word
//! of the embedded word list (`lexicon/words.txt`, source and licence in
//! `lexicon/NOTICE`), so that a display line is not broken inside it.
//! Case and the two ways of placing a tone mark ("hoá"/"hóa", "uỷ"/"ủy") do not
//! matter. The list is searched where it lies in the binary (it is sorted), so
//! a [`Lexicon`] costs nothing to build.
use rustc_hash::FxHashSet;

/// The word list: one line per first syllable, a tab, then the rest of each
/// word, separated by `|` (e.g. `kinh\tdoanh|tế|tế học`). Lower case, NFC,
/// tone marks placed the new way, lines sorted by their bytes.
const WORDS: &str = include_str!("lexicon/words.txt");

/// A set of words of two or three syllables: the embedded list, and words
/// added to it (names).
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    /// The sorted list searched (empty for a lexicon of added words only).
    list: &'static str,
    /// Added words, in the form [`key_into`] gives.
    added: FxHashSet<String>,
}

impl Lexicon {
    /// The embedded word list (24,606 words).
    pub fn embedded() -> Lexicon {
        Lexicon {
            list: WORDS,
            added: FxHashSet::default(),
        }
    }

    /// Add a word (a name) of two or more syllables; longer ones are added as
    /// each run of two and three syllables in them, so no break falls inside.
    pub fn add(&mut self, syllables: &[&str]) {
        for n in [2, 3] {
            for w in syllables.windows(n) {
                let mut key = String::new();
                key_into(w, &mut key);
                self.added.insert(key);
            }
        }
    }

    /// Whether `syllables` (two or three, as written in the text) are one word.
    pub fn contains(&self, syllables: &[&str]) -> bool {
        let mut key = String::with_capacity(32);
        key_into(syllables, &mut key);
        if self.added.contains(&key) {
            return true;
        }
        let Some((head, rest)) = key.split_once(' ') else {
            return false;
        };
        find_line(self.list, head)
            .and_then(|line| line.split_once('\t'))
            .is_some_and(|(_, tails)| tails.split('|').any(|t| t == rest))
    }

    /// How many words the set holds.
    pub fn len(&self) -> usize {
        let listed: usize = self
            .list
            .lines()
            .filter_map(|l| l.split_once('\t'))
            .map(|(_, tails)| tails.split('|').count())
            .sum();
        listed + self.added.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty() && self.added.is_empty()
    }
}

/// The line of the sorted `list` whose first syllable is `head`, found by
/// bisecting its bytes (each probe reads the line around the middle).
fn find_line<'a>(list: &'a str, head: &str) -> Option<&'a str> {
    let bytes = list.as_bytes();
    // `lo` is always the start of a line; the line sought lies in lo..hi.
    let (mut lo, mut hi) = (0, bytes.len());
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let start = bytes
            .get(lo..mid)
            .and_then(|b| b.iter().rposition(|&c| c == b'\n'))
            .map_or(lo, |p| lo + p + 1);
        let end = bytes
            .get(start..)
            .and_then(|b| b.iter().position(|&c| c == b'\n'))
            .map_or(bytes.len(), |p| start + p);
        let line = list.get(start..end)?;
        match head_of(line).cmp(head) {
            std::cmp::Ordering::Equal => return Some(line),
            std::cmp::Ordering::Less => lo = end + 1,
            std::cmp::Ordering::Greater => hi = start,
        }
    }
    None
}

/// The first syllable of a line of the list.
fn head_of(line: &str) -> &str {
    line.split_once('\t').map_or(line, |(h, _)| h)
}

/// The key of a word: its syllables in lower case with their tone marks
/// placed the new way, separated by single spaces.
fn key_into(syllables: &[&str], out: &mut String) {
    for (i, s) in syllables.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        canonical_into(s, out);
    }
}

/// `syllable` in lower case, with an old-style tone on the last vowel of a
/// final `oa`, `oe` or `uy` ("hoá", "uỷ") moved to the first ("hóa", "ủy"),
/// as the word list and most texts write it. "quý" keeps its tone: its `u`
/// belongs to the `qu`.
fn canonical_into(syllable: &str, out: &mut String) {
    let start = out.len();
    out.extend(syllable.chars().flat_map(char::to_lowercase));
    let mut rev = out.get(start..).unwrap_or_default().char_indices().rev();
    let (Some((_, last)), Some((at, first))) = (rev.next(), rev.next()) else {
        return;
    };
    let before = rev.next().map(|(_, c)| c);
    let Some((base, tone)) = split_tone(last) else {
        return;
    };
    let pair = matches!((first, base), ('o', 'a') | ('o', 'e') | ('u', 'y'));
    if !pair || before == Some('q') {
        return;
    }
    let Some(toned) = with_tone(first, tone) else {
        return;
    };
    out.truncate(start + at);
    out.push(toned);
    out.push(base);
}

/// The five tones on a, e, y, o and u (sắc, huyền, hỏi, ngã, nặng).
const TONED: [(char, [char; 5]); 5] = [
    ('a', ['á', 'à', 'ả', 'ã', 'ạ']),
    ('e', ['é', 'è', 'ẻ', 'ẽ', 'ẹ']),
    ('y', ['ý', 'ỳ', 'ỷ', 'ỹ', 'ỵ']),
    ('o', ['ó', 'ò', 'ỏ', 'õ', 'ọ']),
    ('u', ['ú', 'ù', 'ủ', 'ũ', 'ụ']),
];

/// A toned a, e or y as its base letter and tone (0–4).
fn split_tone(c: char) -> Option<(char, usize)> {
    TONED
        .iter()
        .find_map(|(b, ts)| ts.iter().position(|t| *t == c).map(|i| (*b, i)))
}

/// `base` (o or u) with `tone`.
fn with_tone(base: char, tone: usize) -> Option<char> {
    TONED
        .iter()
        .find(|(b, _)| *b == base)
        .and_then(|(_, ts)| ts.get(tone).copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_of_the_list_in_any_case_and_tone_placement() {
        let l = Lexicon::embedded();
        assert!(l.len() > 24_000, "{}", l.len());
        for w in [
            "kinh tế",
            "quốc phòng",
            "đẩy mạnh",
            "xã hội",
            "CÔNG NGHIỆP",
            "đạo đức",
            "Ủy ban",
            "uỷ ban",
            "thành ủy",
            "hiện đại hoá",
            "hiện đại hóa",
        ] {
            let s: Vec<&str> = w.split(' ').collect();
            assert!(l.contains(&s), "{w}");
        }
        for w in ["đức phong", "tưởng đạo", "của các"] {
            let s: Vec<&str> = w.split(' ').collect();
            assert!(!l.contains(&s), "{w}");
        }
    }

    #[test]
    fn tone_moves_only_in_final_oa_oe_uy_not_after_q() {
        let c = |s: &str| {
            let mut o = String::new();
            canonical_into(s, &mut o);
            o
        };
        assert_eq!(c("hoá"), "hóa");
        assert_eq!(c("Uỷ"), "ủy");
        assert_eq!(c("khoẻ"), "khỏe");
        assert_eq!(c("quý"), "quý");
        assert_eq!(c("hoàng"), "hoàng");
        assert_eq!(c("toán"), "toán");
    }

    #[test]
    fn added_names_hold_every_two_and_three_syllable_run() {
        let mut l = Lexicon::default();
        l.add(&["Hồ", "Chí", "Minh"]);
        assert!(l.contains(&["HỒ", "CHÍ"]));
        assert!(l.contains(&["chí", "minh"]));
        assert!(l.contains(&["Hồ", "Chí", "Minh"]));
        assert!(!l.contains(&["Minh", "Hồ"]));
    }

    #[test]
    fn bisection_finds_every_line_and_nothing_else() {
        for line in WORDS.lines() {
            assert_eq!(find_line(WORDS, head_of(line)), Some(line));
        }
        for missing in ["", "a0", "zzz", "kinhh", "ỹỹ"] {
            assert_eq!(find_line(WORDS, missing), None, "{missing}");
        }
        assert_eq!(Lexicon::embedded().len(), 24_606);
    }
}
