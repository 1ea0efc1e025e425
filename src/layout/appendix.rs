//! Appendices and the letter case of titles.
//!
//! Takes an appendix's number (as written after `\phu_luc`), its title (the
//! heading right after the command, if any), `[van_ban]` and the profile's
//! `[phu_luc]`; returns the units of the appendix's head: the "Phụ lục I" line,
//! the title, and the centred italic "(Kèm theo Báo cáo số …/… ngày … của …)"
//! line with its short rule, kept together. Also the letter-case rules: a
//! summary's first letter in capitals, a document type in sentence case, and the
//! lower-case words of a title meant to be in capitals.
use super::front::{self, Area, Col, Values};
use super::pages::Unit;
use super::par::{self, Align, ParStyle};
use super::shape::Shaper;
use super::{mm, Item, Role, Tag};
use crate::fonts::Style;
use crate::markup::Run;
use crate::profile::Profile;

/// A document type as written in a sentence: "BÁO CÁO" → "Báo cáo".
pub fn sentence_case(text: &str) -> String {
    crate::vn::capitalize_first(&text.trim().to_lowercase())
}

/// The first word of `runs` with a lower-case letter outside parentheses, for
/// a title meant to be in capitals ("…THEO KHU PHỐ năm 2025" → "năm"). Text in
/// parentheses may stay lower case: units such as "(triệu đồng)".
pub fn lower_case_word(runs: &[Run]) -> Option<String> {
    let text: String = runs.iter().map(|r| r.text.as_str()).collect();
    let mut depth = 0usize;
    for word in text.split_whitespace() {
        let mut lower = false;
        for c in word.chars() {
            match c {
                '(' => depth += 1,
                ')' => depth = depth.saturating_sub(1),
                _ if depth == 0 && c.is_lowercase() => lower = true,
                _ => {}
            }
        }
        if lower {
            return Some(word.to_string());
        }
    }
    None
}

/// `template` without `{key}` and the `before` text that leads to it (" của "),
/// for a value that is empty.
fn without(template: &str, before: &str, key: &str) -> String {
    let placeholder = format!("{{{key}}}");
    template
        .replace(&format!("{before}{placeholder}"), "")
        .replace(&placeholder, "")
}

/// The head of an appendix.
pub struct Head {
    /// Its units, kept together and with what follows; the caller marks the
    /// first one as starting a page.
    pub units: Vec<Unit>,
    /// The "Kèm theo" line wants `{ten_co_quan}` and `[van_ban]` has none: it
    /// was set without "của …".
    pub no_issuer_name: bool,
}

/// The texts of an appendix head, filled in from `[van_ban]`: the label line
/// ("Phụ lục I") and the "(Kèm theo …)" line (each `None` when the profile
/// leaves it out), and whether the latter lacks the issuer's name.
pub struct Texts {
    pub label: Option<String>,
    pub with_line: Option<String>,
    pub no_issuer_name: bool,
}

/// The label and "(Kèm theo …)" lines of appendix `number`.
pub fn texts(p: &Profile, v: &Values, number: &str) -> Texts {
    let a = &p.appendix;
    let label = if number.is_empty() {
        without(&a.label.text, " ", "so_phu_luc")
    } else {
        a.label.text.clone()
    };
    let wants_issuer = a.with_line.text.contains("{ten_co_quan}");
    let no_issuer_name = wants_issuer && v.fill("{ten_co_quan}", &[]).is_none();
    let with = if no_issuer_name {
        without(&a.with_line.text, " của ", "ten_co_quan")
    } else {
        a.with_line.text.clone()
    };
    Texts {
        label: v.fill(&label, &[("so_phu_luc", number)]),
        with_line: v.fill(&with, &[]),
        no_issuer_name,
    }
}

/// The head of appendix `number` with its `title`, in `area`.
pub fn head(
    shaper: &mut Shaper,
    overlong: &mut Vec<String>,
    (p, v): (&Profile, &Values),
    number: &str,
    title: Option<&[Run]>,
    area: Area,
) -> Head {
    let a = &p.appendix;
    let col = |rule_gap: f32| Col {
        left: area.left,
        width: area.width,
        lh: p.body.line_height,
        rule_gap,
        rule_w: a.rule_width,
        align: Align::Center,
    };
    let mut units = Vec::new();
    let Texts {
        label,
        with_line,
        no_issuer_name,
    } = texts(p, v, number);
    if let Some(t) = label {
        let mut s = front::column(shaper, overlong, &[(t, &a.label)], col(0.0));
        // Structure: the label, the title and the "Kèm theo" line are ids 0,
        // 1 and 2 here; the body numbers them where it places the head.
        Tag {
            role: Role::Paragraph,
            id: 0,
        }
        .set(&mut s.items);
        units.push(Unit::new(s.height, 0.0, s.items));
    }
    if let Some(runs) = title {
        let st = ParStyle {
            size: a.title.size,
            line_height: p.body.line_height,
            first_indent: 0.0,
            left: area.left,
            width: area.width,
            align: Align::Center,
            bold: a.title.bold,
            italic: a.title.italic,
        };
        // A heading: broken between words, never one word alone below.
        for mut line in par::layout_display(shaper, runs, &st, overlong) {
            Tag {
                role: Role::Heading(1),
                id: 1,
            }
            .set(&mut line.items);
            units.push(Unit::new(line.height, 0.0, line.items));
        }
    }
    if let Some(t) = with_line {
        let size = a.with_line.size;
        let descender = shaper.fonts().face(Style::Regular).descender;
        let gap = descender * size + mm(a.rule_gap);
        let mut s = front::column(shaper, overlong, &[(t, &a.with_line)], col(gap));
        Tag {
            role: Role::Paragraph,
            id: 2,
        }
        .set(&mut s.items);
        // The unit reaches down to the rule under the line.
        let bottom = s
            .items
            .iter()
            .filter_map(|it| match it {
                Item::Rule { y1, width, .. } => Some(y1 + width / 2.0),
                Item::Text(_) => None,
            })
            .fold(s.height, f32::max);
        units.push(Unit::new(bottom, 0.0, s.items));
    }
    if let Some(u) = units.last_mut() {
        u.height += a.space_after;
    }
    for u in units.iter_mut().skip(1) {
        u.break_before = false;
    }
    Head {
        units,
        no_issuer_name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runs(text: &str) -> Vec<Run> {
        vec![Run {
            text: text.into(),
            bold: false,
            italic: false,
        }]
    }

    #[test]
    fn only_the_first_letter_is_capitalised() {
        assert_eq!(
            crate::vn::capitalize_first("tình hình kinh tế - xã hội năm 2025"),
            "Tình hình kinh tế - xã hội năm 2025"
        );
        assert_eq!(crate::vn::capitalize_first("đánh giá"), "Đánh giá");
        assert_eq!(crate::vn::capitalize_first("“ứng dụng”"), "“Ứng dụng”");
        assert_eq!(crate::vn::capitalize_first("Về việc"), "Về việc");
        assert_eq!(
            crate::vn::capitalize_first("6 tháng đầu năm"),
            "6 tháng đầu năm"
        );
        assert_eq!(crate::vn::capitalize_first(""), "");
    }

    #[test]
    fn a_document_type_reads_in_sentence_case() {
        assert_eq!(sentence_case("BÁO CÁO"), "Báo cáo");
        assert_eq!(sentence_case("KẾ HOẠCH"), "Kế hoạch");
        assert_eq!(sentence_case("TỜ TRÌNH"), "Tờ trình");
    }

    #[test]
    fn lower_case_words_outside_parentheses_are_found() {
        assert_eq!(
            lower_case_word(&runs("CHỈ TIÊU THEO KHU PHỐ năm 2025")).as_deref(),
            Some("năm")
        );
        assert_eq!(
            lower_case_word(&runs("THU NGÂN SÁCH (triệu đồng) NĂM 2025")),
            None
        );
        assert_eq!(lower_case_word(&runs("KẾT QUẢ NĂM 2025")), None);
    }

    #[test]
    fn an_empty_value_drops_its_lead_in() {
        assert_eq!(
            without(
                "(Kèm theo số {so} của {ten_co_quan})",
                " của ",
                "ten_co_quan"
            ),
            "(Kèm theo số {so})"
        );
        assert_eq!(
            without("Phụ lục {so_phu_luc}", " ", "so_phu_luc"),
            "Phụ lục"
        );
    }
}
