//! Tables across pages, read back from the PDF: a lead-in line ending in ":"
//! stays with its table; the header and a group row ("I. Kinh tế") never end
//! a page; a group row keeps two rows under it and is repeated with "(tiếp)"
//! under the repeated header. Checked on the three examples and on generated
//! reports whose page breaks fall at every place.

use crate::common::*;
use std::path::PathBuf;
use std::sync::OnceLock;

/// The lines of a page, without its page number.
fn body_lines(page: &Page) -> Vec<Line> {
    let mut ls = page.lines();
    if page_number_line(page).is_some() {
        ls.remove(0);
    }
    ls
}

/// Every lead-in line (ending in ":") directly above a table in `markup`,
/// and the text of the table's first header cell or caption.
fn lead_ins(markup: &str) -> Vec<(String, String)> {
    let blocks = blocks(markup);
    blocks
        .windows(2)
        .filter(|w| w[0].kind == BlockKind::Paragraph && w[0].text.ends_with(':'))
        .filter_map(|w| match &w[1].kind {
            BlockKind::Table => Some((w[0].text.clone(), w[1].cells[0][0].clone())),
            BlockKind::Caption(_) => Some((w[0].text.clone(), w[1].text.clone())),
            _ => None,
        })
        .collect()
}

/// The page and y of the last line of the paragraph `text` (matched by the
/// end of its last line), and the page and top of what follows it.
fn place_of_lead_in(pages: &[Page], text: &str) -> Option<(usize, f64)> {
    for p in pages {
        for l in body_lines(p) {
            let t = l.text();
            if t.ends_with(':') && text.ends_with(&t) && t.len() > 8 {
                return Some((p.number, l.y));
            }
        }
    }
    None
}

/// Checks that every lead-in of `markup` shares its page with the table
/// under it (the first ruled table below it); returns how many were pushed
/// to the top of a page.
fn check_lead_ins(name: &str, pages: &[Page], markup: &str) -> usize {
    let mut at_top = 0;
    let found = lead_ins(markup);
    assert!(!found.is_empty(), "{name}: no lead-in above a table");
    for (text, _) in &found {
        let (page, y) = place_of_lead_in(pages, text)
            .unwrap_or_else(|| panic!("{name}: the lead-in \"{text}\" is not in the PDF"));
        let grids = read_tables(&pages[page - 1]);
        assert!(
            grids.iter().any(|g| g.top > y),
            "{name}: the lead-in \"{text}\" ends page {page}, its table starts on the next page:\n{}",
            pages[page - 1].dump()
        );
        let lines = body_lines(&pages[page - 1]);
        if page > 1 && lines.first().is_some_and(|l| text.starts_with(&l.text())) {
            at_top += 1;
        }
    }
    at_top
}

#[test]
fn a_lead_in_ending_in_a_colon_stays_with_its_table_in_the_examples() {
    for (name, ex) in [
        ("Bắc Kạn", example()),
        ("Tân Định", ward()),
        ("Bạch Thông", district()),
    ] {
        check_lead_ins(name, &ex.pages, &ex.markup);
    }
}

// ---------------------------------------------------------------------------
// Generated reports

/// Render a report whose body template is `body` (into a scratch folder named `tag`).
fn render_body(body: &str, tag: &str) -> (PathBuf, Vec<Page>, String) {
    let dir = scratch(tag);
    put(&dir, "bang.toml", TABLE_DATA_HEAD);
    put(&dir, "bang.md.hbs", body);
    let data = dir.join("bang.toml");
    let pdf = render(&data, &dir);
    let pages = trace_pages(&pdf);
    let markup = emit_markup(&data);
    (pdf, pages, markup)
}

/// A filler paragraph of about `n` lines.
fn filler(n: usize) -> String {
    "Các cơ quan, đơn vị đã triển khai thực hiện nghiêm túc các nhiệm vụ được giao, \
     bảo đảm tiến độ và chất lượng. "
        .repeat(n)
        .trim_end()
        .to_string()
}

/// Fourteen lead-ins, each after a paragraph one line longer than the last,
/// each above a small table: some lead-in falls at the foot of a page.
fn lead_in_report() -> &'static (Vec<Page>, String) {
    static R: OnceLock<(Vec<Page>, String)> = OnceLock::new();
    R.get_or_init(|| {
        let mut body = String::new();
        for k in 1..=14 {
            body.push_str(&format!(
                "{}\n\nKết quả thực hiện của phần thứ {k} như sau:\n\n\
                 | TT | Nội dung | Số lượng |\n|:-:|---|--:|\n\
                 | 1 | Việc thứ nhất | 12 |\n| 2 | Việc thứ hai | 7 |\n\n",
                filler(k % 6 + 1)
            ));
        }
        let (_, pages, markup) = render_body(&body, "lead-ins");
        (pages, markup)
    })
}

#[test]
fn a_lead_in_at_the_foot_of_a_page_goes_over_with_its_table() {
    let (pages, markup) = lead_in_report();
    assert_eq!(lead_ins(markup).len(), 14);
    let pushed = check_lead_ins("generated lead-ins", pages, markup);
    // The rule was put to work: some lead-in would have ended a page.
    assert!(
        pushed >= 1,
        "no lead-in starts a page: the report does not test the rule ({} pages)",
        pages.len()
    );
}

// ---------------------------------------------------------------------------
// Group rows

/// The labels and sizes of the generated groups: sizes from one to twelve rows.
fn groups() -> Vec<(String, usize)> {
    const ROMAN: [&str; 16] = [
        "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV",
        "XV", "XVI",
    ];
    let sizes = [3, 1, 9, 2, 12, 4, 1, 10, 3, 7, 2, 11, 1, 4, 6, 3];
    ROMAN
        .iter()
        .zip(sizes)
        .map(|(r, n)| (format!("{r}. Nhóm chỉ tiêu {r}"), n))
        .collect()
}

/// A table of sixteen groups; every other group spells its row with spans
/// (`| **I. …** | < | … |`), the others as a bold numeral and name and empty
/// cells (`| **II** | **Nhóm …** | | | |`).
fn group_table() -> String {
    let mut t = String::from(
        "Bảng tổng hợp các chỉ tiêu như sau:\n\n\
         | TT | Chỉ tiêu | Đơn vị tính | Kế hoạch | Thực hiện |\n|:-:|---|:-:|--:|--:|\n",
    );
    for (g, (label, n)) in groups().iter().enumerate() {
        if g % 2 == 0 {
            t.push_str(&format!("| **{label}** | < | < | < | < |\n"));
        } else {
            let (numeral, name) = label.split_once(". ").expect("a label");
            t.push_str(&format!("| **{numeral}** | **{name}** | | | |\n"));
        }
        for i in 1..=*n {
            // Some names take two lines: the breaks fall at varied places.
            let name = if (g + i) % 3 == 0 {
                format!("Chỉ tiêu thứ {i} của nhóm, gồm cả phần giải thích dài hơn một dòng của ô")
            } else {
                format!("Chỉ tiêu thứ {i} của nhóm")
            };
            t.push_str(&format!(
                "| {i} | {name} | tấn | 1.{g:02}{i},5 | 1.{i}{g:02} |\n"
            ));
        }
    }
    t
}

fn group_report() -> &'static Vec<Page> {
    static R: OnceLock<Vec<Page>> = OnceLock::new();
    R.get_or_init(|| {
        let body = format!("{}\n\n{}", filler(12), group_table());
        render_body(&body, "groups").1
    })
}

/// Checks the group rows of a table read back as `grids` (one per page, the
/// header `header_rows` bands tall), whose groups are `labels` with `sizes`
/// rows in order; returns how many pages start with a continued group.
fn check_groups(
    name: &str,
    grids: &[TableGrid],
    header_rows: usize,
    groups: &[(String, usize)],
) -> usize {
    // A group row's label: its text in its first two cells ("II" and "Nhóm
    // chỉ tiêu II" read "II. Nhóm chỉ tiêu II"), the others empty.
    let label_of = |g: &TableGrid, b: usize| -> Option<String> {
        let cells = g.band(b);
        if cells.iter().skip(2).any(|c| !c.is_empty()) {
            return None;
        }
        let texts: Vec<String> = cells
            .iter()
            .take(2)
            .map(|c| c.text())
            .filter(|t| !t.is_empty())
            .collect();
        let label = texts.join(". ");
        let known = groups.iter().any(|(l, _)| label.starts_with(l.as_str()));
        known.then_some(label)
    };
    let mut continued = 0;
    let mut current: Option<usize> = None; // index into groups
    let mut left_in_group = 0;
    for (gi, g) in grids.iter().enumerate() {
        let bands = g.band_count();
        assert!(
            bands > header_rows,
            "{name}: page {} shows the header alone",
            g.page
        );
        let mut b = header_rows;
        // A page that starts inside a group repeats its row, with "(tiếp)".
        if gi > 0 && left_in_group > 0 {
            let (label, _) = &groups[current.expect("a group")];
            assert_eq!(
                label_of(g, b),
                Some(format!("{label} (tiếp)")),
                "{name}: page {} continues group \"{label}\": its row should repeat with \"(tiếp)\" under the header",
                g.page
            );
            continued += 1;
            b += 1;
        }
        while b < bands {
            if let Some(label) = label_of(g, b) {
                assert!(
                    !label.ends_with("(tiếp)"),
                    "{name}: page {}: a continued group row where no group continues: {label}",
                    g.page
                );
                let k = groups
                    .iter()
                    .position(|(l, _)| *l == label)
                    .unwrap_or_else(|| panic!("{name}: unknown group row {label}"));
                assert_eq!(
                    Some(k),
                    current.map_or(Some(0), |c| Some(c + 1)),
                    "{name}: group rows out of order"
                );
                current = Some(k);
                left_in_group = groups[k].1;
                // At least two rows (or the whole group) under it on its page.
                let under = bands - b - 1;
                let want = left_in_group.min(2);
                assert!(
                    under >= want,
                    "{name}: group row \"{label}\" has {under} rows under it on page {} (at least {want})",
                    g.page
                );
            } else {
                left_in_group = left_in_group.saturating_sub(1);
            }
            b += 1;
        }
    }
    assert_eq!(
        current,
        Some(groups.len() - 1),
        "{name}: not every group read back"
    );
    continued
}

#[test]
fn group_rows_keep_two_rows_and_repeat_with_tiep_in_a_generated_table() {
    let pages = group_report();
    let grids: Vec<TableGrid> = pages.iter().flat_map(read_tables).collect();
    assert!(
        grids.len() >= 3,
        "the generated table should span 3 pages or more"
    );
    for g in &grids {
        assert_eq!(
            g.band_texts(0),
            vec!["TT", "Chỉ tiêu", "Đơn vị tính", "Kế hoạch", "Thực hiện"],
            "the header heads page {}",
            g.page
        );
    }
    let continued = check_groups("generated groups", &grids, 1, &groups());
    assert!(
        continued >= 1,
        "no page starts inside a group: the table does not test the rule"
    );
    // The repeated row is the group row's own style: bold, across the table
    // for a spanning group row.
    for g in &grids[1..] {
        if let Some(c) = g.band(1).first() {
            if c.text().ends_with("(tiếp)") {
                assert!(
                    c.ink().all(|gl| gl.bold),
                    "continued row not bold: {}",
                    c.describe()
                );
            }
        }
    }
}

/// The groups of the Bạch Thông indicator table, from its data.
fn district_groups() -> Vec<(String, usize)> {
    let rows = RawToml::load(&district_data()).rows("chi_tieu");
    let mut out: Vec<(String, usize)> = Vec::new();
    for r in rows {
        let nhom = r.str("nhom");
        match out.last_mut() {
            Some((l, n)) if *l == nhom => *n += 1,
            _ => out.push((nhom, 1)),
        }
    }
    out
}

#[test]
fn the_three_page_example_keeps_its_groups_together_and_continues_them() {
    let ex = district();
    let grids: Vec<TableGrid> = ex
        .pages
        .iter()
        .flat_map(read_tables)
        .filter(|g| g.band_texts(0).first().is_some_and(|t| t == "TT"))
        .collect();
    // The indicator table: the grids with its header ("Chỉ tiêu").
    let indicator: Vec<TableGrid> = grids
        .into_iter()
        .filter(|g| g.band_texts(0).get(1).is_some_and(|t| t == "Chỉ tiêu"))
        .collect();
    assert_eq!(indicator.len(), 3, "the indicator table spans three pages");
    let continued = check_groups("Bạch Thông", &indicator, 1, &district_groups());
    assert!(
        continued >= 1,
        "the example should show a group continued with \"(tiếp)\""
    );
}

#[test]
fn the_bac_kan_table_continues_its_first_group() {
    let ex = example();
    let grids: Vec<TableGrid> = ex.pages.iter().flat_map(read_tables).collect();
    let rows = RawToml::load(&example_data()).rows("chi_tieu");
    let mut groups: Vec<(String, usize)> = Vec::new();
    for r in rows {
        let nhom = r.str("nhom");
        match groups.last_mut() {
            Some((l, n)) if *l == nhom => *n += 1,
            _ => groups.push((nhom, 1)),
        }
    }
    let continued = check_groups("Bắc Kạn", &grids, 1, &groups);
    assert_eq!(
        continued, 1,
        "Bắc Kạn: \"I. Kinh tế (tiếp)\" on the table's second page"
    );
}

#[test]
fn a_user_profile_sets_the_continued_label() {
    let dir = copy_example("continued-label");
    let data = dir.join("bao-cao.toml");
    let text = std::fs::read_to_string(&data).expect("read data");
    put(
        &dir,
        "bao-cao.toml",
        text.replacen("the_thuc = \"dang\"", "the_thuc = \"rieng.toml\"", 1),
    );
    put(
        &dir,
        "rieng.toml",
        "ke_thua = \"dang-36\"\n\n[bang]\nchu_tiep = \"(tiếp theo)\"\n",
    );
    let pdf = render(&data, &dir);
    let pages = trace_pages(&pdf);
    let grids: Vec<TableGrid> = pages.iter().flat_map(read_tables).collect();
    assert!(grids.len() >= 2, "the table spans two pages");
    let continued: Vec<String> = grids[1..]
        .iter()
        .map(|g| g.band_texts(1).join(" "))
        .collect();
    assert!(
        continued.iter().any(|t| t == "I. Kinh tế (tiếp theo)"),
        "the continued group row uses the profile's label: {continued:?}"
    );
}
