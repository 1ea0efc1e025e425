//! Data against the layout profile: what an inspector checks by eye.
//!
//! Takes the document's `[van_ban]` and `[ky]` values, the parsed markup and the
//! resolved profile; returns one warning per problem, at the key in the data file
//! or at the markup block (which `lib::relocate` points at its template line).
//! Each rule's expected form and its source live in the profile (`[kiem_tra]`,
//! and `ap_dung_tu` / `ap_dung_den` for the dates); a rule the profile leaves
//! empty is skipped, so a user profile can turn one off.
use crate::diag::{Diagnostic, Source, Span};
use crate::input::{DocMeta, Signer};
use crate::markup::{self, Block, Document};
use crate::profile::{self, End, Profile};
use std::sync::Arc;

/// What the checks read.
pub struct Input<'a> {
    pub doc: &'a Document,
    pub meta: &'a DocMeta,
    pub signer: &'a Signer,
    pub profile: &'a Profile,
    /// The filled-in markup the blocks' offsets point into.
    pub markup: &'a Arc<Source>,
}

type Rule = fn(&Input) -> Vec<Diagnostic>;

/// The rules, in the order their warnings are given.
const RULES: [Rule; 7] = [dates, symbol, authority, filing, summary, headings, closing];

/// Every rule's warnings, in order.
pub fn check(input: &Input) -> Vec<Diagnostic> {
    RULES.iter().flat_map(|rule| rule(input)).collect()
}

/// A warning at the key `table.key` of the data file.
fn at_key(input: &Input, table: &str, key: &str, message: String) -> Diagnostic {
    Diagnostic::warning(message).with_span(input.meta.key_span(table, key))
}

/// "theo <source>" for a hint, or nothing when the profile names no source.
fn per(source: &str) -> String {
    if source.is_empty() {
        String::new()
    } else {
        format!(" (theo {source})")
    }
}

/// `van_ban.ngay` within the dates the profile applies.
fn dates(input: &Input) -> Vec<Diagnostic> {
    let p = input.profile;
    let v = profile::validity(p);
    let date = input.meta.date;
    if v.covers(date) {
        return Vec::new();
    }
    let message = match &v.end {
        Some(End::ReplacedBy(next, from)) if date >= *from => format!(
            "văn bản ngày {} ghim thể thức {}, đã được thay bằng thể thức {next} từ ngày {}",
            date.dmy(),
            p.name,
            from.dmy()
        ),
        Some(End::LastDay(last)) if date > *last => format!(
            "văn bản ngày {} ghim thể thức {}, chỉ áp dụng đến ngày {}",
            date.dmy(),
            p.name,
            last.dmy()
        ),
        _ => format!(
            "văn bản ngày {} ghim thể thức {}, chỉ áp dụng từ ngày {}",
            date.dmy(),
            p.name,
            v.from.dmy()
        ),
    };
    let hint = match profile::in_force_on(&p.family, date) {
        Some(name) => format!(
            "vào ngày {} áp dụng thể thức {name}: ghi the_thuc = \"{name}\", hoặc the_thuc = \"{}\" để chọn theo ngày ban hành",
            date.dmy(),
            p.family
        ),
        None => "kiểm tra lại ngày ban hành (`ngay`) và thể thức (`the_thuc`)".to_string(),
    };
    vec![at_key(input, "van_ban", "the_thuc", message).with_hint(hint)]
}

/// `ky_hieu`: abbreviations (letters and digits) joined by the profile's mark.
fn symbol(input: &Input) -> Vec<Diagnostic> {
    let rule = &input.profile.checks.symbol;
    let symbol = input.meta.symbol.trim();
    let Some(joiner) = rule.joiner.chars().next() else {
        return Vec::new();
    };
    if symbol.is_empty() {
        return Vec::new();
    }
    let groups: Vec<&str> = symbol
        .split(|c: char| !c.is_alphanumeric())
        .map(str::trim)
        .filter(|g| !g.is_empty())
        .collect();
    let right: String = groups.join(&joiner.to_string());
    if groups.len() >= 2 && right == symbol {
        return Vec::new();
    }
    let name = &input.profile.name;
    let d = at_key(
        input,
        "van_ban",
        "ky_hieu",
        format!(
            "ký hiệu \"{symbol}\" không đúng thể thức {name}: các nhóm chữ viết tắt nối bằng \"{joiner}\""
        ),
    );
    let example = if rule.example.is_empty() || rule.example == right {
        String::new()
    } else {
        format!(", như \"{}\"", rule.example)
    };
    let hint = if groups.len() >= 2 {
        format!("viết ky_hieu = \"{right}\"{example}{}", per(&rule.source))
    } else {
        format!(
            "ký hiệu gồm chữ viết tắt tên loại văn bản và chữ viết tắt tên cơ quan{example}{}",
            per(&rule.source)
        )
    };
    vec![d.with_hint(hint)]
}

/// The letters of a sign-authority abbreviation ("T/M", "TM." → "TM").
fn letters(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// `[ky] quyen_han`: its leading abbreviation is one of the profile's forms.
fn authority(input: &Input) -> Vec<Diagnostic> {
    let rule = &input.profile.checks.authority;
    let text = input.signer.authority.trim();
    let Some(word) = text.split_whitespace().next() else {
        return Vec::new();
    };
    if rule.forms.is_empty() || rule.forms.iter().any(|f| f == word) {
        return Vec::new();
    }
    // Only an abbreviation: a few capitals with "/" or "." ("T/M", "TM.",
    // "TUQ."), or capitals a form abbreviates ("TM"); not a word ("BAN").
    let same = rule.forms.iter().find(|f| letters(f) == letters(word));
    let short = word
        .chars()
        .all(|c| c.is_ascii_uppercase() || c == '/' || c == '.')
        && (1..=4).contains(&letters(word).len());
    if !short || (same.is_none() && !word.contains(['/', '.'])) {
        return Vec::new();
    }
    let name = &input.profile.name;
    let d = at_key(
        input,
        "ky",
        "quyen_han",
        format!("thẩm quyền ký \"{word}\" không đúng thể thức {name}"),
    );
    let hint = match same {
        Some(form) => {
            let rest = text.get(word.len()..).unwrap_or("");
            format!("viết quyen_han = \"{form}{rest}\"{}", per(&rule.source))
        }
        None => format!(
            "thể thức {name} dùng: {}{}",
            rule.forms.join(", "),
            per(&rule.source)
        ),
    };
    vec![d.with_hint(hint)]
}

/// `noi_nhan`: the filing line ("Lưu …") is there, last, and begins as the
/// profile says ("Lưu: VT, …" or "Lưu Văn phòng …").
fn filing(input: &Input) -> Vec<Diagnostic> {
    let rule = &input.profile.checks.filing;
    let lines = &input.meta.recipients;
    if rule.prefix.is_empty() || lines.is_empty() {
        return Vec::new();
    }
    let example = |what: &str| format!("{what} \"- {}\"{}", rule.example, per(&rule.source));
    let Some(line) = lines
        .last()
        .map(|l| l.trim().trim_start_matches(['-', ' ']))
    else {
        return Vec::new();
    };
    let Some(rest) = filing_rest(line) else {
        return vec![at_key(
            input,
            "van_ban",
            "noi_nhan",
            "nơi nhận thiếu dòng lưu ở cuối".to_string(),
        )
        .with_hint(example("thêm dòng cuối, ví dụ"))];
    };
    if line.starts_with(rule.prefix.as_str()) {
        return Vec::new();
    }
    let right = format!("{}{rest}", rule.prefix);
    let colon = if rule.prefix.contains(':') {
        "có dấu hai chấm"
    } else {
        "không có dấu hai chấm"
    };
    // At the filing line itself (the list's last item).
    let at = input
        .meta
        .item_span("van_ban", "noi_nhan", lines.len().saturating_sub(1));
    vec![Diagnostic::warning(format!(
        "dòng lưu \"{line}\" không đúng thể thức {}: \"Lưu\" {colon}",
        input.profile.name
    ))
    .with_span(at)
    .with_hint(format!("viết \"{right}\"{}", per(&rule.source)))]
}

/// What follows "Lưu" and its marks in a filing line; None for another line.
fn filing_rest(line: &str) -> Option<&str> {
    let rest = line
        .strip_prefix("Lưu")
        .or_else(|| line.strip_prefix("lưu"))?;
    if rest.chars().next().is_some_and(char::is_alphanumeric) {
        return None;
    }
    Some(rest.trim_start_matches([':', ' ']))
}

/// `trich_yeu`: its first letter, and no words typed in capitals.
fn summary(input: &Input) -> Vec<Diagnostic> {
    let rule = &input.profile.checks.summary;
    let text = input.meta.summary.trim();
    let name = &input.profile.name;
    let mut out = Vec::new();
    let shouted: Vec<&str> = text.split_whitespace().filter(|w| shouted(w)).collect();
    let all_caps = text.chars().all(|c| !c.is_lowercase());
    if !rule.caps && all_caps && shouted.len() >= 2 {
        out.push(
            at_key(
                input,
                "van_ban",
                "trich_yeu",
                "trích yếu viết toàn chữ in hoa".into(),
            )
            .with_hint(format!(
                "viết chữ thường: trich_yeu = \"{}\"{}",
                short(&text.to_lowercase()),
                per(&rule.source)
            )),
        );
        return out;
    }
    if !rule.caps && !shouted.is_empty() {
        out.push(
            at_key(
                input,
                "van_ban",
                "trich_yeu",
                format!("trích yếu có chữ viết in hoa: {}", shouted.join(" ")),
            )
            .with_hint(format!(
                "trích yếu viết chữ thường; chỉ tên riêng viết hoa chữ đầu và chữ viết tắt viết in hoa{}",
                per(&rule.source)
            )),
        );
    }
    let first_word = text.split_whitespace().next().unwrap_or("");
    let first = text.chars().find(|c| c.is_alphabetic());
    let abbreviation = !first_word.chars().any(char::is_lowercase);
    let wrong = match rule.first.as_str() {
        "thuong" => first.is_some_and(char::is_uppercase) && !abbreviation,
        "hoa" => first.is_some_and(char::is_lowercase),
        _ => false,
    };
    if let Some(c) = first.filter(|_| wrong) {
        let (typed, want, fixed) = if rule.first == "thuong" {
            ("chữ hoa", "viết thường chữ đầu", lower_first(text))
        } else {
            (
                "chữ thường",
                "viết hoa chữ đầu",
                crate::vn::capitalize_first(text),
            )
        };
        out.push(
            at_key(
                input,
                "van_ban",
                "trich_yeu",
                format!("trích yếu bắt đầu bằng {typed} \"{c}\"; thể thức {name} {want}"),
            )
            .with_hint(format!(
                "viết trich_yeu = \"{}\"{}",
                short(&fixed),
                per(&rule.source)
            )),
        );
    }
    out
}

/// At most 60 characters of `s`, with "…" when cut.
fn short(s: &str) -> String {
    let mut out: String = s.chars().take(60).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    out
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_lowercase().chain(c).collect())
        .unwrap_or_default()
}

/// A Vietnamese word typed in capitals ("KINH", "TẾ", "XÃ"); not an
/// abbreviation ("UBND", "HĐND", "COVID-19", "TU"): its letters, lower case, make
/// one syllable, with a mark or of three letters or more.
fn shouted(word: &str) -> bool {
    let w: String = word.chars().filter(|c| c.is_alphabetic()).collect();
    let roman = w.chars().all(|c| "IVXLCDM".contains(c));
    if w.is_empty()
        || roman
        || w.chars().any(char::is_lowercase)
        || word.chars().any(|c| c.is_ascii_digit())
    {
        return false;
    }
    let lower = w.to_lowercase();
    let marked = lower.chars().any(|c| !c.is_ascii_lowercase() && c != 'đ');
    (marked || lower.chars().count() >= 3) && is_syllable(&lower)
}

/// Whether `w` (lower case) is one Vietnamese syllable: an initial consonant,
/// one to three vowels, and a final consonant.
fn is_syllable(w: &str) -> bool {
    const INITIALS: [&str; 27] = [
        "ngh", "ng", "gh", "gi", "kh", "nh", "ph", "qu", "th", "tr", "ch", "b", "c", "d", "đ", "g",
        "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x",
    ];
    const FINALS: [&str; 9] = ["", "c", "ch", "m", "n", "ng", "nh", "p", "t"];
    let vowels_then_final = |rest: &str| {
        let n = rest.chars().take_while(|c| is_vowel(*c)).count();
        let tail: String = rest.chars().skip(n).collect();
        (1..=3).contains(&n) && FINALS.contains(&tail.as_str())
    };
    vowels_then_final(w)
        || INITIALS
            .iter()
            .filter_map(|i| w.strip_prefix(i))
            .any(|rest| vowels_then_final(rest) || (rest.is_empty() && w == "gi"))
}

/// A Vietnamese vowel, with or without its marks.
fn is_vowel(c: char) -> bool {
    use unicode_normalization::UnicodeNormalization;
    std::iter::once(c)
        .nfd()
        .next()
        .is_some_and(|b| "aeiouy".contains(b))
}

/// The number at the start of a heading: its kind ('I' Roman, '1' Arabic, 'a'
/// a letter), the number, the mark after it as typed (spaces before it kept),
/// and the rest.
fn heading_number(text: &str) -> Option<(char, &str, &str, &str)> {
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    let roman = text.chars().take_while(|c| "IVXLCDM".contains(*c)).count();
    let (kind, n) = if digits > 0 {
        ('1', digits)
    } else if roman > 0 {
        ('I', roman)
    } else {
        let c = text.chars().next()?;
        (c.is_lowercase().then_some('a')?, c.len_utf8())
    };
    let (number, after) = text.split_at_checked(n)?;
    let mark_len = after
        .char_indices()
        .find(|(_, c)| c.is_alphanumeric())
        .map_or(after.len(), |(i, _)| i);
    let (mark, rest) = after.split_at(mark_len);
    let mark = mark.trim_end();
    // "1.5 triệu" or "I KẾT QUẢ" are no numbers; a mark is followed by a space.
    let spaced = after.get(mark.len()..).is_some_and(|r| r.starts_with(' '));
    let punct = mark.trim_start();
    (!punct.is_empty() && punct.chars().all(|c| !c.is_whitespace()) && spaced)
        .then_some((kind, number, mark, rest))
}

/// Headings: the mark after a heading's number is the profile's ("I-" or "I.").
fn headings(input: &Input) -> Vec<Diagnostic> {
    let rule = &input.profile.checks.headings;
    if rule.forms.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for block in &input.doc.blocks {
        let Block::Heading { level, text, at } = block else {
            continue;
        };
        let plain = markup::plain(text);
        let Some((kind, number, mark, rest)) =
            (*level > 0).then(|| heading_number(&plain)).flatten()
        else {
            continue;
        };
        let Some(form) = rule.forms.iter().find(|f| f.starts_with(kind)) else {
            continue;
        };
        let want = form.get(1..).unwrap_or("");
        if mark == want {
            continue;
        }
        let kind_name = match kind {
            'I' => "số La Mã",
            '1' => "số thứ tự",
            _ => "chữ cái thứ tự",
        };
        let mut d = Diagnostic::warning(format!(
            "đề mục \"{}\" không đúng thể thức {}: sau {kind_name} viết \"{want}\"",
            short(&plain),
            input.profile.name
        ))
        .with_span(Span::at(input.markup, *at))
        .with_hint(format!(
            "viết \"{number}{want} {}\"{}",
            short(rest),
            per(&rule.source)
        ));
        if let Some(n) = (kind == 'I').then(|| roman_value(number)).flatten() {
            d = d.with_hint(format!(
                "mẫu dùng cho cả văn bản Đảng và Nhà nước viết \"# {{{{so_muc {n}}}}} {}\": số mục theo thể thức",
                short(rest)
            ));
        }
        out.push(d);
    }
    out
}

/// The value of a Roman numeral ("XIV" → 14), if it is one.
fn roman_value(s: &str) -> Option<u32> {
    let digit = |c: char| match c {
        'I' => Some(1),
        'V' => Some(5),
        'X' => Some(10),
        'L' => Some(50),
        'C' => Some(100),
        _ => None,
    };
    let values: Vec<u32> = s.chars().map(digit).collect::<Option<_>>()?;
    let mut total = 0;
    for (i, v) in values.iter().enumerate() {
        if values.get(i + 1).is_some_and(|next| next > v) {
            total -= *v as i64;
        } else {
            total += *v as i64;
        }
    }
    u32::try_from(total).ok().filter(|n| *n > 0)
}

/// The body's last paragraph (before any appendix section; not a list item)
/// ends with one of the profile's marks ("./." or ".").
fn closing(input: &Input) -> Vec<Diagnostic> {
    let rule = &input.profile.checks.closing;
    let Some(first_form) = rule.forms.first() else {
        return Vec::new();
    };
    let body_end = input
        .doc
        .blocks
        .iter()
        .take_while(|b| !matches!(b, Block::Section { .. }))
        .filter(|b| {
            matches!(
                b,
                Block::Heading { .. } | Block::Paragraph { .. } | Block::Table { .. }
            )
        })
        .last();
    // A list's last item follows the list's own punctuation: not checked.
    let Some(Block::Paragraph {
        text,
        at,
        marker: None,
    }) = body_end
    else {
        return Vec::new();
    };
    let plain = markup::plain(text);
    let end = plain.trim_end();
    // The closing mark as typed: "./." is not ".".
    let bare = end.trim_end_matches(['.', '/', '!', '?', ':', ';', ',', ' ']);
    let mark = end.get(bare.len()..).unwrap_or("").trim();
    if rule.forms.iter().any(|f| f == mark) {
        return Vec::new();
    }
    // The last words, enough to find the place.
    let words: Vec<&str> = bare.split_whitespace().collect();
    let tail = words
        .get(words.len().saturating_sub(5)..)
        .unwrap_or(&[])
        .join(" ");
    let found = if mark.is_empty() {
        "không có dấu kết thúc".to_string()
    } else {
        format!("kết thúc bằng \"{mark}\"")
    };
    let wanted: Vec<String> = rule.forms.iter().map(|f| format!("\"{f}\"")).collect();
    vec![Diagnostic::warning(format!(
        "thân văn bản {found}; thể thức {} kết thúc bằng {}",
        input.profile.name,
        wanted.join(" hoặc ")
    ))
    .with_span(Span::at(input.markup, *at))
    .with_hint(format!(
        "sửa cuối đoạn cuối thành \"… {tail}{first_form}\"{}",
        per(&rule.source)
    ))
    .with_hint("mẫu dùng cho cả văn bản Đảng và Nhà nước kết thúc câu cuối bằng {{ket_thuc}}: dấu kết thúc theo thể thức")]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roman_numerals_read_as_numbers() {
        for (s, n) in [
            ("I", 1),
            ("IV", 4),
            ("IX", 9),
            ("XIV", 14),
            ("XL", 40),
            ("XC", 90),
        ] {
            assert_eq!(roman_value(s), Some(n), "{s}");
        }
        assert_eq!(roman_value("1"), None);
        assert_eq!(roman_value(""), None);
    }
    use crate::diag::Sink;

    const DATA: &str = r#"mau = "mau.md.hbs"
[van_ban]
the_thuc = "dang"
co_quan = "THÀNH ỦY BẮC KẠN"
ky_hieu = "BC/TU"
dia_danh = "Bắc Kạn"
ngay = 2021-12-15
trich_yeu = "kết quả công tác năm 2021"
noi_nhan = ["Ban Thường vụ Tỉnh ủy (b/c),", "Lưu Văn phòng Thành ủy."]
[ky]
quyen_han = "T/M BAN THƯỜNG VỤ"
chuc_vu = "BÍ THƯ"
ho_ten = "Nguyễn Văn A"
"#;

    /// The warnings' messages for `data` (with `edits` made) and `markup`.
    fn messages(edits: &[(&str, &str)], markup: &str) -> Vec<String> {
        let mut text = DATA.to_string();
        for (from, to) in edits {
            assert!(text.contains(from), "{from}");
            text = text.replacen(from, to, 1);
        }
        let data = crate::input::load("bao-cao.toml", &text).unwrap();
        let m = &data.meta;
        let profile = profile::resolve(
            &m.profile,
            m.date,
            &m.profile_span,
            std::path::Path::new("."),
        )
        .unwrap();
        let markup = Source::new("mau", markup);
        let doc = markup::parse(&markup, &mut Sink::new()).unwrap();
        let input = Input {
            doc: &doc,
            meta: m,
            signer: &data.signer,
            profile: &profile,
            markup: &markup,
        };
        check(&input).into_iter().map(|d| d.message).collect()
    }

    const BODY: &str = "# I- KẾT QUẢ\n\nĐoạn cuối./.\n";

    #[test]
    fn a_good_party_report_passes() {
        assert_eq!(messages(&[], BODY), Vec::<String>::new());
    }

    #[test]
    fn the_closing_mark_is_read_whole() {
        let d05 = [("ngay = 2021-12-15", "ngay = 2026-09-01")];
        assert_eq!(
            messages(&d05, BODY),
            ["thân văn bản kết thúc bằng \"./.\"; thể thức dang-05 kết thúc bằng \".\""]
        );
        assert_eq!(
            messages(&d05, "# I- KẾT QUẢ\n\nĐoạn cuối.\n"),
            Vec::<String>::new()
        );
        // A list at the end, a table at the end, and an appendix after the
        // body's last paragraph.
        let list = "Đoạn.\n\n- ý thứ nhất;\n- ý thứ hai\n";
        assert_eq!(messages(&d05, list), Vec::<String>::new());
        let table = "Đoạn:\n\n| A | B |\n|---|---|\n| 1 | 2 |\n";
        assert_eq!(messages(&d05, table), Vec::<String>::new());
        let appendix = "Đoạn cuối.\n\n\\ngang\n\n# Phụ lục\n\nGhi chú./.\n";
        assert_eq!(messages(&d05, appendix), Vec::<String>::new());
    }

    #[test]
    fn symbols_of_the_other_layout_and_stray_spaces() {
        assert_eq!(
            messages(&[("\"BC/TU\"", "\"BC / TU\"")], BODY),
            ["ký hiệu \"BC / TU\" không đúng thể thức dang-36: các nhóm chữ viết tắt nối bằng \"/\""]
        );
        assert_eq!(
            messages(&[("\"BC/TU\"", "\"BC/BTGTU\"")], BODY),
            Vec::<String>::new()
        );
        assert_eq!(
            messages(&[("\"BC/TU\"", "\"QĐi/TW\"")], BODY),
            Vec::<String>::new()
        );
    }

    #[test]
    fn only_an_abbreviation_is_taken_for_a_sign_authority() {
        for ok in ["BAN THƯỜNG VỤ", "K/T BÍ THƯ", "T/L BAN THƯỜNG VỤ", ""] {
            let edit = [("\"T/M BAN THƯỜNG VỤ\"", &*format!("\"{ok}\""))];
            assert_eq!(messages(&edit, BODY), Vec::<String>::new(), "{ok}");
        }
        let edit = [("\"T/M BAN THƯỜNG VỤ\"", "\"KT. BÍ THƯ\"")];
        assert_eq!(
            messages(&edit, BODY),
            ["thẩm quyền ký \"KT.\" không đúng thể thức dang-36"]
        );
    }

    #[test]
    fn part_headings_and_unnumbered_headings_are_not_numbers() {
        let md = "Phần thứ nhất\nKẾT QUẢ\n=======\n\n# KẾT QUẢ CHUNG\n\n## 1.5 triệu lượt khách\n\nĐoạn./.\n";
        assert_eq!(messages(&[], md), Vec::<String>::new());
    }

    #[test]
    fn syllables_and_abbreviations() {
        for w in [
            "KINH", "TẾ", "XÃ", "HỘI", "NĂM", "NGHIÊNG", "GIỮA", "QUẢ", "ĐẢNG",
        ] {
            assert!(shouted(w), "{w}");
        }
        for w in [
            "UBND", "HĐND", "COVID-19", "TU", "HU", "ĐU", "VT", "MTTQ", "III", "kinh", "Kinh", "-",
        ] {
            assert!(!shouted(w), "{w}");
        }
    }

    #[test]
    fn heading_numbers() {
        assert_eq!(
            heading_number("I- KẾT QUẢ"),
            Some(('I', "I", "-", "KẾT QUẢ"))
        );
        assert_eq!(
            heading_number("IV. KIẾN NGHỊ"),
            Some(('I', "IV", ".", "KIẾN NGHỊ"))
        );
        assert_eq!(
            heading_number("I - KẾT QUẢ"),
            Some(('I', "I", " -", "KẾT QUẢ"))
        );
        assert_eq!(heading_number("12. Tên"), Some(('1', "12", ".", "Tên")));
        assert_eq!(heading_number("a) tên"), Some(('a', "a", ")", "tên")));
        assert_eq!(heading_number("1.5 triệu"), None);
        assert_eq!(heading_number("Phụ lục"), None);
        assert_eq!(heading_number("KẾT QUẢ"), None);
        assert_eq!(heading_number("I KẾT QUẢ"), None);
    }
}
