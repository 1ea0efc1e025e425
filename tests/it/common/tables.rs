//! Ruled tables read back from the trace, the tables a markup text holds, and
//! exact numbers from a TOML file.

use super::*;
use std::path::Path;

/// Where a line of a number has its decimal point, read from its glyphs:
/// the left of its comma, else the right of its last digit ("102%").
pub fn decimal_x(line: &Line) -> Option<f64> {
    let ink: Vec<&Glyph> = line.glyphs.iter().filter(|g| !g.is_space()).collect();
    if let Some(comma) = ink.iter().find(|g| g.ch == ",") {
        return Some(comma.x);
    }
    ink.iter()
        .rev()
        .find(|g| g.ch.chars().all(|c| c.is_ascii_digit()))
        .map(|g| g.x_end)
}

// ---------------------------------------------------------------------------
// Ruled tables read back from the trace: cells are the rectangles the rules
// enclose, text is the glyphs inside them.

/// One cell of a ruled table: the rectangle between its rules, and its glyphs.
#[derive(Debug, Clone)]
pub struct TableCell {
    pub page: usize,
    pub x0: f64,
    pub x1: f64,
    pub y0: f64,
    pub y1: f64,
    /// Index of the first and one past the last elementary column it covers.
    pub cols: (usize, usize),
    /// Index of the first and one past the last elementary band it covers.
    pub bands: (usize, usize),
    pub glyphs: Vec<Glyph>,
}

impl TableCell {
    /// The cell's lines of text, top to bottom.
    pub fn lines(&self) -> Vec<Line> {
        let p = Page {
            number: self.page,
            glyphs: self.glyphs.clone(),
            ..Page::default()
        };
        p.lines()
    }
    /// The cell's text, its lines joined by spaces.
    pub fn text(&self) -> String {
        fold(
            &self
                .lines()
                .iter()
                .map(Line::text)
                .collect::<Vec<_>>()
                .join(" "),
        )
    }
    pub fn ink(&self) -> impl Iterator<Item = &Glyph> {
        self.glyphs.iter().filter(|g| !g.is_space())
    }
    pub fn is_empty(&self) -> bool {
        self.ink().next().is_none()
    }
    pub fn centre(&self) -> f64 {
        (self.x0 + self.x1) / 2.0
    }
    pub fn describe(&self) -> String {
        format!(
            "page {} cell x {:.2}..{:.2} y {:.2}..{:.2} \"{}\"",
            self.page,
            self.x0,
            self.x1,
            self.y0,
            self.y1,
            self.text()
        )
    }
}

/// A ruled table (or the part of one) on one page.
#[derive(Debug, Clone)]
pub struct TableGrid {
    pub page: usize,
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
    /// y of every horizontal rule position, top to bottom.
    pub ys: Vec<f64>,
    /// Cells in reading order (by top, then left).
    pub cells: Vec<TableCell>,
    /// The table's rules.
    pub rules: Vec<Rule>,
}

impl TableGrid {
    /// Number of elementary bands (between consecutive horizontal rules).
    pub fn band_count(&self) -> usize {
        self.ys.len().saturating_sub(1)
    }
    /// Cells that start in band `b`, left to right.
    pub fn band(&self, b: usize) -> Vec<&TableCell> {
        self.cells.iter().filter(|c| c.bands.0 == b).collect()
    }
    /// Texts of the cells that start in band `b`.
    pub fn band_texts(&self, b: usize) -> Vec<String> {
        self.band(b).iter().map(|c| c.text()).collect()
    }
    /// True if a vertical rule crosses the middle of band `b` strictly between
    /// `x0` and `x1`.
    pub fn vertical_rule_inside(&self, b: usize, x0: f64, x1: f64) -> bool {
        let y = (self.ys[b] + self.ys[b + 1]) / 2.0;
        self.rules.iter().any(|r| {
            r.is_vertical() && r.top() < y && r.bottom() > y && r.x() > x0 + 0.5 && r.x() < x1 - 0.5
        })
    }
}

fn cluster(mut v: Vec<f64>, tol: f64) -> Vec<f64> {
    v.sort_by(f64::total_cmp);
    let mut out: Vec<Vec<f64>> = Vec::new();
    for x in v {
        match out.last_mut() {
            Some(c) if x - c[c.len() - 1] <= tol => c.push(x),
            _ => out.push(vec![x]),
        }
    }
    out.iter()
        .map(|c| c.iter().sum::<f64>() / c.len() as f64)
        .collect()
}

/// Every ruled table on `page`: regions of vertical rules that overlap in y,
/// cut into cells by the rule segments that are actually drawn.
pub fn read_tables(page: &Page) -> Vec<TableGrid> {
    const TOL: f64 = 0.05;
    let mut verticals: Vec<&Rule> = page.rules.iter().filter(|r| r.is_vertical()).collect();
    verticals.sort_by(|a, b| a.top().total_cmp(&b.top()));
    // Regions: runs of vertical rules whose y ranges touch.
    let mut regions: Vec<(f64, f64, Vec<&Rule>)> = Vec::new();
    for r in verticals {
        match regions.last_mut() {
            Some((_, bottom, rs)) if r.top() <= *bottom + 0.5 => {
                *bottom = bottom.max(r.bottom());
                rs.push(r);
            }
            _ => regions.push((r.top(), r.bottom(), vec![r])),
        }
    }
    let mut grids = Vec::new();
    for (top, bottom, vs) in regions {
        let left = vs.iter().map(|r| r.x()).fold(f64::INFINITY, f64::min);
        let right = vs.iter().map(|r| r.x()).fold(f64::NEG_INFINITY, f64::max);
        let hs: Vec<&Rule> = page
            .rules
            .iter()
            .filter(|r| {
                r.is_horizontal()
                    && r.y() >= top - 0.5
                    && r.y() <= bottom + 0.5
                    && r.left() >= left - 0.5
                    && r.right() <= right + 0.5
            })
            .collect();
        let xs = cluster(vs.iter().map(|r| r.x()).collect(), TOL);
        let ys = cluster(hs.iter().map(|r| r.y()).collect(), TOL);
        if xs.len() < 2 || ys.len() < 2 {
            continue;
        }
        let (nb, nc) = (ys.len() - 1, xs.len() - 1);
        let vwall = |b: usize, x: f64| {
            let y = (ys[b] + ys[b + 1]) / 2.0;
            vs.iter()
                .any(|r| (r.x() - x).abs() <= TOL * 2.0 && r.top() < y && r.bottom() > y)
        };
        let hwall = |y: f64, c: usize| {
            let x = (xs[c] + xs[c + 1]) / 2.0;
            hs.iter()
                .any(|r| (r.y() - y).abs() <= TOL * 2.0 && r.left() < x && r.right() > x)
        };
        // Union-find over elementary cells.
        let mut parent: Vec<usize> = (0..nb * nc).collect();
        fn find(p: &mut [usize], i: usize) -> usize {
            let mut i = i;
            while p[i] != i {
                p[i] = p[p[i]];
                i = p[i];
            }
            i
        }
        for b in 0..nb {
            for c in 0..nc {
                if c + 1 < nc && !vwall(b, xs[c + 1]) {
                    let (a, z) = (
                        find(&mut parent, b * nc + c),
                        find(&mut parent, b * nc + c + 1),
                    );
                    parent[a] = z;
                }
                if b + 1 < nb && !hwall(ys[b + 1], c) {
                    let (a, z) = (
                        find(&mut parent, b * nc + c),
                        find(&mut parent, (b + 1) * nc + c),
                    );
                    parent[a] = z;
                }
            }
        }
        let mut groups: std::collections::BTreeMap<usize, Vec<(usize, usize)>> = Default::default();
        for b in 0..nb {
            for c in 0..nc {
                let root = find(&mut parent, b * nc + c);
                groups.entry(root).or_default().push((b, c));
            }
        }
        let mut cells: Vec<TableCell> = Vec::new();
        for members in groups.values() {
            let b0 = members.iter().map(|m| m.0).min().unwrap_or(0);
            let b1 = members.iter().map(|m| m.0).max().unwrap_or(0) + 1;
            let c0 = members.iter().map(|m| m.1).min().unwrap_or(0);
            let c1 = members.iter().map(|m| m.1).max().unwrap_or(0) + 1;
            assert_eq!(
                members.len(),
                (b1 - b0) * (c1 - c0),
                "page {}: the rules enclose a region that is not a rectangle (bands {b0}..{b1}, columns {c0}..{c1})",
                page.number
            );
            cells.push(TableCell {
                page: page.number,
                x0: xs[c0],
                x1: xs[c1],
                y0: ys[b0],
                y1: ys[b1],
                cols: (c0, c1),
                bands: (b0, b1),
                glyphs: Vec::new(),
            });
        }
        cells.sort_by(|a, b| a.bands.0.cmp(&b.bands.0).then(a.cols.0.cmp(&b.cols.0)));
        // Each glyph goes to the cell holding its origin (just right of it,
        // just above the baseline).
        for g in &page.glyphs {
            let (x, y) = (g.x + 0.01, g.y - 0.01);
            if x < xs[0] || x > xs[nc] || y < ys[0] || y > ys[nb] {
                continue;
            }
            if let Some(c) = cells
                .iter_mut()
                .find(|c| x >= c.x0 && x < c.x1 && y >= c.y0 && y < c.y1)
            {
                c.glyphs.push(g.clone());
            }
        }
        let mut rules: Vec<Rule> = vs.into_iter().cloned().collect();
        rules.extend(hs.into_iter().cloned());
        grids.push(TableGrid {
            page: page.number,
            left,
            right,
            top: ys[0],
            bottom: ys[nb],
            ys,
            cells,
            rules,
        });
    }
    grids
}

// ---------------------------------------------------------------------------
// Exact numbers from a TOML file: the digits as typed, never through f64.

/// A TOML file kept as text, for exact number look-ups.
pub struct RawToml {
    pub text: String,
}

/// A typed TOML number, exactly.
pub fn exact(v: &toml::de::DeValue) -> Option<rust_decimal::Decimal> {
    use std::str::FromStr;
    let s = match v {
        toml::de::DeValue::Integer(i) => i.as_str().to_string(),
        toml::de::DeValue::Float(f) => f.as_str().to_string(),
        _ => return None,
    };
    rust_decimal::Decimal::from_str(&s.replace('_', "")).ok()
}

impl RawToml {
    pub fn load(path: &Path) -> RawToml {
        RawToml {
            text: std::fs::read_to_string(path)
                .unwrap_or_else(|e| panic!("read {}: {e}", path.display())),
        }
    }

    /// The rows of the array of tables (or inline tables) `key`: each row's
    /// numbers exactly and its strings, by field name.
    pub fn rows(&self, key: &str) -> Vec<RawRow> {
        let root = toml::de::DeTable::parse(&self.text).expect("TOML parses");
        let v = root
            .get_ref()
            .get(key)
            .unwrap_or_else(|| panic!("no `{key}` in the data"));
        let toml::de::DeValue::Array(items) = v.get_ref() else {
            panic!("`{key}` is not an array");
        };
        items
            .iter()
            .map(|item| {
                let toml::de::DeValue::Table(t) = item.get_ref() else {
                    panic!("an item of `{key}` is not a table");
                };
                let mut row = RawRow::default();
                for (k, v) in t.iter() {
                    let name = k.get_ref().to_string();
                    match v.get_ref() {
                        toml::de::DeValue::String(s) => {
                            row.strings.insert(name, nfc(s));
                        }
                        other => {
                            if let Some(d) = exact(other) {
                                row.numbers.insert(name, d);
                            }
                        }
                    }
                }
                row
            })
            .collect()
    }
}

/// One row of an array of tables, read exactly.
#[derive(Debug, Clone, Default)]
pub struct RawRow {
    pub numbers: std::collections::BTreeMap<String, rust_decimal::Decimal>,
    pub strings: std::collections::BTreeMap<String, String>,
}

impl RawRow {
    pub fn num(&self, k: &str) -> Option<rust_decimal::Decimal> {
        self.numbers.get(k).copied()
    }
    pub fn str(&self, k: &str) -> String {
        self.strings.get(k).cloned().unwrap_or_default()
    }
}

/// A markup table as it should read back: `<` joins a cell to the one on its
/// left, `^` to the one above, and rows right under the header that hold a `^`
/// belong to the header (README, "Bảng").
#[derive(Debug, Clone)]
pub struct ExpectedTable {
    /// Number of header rows (the header row and the `^` rows under it).
    pub header_rows: usize,
    /// Header cells in reading order, markers left out.
    pub header: Vec<String>,
    /// Body rows, each with its cells (a `<` cell merged into its left neighbour).
    pub body: Vec<Vec<String>>,
    /// Columns of the table.
    pub ncols: usize,
    pub align: Vec<pulldown_cmark::Alignment>,
}

impl ExpectedTable {
    pub fn of(block: &Block) -> ExpectedTable {
        assert_eq!(block.kind, BlockKind::Table, "not a table block");
        let rows = &block.cells;
        let header_rows = 1 + rows[1..]
            .iter()
            .take_while(|r| r.iter().any(|c| c == "^"))
            .count();
        let merged = |r: &Vec<String>| -> Vec<String> {
            r.iter()
                .filter(|c| *c != "<" && *c != "^")
                .cloned()
                .collect()
        };
        ExpectedTable {
            header_rows,
            header: rows[..header_rows].iter().flat_map(merged).collect(),
            body: rows[header_rows..].iter().map(merged).collect(),
            ncols: rows.iter().map(Vec::len).max().unwrap_or(0),
            align: block.align.clone(),
        }
    }
}

/// The table blocks of a markup text, in order.
pub fn table_blocks(markup: &str) -> Vec<Block> {
    blocks(markup)
        .into_iter()
        .filter(|b| b.kind == BlockKind::Table)
        .collect()
}

/// One table read back over the pages it spans: on each page, the first
/// `header_rows` bands are the (repeated) header and the rest are body rows.
pub struct ReadTable {
    pub grids: Vec<TableGrid>,
    pub header_rows: usize,
}

impl ReadTable {
    /// Header cells of `grid` in reading order.
    pub fn header(&self, grid: &TableGrid) -> Vec<TableCell> {
        grid.cells
            .iter()
            .filter(|c| c.bands.0 < self.header_rows)
            .cloned()
            .collect()
    }
    /// Body rows of every page in order: (grid index, band, cells left to
    /// right), without the group rows repeated with "(tiếp)" under a repeated
    /// header ([`ReadTable::continued`]).
    pub fn body(&self) -> Vec<(usize, usize, Vec<TableCell>)> {
        let mut out = Vec::new();
        for (gi, g) in self.grids.iter().enumerate() {
            for b in self.header_rows..g.band_count() {
                if self.is_continued(gi, b) {
                    continue;
                }
                out.push((gi, b, g.band(b).into_iter().cloned().collect()));
            }
        }
        out
    }
    /// Whether band `b` of grid `gi` is a group row repeated at the top of a
    /// continued page: the first band under the header, its text ending in
    /// "(tiếp)".
    fn is_continued(&self, gi: usize, b: usize) -> bool {
        gi > 0
            && b == self.header_rows
            && self.grids[gi]
                .band(b)
                .iter()
                .rev()
                .find(|c| !c.is_empty())
                .is_some_and(|c| c.text().ends_with("(tiếp)"))
    }
    /// Body rows' texts.
    pub fn body_texts(&self) -> Vec<Vec<String>> {
        self.body()
            .into_iter()
            .map(|(_, _, cells)| cells.iter().map(TableCell::text).collect())
            .collect()
    }
    /// Every cell of every page.
    pub fn cells(&self) -> impl Iterator<Item = &TableCell> {
        self.grids.iter().flat_map(|g| g.cells.iter())
    }
}

/// The data file of a generated table report: a State document whose body
/// template is `bang.md.hbs` (the table tests append their rows).
pub const TABLE_DATA_HEAD: &str = r#"mau = "bang.md.hbs"

[van_ban]
the_thuc = "nha-nuoc"
co_quan_cap_tren = "ỦY BAN NHÂN DÂN QUẬN MẪU"
co_quan = "ỦY BAN NHÂN DÂN PHƯỜNG MẪU"
so = 7
ky_hieu = "BC-UBND"
dia_danh = "Mẫu"
ngay = 2025-11-28
trich_yeu = "bảng số liệu thử"
noi_nhan = ["Lưu: VT"]

[ky]
quyen_han = "TM. ỦY BAN NHÂN DÂN"
chuc_vu = "CHỦ TỊCH"
ho_ten = "Người Ký Thử"
"#;
