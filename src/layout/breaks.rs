//! Where a line may break: words → what breaking after each one costs.
//!
//! Takes the words of a paragraph or a display line (as written, with their
//! punctuation) and returns one [`Gap`] per word, for the line breaker's
//! penalties. Everywhere, non-breaking ties keep a number with its unit
//! ("1.286,75 triệu đồng", "tỷ đồng"), "số" and "ngày" with what follows,
//! "tháng"/"năm"/"quý"/"khóa" with their number, and names together: a run of
//! capitalised syllables in mixed-case text ("Hồ Chí Minh") and the names
//! given by the report's data. Display lines (titles, agency names, headings,
//! recipients, the signature) also keep two- and three-syllable words of the
//! word list ([`Lexicon`]) whole, and prefer breaks after punctuation and
//! before function words ("về", "và", "của", "trong", "năm", "giai đoạn", …).
use crate::input::{DocMeta, Signer};
use crate::vn::Lexicon;

/// What a break after a word is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gap {
    /// An ordinary space.
    Plain,
    /// After punctuation: a good place (display lines).
    AfterPunctuation,
    /// Before a function word: a good place (display lines).
    BeforeFunctionWord,
    /// Inside a word of the list or a name: only if nothing else fits.
    InsideWord,
    /// A non-breaking tie: only if nothing else fits.
    Tie,
}

impl Gap {
    /// The demerits a line break here adds (the line breaker's scale: a line
    /// 10 % short of its width costs about 12,000).
    pub fn penalty(self) -> f32 {
        match self {
            Gap::Plain => 0.0,
            Gap::AfterPunctuation => -3000.0,
            Gap::BeforeFunctionWord => -1500.0,
            Gap::InsideWord | Gap::Tie => 1.0e9,
        }
    }
}

/// Words a break goes well before, in display lines.
const FUNCTION_WORDS: &[&str] = &[
    "về", "và", "của", "trong", "năm", "giai", "cho", "với", "theo", "tại", "trên", "để", "đối",
    "nhằm", "từ", "đến", "tới", "qua", "sau", "trước", "do", "bởi", "thuộc", "các", "những", "gắn",
    "giữa", "khi", "nhưng", "hoặc", "tiến", "nhiệm", "thời", "tầm", "đáp", "ngày",
];

/// Words that follow a number as its unit.
const UNITS: &[&str] = &[
    "đồng", "đ", "triệu", "tỷ", "tỉ", "nghìn", "ngàn", "trăm", "usd", "%", "ha", "km", "m", "m2",
    "m²", "m3", "m³", "kg", "tấn", "tạ", "lít", "người", "hộ", "lượt", "lần", "điểm", "bản",
    "tháng", "ngày", "giờ", "phút", "năm", "xã", "thôn", "chi", "đảng", "học", "tổ", "cơ", "đơn",
];

/// Words of money amounts that keep the next one ("triệu đồng", "nghìn tỷ").
const AMOUNTS: &[&str] = &["nghìn", "ngàn", "triệu", "tỷ", "tỉ", "trăm"];
const MONEY: &[&str] = &["đồng", "tỷ", "tỉ", "triệu", "usd"];

/// Words tied to whatever follows ("số 01-KL/TW", "ngày 18-5-2021").
const TIED_TO_NEXT: &[&str] = &["số", "ngày"];

/// Words tied to a number that follows ("năm 2021", "khóa XII").
const TIED_TO_NUMBER: &[&str] = &["tháng", "năm", "quý", "khóa", "khoá", "điều", "khoản"];

/// Names every report may use, kept whole in capitals as well.
const NAMES: &[&str] = &[
    "Việt Nam",
    "Hồ Chí Minh",
    "Hà Nội",
    "Trung ương",
    "Mặt trận Tổ quốc",
    "Cộng sản",
];

/// The knowledge a breaker needs: the word list (parsed on first use) and the
/// names of the report being set.
#[derive(Debug, Default)]
pub struct Breaker {
    lexicon: Option<Lexicon>,
    names: Lexicon,
}

impl Breaker {
    /// The names of the report about to be set (people, places, bodies): each
    /// is kept whole, in any case. Replaces the previous report's names.
    pub fn set_names<'a>(&mut self, names: impl IntoIterator<Item = &'a str>) {
        self.names = Lexicon::default();
        for name in NAMES.iter().copied().chain(names) {
            let syllables: Vec<&str> = name.split_whitespace().map(core).collect();
            if syllables.len() >= 2 && syllables.iter().all(|s| !s.is_empty()) {
                self.names.add(&syllables);
            }
        }
    }

    /// The gaps of body text (paragraphs, table cells): ties only.
    pub fn body_gaps(&self, words: &[&str]) -> Vec<Gap> {
        let caps = all_caps(words);
        gaps_by(words, |_, a, b| {
            if self.tie(a, b, caps) {
                Gap::Tie
            } else {
                Gap::Plain
            }
        })
    }

    /// The gaps of a display line: ties, words of the list, punctuation and
    /// function words.
    pub fn display_gaps(&mut self, words: &[&str]) -> Vec<Gap> {
        let caps = all_caps(words);
        if self.lexicon.is_none() {
            self.lexicon = Some(Lexicon::embedded());
        }
        let Some(lexicon) = self.lexicon.as_ref() else {
            return self.body_gaps(words);
        };
        let cores: Vec<&str> = words.iter().map(|w| core(w)).collect();
        // A three-syllable word keeps both of its gaps.
        let mut inside = vec![false; words.len()];
        for (i, w) in words.windows(3).enumerate() {
            let tri = cores.get(i..i + 3).unwrap_or_default();
            if joinable(w) && lexicon.contains(tri) {
                inside.iter_mut().skip(i).take(2).for_each(|g| *g = true);
            }
        }
        gaps_by(words, |i, a, b| {
            let pair = [core(a), core(b)];
            if self.tie(a, b, caps) {
                Gap::Tie
            } else if inside.get(i).copied().unwrap_or(false)
                || (joinable(&[a, b]) && lexicon.contains(&pair))
            {
                Gap::InsideWord
            } else if ends_with_punctuation(a) {
                Gap::AfterPunctuation
            } else if in_list(core(b), FUNCTION_WORDS) {
                Gap::BeforeFunctionWord
            } else {
                Gap::Plain
            }
        })
    }

    /// Whether `a` and the word after it, `b`, are tied: a number and its
    /// unit, an amount and its currency, "số"/"ngày" and what follows, a
    /// month/year/term and its number, or two syllables of a name.
    fn tie(&self, a: &str, b: &str, caps: bool) -> bool {
        if ends_with_punctuation(a) || starts_with_punctuation(b) {
            return false;
        }
        let (ca, cb) = (core(a), core(b));
        if ca.is_empty() || cb.is_empty() {
            return false;
        }
        (is_number(ca) && in_list(cb, UNITS))
            || (in_list(ca, AMOUNTS) && in_list(cb, MONEY))
            || in_list(ca, TIED_TO_NEXT)
            || (in_list(ca, TIED_TO_NUMBER) && (is_number(cb) || is_roman(cb)))
            || (!caps && capitalised(ca) && capitalised(cb))
            || (starts_upper(ca) && starts_upper(cb) && self.names.contains(&[ca, cb]))
    }
}

/// The names a report's data gives, to be kept whole in its display lines even
/// in capitals: the signer's name, the place, the values of `[dia_phuong]`,
/// and each run of capitalised syllables in the mixed-case text of
/// `[van_ban]` (summary, recipients) and `[dia_phuong]`.
pub fn report_names(meta: &DocMeta, signer: &Signer, data: &serde_json::Value) -> Vec<String> {
    let mut texts: Vec<&str> = vec![signer.name.as_str(), meta.place.as_str()];
    if let Some(serde_json::Value::Object(m)) = data.get("dia_phuong") {
        texts.extend(m.values().filter_map(serde_json::Value::as_str));
    }
    let mut names: Vec<String> = texts.iter().map(|s| s.to_string()).collect();
    for text in texts
        .iter()
        .copied()
        .chain([meta.summary.as_str()])
        .chain(meta.recipients.iter().map(String::as_str))
    {
        let words: Vec<&str> = text.split_whitespace().collect();
        if all_caps(&words) {
            continue;
        }
        let mut run: Vec<&str> = Vec::new();
        for w in words {
            let c = core(w);
            let ends = ends_with_punctuation(w);
            if capitalised(c) && !starts_with_punctuation(w) {
                run.push(c);
            } else if run.len() < 2 {
                run.clear();
            }
            if (ends || !capitalised(c)) && !run.is_empty() {
                if run.len() >= 2 {
                    names.push(run.join(" "));
                }
                run.clear();
            }
        }
        if run.len() >= 2 {
            names.push(run.join(" "));
        }
    }
    names
}

/// One gap per word: `f(i, word, next word)`, and [`Gap::Plain`] after the
/// last word.
fn gaps_by(words: &[&str], mut f: impl FnMut(usize, &str, &str) -> Gap) -> Vec<Gap> {
    let mut out: Vec<Gap> = words
        .windows(2)
        .enumerate()
        .map(|(i, w)| match w {
            [a, b] => f(i, a, b),
            _ => Gap::Plain,
        })
        .collect();
    if !words.is_empty() {
        out.push(Gap::Plain);
    }
    out
}

/// Whether the words may form one word: no punctuation between them.
fn joinable(words: &[&str]) -> bool {
    let n = words.len();
    words.iter().enumerate().all(|(i, w)| {
        (i + 1 == n || !ends_with_punctuation(w)) && (i == 0 || !starts_with_punctuation(w))
    })
}

/// A word without the punctuation around it ("(b/c)," → "b/c").
pub fn core(word: &str) -> &str {
    word.trim_matches(|c: char| !c.is_alphanumeric() && c != '%')
}

fn ends_with_punctuation(word: &str) -> bool {
    word.chars()
        .last()
        .is_some_and(|c| !c.is_alphanumeric() && c != '%')
}

fn starts_with_punctuation(word: &str) -> bool {
    word.chars().next().is_some_and(|c| !c.is_alphanumeric())
}

/// Whether `word` begins with a capital (names do, in any text).
fn starts_upper(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// Whether `word`, in lower case, is one of `list` (no allocation: most
/// words of a paragraph are looked up).
fn in_list(word: &str, list: &[&str]) -> bool {
    // A Vietnamese letter and its small form are as long in UTF-8.
    list.iter().any(|w| {
        w.len() == word.len()
            && (*w == word || word.chars().flat_map(char::to_lowercase).eq(w.chars()))
    })
}

/// A number as written: digits, grouped or with decimals ("1.286,75", "05");
/// not a date or a document number.
fn is_number(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
}

/// A Roman numeral of up to 7 letters ("XII", "IV").
fn is_roman(s: &str) -> bool {
    !s.is_empty() && s.len() <= 7 && s.chars().all(|c| "IVXLCDM".contains(c))
}

/// A capitalised syllable: a capital, then only small letters ("Hồ", "A").
fn capitalised(s: &str) -> bool {
    let mut cs = s.chars();
    cs.next().is_some_and(char::is_uppercase) && cs.all(|c| c.is_lowercase())
}

/// Whether the words have no small letter (a title in capitals): capitals then
/// say nothing about names.
fn all_caps(words: &[&str]) -> bool {
    !words.iter().any(|w| w.chars().any(char::is_lowercase))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gaps(b: &mut Breaker, s: &str, display: bool) -> String {
        let words: Vec<&str> = s.split(' ').collect();
        let g = if display {
            b.display_gaps(&words)
        } else {
            b.body_gaps(&words)
        };
        let mut out = String::new();
        for (w, g) in words.iter().zip(g) {
            out.push_str(w);
            out.push_str(match g {
                Gap::Plain => " ",
                Gap::AfterPunctuation => " / ",
                Gap::BeforeFunctionWord => " | ",
                Gap::InsideWord => "_",
                Gap::Tie => "~",
            });
        }
        out.trim_end().to_string()
    }

    #[test]
    fn body_ties_numbers_units_dates_and_names() {
        let mut b = Breaker::default();
        b.set_names(["Nguyễn Văn A"]);
        assert_eq!(
            gaps(
                &mut b,
                "theo Kết luận số 01-KL/TW ngày 18-5-2021 của Bộ Chính trị",
                false
            ),
            "theo Kết luận số~01-KL/TW ngày~18-5-2021 của Bộ~Chính trị"
        );
        assert_eq!(
            gaps(&mut b, "chi 1.286,75 triệu đồng, tăng 5 tỷ đồng", false),
            "chi 1.286,75~triệu~đồng, tăng 5~tỷ~đồng"
        );
        assert_eq!(
            gaps(&mut b, "đồng chí NGUYỄN VĂN A ký", false),
            "đồng chí NGUYỄN~VĂN~A ký"
        );
        assert_eq!(
            gaps(&mut b, "tư tưởng, đạo đức, phong cách Hồ Chí Minh", false),
            "tư tưởng, đạo đức, phong cách Hồ~Chí~Minh"
        );
    }

    #[test]
    fn display_keeps_words_whole_and_prefers_punctuation_and_function_words() {
        let mut b = Breaker::default();
        assert_eq!(
            gaps(
                &mut b,
                "kết quả học tập và làm theo tư tưởng, đạo đức",
                true
            ),
            "kết_quả học_tập | và làm | theo tư_tưởng, / đạo_đức"
        );
        assert_eq!(
            gaps(&mut b, "SỞ CÔNG NGHIỆP VÀ THƯƠNG MẠI", true),
            "SỞ CÔNG_NGHIỆP | VÀ THƯƠNG_MẠI"
        );
    }

    #[test]
    fn names_from_the_data_stay_whole_in_capitals() {
        let meta = DocMeta {
            profile: "dang-36".into(),
            profile_span: crate::diag::Span::file("bao-cao.toml"),
            parent_body: String::new(),
            issuer: String::new(),
            issuer_name: String::new(),
            number: None,
            symbol: String::new(),
            place: "Bắc Kạn".into(),
            date: crate::vn::Date {
                year: 2021,
                month: 12,
                day: 15,
            },
            kind: String::new(),
            summary: "học tập và làm theo phong cách Hồ Chí Minh".into(),
            recipients: vec!["Ủy ban nhân dân huyện Ba Bể,".into()],
            key_spans: Vec::new(),
        };
        let signer = Signer {
            authority: String::new(),
            position: String::new(),
            name: "Nông Quang Hưng".into(),
        };
        let data = serde_json::json!({ "dia_phuong": { "ten": "Chợ Mới" } });
        let names = report_names(&meta, &signer, &data);
        for n in [
            "Nông Quang Hưng",
            "Bắc Kạn",
            "Chợ Mới",
            "Hồ Chí Minh",
            "Ba Bể",
        ] {
            assert!(names.iter().any(|x| x == n), "{n}: {names:?}");
        }
        let mut b = Breaker::default();
        b.set_names(names.iter().map(String::as_str));
        assert_eq!(
            gaps(&mut b, "HUYỆN ỦY CHỢ MỚI VÀ BA BỂ", true),
            "HUYỆN_ỦY CHỢ~MỚI | VÀ BA~BỂ"
        );
    }
}
