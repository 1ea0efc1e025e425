//! Vietnamese collation and name sorting (docs/vn-formatting.md §5).
//!
//! Takes names or other text (any normalisation form) and returns orderings:
//! primary = base letters in the alphabet `a ă â b c d đ e ê … o ô ơ … u ư …`
//! (case-insensitive, word by word, a shorter prefix first); secondary = the
//! tone of each syllable (không < huyền < hỏi < ngã < sắc < nặng), compared
//! only when all letters tie, so "Hoà" = "Hòa" and "Thuỷ" = "Thủy"; tertiary =
//! lowercase before uppercase. Names sort by the given name (last word) first,
//! then by the rest of the name. No ICU.

use std::cmp::Ordering;

use unicode_normalization::UnicodeNormalization;

const ALPHABET: [char; 29] = [
    'a', 'ă', 'â', 'b', 'c', 'd', 'đ', 'e', 'ê', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o',
    'ô', 'ơ', 'p', 'q', 'r', 's', 't', 'u', 'ư', 'v',
];
const ALPHABET_TAIL: [char; 4] = ['w', 'x', 'y', 'z'];

/// Primary weight of a (lower-case, tone-less, modified) base character.
fn weight(c: char) -> u32 {
    if let Some(d) = c.to_digit(10) {
        return 10 + d;
    }
    if let Some(i) = ALPHABET
        .iter()
        .chain(ALPHABET_TAIL.iter())
        .position(|&x| x == c)
    {
        return 100 + i as u32;
    }
    1000 + c as u32
}

/// Applies a combining vowel modifier to a base letter (a + ̆ → ă …).
fn modify(base: char, mark: char) -> Option<char> {
    match (base, mark) {
        ('a', '\u{306}') => Some('ă'),
        ('a', '\u{302}') => Some('â'),
        ('e', '\u{302}') => Some('ê'),
        ('o', '\u{302}') => Some('ô'),
        ('o', '\u{31B}') => Some('ơ'),
        ('u', '\u{31B}') => Some('ư'),
        _ => None,
    }
}

/// Tone rank of a combining tone mark (huyền 1 … nặng 5).
fn tone(mark: char) -> Option<u8> {
    match mark {
        '\u{300}' => Some(1),
        '\u{309}' => Some(2),
        '\u{303}' => Some(3),
        '\u{301}' => Some(4),
        '\u{323}' => Some(5),
        _ => None,
    }
}

/// Collation key of a text (a sequence of words).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct TextKey {
    /// Base-letter weights, word by word.
    primary: Vec<Vec<u32>>,
    /// One tone per word (the syllable's tone, wherever the mark sits).
    tones: Vec<u8>,
    /// 0 = lower, 1 = upper, letter by letter.
    case: Vec<u8>,
}

impl TextKey {
    fn new<'a>(words: impl Iterator<Item = &'a str>) -> TextKey {
        let mut key = TextKey {
            primary: Vec::new(),
            tones: Vec::new(),
            case: Vec::new(),
        };
        for word in words {
            let mut letters: Vec<char> = Vec::new();
            let mut word_tone = 0u8;
            for c in word.nfd() {
                if let Some(t) = tone(c) {
                    if word_tone == 0 {
                        word_tone = t;
                    }
                } else if let Some(last) = letters.last_mut() {
                    if let Some(m) = modify(*last, c) {
                        *last = m;
                        continue;
                    }
                    if is_combining(c) {
                        continue;
                    }
                    push_base(c, &mut letters, &mut key.case);
                } else if !is_combining(c) {
                    push_base(c, &mut letters, &mut key.case);
                }
            }
            key.primary.push(letters.into_iter().map(weight).collect());
            key.tones.push(word_tone);
        }
        key
    }
}

fn push_base(c: char, letters: &mut Vec<char>, case: &mut Vec<u8>) {
    let lower: Vec<char> = c.to_lowercase().collect();
    case.push(u8::from(lower != [c]));
    letters.extend(lower);
}

/// Combining marks this collation ignores (other than tones and modifiers).
fn is_combining(c: char) -> bool {
    matches!(c as u32, 0x300..=0x36F)
}

/// Sort key of a person's name: the given name (last word) first, then the
/// rest of the name. Build once per item and compare with `Ord`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct NameKey {
    given: TextKey,
    rest: TextKey,
}

impl NameKey {
    /// Builds the key of a full name ("Nguyễn Văn An" → "An", then "Nguyễn Văn").
    pub fn new(name: &str) -> NameKey {
        let words: Vec<&str> = name.split_whitespace().collect();
        let (given, rest) = match words.split_last() {
            Some((last, rest)) => (TextKey::new(std::iter::once(*last)), rest),
            None => (TextKey::new(std::iter::empty()), &[][..]),
        };
        NameKey {
            given,
            rest: TextKey::new(rest.iter().copied()),
        }
    }
}

/// Compares two texts in Vietnamese dictionary order (whole text, no
/// given-name rule): "ba" < "bà" < "bả" < "bã" < "bá" < "bạ".
pub fn compare_text(a: &str, b: &str) -> Ordering {
    TextKey::new(a.split_whitespace()).cmp(&TextKey::new(b.split_whitespace()))
}

/// Compares two full names, given name first.
pub fn compare_names(a: &str, b: &str) -> Ordering {
    NameKey::new(a).cmp(&NameKey::new(b))
}

/// Sorts items by the name `name_of` returns (stable: exact ties keep their
/// order).
pub fn sort_names<T>(items: &mut [T], name_of: impl Fn(&T) -> &str) {
    items.sort_by_cached_key(|item| NameKey::new(name_of(item)));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted_text(input: &[&str]) -> Vec<String> {
        let mut v: Vec<&str> = input.to_vec();
        v.sort_by(|a, b| compare_text(a, b));
        v.into_iter().map(String::from).collect()
    }

    fn sorted_names(input: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = input.iter().map(|s| s.to_string()).collect();
        sort_names(&mut v, |s| s.as_str());
        v
    }

    #[test]
    fn spec_5_vectors() {
        let cases: &[(&[&str], &[&str])] = &[
            (
                &["ba", "bạ", "bá", "bã", "bả", "bà"],
                &["ba", "bà", "bả", "bã", "bá", "bạ"],
            ),
            (&["Hà", "Dung", "Đào"], &["Dung", "Đào", "Hà"]),
            (&["Ánh", "Anh", "Ảnh"], &["Anh", "Ảnh", "Ánh"]),
            (&["Hoan", "Hòa"], &["Hòa", "Hoan"]),
            (&["Ấn", "Ân", "Anh", "An"], &["An", "Anh", "Ân", "Ấn"]),
            (&["Ơn", "Oanh", "Ông"], &["Oanh", "Ông", "Ơn"]),
            (&["ách", "ác"], &["ác", "ách"]),
        ];
        for (input, expected) in cases {
            assert_eq!(sorted_text(input), *expected, "{input:?}");
            // Single words: the name rule gives the same order.
            assert_eq!(sorted_names(input), *expected, "{input:?}");
        }
    }

    #[test]
    fn spec_5_names_by_given_name() {
        let input = [
            "Nguyễn Văn An",
            "Trần Thị Bình",
            "Lê Văn Bình",
            "Phạm Thị Ánh",
            "Đỗ Anh",
        ];
        let expected = [
            "Nguyễn Văn An",
            "Đỗ Anh",
            "Phạm Thị Ánh",
            "Lê Văn Bình",
            "Trần Thị Bình",
        ];
        assert_eq!(sorted_names(&input), expected);
    }

    #[test]
    fn old_and_new_tone_placement_are_equal() {
        assert_eq!(compare_text("Hoà", "Hòa"), Ordering::Equal);
        assert_eq!(compare_text("Thuỷ", "Thủy"), Ordering::Equal);
        assert_eq!(compare_names("Lê Thị Thuỷ", "Lê Thị Thủy"), Ordering::Equal);
        let nfd: String = "Nguyễn Thị Ánh".nfd().collect();
        assert_eq!(compare_names(&nfd, "Nguyễn Thị Ánh"), Ordering::Equal);
    }

    #[test]
    fn letters_first_then_tones_then_case() {
        // ang < anh regardless of tones
        assert_eq!(compare_text("áng", "anh"), Ordering::Less);
        assert_eq!(compare_text("cha", "chan"), Ordering::Less);
        assert_eq!(compare_text("an", "An"), Ordering::Less);
        assert_eq!(compare_text("Ân", "ấn"), Ordering::Less);
        assert_eq!(compare_text("đa", "Đa"), Ordering::Less);
        assert_eq!(compare_text("Dương", "Đào"), Ordering::Less);
        assert_eq!(compare_text("Ư", "V"), Ordering::Less);
        assert_eq!(compare_text("Ngọc Ánh", "Ngọc Anh"), Ordering::Greater);
        assert_eq!(compare_text("Yến", "Z"), Ordering::Less);
    }

    #[test]
    fn stable_and_robust() {
        let v = sorted_names(&["", "  ", "Nguyễn Văn An", "An"]);
        assert_eq!(v.first().map(String::as_str), Some(""));
        let v = sorted_names(&["Lê Thị Thuỷ", "Lê Thị Thủy"]);
        assert_eq!(v, ["Lê Thị Thuỷ", "Lê Thị Thủy"]);
        let v = sorted_names(&["Lê Thị Thủy", "Lê Thị Thuỷ"]);
        assert_eq!(v, ["Lê Thị Thủy", "Lê Thị Thuỷ"]);
        assert_eq!(compare_text("Ḁ", "a"), Ordering::Greater);
        assert_eq!(compare_text("2", "a"), Ordering::Less);
    }
}
