//! How tables are set, read back from the PDF: headers within three lines,
//! numbers never split inside and lined up on their decimal comma, decimals
//! per column (`\chu_so`, `bang_chi_tieu`'s `chu_so_…` options), and the
//! caption and "Đơn vị tính" lines above a table (`\ten_bang`, `\don_vi_tinh`).

use crate::common::*;
use rust_decimal::{Decimal, RoundingStrategy};
use std::path::PathBuf;

/// Positions the layout sets from the same numbers agree to this, pt.
const TOL: f64 = 0.5;

fn is_number(s: &str) -> bool {
    s.chars().any(|c| c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '%' | '-' | '+'))
}

/// Every ruled table of an example, page by page.
fn grids(ex: &Example) -> Vec<TableGrid> {
    ex.pages.iter().flat_map(read_tables).collect()
}

fn examples() -> [(&'static str, &'static Example); 3] {
    [
        ("Bắc Kạn", example()),
        ("Tân Định", ward()),
        ("Bạch Thông", district()),
    ]
}

/// The header cells of a grid: the bands above its first body row (one
/// band, or more when a header cell spans rows).
fn header_cells(g: &TableGrid) -> Vec<&TableCell> {
    let rows = g
        .cells
        .iter()
        .filter(|c| c.bands.0 == 0)
        .map(|c| c.bands.1)
        .max()
        .unwrap_or(1);
    g.cells.iter().filter(|c| c.bands.0 < rows).collect()
}

// ---------------------------------------------------------------------------
// Generated reports

/// Render a report whose body template is `body`: its pages and what the
/// render printed on stderr.
fn render_body(body: &str, tag: &str) -> (Vec<Page>, String) {
    let dir = scratch(tag);
    put(&dir, "bang.toml", TABLE_DATA_HEAD);
    put(&dir, "bang.md.hbs", body);
    let data = dir.join("bang.toml");
    let pdf: PathBuf = dir.join("bang.pdf");
    let run = bin()
        .arg("render")
        .arg(&data)
        .arg("-o")
        .arg(&pdf)
        .output()
        .expect("run baocao");
    let stderr = String::from_utf8_lossy(&run.stderr).to_string();
    assert!(run.status.success(), "render failed:\n{stderr}");
    (trace_pages(&pdf), stderr)
}

// ---------------------------------------------------------------------------
// Headers

#[test]
fn headers_take_at_most_three_lines() {
    let most = builtin_profile("nha-nuoc").f("bang.dong_tieu_de_toi_da") as usize;
    assert_eq!(most, 3);
    // Long headers over short numbers, beside a text column that could wrap:
    // the header used to take 4–5 lines while the text column stood half empty.
    let body = "Kết quả:\n\n\
        | TT | Chỉ tiêu | Đơn vị tính | Kế hoạch năm 2024 | Ước thực hiện năm 2024 | So với kế hoạch năm (%) | So với cùng kỳ năm trước (%) |\n\
        |:-:|---|:-:|--:|--:|--:|--:|\n\
        | 1 | Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng trên địa bàn huyện | tỷ đồng | 1.350 | 1.412,56 | 104,63 | 109,67 |\n\
        | 2 | Thu ngân sách nhà nước trên địa bàn, không kể thu tiền sử dụng đất | triệu đồng | 38.500 | 41.286,75 | 107,24 | 111,85 |\n";
    let (pages, _) = render_body(body, "headers");
    let mut all: Vec<(String, Vec<TableGrid>)> = vec![(
        "generated".into(),
        pages.iter().flat_map(read_tables).collect(),
    )];
    for (name, ex) in examples() {
        all.push((name.into(), grids(ex)));
    }
    for (name, gs) in &all {
        assert!(!gs.is_empty(), "{name}: no table read back");
        for g in gs {
            for c in header_cells(g) {
                assert!(
                    c.lines().len() <= most,
                    "{name}: a header cell takes {} lines (at most {most}): {}",
                    c.lines().len(),
                    c.describe()
                );
            }
        }
    }
    // The text column gives up no more than the room the headers need: its
    // 75 characters take four lines.
    let g = &all[0].1[0];
    let name = &g.band(1)[1];
    assert!(name.lines().len() <= 4, "{}", name.describe());
}

// ---------------------------------------------------------------------------
// Numbers

#[test]
fn a_number_is_never_split_inside_its_cell_even_in_a_narrow_do_rong_column() {
    // The third column gets 8% of the width: too narrow for "35.812,5".
    let body = "Số liệu như sau:\n\n\\do_rong 6 70 8 16\n\
        | TT | Nội dung | Giá trị | Ghi chú |\n|:-:|---|--:|---|\n\
        | 1 | Diện tích gieo trồng cây hằng năm | 35.812,5 | ước |\n\
        | 2 | Sản lượng lương thực | 21.863,4 | |\n";
    let (pages, stderr) = render_body(body, "narrow-number");
    assert!(
        stderr.contains("\\do_rong: cột 3 hẹp hơn \"35.812,5\" nên được nới rộng"),
        "the widened column is reported:\n{stderr}"
    );
    let g = &read_tables(&pages[0])[0];
    for (b, want) in [(1, "35.812,5"), (2, "21.863,4")] {
        let c = g.band(b)[2];
        assert_eq!(c.lines().len(), 1, "the number is split: {}", c.describe());
        assert_eq!(c.text(), want);
        assert!(
            c.ink().all(|gl| gl.x >= c.x0 && gl.x_end <= c.x1),
            "the number crosses its cell: {}",
            c.describe()
        );
    }
    // In the examples, every number and every unit ("triệu đồng") is on one line.
    for (name, ex) in examples() {
        for g in grids(ex) {
            for c in &g.cells {
                let t = c.text();
                let unit = ["triệu đồng", "tỷ đồng", "nghìn đồng"].contains(&t.as_str());
                if (is_number(&t) || unit) && c.lines().len() > 1 {
                    panic!("{name}: \"{t}\" is split over lines: {}", c.describe());
                }
            }
        }
    }
}

/// The Bạch Thông commune table: its grids (header "TT | Xã, thị trấn | …").
fn commune_grids() -> Vec<TableGrid> {
    grids(district())
        .into_iter()
        .filter(|g| g.band_texts(0).get(1).is_some_and(|t| t == "Xã, thị trấn"))
        .collect()
}

#[test]
fn column_decimals_round_each_column_and_numbers_line_up_on_the_comma() {
    let gs = commune_grids();
    assert_eq!(gs.len(), 1, "the commune table fits one page");
    let g = &gs[0];
    let data = RawToml::load(&district_data()).rows("xa");
    assert_eq!(g.band_count(), data.len() + 2, "header, communes, total");
    let (mut dt_sum, mut th_sum) = (Decimal::ZERO, Decimal::ZERO);
    for (i, r) in data.iter().enumerate() {
        let (dt, th) = (r.num("du_toan").unwrap(), r.num("thuc_hien").unwrap());
        dt_sum += dt;
        th_sum += th;
        // `\chu_so - - 1 1 2`: one decimal, one decimal, two.
        let pct = (th * Decimal::from(100) / dt)
            .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
        assert_eq!(
            g.band_texts(i + 1)[2..],
            [vn_fixed(dt, 1), vn_fixed(th, 1), vn_fixed(pct, 2)],
            "commune {}",
            r.str("ten")
        );
    }
    let pct = (th_sum * Decimal::from(100) / dt_sum)
        .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    assert_eq!(
        g.band_texts(data.len() + 1)[2..],
        [vn_fixed(dt_sum, 1), vn_fixed(th_sum, 1), vn_fixed(pct, 2)],
        "total row"
    );
    // Each numeric column's decimal commas share one x.
    for col in 2..5 {
        let xs: Vec<f64> = (1..g.band_count())
            .flat_map(|b| g.band(b).into_iter().filter(|c| c.cols == (col, col + 1)))
            .flat_map(|c| c.lines())
            .filter_map(|l| decimal_x(&l))
            .collect();
        assert_eq!(xs.len(), data.len() + 1);
        let (lo, hi) = xs
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
                (a.min(*x), b.max(*x))
            });
        assert!(
            hi - lo <= TOL,
            "column {col}: commas spread over {lo:.2}..{hi:.2}"
        );
    }
}

#[test]
fn the_indicator_tables_percent_columns_keep_two_decimals_while_prose_cites_one() {
    let ex = district();
    let indicator: Vec<TableGrid> = grids(ex)
        .into_iter()
        .filter(|g| g.band_texts(0).get(1).is_some_and(|t| t == "Chỉ tiêu"))
        .collect();
    let mut seen = 0;
    for g in &indicator {
        for b in 1..g.band_count() {
            for c in g
                .band(b)
                .into_iter()
                .filter(|c| c.cols.0 >= 5 && c.cols.1 == c.cols.0 + 1)
            {
                let t = c.text();
                if is_number(&t) {
                    seen += 1;
                    let decimals = t.split_once(',').map_or(0, |(_, f)| f.len());
                    assert_eq!(
                        decimals,
                        2,
                        "two decimals in the percent columns: {}",
                        c.describe()
                    );
                }
            }
        }
    }
    assert!(seen >= 60, "only {seen} percentages read back");
    // The retail row, computed here: 1.412,56 of 1.350 is 104,634…%.
    let rows = RawToml::load(&district_data()).rows("chi_tieu");
    let r = rows
        .iter()
        .find(|r| r.str("ma") == "ban_le")
        .expect("ban_le");
    let pct = r.num("thuc_hien").unwrap() * Decimal::from(100) / r.num("ke_hoach").unwrap();
    let (one, two) = (vn_fixed(pct, 1), vn_fixed(pct, 2));
    let text = fold(&pdftotext(&ex.pdf));
    assert!(
        text.contains(&format!("bằng {one}% kế hoạch")),
        "prose cites {one}%"
    );
    let row = indicator
        .iter()
        .flat_map(|g| (1..g.band_count()).map(move |b| g.band_texts(b)))
        .find(|t| t.get(1).is_some_and(|n| n.starts_with("Tổng mức bán lẻ")))
        .expect("the retail row");
    assert_eq!(row[5], two, "the table prints {two}");
}

// ---------------------------------------------------------------------------
// Captions and unit lines

#[test]
fn a_caption_and_a_unit_line_stand_above_their_table_on_its_page() {
    let ex = district();
    let p = builtin_profile("nha-nuoc");
    let geo = Geometry::of(p, false);
    let caption_size = p.f("bang.co_chu_ten_bang");
    let table_size = p.f("bang.co_chu");
    let unit_label = p.s("bang.chu_don_vi_tinh");
    let find = |text: &str| -> (usize, Line) {
        ex.pages
            .iter()
            .flat_map(|pg| pg.lines().into_iter().map(move |l| (pg.number, l)))
            .find(|(_, l)| l.text() == text)
            .unwrap_or_else(|| panic!("no line \"{text}\" in the PDF"))
    };
    let table_below = |page: usize, y: f64| -> TableGrid {
        read_tables(&ex.pages[page - 1])
            .into_iter()
            .filter(|g| g.top > y)
            .min_by(|a, b| a.top.total_cmp(&b.top))
            .unwrap_or_else(|| panic!("no table under y {y:.1} on page {page}"))
    };
    // The indicator table's caption (bang_chi_tieu ten_bang=…), centred and bold.
    let (page, cap) = find("Kết quả thực hiện các chỉ tiêu kinh tế - xã hội chủ yếu năm 2024");
    cap.assert_style(
        Style {
            size: caption_size,
            bold: true,
            italic: false,
        },
        "indicator caption",
    );
    assert!(
        (cap.centre() - geo.centre()).abs() <= 1.0,
        "caption centred: {}",
        cap.describe()
    );
    let g = table_below(page, cap.y);
    assert!(
        g.top - cap.y < 2.0 * caption_size,
        "caption right above its table"
    );
    // The commune table: caption, then the unit line flush right, italic.
    let (page2, cap2) = find("Thu ngân sách nhà nước trên địa bàn theo xã, thị trấn năm 2024");
    let (page3, unit) = find(&format!("{unit_label} triệu đồng"));
    assert_eq!(
        (page2, page3),
        (page2, page2),
        "caption and unit line on one page"
    );
    assert!(cap2.y < unit.y, "the caption above the unit line");
    unit.assert_style(
        Style {
            size: table_size,
            bold: false,
            italic: true,
        },
        "unit line",
    );
    assert!(
        (unit.x1() - geo.right).abs() <= 1.0,
        "unit line flush right: {}",
        unit.describe()
    );
    let g2 = table_below(page3, unit.y);
    assert_eq!(g2.band_texts(0)[1], "Xã, thị trấn");
    assert!(
        g2.top - unit.y < 2.0 * table_size,
        "unit line right above its table"
    );
}
