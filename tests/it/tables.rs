//! Tables, read back from the PDF with MuPDF's trace device (cells are
//! the rectangles the drawn rules enclose) and poppler's `pdftotext`, against the
//! markup, the data (recomputed here in exact decimals) and the profiles' numbers.

use crate::common::*;
use rust_decimal::{Decimal, RoundingStrategy};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Positions that the layout sets exactly are compared to 0.01 pt.
const EPS: f64 = 0.01;
/// Right edges of a numeric column agree to this (the tolerance the tables promise).
const ALIGN_TOL: f64 = 0.5;

// ---------------------------------------------------------------------------
// Vietnamese number formatting, written here from the README's rules (not the
// crate's code): "." groups thousands, "," is the decimal sign, trailing zeros
// are dropped; percentages a/b×100 round half up to 2 decimals.

fn vn_number(d: Decimal) -> String {
    let d = d.normalize();
    let s = d.abs().to_string();
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i.to_string(), Some(f.to_string())),
        None => (s.clone(), None),
    };
    let mut out = String::new();
    if d.is_sign_negative() && !d.is_zero() {
        out.push('-');
    }
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push('.');
        }
        out.push(ch);
    }
    if let Some(f) = frac {
        out.push(',');
        out.push_str(&f);
    }
    out
}

fn vn_percent(a: Decimal, b: Decimal) -> String {
    let q = (a * Decimal::from(100) / b)
        .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    vn_number(q)
}

/// "vượt" / "đạt" / "không đạt": actual `a` against plan `b`, unrounded.
fn danh_gia(a: Decimal, b: Decimal) -> &'static str {
    match a.cmp(&b) {
        std::cmp::Ordering::Greater => "vượt",
        std::cmp::Ordering::Equal => "đạt",
        std::cmp::Ordering::Less => "không đạt",
    }
}

#[test]
fn the_independent_formatting_agrees_with_the_readme_examples() {
    let d = |s: &str| s.parse::<Decimal>().expect("decimal");
    assert_eq!(vn_number(d("7175.4")), "7.175,4");
    assert_eq!(vn_number(d("2691.0")), "2.691");
    assert_eq!(vn_number(d("249000")), "249.000");
    assert_eq!(vn_percent(d("3250"), d("3045.35")), "106,72");
    assert_eq!(vn_percent(d("200.01"), d("200")), "100,01");
    assert_eq!(danh_gia(d("99.995"), d("100")), "không đạt");
}

// ---------------------------------------------------------------------------
// The examples' tables

fn bang(p: &Toml) -> (f64, f64, f64) {
    (p.f("bang.co_chu"), p.f("bang.dem_o"), p.f("bang.net"))
}

fn is_landscape(p: &Page) -> bool {
    p.width > p.height
}

fn grids_of(ex: &Example, pick: impl Fn(&Page) -> bool) -> Vec<TableGrid> {
    ex.pages
        .iter()
        .filter(|p| pick(p))
        .flat_map(read_tables)
        .collect()
}

/// The Bắc Kạn indicator table (the example's only table), read back.
fn indicator() -> &'static (ExpectedTable, ReadTable) {
    static T: OnceLock<(ExpectedTable, ReadTable)> = OnceLock::new();
    T.get_or_init(|| {
        let tables = table_blocks(&example().markup);
        assert_eq!(tables.len(), 1, "the Bắc Kạn markup has one table");
        let exp = ExpectedTable::of(&tables[0]);
        let grids = grids_of(example(), |_| true);
        assert!(!grids.is_empty(), "no ruled table in the Bắc Kạn PDF");
        let read = ReadTable {
            grids,
            header_rows: exp.header_rows,
        };
        (exp, read)
    })
}

/// The ward example's tables: the revenue table (portrait) and the appendix
/// (landscape pages).
fn ward_tables() -> &'static [(ExpectedTable, ReadTable); 2] {
    static T: OnceLock<[(ExpectedTable, ReadTable); 2]> = OnceLock::new();
    T.get_or_init(|| {
        let tables = table_blocks(&ward().markup);
        assert_eq!(
            tables.len(),
            2,
            "the ward markup has two tables (revenue, appendix)"
        );
        let make = |block: &Block, landscape: bool| {
            let exp = ExpectedTable::of(block);
            let grids = grids_of(ward(), |p| is_landscape(p) == landscape);
            assert!(
                !grids.is_empty(),
                "no ruled table on the ward example's {} pages",
                if landscape { "landscape" } else { "portrait" }
            );
            let read = ReadTable {
                grids,
                header_rows: exp.header_rows,
            };
            (exp, read)
        };
        [make(&tables[0], false), make(&tables[1], true)]
    })
}

fn all_tables() -> Vec<(&'static str, &'static ExpectedTable, &'static ReadTable)> {
    let (i_exp, i_read) = indicator();
    let [(r_exp, r_read), (a_exp, a_read)] = ward_tables();
    vec![
        ("Bắc Kạn indicator table", i_exp, i_read),
        ("ward revenue table", r_exp, r_read),
        ("ward appendix table", a_exp, a_read),
    ]
}

/// The Party profile (Bắc Kạn) or the State one (ward) for a table.
fn profile_for(name: &str) -> &'static Toml {
    if name.starts_with("Bắc Kạn") {
        profile()
    } else {
        builtin_profile("nha-nuoc")
    }
}

#[test]
fn bac_kan_indicator_table_has_two_groups_and_ten_rows_computed_from_the_data() {
    let (exp, read) = indicator();
    let rows = RawToml::load(&example_data()).rows("chi_tieu");
    let notes = rows.iter().any(|r| !r.str("ghi_chu").trim().is_empty());
    // The rows the data calls for, computed here.
    let mut want: Vec<Vec<String>> = Vec::new();
    let mut group = None;
    let mut n = 0;
    let mut groups = 0;
    for r in &rows {
        let nhom = r.str("nhom");
        if !nhom.is_empty() && group.as_deref() != Some(nhom.as_str()) {
            want.push(vec![nhom.clone()]);
            group = Some(nhom);
            groups += 1;
            n = 0;
        }
        n += 1;
        let (kh, th, ck) = (r.num("ke_hoach"), r.num("thuc_hien"), r.num("cung_ky"));
        let pct = |a: Option<Decimal>, b: Option<Decimal>| match (a, b) {
            (Some(a), Some(b)) if !b.is_zero() => vn_percent(a, b),
            _ => String::new(),
        };
        let mut row = vec![
            n.to_string(),
            r.str("ten"),
            r.str("don_vi"),
            kh.map(vn_number).unwrap_or_default(),
            th.map(vn_number).unwrap_or_default(),
            pct(th, kh),
            pct(th, ck),
        ];
        if notes {
            row.push(r.str("ghi_chu"));
        }
        want.push(row);
    }
    assert_eq!(groups, 2, "the data should have two groups");
    assert!(
        rows.len() >= 10,
        "the data should have ≥ 10 indicators, has {}",
        rows.len()
    );
    assert_eq!(
        read.body_texts(),
        want,
        "indicator table rows read back from the PDF vs computed from the data"
    );
    assert_eq!(
        exp.body, want,
        "indicator table rows in the markup vs computed from the data"
    );
}

#[test]
fn ward_tables_hold_the_values_computed_from_the_data() {
    let raw = RawToml::load(&ward_data());
    let [(_, revenue), (_, appendix)] = ward_tables();
    // Revenue table: one row per [[nguon_thu]], then the total.
    let rows = raw.rows("nguon_thu");
    let mut want: Vec<Vec<String>> = Vec::new();
    let (mut sum_dt, mut sum_th) = (Decimal::ZERO, Decimal::ZERO);
    for (i, r) in rows.iter().enumerate() {
        let (dt, th) = (
            r.num("du_toan").expect("du_toan"),
            r.num("thuc_hien").expect("thuc_hien"),
        );
        sum_dt += dt;
        sum_th += th;
        want.push(vec![
            (i + 1).to_string(),
            r.str("ten"),
            vn_number(dt),
            vn_number(th),
            vn_percent(th, dt),
        ]);
    }
    want.push(vec![
        String::new(),
        "Tổng cộng".into(),
        vn_number(sum_dt),
        vn_number(sum_th),
        vn_percent(sum_th, sum_dt),
    ]);
    assert_eq!(
        revenue.body_texts(),
        want,
        "revenue table read back vs computed"
    );

    // Appendix: one row per khu_pho, then the totals.
    let rows = raw.rows("khu_pho");
    assert_eq!(rows.len(), 50, "the appendix has 50 wards");
    let counts = [
        "so_ho",
        "nhan_khau",
        "ho_kinh_doanh",
        "ho_ngheo",
        "ho_can_ngheo",
    ];
    let mut sums = vec![Decimal::ZERO; counts.len()];
    let (mut sum_dt, mut sum_th) = (Decimal::ZERO, Decimal::ZERO);
    let mut want: Vec<Vec<String>> = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let mut row = vec![(i + 1).to_string(), r.str("ten")];
        for (k, key) in counts.iter().enumerate() {
            let v = r.num(key).expect(key);
            sums[k] += v;
            row.push(vn_number(v));
        }
        let (dt, th) = (
            r.num("thu_du_toan").expect("thu_du_toan"),
            r.num("thu_thuc_hien").expect("thu_thuc_hien"),
        );
        sum_dt += dt;
        sum_th += th;
        row.extend([
            vn_number(dt),
            vn_number(th),
            vn_percent(th, dt),
            danh_gia(th, dt).into(),
        ]);
        want.push(row);
    }
    let mut total = vec![String::new(), "Tổng cộng".into()];
    total.extend(sums.iter().map(|s| vn_number(*s)));
    total.extend([
        vn_number(sum_dt),
        vn_number(sum_th),
        vn_percent(sum_th, sum_dt),
        danh_gia(sum_th, sum_dt).into(),
    ]);
    want.push(total);
    assert_eq!(
        appendix.body_texts(),
        want,
        "appendix rows read back vs computed"
    );
}

#[test]
fn a_missing_value_leaves_its_cell_empty() {
    let (exp, read) = indicator();
    let col = |name: &str| {
        exp.header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column \"{name}\" in {:?}", exp.header))
    };
    let rows = RawToml::load(&example_data()).rows("chi_tieu");
    let body = read.body();
    let mut checked = 0;
    for r in &rows {
        let ten = r.str("ten");
        let (_, _, cells) = body
            .iter()
            .find(|(_, _, cells)| cells.len() > 1 && cells[1].text() == ten)
            .unwrap_or_else(|| panic!("no row \"{ten}\" in the table"));
        for (key, cols) in [
            ("ke_hoach", vec![col("Kế hoạch"), col("So với KH (%)")]),
            ("cung_ky", vec![col("So với cùng kỳ (%)")]),
        ] {
            if r.num(key).is_none() {
                for c in cols {
                    checked += 1;
                    assert!(
                        cells[c].is_empty(),
                        "\"{ten}\" has no `{key}`: its cell under \"{}\" must be empty, shows \"{}\"",
                        exp.header[c],
                        cells[c].text()
                    );
                }
            }
        }
    }
    assert!(
        checked >= 3,
        "the example should leave out ke_hoach and cung_ky somewhere (checked {checked} cells)"
    );
    let text = pdftotext(&example().pdf);
    for bad in ["NaN", "null", "undefined", "inf", "None"] {
        assert!(
            !text.split_whitespace().any(|w| w.contains(bad)),
            "the PDF text shows \"{bad}\""
        );
    }
}

#[test]
fn every_cell_extracts_in_row_order_with_pdftotext() {
    for (name, pdf, exp) in [
        ("Bắc Kạn indicator table", &example().pdf, &indicator().0),
        ("ward revenue table", &ward().pdf, &ward_tables()[0].0),
        ("ward appendix table", &ward().pdf, &ward_tables()[1].0),
    ] {
        // Content order (what copying the text gives): pdftotext -raw.
        let tokens: Vec<String> = pdftotext_pages(pdf, true)
            .join("\n")
            .split_whitespace()
            .map(nfc)
            .collect();
        let header: Vec<String> = exp
            .header
            .iter()
            .flat_map(|c| c.split_whitespace().map(str::to_string))
            .collect();
        let find = |from: usize, needle: &[String]| -> Option<usize> {
            (from..tokens.len().saturating_sub(needle.len() - 1))
                .find(|&i| tokens[i..i + needle.len()] == *needle)
        };
        let mut at = find(0, &header)
            .unwrap_or_else(|| panic!("{name}: pdftotext -raw never shows the header {header:?}"))
            + header.len();
        for row in &exp.body {
            let words: Vec<String> = row
                .iter()
                .flat_map(|c| c.split_whitespace().map(str::to_string))
                .collect();
            let found = find(at, &words).unwrap_or_else(|| {
                panic!(
                    "{name}: the row {row:?} does not follow the previous row as one run of words in pdftotext -raw; text from there: {:?}",
                    &tokens[at..(at + 40).min(tokens.len())]
                )
            });
            // Between two rows only a page break may intervene: the repeated
            // header, and the group row marked "(tiếp)".
            let gap = &tokens[at..found];
            let continued = gap.len() > header.len()
                && gap[..header.len()] == *header.as_slice()
                && gap.last().is_some_and(|t| t == "(tiếp)");
            assert!(
                gap.is_empty() || gap == header.as_slice() || continued,
                "{name}: between rows, pdftotext -raw shows {gap:?} (only the repeated header, and a group row with \"(tiếp)\", may come between rows)"
            );
            at = found + words.len();
        }
    }
}

#[test]
fn the_header_repeats_on_every_page_of_a_long_table() {
    for (name, exp, read) in all_tables() {
        let first = &read.grids[0];
        let head0 = read.header(first);
        assert_eq!(
            head0.iter().map(TableCell::text).collect::<Vec<_>>(),
            exp.header,
            "{name}: header on page {}",
            first.page
        );
        for g in &read.grids[1..] {
            let head = read.header(g);
            assert_eq!(
                head.iter().map(TableCell::text).collect::<Vec<_>>(),
                exp.header,
                "{name}: the header must repeat on page {}",
                g.page
            );
            for (a, b) in head0.iter().zip(&head) {
                assert!(
                    (a.x0 - b.x0).abs() <= EPS
                        && (a.x1 - b.x1).abs() <= EPS
                        && ((a.y1 - a.y0) - (b.y1 - b.y0)).abs() <= EPS,
                    "{name}: repeated header cell differs from page {}'s: {} vs {}",
                    first.page,
                    b.describe(),
                    a.describe()
                );
            }
            assert!(
                (g.top - Geometry::of(profile_for(name), is_landscape(&page_of(name, g.page))).top)
                    .abs()
                    <= EPS,
                "{name}: on page {} the continued table should start at the top margin, starts at {:.2}",
                g.page,
                g.top
            );
        }
    }
    // The long tables do span pages.
    assert!(indicator().1.grids.len() >= 2);
    assert_eq!(ward_tables()[1].1.grids.len(), 3);
}

fn page_of(name: &str, n: usize) -> Page {
    let ex = if name.starts_with("Bắc Kạn") {
        example()
    } else {
        ward()
    };
    ex.pages[n - 1].clone()
}

#[test]
fn no_row_is_split_across_pages() {
    for (name, exp, read) in all_tables() {
        // Each markup row shows once, whole, in one band of one page.
        assert_eq!(
            read.body_texts(),
            exp.body,
            "{name}: body rows read back, page by page"
        );
        for (_, b, cells) in read.body() {
            for c in &cells {
                assert_eq!(
                    c.bands,
                    (b, b + 1),
                    "{name}: a body cell spans several bands: {}",
                    c.describe()
                );
            }
        }
    }
}

#[test]
fn numeric_columns_line_up_on_the_decimal_comma_and_end_at_the_padding() {
    use pulldown_cmark::Alignment;
    for (name, exp, read) in all_tables() {
        let (_, pad, _) = bang(profile_for(name));
        let numeric = |s: &str| {
            s.chars().any(|c| c.is_ascii_digit())
                && s.chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '%' | '-' | '+'))
        };
        let mut columns = 0;
        let mut mixed = 0;
        for c in 0..exp.ncols {
            let cells: Vec<&str> = exp
                .body
                .iter()
                .filter(|r| r.len() == exp.ncols)
                .map(|r| r[c].as_str())
                .filter(|s| !s.is_empty())
                .collect();
            let align = exp.align.get(c).copied().unwrap_or(Alignment::None);
            let right = match align {
                Alignment::Right => true,
                Alignment::None => !cells.is_empty() && cells.iter().all(|s| numeric(s)),
                _ => false,
            };
            if !right || !cells.iter().all(|s| numeric(s)) {
                continue;
            }
            columns += 1;
            // Each number's decimal point, and its right edge.
            let mut points = Vec::new();
            for (_, _, row) in read.body() {
                for cell in row.iter().filter(|x| x.cols == (c, c + 1) && !x.is_empty()) {
                    for l in cell.lines() {
                        let x = decimal_x(&l).expect("a number has digits");
                        points.push((x, l.x1(), cell.x1, l.describe()));
                    }
                }
            }
            assert!(!points.is_empty(), "{name}: column {c} shows no numbers");
            let lo = points.iter().map(|e| e.0).fold(f64::INFINITY, f64::min);
            let hi = points.iter().map(|e| e.0).fold(f64::NEG_INFINITY, f64::max);
            assert!(
                hi - lo <= ALIGN_TOL,
                "{name}: decimal points of column \"{}\" spread over {lo:.2}..{hi:.2} (> {ALIGN_TOL} pt): {:?}",
                exp.header.get(c).cloned().unwrap_or_default(),
                points.iter().map(|p| &p.3).collect::<Vec<_>>()
            );
            // The number with the longest decimal part ends at the padding;
            // none goes past it.
            let widest = points
                .iter()
                .map(|(_, x1, right, _)| right - pad - x1)
                .fold(f64::INFINITY, f64::min);
            assert!(
                widest.abs() <= ALIGN_TOL,
                "{name}: the column \"{}\"'s widest number should end {pad} pt (bang.dem_o) left of its cell's right rule; it is {widest:.2} pt short of that",
                exp.header.get(c).cloned().unwrap_or_default()
            );
            let ends: Vec<f64> = points.iter().map(|p| p.1).collect();
            if ends.iter().any(|e| (e - ends[0]).abs() > ALIGN_TOL) {
                mixed += 1;
            }
        }
        assert!(columns >= 3, "{name}: only {columns} numeric columns found");
        if name.starts_with("Bắc Kạn") {
            // "102" beside "100,31": not right-aligned but on the comma.
            assert!(mixed >= 2, "{name}: only {mixed} columns mix decimals");
        }
    }
}

#[test]
fn no_text_crosses_a_cell_border_or_the_margins() {
    for (name, _, read) in all_tables() {
        let p = profile_for(name);
        let mut bad = Vec::new();
        let mut glyphs = 0;
        for c in read.cells() {
            for g in c.ink() {
                glyphs += 1;
                if g.x < c.x0 - EPS
                    || g.x_end > c.x1 + MUPDF_WIDTH_SLACK
                    || g.top() < c.y0 - EPS
                    || g.bottom() > c.y1 + EPS
                {
                    bad.push(format!(
                        "{:?} x {:.2}..{:.2} y {:.2}..{:.2} in {}",
                        g.ch,
                        g.x,
                        g.x_end,
                        g.top(),
                        g.bottom(),
                        c.describe()
                    ));
                }
            }
        }
        assert!(glyphs > 100, "{name}: only {glyphs} glyphs in cells");
        assert!(
            bad.is_empty(),
            "{name}: {} glyph(s) cross their cell's rules:\n{}",
            bad.len(),
            bad.iter().take(10).cloned().collect::<Vec<_>>().join("\n")
        );
        for g in &read.grids {
            let page = page_of(name, g.page);
            let geo = Geometry::of(p, is_landscape(&page));
            assert!(
                g.left >= geo.left - EPS
                    && g.right <= geo.right + EPS
                    && g.top >= geo.top - EPS
                    && g.bottom <= geo.bottom + EPS,
                "{name}: the table on page {} (x {:.2}..{:.2}, y {:.2}..{:.2}) leaves the text area (x {:.2}..{:.2}, y {:.2}..{:.2})",
                g.page,
                g.left,
                g.right,
                g.top,
                g.bottom,
                geo.left,
                geo.right,
                geo.top,
                geo.bottom
            );
            assert!(
                (g.left - geo.left).abs() <= ALIGN_TOL && (g.right - geo.right).abs() <= ALIGN_TOL,
                "{name}: the table on page {} spans x {:.2}..{:.2}, the text area {:.2}..{:.2}",
                g.page,
                g.left,
                g.right,
                geo.left,
                geo.right
            );
        }
    }
}

#[test]
fn table_text_uses_the_profile_sizes_header_bold_and_centred() {
    for (name, _, read) in all_tables() {
        let (size, _, rule) = bang(profile_for(name));
        for c in read.cells() {
            for g in c.ink() {
                assert!(
                    (g.size - size).abs() <= EPS,
                    "{name}: {:?} is {:.2} pt, bang.co_chu is {size}: {}",
                    g.ch,
                    g.size,
                    c.describe()
                );
            }
        }
        for r in read.grids.iter().flat_map(|g| g.rules.iter()) {
            assert!(
                (r.width - rule).abs() <= EPS,
                "{name}: a table rule is {:.3} pt wide, bang.net is {rule}",
                r.width
            );
        }
        for g in &read.grids {
            for c in read.header(g) {
                for gl in c.ink() {
                    assert!(
                        gl.bold,
                        "{name}: header text must be bold: {}",
                        c.describe()
                    );
                }
                for l in c.lines() {
                    assert!(
                        (l.centre() - c.centre()).abs() <= ALIGN_TOL,
                        "{name}: header line centred at {:.2}, its cell's centre is {:.2}: {}",
                        l.centre(),
                        c.centre(),
                        c.describe()
                    );
                }
            }
        }
    }
}

#[test]
fn group_rows_span_all_columns_without_inner_rules() {
    let (exp, read) = indicator();
    let groups: Vec<&Vec<String>> = exp.body.iter().filter(|r| r.len() == 1).collect();
    assert_eq!(groups.len(), 2, "two group rows in the markup");
    let mut seen = 0;
    for (gi, b, cells) in read.body() {
        if cells.len() != 1 {
            continue;
        }
        seen += 1;
        let g = &read.grids[gi];
        let c = &cells[0];
        assert!(
            (c.x0 - g.left).abs() <= EPS && (c.x1 - g.right).abs() <= EPS,
            "group row must span the table {:.2}..{:.2}: {}",
            g.left,
            g.right,
            c.describe()
        );
        assert!(
            !g.vertical_rule_inside(b, g.left, g.right),
            "a vertical rule crosses the group row {}",
            c.describe()
        );
        for gl in c.ink() {
            assert!(
                gl.bold,
                "group row text is bold in the markup: {}",
                c.describe()
            );
        }
    }
    assert_eq!(seen, 2, "two group rows read back");
}

#[test]
fn merged_header_cells_are_centred_over_their_columns() {
    let (exp, read) = &ward_tables()[1];
    assert_eq!(exp.header_rows, 2, "the appendix has a two-row header");
    let over = "Thu ngân sách vận động (triệu đồng)";
    let under = ["Dự toán", "Thực hiện", "So với dự toán (%)"];
    for g in &read.grids {
        let head = read.header(g);
        let top = head
            .iter()
            .find(|c| c.text() == over)
            .unwrap_or_else(|| panic!("page {}: no header cell \"{over}\"", g.page));
        assert_eq!(
            top.cols.1 - top.cols.0,
            under.len(),
            "page {}: \"{over}\" should span {} columns: {}",
            g.page,
            under.len(),
            top.describe()
        );
        assert_eq!(top.bands, (0, 1), "\"{over}\" sits in the first header row");
        for l in top.lines() {
            assert!(
                (l.centre() - top.centre()).abs() <= ALIGN_TOL,
                "page {}: \"{}\" centred at {:.2}, its columns' centre is {:.2}",
                g.page,
                l.text(),
                l.centre(),
                top.centre()
            );
        }
        for (k, want) in under.iter().enumerate() {
            let c = head
                .iter()
                .find(|c| c.text() == *want)
                .unwrap_or_else(|| panic!("page {}: no header cell \"{want}\"", g.page));
            assert_eq!(
                (c.cols, c.bands),
                ((top.cols.0 + k, top.cols.0 + k + 1), (1, 2)),
                "page {}: \"{want}\" should stand under \"{over}\", column {}",
                g.page,
                k + 1
            );
        }
        // The other header cells span both header rows.
        for c in head
            .iter()
            .filter(|c| c.text() != over && !under.contains(&c.text().as_str()))
        {
            assert_eq!(
                c.bands,
                (0, 2),
                "page {}: {} should span both header rows",
                g.page,
                c.describe()
            );
        }
    }
}

#[test]
fn ward_appendix_is_three_landscape_a4_pages_numbered_on_their_own() {
    let p = builtin_profile("nha-nuoc");
    let pages = &ward().pages;
    let landscape: Vec<&Page> = pages.iter().filter(|p| is_landscape(p)).collect();
    assert_eq!(
        landscape.len(),
        3,
        "the appendix should take 3 landscape pages"
    );
    let first = landscape[0].number;
    assert!(
        landscape
            .iter()
            .enumerate()
            .all(|(i, p)| p.number == first + i)
            && landscape.last().map(|p| p.number) == Some(pages.len()),
        "the landscape pages should be the last, consecutive"
    );
    let (w, h) = (mm(p.f("trang.cao")), mm(p.f("trang.rong")));
    for page in &landscape {
        assert!(
            (page.width - w).abs() <= 0.01 && (page.height - h).abs() <= 0.01,
            "page {} is {:.2} × {:.2} pt, landscape A4 is {w:.2} × {h:.2}",
            page.number,
            page.width,
            page.height
        );
        assert_eq!(
            read_tables(page).len(),
            1,
            "page {} should hold the appendix table",
            page.number
        );
    }
    let geo = Geometry::of(p, true);
    let from = p.f("so_trang.tu_trang") as usize;
    let printed = printed_numbers(pages, p);
    assert_eq!(
        printed[first - 1..],
        [1, 2, 3],
        "the appendix numbers its own pages"
    );
    for (page, &shown) in pages.iter().zip(&printed) {
        if shown < from {
            assert!(
                page_number_line(page).is_none(),
                "page {} (page {shown} of its part) shows a number",
                page.number
            );
            continue;
        }
        let n = page_number_line(page).unwrap_or_else(|| {
            panic!(
                "page {} shows no page number at its top:\n{}",
                page.number,
                page.dump()
            )
        });
        assert_eq!(n.text(), shown.to_string(), "page {}'s number", page.number);
        if is_landscape(page) {
            assert!(
                (n.centre() - geo.centre()).abs() <= 1.0 && n.y < geo.top,
                "landscape page {}: the number should be centred over the text area ({:.2}) in the top margin: {}",
                page.number,
                geo.centre(),
                n.describe()
            );
        }
    }
}

// ---------------------------------------------------------------------------
// Generated tables: 1, 50 and 2,000 rows; too wide; shrunk.

const TEMPLATE: &str = "{{!-- Bảng thử: mỗi khối [[dong]] là một dòng.
     Mọi giá trị lấy từ tệp số liệu. --}}
Bảng thử nghiệm gồm các dòng sau:

| TT | Đơn vị | Giá trị |
|:-:|---|--:|
{{#each dong}}
| {{cong @index 1}} | {{ten}} | {{so gia_tri}} |
{{/each}}
| | **Tổng cộng** | **{{so (tong dong \"gia_tri\")}}** |
";

/// Name and value of generated row `i` (1-based): the value is never a whole
/// number, so no cell but TT reads as a bare integer.
fn gen_row(i: usize) -> (String, Decimal) {
    (
        format!("Đơn vị A{i:04}"),
        Decimal::from(i as u64) + Decimal::new(5, 1),
    )
}

fn write_generated(n: usize, tag: &str) -> PathBuf {
    let dir = scratch(tag);
    let mut data = String::from(TABLE_DATA_HEAD);
    for i in 1..=n {
        let (ten, v) = gen_row(i);
        data.push_str(&format!("\n[[dong]]\nten = \"{ten}\"\ngia_tri = {v}\n"));
    }
    std::fs::write(dir.join("bang.toml"), data).expect("write data");
    std::fs::write(dir.join("bang.md.hbs"), TEMPLATE).expect("write template");
    dir.join("bang.toml")
}

fn generated_rows(n: usize) -> Vec<Vec<String>> {
    let mut rows: Vec<Vec<String>> = (1..=n)
        .map(|i| {
            let (ten, v) = gen_row(i);
            vec![i.to_string(), ten, vn_number(v)]
        })
        .collect();
    let total: Decimal = (1..=n).map(|i| gen_row(i).1).sum();
    rows.push(vec![String::new(), "Tổng cộng".into(), vn_number(total)]);
    rows
}

struct Generated {
    pdf: PathBuf,
    pages: Vec<Page>,
    read: ReadTable,
}

fn generated(n: usize) -> Generated {
    let data = write_generated(n, &format!("rows-{n}"));
    let pdf = render(&data, data.parent().expect("dir"));
    let pages = trace_pages(&pdf);
    let grids: Vec<TableGrid> = pages.iter().flat_map(read_tables).collect();
    Generated {
        pdf,
        pages,
        read: ReadTable {
            grids,
            header_rows: 1,
        },
    }
}

fn two_thousand() -> &'static Generated {
    static G: OnceLock<Generated> = OnceLock::new();
    G.get_or_init(|| generated(2000))
}

fn check_generated(n: usize, gen: &Generated) {
    let p = builtin_profile("nha-nuoc");
    for g in &gen.read.grids {
        assert_eq!(
            g.band_texts(0),
            vec!["TT", "Đơn vị", "Giá trị"],
            "{n}-row table: the header must head the table on page {}",
            g.page
        );
        let geo = Geometry::of(p, false);
        assert!(
            g.left >= geo.left - EPS && g.right <= geo.right + EPS && g.bottom <= geo.bottom + EPS,
            "{n}-row table leaves the text area on page {}",
            g.page
        );
    }
    assert_eq!(
        gen.read.body_texts(),
        generated_rows(n),
        "{n}-row table: rows read back"
    );
    for c in gen.read.cells() {
        for gl in c.ink() {
            assert!(
                gl.x >= c.x0 - EPS && gl.x_end <= c.x1 + EPS,
                "{n}-row table: {:?} crosses its cell: {}",
                gl.ch,
                c.describe()
            );
        }
    }
}

#[test]
fn tables_of_one_and_fifty_rows_render_and_read_back() {
    for n in [1, 50] {
        let gen = generated(n);
        check_generated(n, &gen);
        assert!(qpdf_ok(&gen.pdf), "{n}-row PDF fails qpdf --check");
    }
}

fn qpdf_ok(pdf: &Path) -> bool {
    tool("qpdf", &[std::ffi::OsStr::new("--check"), pdf.as_os_str()])
        .status
        .success()
}

#[test]
fn two_thousand_rows_every_row_once_in_order_header_on_every_page() {
    let gen = two_thousand();
    check_generated(2000, gen);
    // pdftotext (reading order), page numbers removed: between the sentence before
    // the table and the signature, every TT number shows exactly once, in order.
    let text = pdftotext_pages(&gen.pdf, false).join("\n");
    let from = text
        .find("Bảng thử nghiệm")
        .expect("the sentence before the table");
    let to = text
        .rfind("Nơi nhận")
        .expect("the recipients after the table");
    let tokens: Vec<&str> = text[from..to].split_whitespace().collect();
    let mut last = 0usize;
    let mut seen = vec![0usize; 2001];
    for t in &tokens {
        if let Ok(n) = t.parse::<usize>() {
            if (1..=2000).contains(&n) {
                seen[n] += 1;
                assert!(
                    n > last,
                    "TT {n} comes after {last} in pdftotext's text: rows out of order"
                );
                last = n;
            }
        }
    }
    let wrong: Vec<String> = (1..=2000)
        .filter(|&n| seen[n] != 1)
        .map(|n| format!("{n}×{}", seen[n]))
        .collect();
    assert!(
        wrong.is_empty(),
        "TT numbers not shown exactly once: {}",
        wrong
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ")
    );
}

#[test]
fn two_thousand_rows_fill_their_pages_and_take_the_expected_number_of_pages() {
    let gen = two_thousand();
    let p = builtin_profile("nha-nuoc");
    let geo = Geometry::of(p, false);
    let (size, pad, _) = bang(p);
    let row_h = size * p.f("bang.gian_dong") + 2.0 * pad;
    let grids = &gen.read.grids;
    // Every body row is one line: its height is the profile's.
    for g in grids {
        for b in 1..g.band_count() {
            let h = g.ys[b + 1] - g.ys[b];
            assert!(
                (h - row_h).abs() <= 0.05,
                "page {}: a row is {h:.2} pt high, bang.co_chu × bang.gian_dong + 2 × bang.dem_o = {row_h:.2}",
                g.page
            );
        }
    }
    let head_h = grids[0].ys[1] - grids[0].ys[0];
    let per_page = ((geo.bottom - geo.top - head_h) / row_h).floor() as usize;
    let on_first = grids[0].band_count() - 1;
    let expected = 1 + (2001 - on_first).div_ceil(per_page);
    assert!(
        grids.len() == expected || grids.len() == expected + 1,
        "2,000 rows (+ total) took {} table pages; {per_page} rows fit a page, {on_first} on the first: expected {expected} (or one more)",
        grids.len()
    );
    assert!(
        gen.pages.len() <= grids.len() + 1,
        "{} pages for {} table pages (only the signature may follow)",
        gen.pages.len(),
        grids.len()
    );
    let n = grids.len();
    for (i, g) in grids.iter().enumerate().take(n - 1) {
        let room = geo.bottom - g.bottom;
        // The last row is kept with the one before it, so the page before the
        // last may leave one row's room more.
        let allowed = if i == n - 2 { 2.0 * row_h } else { row_h };
        assert!(
            room < allowed,
            "page {} leaves {room:.2} pt free under the table (a row is {row_h:.2} pt)",
            g.page
        );
        if i > 0 {
            assert!(
                (g.top - geo.top).abs() <= EPS,
                "page {}: the continued table starts at {:.2}, the top margin is {:.2}",
                g.page,
                g.top,
                geo.top
            );
        }
    }
}

/// A data file and template with one table of `cols` columns of `word`, the
/// table's header on template line `line`.
fn wide_table(cols: usize, word: &str, tag: &str) -> (PathBuf, usize) {
    let dir = scratch(tag);
    let head: Vec<String> = (1..=cols).map(|i| format!("Cột{i}")).collect();
    let template = format!(
        "{{{{!-- Bảng rộng.\n     Dòng chú thích thứ hai.\n     Dòng chú thích thứ ba. --}}\nĐoạn mở đầu, ký hiệu {{{{van_ban.ky_hieu}}}}.\n\n| {} |\n|{}|\n| {} |\n",
        head.join(" | "),
        vec!["---"; cols].join("|"),
        vec![word; cols].join(" | ")
    );
    let line = template
        .lines()
        .position(|l| l.starts_with("| Cột1"))
        .expect("table line")
        + 1;
    std::fs::write(dir.join("bang.md.hbs"), template).expect("write template");
    std::fs::write(dir.join("bang.toml"), TABLE_DATA_HEAD).expect("write data");
    (dir.join("bang.toml"), line)
}

fn run_render(data: &Path, out: &Path, extra: &[&str]) -> (Option<i32>, String) {
    let o = bin()
        .arg("render")
        .arg(data)
        .arg("-o")
        .arg(out)
        .args(extra)
        .output()
        .expect("run baocao");
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stderr).to_string(),
    )
}

#[test]
fn a_table_too_wide_even_at_the_smallest_size_fails_at_its_template_line() {
    let (data, line) = wide_table(25, "Khôngthểngắtđượcnữađâu", "too-wide");
    let dir = data.parent().expect("dir").to_path_buf();
    let out = dir.join("ra.pdf");
    let (code, err) = run_render(&data, &out, &[]);
    assert!(
        code.is_some_and(|c| c != 0),
        "a too-wide table must fail (exit {code:?}):\n{err}"
    );
    assert!(!out.exists(), "a failed render must not write the PDF");
    let files: Vec<String> = std::fs::read_dir(&dir)
        .expect("dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    assert!(
        files.iter().all(|f| f == "bang.toml" || f == "bang.md.hbs"),
        "a failed render leaves files behind: {files:?}"
    );
    assert!(
        err.starts_with("lỗi:") && err.contains("bảng"),
        "the error should say the table is too wide:\n{err}"
    );
    let arrow = err
        .lines()
        .find_map(|l| l.trim().strip_prefix("──▶ "))
        .unwrap_or_else(|| panic!("the error names no place (──▶ file:line:col):\n{err}"));
    let mut parts = arrow.rsplitn(3, ':');
    let (_col, at, file) = (parts.next(), parts.next(), parts.next().unwrap_or(""));
    assert!(
        file.contains("bang.md.hbs") && at == Some(line.to_string().as_str()),
        "the error should point at the table in the template, bang.md.hbs line {line}; it points at \"{arrow}\"\n{err}"
    );
}

#[test]
fn a_moderately_wide_table_shrinks_its_font_with_a_warning() {
    let p = builtin_profile("nha-nuoc");
    let (size, min) = (p.f("bang.co_chu"), p.f("bang.co_chu_toi_thieu"));
    let (data, _) = wide_table(6, "Khôngthểngắtđ", "shrink");
    let dir = data.parent().expect("dir").to_path_buf();
    let out = dir.join("ra.pdf");
    let (code, err) = run_render(&data, &out, &[]);
    assert_eq!(
        code,
        Some(0),
        "a table that fits when shrunk renders:\n{err}"
    );
    assert!(
        err.contains("cảnh báo") && err.contains("bảng"),
        "shrinking the table's font must be reported as a warning:\n{err}"
    );
    let pages = trace_pages(&out);
    let grids: Vec<TableGrid> = pages.iter().flat_map(read_tables).collect();
    assert_eq!(grids.len(), 1, "one table");
    let sizes: Vec<f64> = grids[0]
        .cells
        .iter()
        .flat_map(|c| c.ink().map(|g| g.size).collect::<Vec<_>>())
        .collect();
    assert!(!sizes.is_empty(), "the table shows text");
    let s = sizes[0];
    assert!(
        sizes.iter().all(|x| (x - s).abs() <= EPS),
        "one size for the whole table, got {sizes:?}"
    );
    assert!(
        s < size - EPS && s >= min - EPS,
        "the table should shrink below bang.co_chu = {size} but not under bang.co_chu_toi_thieu = {min}; it is {s:.2} pt"
    );
    assert!(
        err.contains(&format!("{s}")) || err.contains(&format!("{s:.1}")),
        "the warning should give the size used ({s} pt):\n{err}"
    );
    let geo = Geometry::of(p, false);
    assert!(
        grids[0].left >= geo.left - EPS && grids[0].right <= geo.right + EPS,
        "the shrunk table fits the text width"
    );
    for c in &grids[0].cells {
        for g in c.ink() {
            assert!(
                g.x >= c.x0 - EPS && g.x_end <= c.x1 + EPS,
                "{:?} crosses its cell: {}",
                g.ch,
                c.describe()
            );
        }
    }
    // Under --strict the warning is an error and no PDF is written.
    let strict_out = dir.join("strict.pdf");
    let (code, err) = run_render(&data, &strict_out, &["--strict"]);
    assert!(
        code.is_some_and(|c| c != 0) && !strict_out.exists(),
        "--strict must refuse a shrunk table (exit {code:?}):\n{err}"
    );
}
