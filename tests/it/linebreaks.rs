//! Where lines break, read back from the PDF with `pdftotext -bbox`.
//!
//! Display lines (trích yếu, cơ quan, headings, Nơi nhận) break between words:
//! never inside a two- or three-syllable word of the embedded word list
//! (`src/vn/lexicon/words.txt`, read here on its own) nor inside a name, and
//! centred blocks come out even. Body text and table cells keep a number with
//! its unit, "số"/"ngày" with what follows and names together. Nơi nhận
//! entries hang under the text after "- ".

use crate::common::*;
use std::collections::HashSet;
use std::ffi::OsStr;
use std::path::Path;

/// The real titles and agency names of `data/display-lines.toml`.
fn entries() -> Vec<(i64, String)> {
    let t: toml::Value =
        toml::from_str(include_str!("data/display-lines.toml")).expect("display-lines.toml");
    t.get("muc")
        .and_then(toml::Value::as_array)
        .expect("[[muc]]")
        .iter()
        .map(|m| {
            let n = m.get("so").and_then(toml::Value::as_integer).expect("so");
            let s = m.get("chu").and_then(toml::Value::as_str).expect("chu");
            (n, s.to_string())
        })
        .collect()
}

/// The embedded word list as a set of "syllable syllable[ syllable]" keys.
fn lexicon() -> HashSet<String> {
    let mut set = HashSet::new();
    for line in include_str!("../../src/vn/lexicon/words.txt").lines() {
        let Some((head, tails)) = line.split_once('\t') else {
            continue;
        };
        for tail in tails.split('|') {
            let k: Vec<String> = head.split(' ').chain(tail.split(' ')).map(key).collect();
            set.insert(k.join(" "));
        }
    }
    set
}

/// A syllable in lower case with "oá"/"uỷ"-style tones placed on the first
/// vowel, the way the list and the renderer compare them.
fn key(s: &str) -> String {
    let s: String = s.chars().flat_map(char::to_lowercase).collect();
    const MOVES: [(&str, &str); 15] = [
        ("oá", "óa"),
        ("oà", "òa"),
        ("oả", "ỏa"),
        ("oã", "õa"),
        ("oạ", "ọa"),
        ("oé", "óe"),
        ("oè", "òe"),
        ("oẻ", "ỏe"),
        ("oẽ", "õe"),
        ("oẹ", "ọe"),
        ("uý", "úy"),
        ("uỳ", "ùy"),
        ("uỷ", "ủy"),
        ("uỹ", "ũy"),
        ("uỵ", "ụy"),
    ];
    for (old, new) in MOVES {
        if let Some(stem) = s.strip_suffix(old) {
            if !stem.ends_with('q') {
                return format!("{stem}{new}");
            }
        }
    }
    s
}

/// A word as pdftotext -bbox gives it.
#[derive(Debug, Clone)]
struct BoxWord {
    page: usize,
    x0: f64,
    y0: f64,
    x1: f64,
    text: String,
}

/// Every word of `pdf` with its box, page by page (pdftotext -bbox).
fn words(pdf: &Path) -> Vec<BoxWord> {
    let html = tool_stdout(
        "pdftotext",
        &[OsStr::new("-bbox"), pdf.as_os_str(), OsStr::new("-")],
    );
    let attr = |tag: &str, name: &str| -> f64 {
        let at = tag.find(&format!("{name}=\"")).expect("attribute") + name.len() + 2;
        let rest = &tag[at..];
        rest[..rest.find('"').expect("quote")]
            .parse()
            .expect("number")
    };
    let mut out = Vec::new();
    let mut page = 0;
    for line in html.lines() {
        let line = line.trim();
        if line.starts_with("<page") {
            page += 1;
        }
        if let Some(rest) = line.strip_prefix("<word ") {
            let (tag, text) = rest.split_once('>').expect("word tag");
            let text = text.trim_end_matches("</word>");
            let text = text
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&amp;", "&");
            out.push(BoxWord {
                page,
                x0: attr(tag, "xMin"),
                y0: attr(tag, "yMin"),
                x1: attr(tag, "xMax"),
                text: nfc(&text),
            });
        }
    }
    out
}

/// Words grouped into lines (same page, tops within 2 pt), top to bottom, each
/// left to right.
fn lines_of(mut ws: Vec<BoxWord>) -> Vec<Vec<BoxWord>> {
    ws.sort_by(|a, b| {
        (a.page, a.y0)
            .partial_cmp(&(b.page, b.y0))
            .expect("numbers")
    });
    let mut lines: Vec<Vec<BoxWord>> = Vec::new();
    for w in ws {
        match lines.last_mut() {
            Some(l) if l[0].page == w.page && (l[0].y0 - w.y0).abs() < 2.0 => l.push(w),
            _ => lines.push(vec![w]),
        }
    }
    for l in &mut lines {
        l.sort_by(|a, b| a.x0.partial_cmp(&b.x0).expect("numbers"));
    }
    lines
}

/// The consecutive lines that hold exactly the words of `text`, if any.
fn find_lines<'a>(lines: &'a [Vec<BoxWord>], text: &str) -> Option<&'a [Vec<BoxWord>]> {
    let want: Vec<&str> = text.split_whitespace().collect();
    for start in 0..lines.len() {
        let mut got: Vec<&str> = Vec::new();
        for end in start..lines.len() {
            got.extend(lines[end].iter().map(|w| w.text.as_str()));
            if got.len() >= want.len() || !want.starts_with(&got) {
                if got == want {
                    return Some(&lines[start..=end]);
                }
                break;
            }
        }
    }
    None
}

fn core(w: &str) -> &str {
    w.trim_matches(|c: char| !c.is_alphanumeric())
}

fn capitalised(w: &str) -> bool {
    let mut cs = w.chars();
    cs.next().is_some_and(char::is_uppercase) && cs.all(char::is_lowercase)
}

/// Whether a break before `all[k]` falls inside a word of the list, a
/// capitalised name ("Hồ / Chí Minh") or a tie ("số / 05-CT/TW"); `caps`: the
/// text has no small letter (capitals say nothing of names).
fn is_bad_break(all: &[&str], k: usize, lex: &HashSet<String>, caps: bool) -> bool {
    let joinable = |ws: &[&str]| {
        ws.iter().enumerate().all(|(i, w)| {
            let last = i + 1 == ws.len();
            (last || !w.ends_with(|c: char| !c.is_alphanumeric()))
                && (i == 0 || !w.starts_with(|c: char| !c.is_alphanumeric()))
        })
    };
    let is_word = |ws: &[&str]| {
        joinable(ws)
            && lex.contains(
                &ws.iter()
                    .map(|w| key(core(w)))
                    .collect::<Vec<_>>()
                    .join(" "),
            )
    };
    let (a, b) = (all[k - 1], all[k]);
    let pair = is_word(&[a, b]);
    let tri =
        (k >= 2 && is_word(&all[k - 2..=k])) || (k + 1 < all.len() && is_word(&all[k - 1..=k + 1]));
    let name = !caps && joinable(&[a, b]) && capitalised(core(a)) && capitalised(core(b));
    let tie = joinable(&[a, b]) && ["số", "ngày"].contains(&key(core(a)).as_str());
    pair || tri || name || tie
}

/// The breaks of `found` that fall inside a word, a name or a tie, as
/// "before / after".
fn bad_breaks(found: &[Vec<BoxWord>], lex: &HashSet<String>) -> Vec<String> {
    let all: Vec<&str> = found.iter().flatten().map(|w| w.text.as_str()).collect();
    let caps = !all.iter().any(|w| w.chars().any(char::is_lowercase));
    let mut bad = Vec::new();
    let mut k = 0;
    for line in found.iter().take(found.len().saturating_sub(1)) {
        k += line.len();
        if is_bad_break(&all, k, lex, caps) {
            bad.push(format!("{} / {}", all[k - 1], all[k]));
        }
    }
    bad
}

/// The pairs of lines of a centred block whose upper line is shorter than
/// 85 % of the one below, where the lower line's first words (up to where a
/// line may break) would have fitted on the upper line, `width` pt wide,
/// without leaving a single word below.
fn uneven_at(found: &[Vec<BoxWord>], width: f64, lex: &HashSet<String>) -> Vec<usize> {
    let all: Vec<&str> = found.iter().flatten().map(|w| w.text.as_str()).collect();
    let caps = !all.iter().any(|w| w.chars().any(char::is_lowercase));
    let w = widths(found);
    let mut out = Vec::new();
    let mut k = 0;
    for i in 0..found.len().saturating_sub(1) {
        k += found[i].len();
        if w[i] >= 0.85 * w[i + 1] {
            continue;
        }
        let lower = &found[i + 1];
        // The words that must move up together.
        let mut m = 0;
        while m + 1 < lower.len() && is_bad_break(&all, k + m + 1, lex, caps) {
            m += 1;
        }
        let space = lower.get(1).map_or(4.0, |b| b.x0 - lower[0].x1);
        let moved = w[i] + space + (lower[m].x1 - lower[0].x0);
        if moved <= width - 0.5 && m + 2 < lower.len() {
            out.push(i);
        }
    }
    out
}

/// Each line's width from its first word's left to its last word's right.
fn widths(found: &[Vec<BoxWord>]) -> Vec<f64> {
    found
        .iter()
        .map(|l| l.last().map_or(0.0, |w| w.x1) - l.first().map_or(0.0, |w| w.x0))
        .collect()
}

/// A data file with one `[[don_vi]]` per entry: the entry is both the trích
/// yếu (the full width) and the cơ quan (the header's narrow left column).
fn batch(profile: &str, entries: &[(i64, String)]) -> String {
    let q = |s: &str| toml::Value::String(s.to_string()).to_string();
    let mut s = format!(
        "mau = \"mau.md.hbs\"\n\n[van_ban]\nthe_thuc = {}\nco_quan_cap_tren = \"ĐẢNG BỘ TỈNH BẮC KẠN\"\n\
         co_quan = \"THÀNH ỦY BẮC KẠN\"\nso = 125\nky_hieu = \"BC/TU\"\ndia_danh = \"Bắc Kạn\"\n\
         ngay = 2021-12-15\ntrich_yeu = \"kết quả\"\nnoi_nhan = [\"Lưu Văn phòng.\"]\n\n[ky]\n\
         quyen_han = \"T/M BAN THƯỜNG VỤ\"\nchuc_vu = \"BÍ THƯ\"\nho_ten = \"Nguyễn Văn A\"\n",
        q(profile)
    );
    for (n, text) in entries {
        s.push_str(&format!(
            "\n[[don_vi]]\nten_tep = \"muc-{n:02}\"\n[don_vi.van_ban]\nco_quan = {}\ntrich_yeu = {}\n",
            q(text),
            q(text)
        ));
    }
    s
}

#[test]
fn real_titles_and_agency_names_break_between_words_and_evenly() {
    let entries = entries();
    assert!(entries.len() >= 40, "{} entries", entries.len());
    let lex = lexicon();
    for profile in ["dang-36", "nha-nuoc"] {
        let dir = scratch("linebreaks-titles");
        put(&dir, "bao-cao.toml", batch(profile, &entries));
        put(&dir, "mau.md.hbs", "# I- KẾT QUẢ\n\nĐoạn văn.\n");
        let out = bin()
            .current_dir(&dir)
            .args(["render", "bao-cao.toml", "-o", "ra"])
            .output()
            .expect("run baocao");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let p = Toml::load(&root().join(format!("profiles/{profile}.toml")));
        let area = Geometry::of(&p, false).text_width();
        let widths_of = [area * p.f("dau.cot_trai"), area];
        let (mut wrapped, mut bad, mut uneven) = ([0, 0], Vec::new(), Vec::new());
        for (n, text) in &entries {
            let pdf = dir.join("ra").join(format!("muc-{n:02}.pdf"));
            let ws: Vec<BoxWord> = words(&pdf).into_iter().filter(|w| w.page == 1).collect();
            let page_mid = 297.6;
            // The header's left column: words left of the page's middle, above
            // the number row ("Số").
            let so_row = ws
                .iter()
                .filter(|w| w.text.starts_with("Số"))
                .map(|w| w.y0)
                .fold(f64::INFINITY, f64::min);
            let narrow: Vec<BoxWord> = ws
                .iter()
                .filter(|w| w.y0 < so_row && w.x1 < page_mid)
                .cloned()
                .collect();
            let wide: Vec<BoxWord> = ws.iter().filter(|w| w.y0 > so_row).cloned().collect();
            for (k, set) in [narrow, wide].into_iter().enumerate() {
                let lines = lines_of(set);
                // The State summary is printed with its first letter in capitals.
                let capital = k == 1 && p.b("tieu_de.trich_yeu_hoa_dau", false);
                let text = &if capital {
                    let mut cs = text.chars();
                    cs.next()
                        .map(|c| c.to_uppercase().chain(cs).collect::<String>())
                        .unwrap_or_default()
                } else {
                    text.to_string()
                };
                let found = find_lines(&lines, text).unwrap_or_else(|| {
                    panic!("{profile} #{n}: \"{text}\" not found in setting {k}")
                });
                if found.len() > 1 {
                    wrapped[k] += 1;
                }
                for b in bad_breaks(found, &lex) {
                    bad.push(format!("{profile} #{n} ({}): {b}", ["narrow", "wide"][k]));
                }
                if !uneven_at(found, widths_of[k], &lex).is_empty() {
                    let w = widths(found);
                    uneven.push(format!(
                        "{profile} #{n} ({}): {w:.0?}",
                        ["narrow", "wide"][k]
                    ));
                }
            }
        }
        assert!(
            bad.is_empty(),
            "breaks inside a word or name:\n{}",
            bad.join("\n")
        );
        assert!(
            uneven.is_empty(),
            "an upper line under 85 % of the one below:\n{}",
            uneven.join("\n")
        );
        assert!(
            wrapped[0] >= 40 && wrapped[1] >= 20,
            "{profile}: entries set over several lines (narrow, wide): {wrapped:?}"
        );
    }
}

/// The report head for the tests below, with `noi_nhan` as given.
fn report(noi_nhan: &[&str]) -> String {
    let q = |s: &str| toml::Value::String(s.to_string()).to_string();
    let list: Vec<String> = noi_nhan.iter().map(|s| q(s)).collect();
    format!(
        "mau = \"mau.md.hbs\"\n\n[van_ban]\nthe_thuc = \"dang-36\"\n\
         co_quan_cap_tren = \"ĐẢNG BỘ TỈNH BẮC KẠN\"\nco_quan = \"THÀNH ỦY BẮC KẠN\"\nso = 125\n\
         ky_hieu = \"BC/TU\"\ndia_danh = \"Bắc Kạn\"\nngay = 2021-12-15\n\
         trich_yeu = \"kết quả công tác năm 2021\"\nnoi_nhan = [{}]\n\n[ky]\n\
         quyen_han = \"T/M BAN THƯỜNG VỤ\"\nchuc_vu = \"BÍ THƯ\"\nho_ten = \"Nguyễn Văn A\"\n",
        list.join(", ")
    )
}

/// Render `data` with `template` and read its words back.
fn render_words(tag: &str, data: &str, template: &str) -> Vec<BoxWord> {
    let (pdf, _) = render_files(tag, &[("bao-cao.toml", data), ("mau.md.hbs", template)]);
    words(&pdf)
}

/// Words of `heads` (as written, punctuation included) with no word after
/// them on their line within `gap` pt: a tie broken, shown as the word and
/// where it stands.
fn broken_ties(ws: &[BoxWord], heads: &[&str], gap: f64) -> Vec<String> {
    let mut out = Vec::new();
    for w in ws.iter().filter(|w| heads.contains(&w.text.as_str())) {
        let next = ws.iter().any(|o| {
            o.page == w.page && (o.y0 - w.y0).abs() < 2.0 && o.x0 > w.x1 && o.x0 - w.x1 < gap
        });
        if !next {
            out.push(format!(
                "\"{}\" ends a line (page {}, y {:.1})",
                w.text, w.page, w.y0
            ));
        }
    }
    out
}

#[test]
fn body_text_and_table_cells_keep_numbers_units_dates_and_names_together() {
    let sentence = "Thực hiện Kết luận số 01-KL/TW ngày 18-5-2021, thành phố đã chi 1.286,75 \
                    triệu đồng và 5 tỷ đồng cho phong trào học tập và làm theo Hồ Chí Minh.";
    let mut t = String::from("# I- KẾT QUẢ\n\n");
    // The same sentence after 0 to 24 extra words: its words fall at every
    // place of a line, so without ties some pair would be split.
    for i in 0..25 {
        t.push_str(&"công tác ".repeat(i / 2));
        if i % 2 == 1 {
            t.push_str("nhà ");
        }
        t.push_str(sentence);
        t.push_str("\n\n");
    }
    // Amount cells long enough to wrap however the table shares its width
    // (each column is wide enough for "1.234,5 tỷ đồng").
    t.push_str("| Chỉ tiêu | Thực hiện | Kế hoạch |\n|---|---|---|\n");
    for r in 0..8 {
        let pad = "trong đó ".repeat(r % 3);
        t.push_str(&format!(
            "| Thu ngân sách trên địa bàn của nhóm đơn vị số {r} theo phân cấp quản lý \
             ngân sách nhà nước hiện hành | {pad}tổng số 1.234,5 tỷ đồng, trong đó thu nội \
             địa 987,6 tỷ đồng, thu từ hoạt động xuất nhập khẩu 246,9 tỷ đồng | {pad}dự kiến \
             2.345,6 tỷ đồng, trong đó thu nội địa 1.876,5 tỷ đồng, thu từ hoạt động xuất nhập \
             khẩu 469,1 tỷ đồng |\n"
        ));
    }
    let ws = render_words("linebreaks-ties", &report(&["Lưu Văn phòng."]), &t);
    // Justified lines stretch their spaces: a tied word has its partner on
    // its line, however far.
    let heads = ["số", "ngày", "1.286,75", "triệu", "tỷ", "Hồ", "Chí", "5"];
    let broken = broken_ties(&ws, &heads, 60.0);
    assert!(broken.is_empty(), "{}", broken.join("\n"));
    // In the table every "đồng" follows its "tỷ" on the same line.
    let mut split = Vec::new();
    for w in ws.iter().filter(|w| w.text.starts_with("đồng")) {
        let after_ty = ws.iter().any(|o| {
            o.text == "tỷ"
                && o.page == w.page
                && (o.y0 - w.y0).abs() < 2.0
                && w.x0 > o.x1
                && w.x0 - o.x1 < 8.0
        });
        if !after_ty
            && !ws
                .iter()
                .any(|o| o.text == "triệu" && o.page == w.page && (o.y0 - w.y0).abs() < 2.0)
        {
            split.push(format!("page {} y {:.1}", w.page, w.y0));
        }
    }
    assert!(split.is_empty(), "\"đồng\" away from its \"tỷ\": {split:?}");
    let lines = lines_of(ws.clone());
    let wrapped_cells = lines
        .iter()
        .filter(|l| {
            l.iter().filter(|w| w.text == "tỷ").count() >= 1
                && l.iter().any(|w| w.text == "nội" || w.text == "địa")
        })
        .count();
    assert!(
        wrapped_cells >= 8,
        "{wrapped_cells} table lines with a wrapped amount"
    );
}

#[test]
fn headings_break_between_words_and_never_leave_one_word_alone() {
    let lex = lexicon();
    let base = "Công tác lãnh đạo, chỉ đạo việc học tập và làm theo tư tưởng, đạo đức, \
                phong cách Hồ Chí Minh trong cán bộ, đảng viên và nhân dân trên địa bàn";
    let words: Vec<&str> = base.split(' ').collect();
    let mut t = String::new();
    let mut headings = Vec::new();
    for n in 8..=words.len() {
        let h = format!("{}. {}", n - 7, words[..n].join(" "));
        t.push_str(&format!("## {h}\n\nĐoạn văn.\n\n"));
        headings.push(h);
    }
    let ws = render_words("linebreaks-headings", &report(&["Lưu Văn phòng."]), &t);
    let lines = lines_of(ws);
    let mut wrapped = 0;
    for h in &headings {
        let found = find_lines(&lines, h).unwrap_or_else(|| panic!("heading \"{h}\" not found"));
        if found.len() > 1 {
            wrapped += 1;
            let last = found.last().map_or(0, Vec::len);
            assert!(last >= 2, "\"{h}\": one word on its last line");
        }
        let bad = bad_breaks(found, &lex);
        assert!(bad.is_empty(), "\"{h}\": {bad:?}");
    }
    assert!(wrapped >= 10, "{wrapped} headings wrapped");
}

#[test]
fn recipients_hang_under_their_text_and_break_between_words() {
    let lex = lexicon();
    let list = [
        "Ban Tuyên giáo Trung ương, Ban Tổ chức Trung ương và Văn phòng Trung ương Đảng (để báo cáo),",
        "Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam và các tổ chức chính trị - xã hội cấp tỉnh,",
        "Các đồng chí Ủy viên Ban Chấp hành Đảng bộ thành phố, Ủy viên Ủy ban Kiểm tra Thành ủy,",
        "Các chi bộ, đảng bộ trực thuộc và các phòng, ban chuyên môn thuộc Ủy ban nhân dân thành phố,",
        "Lưu Văn phòng Thành ủy.",
    ];
    let ws = render_words("linebreaks-recipients", &report(&list), "Đoạn văn.\n");
    // The recipients' column: the signature's words begin right of 330 pt.
    let ws: Vec<BoxWord> = ws.into_iter().filter(|w| w.x0 < 330.0).collect();
    let p = Toml::load(&root().join("profiles/dang-36.toml"));
    let hang = mm(p.f("noi_nhan.thut_treo"));
    let lines = lines_of(ws);
    let mut continued = 0;
    for r in list {
        let text = format!("- {r}");
        let found = find_lines(&lines, &text).unwrap_or_else(|| {
            let shown: Vec<String> = lines
                .iter()
                .map(|l| {
                    l.iter()
                        .map(|w| w.text.as_str())
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect();
            panic!("\"{text}\" not found in:\n{}", shown.join("\n"))
        });
        let dash = &found[0][0];
        let first_text = &found[0][1];
        assert_eq!(dash.text, "-");
        // The profile's indent puts continuation lines under the text after "- ".
        assert!(
            (dash.x0 + hang - first_text.x0).abs() < 0.6,
            "\"{r}\": text at {:.2}, dash at {:.2}, indent {hang:.2}",
            first_text.x0,
            dash.x0
        );
        for l in &found[1..] {
            continued += 1;
            assert!(
                (l[0].x0 - first_text.x0).abs() < 0.6,
                "\"{r}\": continuation at {:.2}, text at {:.2}",
                l[0].x0,
                first_text.x0
            );
        }
        let bad = bad_breaks(found, &lex);
        assert!(bad.is_empty(), "\"{r}\": {bad:?}");
    }
    assert!(continued >= 4, "{continued} continuation lines");
}
