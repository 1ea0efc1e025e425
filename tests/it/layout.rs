//! The layout of the Party example read back from the PDF with MuPDF's trace
//! device, against the numbers of `profiles/dang-36.toml` (never literals).

use crate::common::*;

/// Positions are compared to 0.01 pt where the layout is exact.
const EPS: f64 = 0.01;

fn page1() -> &'static Page {
    &example().pages[0]
}

fn last_page() -> &'static Page {
    example().pages.last().expect("pages")
}

/// The line on page 1 whose text is the document type (the title).
fn title_line() -> Line {
    let loai = data().s("van_ban.loai");
    page1()
        .lines()
        .into_iter()
        .find(|l| l.text() == loai)
        .unwrap_or_else(|| panic!("no title \"{loai}\" on page 1:\n{}", page1().dump()))
}

/// Page-1 lines above the title, within `[x_min, x_max)`.
fn header_lines(x_min: f64, x_max: f64) -> Vec<Line> {
    let title = title_line();
    page1()
        .lines_in(x_min, x_max)
        .into_iter()
        .filter(|l| l.y < title.y - 0.5)
        .collect()
}

/// Boundary between the header's left and right columns.
fn header_split() -> f64 {
    let g = geometry();
    g.left + profile().f("dau.cot_trai") * g.text_width()
}

/// Boundary between the recipients (left) and the signature (right).
fn signature_split() -> f64 {
    let g = geometry();
    g.left + (1.0 - profile().f("ky.cot_phai")) * g.text_width()
}

fn texts(lines: &[Line]) -> Vec<String> {
    lines.iter().map(Line::text).collect()
}

fn assert_within(line: &Line, x_min: f64, x_max: f64, what: &str) {
    assert!(
        line.x0() >= x_min - EPS && line.x1() <= x_max + EPS,
        "{what} must lie in {x_min:.2}..{x_max:.2}: {}",
        line.describe()
    );
}

fn assert_centred(line: &Line, centre: f64, tol: f64, what: &str) {
    assert!(
        (line.centre() - centre).abs() <= tol,
        "{what} must be centred on x = {centre:.2} (±{tol} pt), its centre is {:.2}: {}",
        line.centre(),
        line.describe()
    );
}

/// The horizontal rule just under `line` (its y between the baseline and one size below).
fn rule_under(page: &Page, line: &Line) -> Rule {
    let size = line.glyphs[0].size;
    page.rules
        .iter()
        .filter(|r| r.is_horizontal() && r.y() > line.y && r.y() <= line.y + size)
        .filter(|r| r.right() > line.x0() && r.left() < line.x1())
        .min_by(|a, b| a.y().total_cmp(&b.y()))
        .cloned()
        .unwrap_or_else(|| {
            panic!(
                "no rule under {} ; rules on the page: {:?}",
                line.describe(),
                page.rules
            )
        })
}

// ---------------------------------------------------------------------------
// Margins and page numbers

#[test]
fn every_glyph_lies_inside_the_margins_except_the_page_number() {
    let g = geometry();
    let mut bad = Vec::new();
    for page in &example().pages {
        let number = if page.number >= 2 {
            page_number_line(page)
        } else {
            None
        };
        for gl in page.glyphs.iter().filter(|gl| !gl.is_space()) {
            if let Some(n) = &number {
                if (gl.y - n.y).abs() < 0.5 {
                    continue;
                }
            }
            let (top, bottom) = (gl.top(), gl.bottom());
            if gl.x < g.left - EPS
                || gl.x_end > g.right + MUPDF_WIDTH_SLACK
                || top < g.top - EPS
                || bottom > g.bottom + EPS
            {
                let line = page
                    .lines()
                    .into_iter()
                    .find(|l| (l.y - gl.y).abs() < 0.5)
                    .map(|l| l.text())
                    .unwrap_or_default();
                bad.push(format!(
                    "page {} {:?} x {:.2}..{:.2} y {:.2}..{:.2} (baseline {:.2}) in \"{line}\"",
                    page.number, gl.ch, gl.x, gl.x_end, top, bottom, gl.y
                ));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "{} glyph(s) outside the text area x {:.2}..{:.2}, y {:.2}..{:.2}:\n{}",
        bad.len(),
        g.left,
        g.right,
        g.top,
        g.bottom,
        bad.iter().take(15).cloned().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn no_page_number_on_page_one() {
    let g = geometry();
    let p = page1();
    let in_margin: Vec<&Glyph> = p
        .glyphs
        .iter()
        .filter(|gl| !gl.is_space() && gl.top() < g.top - EPS)
        .collect();
    assert!(
        in_margin.is_empty(),
        "page 1 has text in the top margin: {:?}",
        in_margin
            .iter()
            .map(|gl| (&gl.ch, gl.x, gl.y))
            .collect::<Vec<_>>()
    );
    assert!(
        !p.lines().iter().any(|l| l.text() == "1"),
        "page 1 shows a page number \"1\":\n{}",
        p.dump()
    );
}

#[test]
fn page_numbers_from_page_two_are_centred_in_the_top_margin() {
    let g = geometry();
    let pages = &example().pages;
    assert!(pages.len() >= 2, "the example should have several pages");
    let style = Style {
        size: profile().f("so_trang.co_chu"),
        bold: false,
        italic: false,
    };
    let from = profile().f("so_trang.tu_trang") as usize;
    assert_eq!(from, 2);
    for page in &pages[1..] {
        let in_margin: Vec<Line> = page
            .lines()
            .into_iter()
            .filter(|l| {
                l.glyphs
                    .iter()
                    .any(|gl| !gl.is_space() && gl.top() < g.top - EPS)
            })
            .collect();
        assert_eq!(
            texts(&in_margin),
            vec![page.number.to_string()],
            "page {}: the top margin must show exactly the page number",
            page.number
        );
        let n = &in_margin[0];
        n.assert_style(style, "page number");
        for gl in n.glyphs.iter().filter(|gl| !gl.is_space()) {
            assert!(
                gl.top() >= -EPS && gl.bottom() <= g.top + EPS,
                "page number not inside the top margin (0..{:.2}): {}",
                g.top,
                n.describe()
            );
        }
        assert_centred(n, g.centre(), 1.0, "page number");
    }
}

// ---------------------------------------------------------------------------
// Header

#[test]
fn header_party_name_is_bold_in_the_right_column_with_a_rule_as_long_as_it() {
    let g = geometry();
    let right = header_lines(header_split(), f64::INFINITY);
    let motto_text = profile().s("dau.phai.0.chu");
    let motto = right
        .iter()
        .find(|l| l.text() == motto_text)
        .unwrap_or_else(|| {
            panic!(
                "no \"{motto_text}\" in the header's right column: {:?}",
                texts(&right)
            )
        });
    motto.assert_style(profile().style("dau.phai.0"), "party name");
    assert_within(motto, header_split(), g.right, "party name (right column)");
    let rule = rule_under(page1(), motto);
    assert!(
        (rule.len() - motto.width()).abs() <= 0.5,
        "rule under the party name is {:.2} pt long, the text {:.2} pt ({rule:?})",
        rule.len(),
        motto.width()
    );
    assert!(
        ((rule.left() + rule.right()) / 2.0 - motto.centre()).abs() <= 0.5,
        "rule under the party name is not centred on it: rule {:.2}..{:.2}, text {:.2}..{:.2}",
        rule.left(),
        rule.right(),
        motto.x0(),
        motto.x1()
    );
    let width = profile().f("dau.net_gach");
    assert!(
        (rule.width - width).abs() <= EPS,
        "rule width {:.3} pt, profile says {width}",
        rule.width
    );
    let below = profile().f("dau.cach_gach");
    assert!(
        (rule.y() - motto.y - below).abs() <= 0.5,
        "rule is {:.2} pt under the party name's baseline, profile says {below}",
        rule.y() - motto.y
    );
}

#[test]
fn header_issuing_bodies_in_the_left_column_with_a_star_centred_under() {
    let left = header_lines(f64::NEG_INFINITY, header_split());
    let d = data();
    let expected = vec![
        d.s("van_ban.co_quan_cap_tren"),
        d.s("van_ban.co_quan"),
        profile().s("dau.trai.2.chu"),
        "Số 125-BC/TU".to_string(),
    ];
    assert_eq!(texts(&left), expected, "header, left column, top to bottom");
    let g = geometry();
    for (i, l) in left.iter().take(3).enumerate() {
        l.assert_style(
            profile().style(&format!("dau.trai.{i}")),
            "header left column",
        );
        assert_within(l, g.left, header_split(), "header left column");
    }
    assert_centred(
        &left[2],
        left[1].centre(),
        0.5,
        "\"*\" under the issuing body",
    );
}

#[test]
fn header_number_without_colon_and_date_in_italic_on_the_same_baseline() {
    let g = geometry();
    let left = header_lines(f64::NEG_INFINITY, header_split());
    let right = header_lines(header_split(), f64::INFINITY);
    let number = left.last().expect("left header lines").clone();
    assert_eq!(number.text(), "Số 125-BC/TU");
    assert!(
        !number.text().contains(':'),
        "Party document numbers have no colon: {}",
        number.describe()
    );
    number.assert_style(profile().style("dau.so"), "document number");
    assert_within(
        &number,
        g.left,
        header_split(),
        "document number (left column)",
    );

    assert_eq!(
        right.len(),
        2,
        "right column: party name and date, got {:?}",
        texts(&right)
    );
    let (motto, date) = (&right[0], &right[1]);
    assert_eq!(date.text(), "Bắc Kạn, ngày 15 tháng 12 năm 2021");
    date.assert_style(profile().style("dau.ngay"), "place and date");
    assert_within(
        date,
        header_split(),
        g.right,
        "place and date (right column)",
    );
    assert_centred(
        date,
        motto.centre(),
        1.0,
        "place and date under the party name",
    );
    assert!(
        (date.y - number.y).abs() <= EPS,
        "number and date must share a baseline: number {:.2}, date {:.2}",
        number.y,
        date.y
    );
}

#[test]
fn title_summary_and_dashes_are_bold_and_centred() {
    let g = geometry();
    let p = page1();
    let title = title_line();
    title.assert_style(profile().style("tieu_de.loai"), "title");
    assert_centred(&title, g.centre(), 1.0, "title");
    let gach = profile().s("tieu_de.gach.chu");
    let below: Vec<Line> = p
        .lines()
        .into_iter()
        .filter(|l| l.y > title.y + 0.5)
        .collect();
    let dash_at = below
        .iter()
        .position(|l| l.text() == gach)
        .unwrap_or_else(|| panic!("no \"{gach}\" under the title:\n{}", p.dump()));
    let summary = &below[..dash_at];
    assert!(
        !summary.is_empty(),
        "no summary line between the title and \"{gach}\""
    );
    let joined = texts(summary).join(" ");
    assert_eq!(joined, data().s("van_ban.trich_yeu"), "summary text");
    for l in summary {
        l.assert_style(profile().style("tieu_de.trich_yeu"), "summary");
        assert_centred(l, g.centre(), 1.0, "summary line");
    }
    let dash = &below[dash_at];
    dash.assert_style(profile().style("tieu_de.gach"), "dash line");
    assert_centred(dash, g.centre(), 1.0, "dash line");
}

// ---------------------------------------------------------------------------
// Body

fn paragraphs() -> impl Iterator<Item = &'static (Block, Vec<Line>)> {
    flow()
        .body
        .iter()
        .filter(|(b, _)| b.kind == BlockKind::Paragraph)
}

#[test]
fn body_has_headings_and_paragraphs_from_the_markup() {
    let f = flow();
    let headings = f
        .body
        .iter()
        .filter(|(b, _)| matches!(b.kind, BlockKind::Heading(_)))
        .count();
    assert!(
        headings >= 8 && paragraphs().count() >= 12,
        "body read back: {headings} headings, {} paragraphs",
        paragraphs().count()
    );
    // Paragraph and heading styles below assume plain text (table cells may be bold).
    assert!(
        !f.body
            .iter()
            .any(|(b, _)| b.emphasis && b.kind != BlockKind::Table),
        "the example's paragraphs and headings have no emphasis; styles below assume that"
    );
}

#[test]
fn the_indicator_table_sits_between_its_neighbours_and_its_cells_read_back() {
    let body = &flow().body;
    let tables: Vec<usize> = body
        .iter()
        .enumerate()
        .filter(|(_, (b, _))| b.kind == BlockKind::Table)
        .map(|(i, _)| i)
        .collect();
    assert_eq!(
        tables.len(),
        1,
        "the example's markup has one table (the indicator table)"
    );
    let t = tables[0];
    assert!(t >= 1 && t + 1 < body.len(), "the table is inside the body");
    let (before, after) = (&body[t - 1], &body[t + 1]);
    let (block, lines) = &body[t];
    assert_eq!(
        block.cells.first().map(|r| r.first().cloned()),
        Some(Some("TT".to_string())),
        "the indicator table's header starts with TT"
    );
    // The table's lines lie strictly between the lines of its neighbours.
    let pos = |l: &Line| (l.page, l.y);
    let last_before = before.1.last().map(pos).expect("lines before the table");
    let first_after = after.1.first().map(pos).expect("lines after the table");
    for l in lines {
        assert!(
            pos(l) > last_before && pos(l) < first_after,
            "a table line lies outside its place in the flow: {}",
            l.describe()
        );
    }
    // Every table line is inside the text area; the table is as wide as the text.
    let g = geometry();
    for l in lines {
        assert_within(l, g.left, g.right, "table line");
    }
    let rules: Vec<&Rule> = example()
        .pages
        .iter()
        .filter(|p| lines.iter().any(|l| l.page == p.number))
        .flat_map(|p| p.rules.iter())
        .filter(|r| r.is_vertical())
        .collect();
    let lo = rules.iter().map(|r| r.x()).fold(f64::INFINITY, f64::min);
    let hi = rules
        .iter()
        .map(|r| r.x())
        .fold(f64::NEG_INFINITY, f64::max);
    assert!(
        (lo - g.left).abs() <= 0.5 && (hi - g.right).abs() <= 0.5,
        "the table's outer rules are at x {lo:.2} and {hi:.2}, the margins at {:.2} and {:.2}",
        g.left,
        g.right
    );
}

#[test]
fn justified_paragraph_lines_end_on_the_right_margin() {
    let g = geometry();
    let mut bad = Vec::new();
    let mut checked = 0;
    for (_, lines) in paragraphs() {
        for l in &lines[..lines.len() - 1] {
            checked += 1;
            if (l.x1() - g.right).abs() > 1.0 {
                bad.push(format!(
                    "ends at {:.2} (margin {:.2}): {}",
                    l.x1(),
                    g.right,
                    l.describe()
                ));
            }
        }
    }
    assert!(checked > 50, "only {checked} justified lines found");
    assert!(
        bad.is_empty(),
        "justified lines not flush with the right margin:\n{}",
        bad.join("\n")
    );
}

#[test]
fn paragraph_first_lines_are_indented_and_others_start_at_the_margin() {
    let g = geometry();
    let indent = g.left + mm(profile().f("than.thut_dau_dong"));
    let mut bad = Vec::new();
    for (_, lines) in paragraphs() {
        if (lines[0].x0() - indent).abs() > 0.5 {
            bad.push(format!(
                "first line starts at {:.2}, expected {indent:.2}: {}",
                lines[0].x0(),
                lines[0].describe()
            ));
        }
        for l in &lines[1..] {
            if (l.x0() - g.left).abs() > 0.5 {
                bad.push(format!(
                    "line starts at {:.2}, expected {:.2}: {}",
                    l.x0(),
                    g.left,
                    l.describe()
                ));
            }
        }
    }
    assert!(bad.is_empty(), "paragraph indentation:\n{}", bad.join("\n"));
}

#[test]
fn paragraphs_use_the_body_size_and_line_spacing() {
    let p = profile();
    let style = Style {
        size: p.f("than.co_chu"),
        bold: false,
        italic: false,
    };
    let leading = p.f("than.gian_dong");
    for (_, lines) in paragraphs() {
        for l in lines {
            l.assert_style(style, "body text");
        }
        for w in lines.windows(2) {
            if w[0].page == w[1].page {
                assert!(
                    (w[1].y - w[0].y - leading).abs() <= EPS,
                    "lines of a paragraph are {:.2} pt apart, profile says {leading}:\n{}\n{}",
                    w[1].y - w[0].y,
                    w[0].describe(),
                    w[1].describe()
                );
            }
        }
    }
}

#[test]
fn headings_are_styled_and_indented_as_the_profile_says() {
    let g = geometry();
    let p = profile();
    let indent = g.left + mm(p.f("muc.thut_dau_dong"));
    let mut seen = [0usize; 3];
    for (b, lines) in &flow().body {
        let BlockKind::Heading(level) = b.kind else {
            continue;
        };
        assert!(
            (1..=3).contains(&level),
            "heading level {level}: \"{}\"",
            b.text
        );
        seen[level - 1] += 1;
        let i = level - 1;
        let style = Style {
            size: p.f(&format!("muc.co_chu.{i}")),
            bold: p.b(&format!("muc.dam.{i}"), false),
            italic: p.b(&format!("muc.nghieng.{i}"), false),
        };
        for l in lines {
            l.assert_style(style, &format!("level-{level} heading"));
        }
        assert!(
            (lines[0].x0() - indent).abs() <= 0.5,
            "level-{level} heading starts at {:.2}, expected {indent:.2}: {}",
            lines[0].x0(),
            lines[0].describe()
        );
    }
    assert!(
        seen.iter().all(|&n| n > 0),
        "the example should have headings of all three levels, saw {seen:?}"
    );
}

#[test]
fn no_heading_is_the_last_line_of_a_page() {
    let lines: Vec<(&Block, &Line)> = flow()
        .body
        .iter()
        .flat_map(|(b, ls)| ls.iter().map(move |l| (b, l)))
        .collect();
    let mut breaks = 0;
    for w in lines.windows(2) {
        if w[0].1.page != w[1].1.page {
            breaks += 1;
            assert!(
                !matches!(w[0].0.kind, BlockKind::Heading(_)),
                "a heading ends page {}: {}\n(next page starts with {})",
                w[0].1.page,
                w[0].1.describe(),
                w[1].1.describe()
            );
        }
    }
    assert!(breaks >= 1, "the body should cross at least one page break");
}

#[test]
fn no_page_starts_or_ends_with_a_lone_line_of_a_paragraph() {
    let mut split = 0;
    for (b, lines) in paragraphs() {
        let first_page = lines[0].page;
        let last_page = lines[lines.len() - 1].page;
        if first_page == last_page {
            continue;
        }
        split += 1;
        let on_first = lines.iter().filter(|l| l.page == first_page).count();
        let on_last = lines.iter().filter(|l| l.page == last_page).count();
        assert!(on_first >= 2, "orphan: only one line of a paragraph at the bottom of page {first_page}: {}\n(paragraph \"{}…\")", lines[0].describe(), &b.text[..60.min(b.text.len())]);
        assert!(
            on_last >= 2,
            "widow: only one line of a paragraph at the top of page {last_page}: {}",
            lines[lines.len() - 1].describe()
        );
    }
    assert!(
        split >= 1,
        "expected at least one paragraph split across pages"
    );
}

// ---------------------------------------------------------------------------
// Signature and recipients

/// Lines of the closing part (below the body on its last page) within `[x_min, x_max)`.
fn closing_lines(x_min: f64, x_max: f64) -> Vec<Line> {
    let f = flow();
    let page = &example().pages[f.closing_page - 1];
    page.lines_in(x_min, x_max)
        .into_iter()
        .filter(|l| l.y > f.closing_top + 0.5)
        .collect()
}

#[test]
fn signature_on_the_last_page_is_centred_in_the_right_column() {
    let g = geometry();
    let p = profile();
    assert_eq!(
        flow().closing_page,
        example().pages.len(),
        "the signature must be on the last page"
    );
    let sig = closing_lines(signature_split(), f64::INFINITY);
    let d = data();
    assert_eq!(
        texts(&sig),
        vec![d.s("ky.quyen_han"), d.s("ky.chuc_vu"), d.s("ky.ho_ten")],
        "signature block, top to bottom"
    );
    let centre = (signature_split() + g.right) / 2.0;
    for (l, key) in sig.iter().zip(["quyen_han", "chuc_vu", "ho_ten"]) {
        l.assert_style(p.style(&format!("ky.{key}")), &format!("signature {key}"));
        assert_centred(l, centre, 1.0, &format!("signature {key}"));
    }
    let leading = p.f("ky.gian_dong");
    let room = (p.f("ky.dong_trong") + 1.0) * leading;
    let gap = sig[2].y - sig[1].y;
    assert!(
        gap >= room - EPS,
        "name only {gap:.2} pt under the title; {} empty lines of {leading} pt need {room:.2}",
        p.f("ky.dong_trong")
    );
}

#[test]
fn recipients_in_the_left_column_at_the_signature_height() {
    let g = geometry();
    let p = profile();
    let left = closing_lines(f64::NEG_INFINITY, signature_split());
    let mut expected = vec![p.s("noi_nhan.tieu_de.chu")];
    let pattern = p.s("noi_nhan.dong.chu");
    match data().v("van_ban.noi_nhan") {
        toml::Value::Array(a) => {
            for v in a {
                expected.push(pattern.replace("{dong}", v.as_str().expect("recipient is text")));
            }
        }
        other => panic!("van_ban.noi_nhan is not a list: {other}"),
    }
    assert_eq!(texts(&left), expected, "recipients, top to bottom");
    let head = &left[0];
    head.assert_style(
        Style {
            size: p.f("noi_nhan.tieu_de.co"),
            bold: false,
            italic: false,
        },
        "\"Nơi nhận:\"",
    );
    assert!(p.b("noi_nhan.tieu_de.gach_chan", false));
    let rule = rule_under(last_page(), head);
    assert!(
        (rule.left() - head.x0()).abs() <= 0.5 && (rule.len() - head.width()).abs() <= 0.5,
        "underline {:.2}..{:.2} should span the text {:.2}..{:.2}",
        rule.left(),
        rule.right(),
        head.x0(),
        head.x1()
    );
    let list_style = Style {
        size: p.f("noi_nhan.dong.co"),
        bold: false,
        italic: false,
    };
    for l in &left {
        assert_within(l, g.left, signature_split(), "recipients (left column)");
    }
    for l in &left[1..] {
        l.assert_style(list_style, "recipient");
    }
    let sig = closing_lines(signature_split(), f64::INFINITY);
    let first_sig = sig.first().expect("signature lines");
    assert!(
        (head.y - first_sig.y).abs() <= p.f("ky.gian_dong"),
        "\"Nơi nhận:\" (baseline {:.2}) must be at the signature's height (baseline {:.2})",
        head.y,
        first_sig.y
    );
}
