//! Appendices and the State summary, read back from the PDF against the
//! profiles (`profiles/*.toml`, never literals):
//!
//! - the summary (trích yếu): its first letter in capitals where the profile
//!   says so (State, `tieu_de.trich_yeu_hoa_dau`), the data as typed; its rule
//!   `tieu_de.cach_gach` mm under the descenders;
//! - `\phu_luc I`: a new page with the label ("Phụ lục I"), the heading after
//!   it as the title, the "(Kèm theo …)" line built from `[van_ban]` in the
//!   profile's style with a short rule under it, and page numbers of its own;
//! - a title meant to be in capitals with lower-case words is warned about;
//! - landscape pages: the binding margin (`le_trai`) on the edge the profile
//!   names (`trang.mep_dong_trang_ngang`);
//! - templates of the old form (`\ngang`, "# Phụ lục", an italic paragraph)
//!   still render as before.

use crate::common::*;

/// A State report (Nghị định 30) with a lower-case summary.
fn state_data(extra_van_ban: &str, rows: usize) -> String {
    let rows: Vec<String> = (1..=rows)
        .map(|i| format!("{{ ten = \"Khu phố {i}\", so_ho = {} }}", 500 + i))
        .collect();
    format!(
        r#"mau = "mau.md.hbs"
khu_pho = [{}]

[van_ban]
the_thuc = "nha-nuoc"
co_quan_cap_tren = "ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH"
co_quan = "ỦY BAN NHÂN DÂN PHƯỜNG TÂN ĐỊNH"
so = 5
ky_hieu = "BC-UBND"
dia_danh = "Tân Định"
ngay = 2025-03-07
trich_yeu = "tình hình kinh tế - xã hội năm 2025"
noi_nhan = ["UBND Thành phố", "Lưu: VT"]
{extra_van_ban}

[ky]
quyen_han = "TM. ỦY BAN NHÂN DÂN"
chuc_vu = "CHỦ TỊCH"
ho_ten = "Nguyễn Văn A"
"#,
        rows.join(", ")
    )
}

const ISSUER_NAME: &str = "ten_co_quan = \"Ủy ban nhân dân phường Tân Định\"";

/// The body names the summary as typed, then two appendices: I on portrait
/// pages, II on landscape pages, each a table of `khu_pho`.
const TWO_APPENDICES: &str = "# I. KẾT QUẢ\n\nTrích yếu như đã gõ: {{van_ban.trich_yeu}}.\n\n\
\\phu_luc I\n\n# SỐ HỘ THEO KHU PHỐ NĂM 2025\n\n| TT | Khu phố | Số hộ |\n|--:|---|--:|\n\
{{#each khu_pho}}| {{cong @index 1}} | {{ten}} | {{so so_ho}} |\n{{/each}}\n\
\\phu_luc II\n\\ngang\n\n# SỐ HỘ (hộ) THEO KHU PHỐ NĂM 2025\n\n| TT | Khu phố | Số hộ |\n|--:|---|--:|\n\
{{#each khu_pho}}| {{cong @index 1}} | {{ten}} | {{so so_ho}} |\n{{/each}}";

/// Render `data` with `template` (and an optional user profile `rieng.toml`)
/// in a fresh folder; the run must succeed. The pages and stderr.
fn render_with(
    tag: &str,
    data: &str,
    template: &str,
    profile: Option<&str>,
) -> (Vec<Page>, String) {
    let mut files = vec![("bao-cao.toml", data), ("mau.md.hbs", template)];
    files.extend(profile.map(|p| ("rieng.toml", p)));
    let (pdf, stderr) = render_files(tag, &files);
    (trace_pages(&pdf), stderr)
}

fn all_lines(pages: &[Page]) -> Vec<Line> {
    pages.iter().flat_map(Page::lines).collect()
}

fn find<'a>(lines: &'a [Line], text: &str) -> &'a Line {
    lines.iter().find(|l| l.text() == text).unwrap_or_else(|| {
        panic!(
            "no line \"{text}\" in:\n{}",
            lines
                .iter()
                .map(|l| l.describe() + "\n")
                .collect::<String>()
        )
    })
}

/// The horizontal rules of `page` below `line`'s baseline, within `depth` pt.
fn rules_below(page: &Page, line: &Line, depth: f64) -> Vec<Rule> {
    page.rules
        .iter()
        .filter(|r| r.is_horizontal() && r.y() > line.y && r.y() <= line.y + depth)
        .cloned()
        .collect()
}

/// The lowest point of `line`'s descenders.
fn descenders(line: &Line) -> f64 {
    line.glyphs
        .iter()
        .filter(|g| !g.is_space())
        .map(Glyph::bottom)
        .fold(f64::NEG_INFINITY, f64::max)
}

// ---------------------------------------------------------------------------
// The summary (trích yếu)

#[test]
fn the_state_summary_begins_with_a_capital_and_the_data_stays_as_typed() {
    let data = state_data(ISSUER_NAME, 3);
    let (pages, _) = render_with("summary-state", &data, TWO_APPENDICES, None);
    let p = builtin_profile("nha-nuoc");
    assert!(
        p.b("tieu_de.trich_yeu_hoa_dau", false),
        "the State profile capitalises"
    );
    let lines = all_lines(&pages);
    let typed = "tình hình kinh tế - xã hội năm 2025";
    let title = find(&lines, "Tình hình kinh tế - xã hội năm 2025");
    title.assert_style(p.style("tieu_de.trich_yeu"), "the summary");
    assert_eq!(title.page, 1);
    // The body prints the value as typed.
    find(&lines, &format!("Trích yếu như đã gõ: {typed}."));
}

#[test]
fn the_party_summary_is_printed_as_typed() {
    let dir = scratch("summary-party");
    put(&dir, "bao-cao.toml", SMALL_DATA);
    put(&dir, "mau.md.hbs", SMALL_TEMPLATE);
    let pdf = render(&dir.join("bao-cao.toml"), &dir);
    let lines = all_lines(&trace_pages(&pdf));
    assert!(!profile().b("tieu_de.trich_yeu_hoa_dau", false));
    find(&lines, "kết quả công tác năm 2021");
}

#[test]
fn the_summary_rule_lies_the_profiles_gap_under_the_descenders() {
    let data = state_data(ISSUER_NAME, 3);
    let p = builtin_profile("nha-nuoc");
    let user = "ke_thua = \"nha-nuoc\"\n[tieu_de]\ncach_gach = 4.0\n";
    for (tag, profile, gap) in [
        ("rule-gap-builtin", None, p.f("tieu_de.cach_gach")),
        ("rule-gap-user", Some(user), 4.0),
    ] {
        let data = match profile {
            Some(_) => data.replace("the_thuc = \"nha-nuoc\"", "the_thuc = \"rieng.toml\""),
            None => data.clone(),
        };
        let (pages, _) = render_with(tag, &data, TWO_APPENDICES, profile);
        let lines = all_lines(&pages);
        let summary = find(&lines, "Tình hình kinh tế - xã hội năm 2025");
        let rules = rules_below(&pages[0], summary, 30.0);
        assert_eq!(
            rules.len(),
            1,
            "{tag}: one rule under the summary: {rules:?}"
        );
        let below = rules[0].y() - descenders(summary);
        assert!(
            (below - mm(gap)).abs() <= 0.3,
            "{tag}: the rule is {below:.2} pt under the descenders, the profile says {gap} mm = {:.2} pt",
            mm(gap)
        );
        // Clear of the words: at least 1.5 mm, never read as underlining.
        assert!(below >= mm(1.5), "{tag}: the rule touches the words");
    }
}

// ---------------------------------------------------------------------------
// The appendix head

#[test]
fn an_appendix_head_is_its_label_title_and_kem_theo_line_with_a_rule() {
    let p = builtin_profile("nha-nuoc");
    let data = state_data(ISSUER_NAME, 3);
    let (pages, stderr) = render_with("head-state", &data, TWO_APPENDICES, None);
    assert!(
        !stderr.contains("cảnh báo"),
        "no warning for titles in capitals (units in parentheses): {stderr}"
    );
    let d = Toml(toml::from_str(&data).expect("data"));
    // Built from [van_ban] as the State profile cites a document: "số 05/BC-UBND
    // ngày 07/3/2025" (day below 10 padded, months from 3 on not).
    let with = format!(
        "(Kèm theo Báo cáo số {:02}/{} ngày 07/3/2025 của {})",
        d.f("van_ban.so") as i64,
        d.s("van_ban.ky_hieu"),
        d.s("van_ban.ten_co_quan")
    );
    for (number, title) in [
        ("I", "SỐ HỘ THEO KHU PHỐ NĂM 2025"),
        ("II", "SỐ HỘ (hộ) THEO KHU PHỐ NĂM 2025"),
    ] {
        let label = appendix_label(p, number);
        assert_eq!(label, format!("Phụ lục {number}"));
        let all = all_lines(&pages);
        let page = &pages[find(&all, &label).page - 1];
        // The head's lines on the label's page.
        let lines = page.lines();
        let l = find(&lines, &label);
        let g = Geometry::of(p, page.width > page.height);
        let top_lines = page.lines();
        let first = top_lines
            .iter()
            .find(|x| page_number_line(page).is_none_or(|n| n.y != x.y))
            .expect("a line");
        assert_eq!(first.text(), label, "the label opens its page");
        let t = find(&lines, title);
        // The "(Kèm theo …)" line, over as many lines as it takes, right under
        // the title.
        let k = lines.iter().position(|x| x.y == t.y).expect("the title") + 1;
        let mut ws: Vec<&Line> = Vec::new();
        let mut acc = String::new();
        while !acc.ends_with(')') {
            let x = lines.get(k + ws.len()).expect("the Kèm theo line");
            acc = if acc.is_empty() {
                x.text()
            } else {
                format!("{acc} {}", x.text())
            };
            ws.push(x);
        }
        assert_eq!(acc, with, "the Kèm theo line");
        let w = *ws.last().expect("a line");
        assert!(l.y < t.y && t.y < ws[0].y);
        let mut set = vec![(l, "phu_luc.so"), (t, "phu_luc.ten")];
        set.extend(ws.iter().map(|x| (*x, "phu_luc.kem_theo")));
        for (line, spec) in set {
            line.assert_style(p.style(spec), spec);
            assert!(
                (line.centre() - g.centre()).abs() <= 1.0,
                "{spec} is centred at {:.2}, the text area at {:.2}",
                line.centre(),
                g.centre()
            );
        }
        let rules = rules_below(page, w, 30.0);
        assert_eq!(
            rules.len(),
            1,
            "one rule under the Kèm theo line: {rules:?}"
        );
        let r = &rules[0];
        let lo = ws.iter().map(|x| x.x0()).fold(f64::INFINITY, f64::min);
        let hi = ws.iter().map(|x| x.x1()).fold(f64::NEG_INFINITY, f64::max);
        let want = p.f("phu_luc.kem_theo.gach_duoi") * (hi - lo);
        assert!(
            (r.len() - want).abs() <= 0.5,
            "rule {:.2} pt, want {want:.2}",
            r.len()
        );
        assert!(((r.left() + r.right()) / 2.0 - (lo + hi) / 2.0).abs() <= 0.5);
        let below = r.y() - descenders(w);
        assert!(
            (below - mm(p.f("phu_luc.cach_gach"))).abs() <= 0.3,
            "{below:.2} pt"
        );
        // The content starts under the rule.
        let next = top_lines
            .iter()
            .find(|x| x.y > r.y())
            .expect("the appendix's table");
        assert!(next.text().starts_with("TT"), "{}", next.describe());
    }
}

#[test]
fn a_party_appendix_cites_the_document_the_party_way() {
    let p = builtin_profile("dang-36");
    let data = SMALL_DATA.replace(
        "co_quan = \"THÀNH ỦY BẮC KẠN\"",
        "co_quan = \"THÀNH ỦY BẮC KẠN\"\nten_co_quan = \"Thành ủy Bắc Kạn\"",
    );
    let template = format!("{SMALL_TEMPLATE}\n\\phu_luc 1\n\n# DANH SÁCH\n\nNội dung phụ lục.\n");
    let (pages, _) = render_with("head-party", &data, &template, None);
    let lines = all_lines(&pages);
    let with = find(
        &lines,
        "(Kèm theo Báo cáo số 125-BC/TU, ngày 15-12-2021 của Thành ủy Bắc Kạn)",
    );
    with.assert_style(p.style("phu_luc.kem_theo"), "Kèm theo");
    let label = find(&lines, &appendix_label(p, "1"));
    assert!(label.page > 1 && label.page == with.page);
}

#[test]
fn a_kem_theo_line_without_the_issuers_name_is_warned_about() {
    let data = state_data("", 3);
    let (pages, stderr) = render_with("head-no-issuer", &data, TWO_APPENDICES, None);
    let lines = all_lines(&pages);
    find(&lines, "(Kèm theo Báo cáo số 05/BC-UBND ngày 07/3/2025)");
    assert!(
        stderr.contains("không có tên cơ quan ban hành") && stderr.contains("ten_co_quan"),
        "{stderr}"
    );
    // At the `\phu_luc I` line of the template (line 5).
    assert!(stderr.contains("mau.md.hbs:5:"), "{stderr}");
}

#[test]
fn a_capitals_title_with_lower_case_words_is_warned_about_at_the_word() {
    let template = TWO_APPENDICES.replace(
        "# SỐ HỘ THEO KHU PHỐ NĂM 2025",
        "# SỐ HỘ THEO KHU PHỐ năm 2025",
    );
    let data = state_data(ISSUER_NAME, 3);
    let (pages, stderr) = render_with("caps-title", &data, &template, None);
    assert!(
        stderr.contains("tên phụ lục phải viết chữ in hoa") && stderr.contains("\"năm\""),
        "{stderr}"
    );
    // At the title's line in the template (the filled-in line is a hint).
    let (line, _) = locate(&template, "năm 2025", 0);
    assert!(
        stderr.contains(&format!("mau.md.hbs:{line}:")),
        "the warning points at the title's line ({line}): {stderr}"
    );
    // Set as written: the layout changes nothing the author typed.
    find(&all_lines(&pages), "SỐ HỘ THEO KHU PHỐ năm 2025");
    // --strict refuses it.
    let dir = scratch("caps-title-strict");
    put(&dir, "bao-cao.toml", &data);
    put(&dir, "mau.md.hbs", &template);
    let out = bin()
        .current_dir(&dir)
        .args(["render", "bao-cao.toml", "-o", "ra.pdf", "--strict"])
        .output()
        .expect("run baocao");
    assert_ne!(out.status.code(), Some(0));
    assert!(!dir.join("ra.pdf").exists());
}

// ---------------------------------------------------------------------------
// Page numbers and landscape margins

#[test]
fn each_appendix_numbers_its_own_pages_from_one() {
    let p = builtin_profile("nha-nuoc");
    let data = state_data(ISSUER_NAME, 60);
    let (pages, _) = render_with("own-numbers", &data, TWO_APPENDICES, None);
    let lines = all_lines(&pages);
    let start = |n: &str| find(&lines, &appendix_label(p, n)).page;
    let (one, two) = (start("I"), start("II"));
    assert!(
        two - one >= 2,
        "appendix I takes several pages ({one}..{two})"
    );
    assert!(pages.len() - two >= 1, "appendix II takes several pages");
    let from = p.f("so_trang.tu_trang") as usize;
    let shown: Vec<Option<String>> = pages
        .iter()
        .map(|pg| page_number_line(pg).map(|l| l.text()))
        .collect();
    for (i, s) in shown.iter().enumerate() {
        let page = i + 1;
        let want = if page >= two {
            page - two + 1
        } else if page >= one {
            page - one + 1
        } else {
            page
        };
        let want = (want >= from).then(|| want.to_string());
        assert_eq!(
            s, &want,
            "page {page}'s number (appendices start on {one} and {two})"
        );
    }
    assert_eq!(
        printed_numbers(&pages, p)[one - 1..two - 1],
        (1..=two - one).collect::<Vec<_>>()
    );
}

#[test]
fn ngang_before_or_after_phu_luc_turns_the_appendix() {
    let data = state_data(ISSUER_NAME, 3);
    for (tag, template) in [
        (
            "ngang-after",
            "Nội dung.\n\n\\phu_luc\n\\ngang\n\n# BẢNG\n\nNội dung phụ lục.\n",
        ),
        (
            "ngang-before",
            "Nội dung.\n\n\\ngang\n\\phu_luc\n\n# BẢNG\n\nNội dung phụ lục.\n",
        ),
        (
            "portrait",
            "Nội dung.\n\n\\phu_luc\n\n# BẢNG\n\nNội dung phụ lục.\n",
        ),
        // An empty appendix before it keeps its head, on a page of its own.
        (
            "empty-before",
            "Nội dung.\n\n\\phu_luc I\n\\phu_luc\n\n# BẢNG\n\nNội dung phụ lục.\n",
        ),
    ] {
        let (pages, _) = render_with(tag, &data, template, None);
        let lines = all_lines(&pages);
        let label = find(&lines, "Phụ lục");
        let page = &pages[label.page - 1];
        assert_eq!(page.width > page.height, tag.starts_with("ngang"), "{tag}");
        // The body and signature fit on page 1: the appendix starts on page 2
        // (page 3 after the empty one), no empty page between.
        let empty = (tag == "empty-before").then(|| find(&lines, "Phụ lục I").page);
        assert_eq!(empty, (tag == "empty-before").then_some(2), "{tag}");
        assert_eq!(label.page, 2 + usize::from(empty.is_some()), "{tag}");
        assert_eq!(pages.len(), label.page, "{tag}");
        assert_eq!(find(&lines, "BẢNG").page, label.page, "{tag}: the title");
    }
}

#[test]
fn a_user_profile_may_keep_one_page_numbering() {
    let data =
        state_data(ISSUER_NAME, 60).replace("the_thuc = \"nha-nuoc\"", "the_thuc = \"rieng.toml\"");
    let user = "ke_thua = \"nha-nuoc\"\n[phu_luc]\nso_trang_rieng = false\n";
    let (pages, _) = render_with("one-numbering", &data, TWO_APPENDICES, Some(user));
    for (i, page) in pages.iter().enumerate().skip(1) {
        let n = page_number_line(page).map(|l| l.text());
        assert_eq!(n, Some((i + 1).to_string()), "page {}", i + 1);
    }
}

/// The extent of the ink of a page but its number.
fn ink_box(page: &Page) -> (f64, f64, f64, f64) {
    let number = page_number_line(page).map(|l| l.y);
    let glyphs = page
        .glyphs
        .iter()
        .filter(|g| !g.is_space() && number.is_none_or(|y| (g.y - y).abs() > 0.5));
    let mut b = (
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    );
    for g in glyphs {
        b = (
            b.0.min(g.x),
            b.1.min(g.top()),
            b.2.max(g.x_end),
            b.3.max(g.bottom()),
        );
    }
    for r in &page.rules {
        b = (
            b.0.min(r.left()),
            b.1.min(r.top()),
            b.2.max(r.right()),
            b.3.max(r.bottom()),
        );
    }
    b
}

#[test]
fn the_binding_margin_of_a_landscape_page_is_on_the_edge_the_profile_names() {
    let p = builtin_profile("nha-nuoc");
    let m = |k: &str| mm(p.f(&format!("trang.{k}")));
    let data = state_data(ISSUER_NAME, 60);
    let user = "ke_thua = \"nha-nuoc\"\n[trang]\nmep_dong_trang_ngang = \"duoi\"\n";
    for (tag, profile) in [("binding-top", None), ("binding-bottom", Some(user))] {
        let data = match profile {
            Some(_) => data.replace("the_thuc = \"nha-nuoc\"", "the_thuc = \"rieng.toml\""),
            None => data.clone(),
        };
        let (pages, _) = render_with(tag, &data, TWO_APPENDICES, profile);
        let wide: Vec<&Page> = pages.iter().filter(|pg| pg.width > pg.height).collect();
        assert!(wide.len() >= 2, "{tag}: appendix II is landscape");
        // The binding edge gets le_trai: on top (turned clockwise to read) or at
        // the bottom; left and right get le_duoi and le_tren, or the reverse.
        let (top, right, bottom, left) = if profile.is_none() {
            (m("le_trai"), m("le_tren"), m("le_phai"), m("le_duoi"))
        } else {
            (m("le_phai"), m("le_duoi"), m("le_trai"), m("le_tren"))
        };
        for page in &wide {
            let (x0, y0, x1, y1) = ink_box(page);
            assert!(
                x0 >= left - 0.05 && y0 >= top - 0.05 && x1 <= page.width - right + 0.05,
                "{tag}: page {} ink ({x0:.1}, {y0:.1})..({x1:.1}, {y1:.1}) outside the margins",
                page.number
            );
            assert!(
                y1 <= page.height - bottom + 0.05,
                "{tag}: page {} bottom {y1:.1}",
                page.number
            );
            // Tables span the text width: the ink meets both side margins.
            assert!((x0 - left).abs() <= 0.05 && (x1 - (page.width - right)).abs() <= 0.05);
        }
        // A full page's table reaches the binding margin's edge of the text area
        // within a row: the first page's ink starts at the top margin.
        let (_, y0, _, _) = ink_box(wide[0]);
        assert!(
            (y0 - top).abs() <= 2.0,
            "{tag}: the landscape text starts at {y0:.1}, the top margin is {top:.1}"
        );
    }
}

// ---------------------------------------------------------------------------
// The old form

#[test]
fn an_old_style_appendix_still_renders_with_continuing_numbers() {
    let template = "# I. KẾT QUẢ\n\nNội dung./.\n\n\\ngang\n\n# Phụ lục\n\n## BẢNG SỐ HỘ\n\n\
*(Kèm theo Báo cáo số 05/BC-UBND ngày 07/3/2025 của Ủy ban nhân dân phường Tân Định)*\n\n\
| TT | Khu phố | Số hộ |\n|--:|---|--:|\n{{#each khu_pho}}| {{cong @index 1}} | {{ten}} | {{so so_ho}} |\n{{/each}}";
    let data = state_data("", 60);
    let (pages, stderr) = render_with("old-style", &data, template, None);
    assert!(!stderr.contains("cảnh báo"), "{stderr}");
    let lines = all_lines(&pages);
    let l = find(&lines, "Phụ lục");
    assert!(pages[l.page - 1].width > pages[l.page - 1].height);
    find(&lines, "BẢNG SỐ HỘ");
    for (i, page) in pages.iter().enumerate().skip(1) {
        let n = page_number_line(page).map(|l| l.text());
        assert_eq!(n, Some((i + 1).to_string()), "page {}", i + 1);
    }
}

/// The built-in template with an appendix (`kt-xh-nam`, started with `baocao
/// init`) and the ward example: each appendix head is built from `[van_ban]`.
#[test]
fn the_builtin_and_example_appendices_are_built_from_van_ban() {
    let parent = scratch("builtin-appendix");
    let out = bin()
        .current_dir(&parent)
        .args(["init", "bc", "--mau", "kt-xh-nam"])
        .output()
        .expect("run baocao");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let builtin = parent.join("bc").join("bao-cao.toml");
    for data in [builtin, ward_data()] {
        let dir = scratch("builtin-appendix-out");
        let pdf = render(&data, &dir);
        let pages = trace_pages(&pdf);
        let lines = all_lines(&pages);
        let d = Toml::load(&data);
        let p = builtin_profile(&d.s("van_ban.the_thuc"));
        let label = find(&lines, &appendix_label(p, ""));
        let with = lines
            .iter()
            .find(|l| l.text().starts_with("(Kèm theo"))
            .unwrap_or_else(|| panic!("{}: no Kèm theo line", data.display()));
        let so = d.f("van_ban.so") as i64;
        let want = format!("số {so:02}/{} ngày", d.s("van_ban.ky_hieu"));
        assert!(
            with.text().contains(&want)
                && with
                    .text()
                    .ends_with(&format!("của {})", d.s("van_ban.ten_co_quan"))),
            "{}: {} should cite {want} … {}",
            data.display(),
            with.text(),
            d.s("van_ban.ten_co_quan")
        );
        assert_eq!(label.page, with.page);
        let page = &pages[label.page - 1];
        assert!(
            page.width > page.height,
            "{}: a landscape appendix",
            data.display()
        );
        assert!(
            page_number_line(page).is_none(),
            "the appendix's page 1 shows no number"
        );
    }
}
