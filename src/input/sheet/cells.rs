//! A sheet file's bytes → a [`Grid`] of cells: calamine for workbooks, the csv
//! crate for CSV. Each cell is read the way it is shown: a number as the
//! shortest decimal that gives back the stored double, text as typed, a date
//! as `YYYY-MM-DD`.
use super::Area;
use crate::diag::{nearest, Diagnostic};
use calamine::{Data, Dimensions, Reader, Sheets};

use std::io::Cursor;

/// One cell as it arrives.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    /// A number's decimal text (`9912.4`, `-3`, `1e-7` as Rust writes it).
    Number(String),
    Text(String),
    Bool(bool),
    /// `YYYY-MM-DD`, or `YYYY-MM-DDTHH:MM:SS` when it has a time of day.
    Date(String),
    /// A formula's error (`#DIV/0!`).
    Error(String),
    /// A formula whose value the file does not hold (written by a program
    /// that does not compute, and never opened and saved in a spreadsheet).
    Uncomputed,
}

/// The cells of one sheet, and the merged areas among them.
#[derive(Debug, Default)]
pub struct Grid {
    /// The sheet's name, for places (none for CSV).
    pub sheet: Option<String>,
    /// Absolute (row, column) of `rows[0][0]`, 0-based.
    pub origin: (u32, u32),
    pub rows: Vec<Vec<Cell>>,
    /// Merged areas (XLSX only), absolute.
    pub merged: Vec<Area>,
}

impl Grid {
    /// The cell at absolute (row, col); `Empty` outside the used area.
    pub fn get(&self, row: u32, col: u32) -> &Cell {
        const EMPTY: &Cell = &Cell::Empty;
        let (r0, c0) = self.origin;
        if row < r0 || col < c0 {
            return EMPTY;
        }
        self.rows
            .get((row - r0) as usize)
            .and_then(|r| r.get((col - c0) as usize))
            .unwrap_or(EMPTY)
    }

    /// Set the cell at absolute (row, col), growing the grid below and to the
    /// right as needed (a cell above or left of the origin is left out).
    fn set(&mut self, row: u32, col: u32, cell: Cell) {
        let (r0, c0) = self.origin;
        let (Some(r), Some(c)) = (row.checked_sub(r0), col.checked_sub(c0)) else {
            return;
        };
        let (r, c) = (r as usize, c as usize);
        if self.rows.len() <= r {
            self.rows.resize(r + 1, Vec::new());
        }
        if let Some(line) = self.rows.get_mut(r) {
            if line.len() <= c {
                line.resize(c + 1, Cell::Empty);
            }
            if let Some(slot) = line.get_mut(c) {
                *slot = cell;
            }
        }
    }

    /// The last used row and column (absolute), if any cell is used.
    pub fn end(&self) -> Option<(u32, u32)> {
        let h = u32::try_from(self.rows.len()).ok()?.checked_sub(1)?;
        let w = self
            .rows
            .iter()
            .map(Vec::len)
            .max()
            .and_then(|w| u32::try_from(w).ok())?;
        Some((self.origin.0 + h, self.origin.1 + w.checked_sub(1)?))
    }
}

/// What went wrong opening a sheet, said in Vietnamese by the caller, which
/// knows where the reference stands.
#[derive(Debug)]
pub enum OpenError {
    /// Not a workbook calamine can read, or broken.
    Unreadable,
    /// CSV text that is not UTF-8 (at this byte).
    NotUtf8,
    /// A CSV file given a sheet name.
    CsvSheet,
    /// No sheet of this name; the names there are.
    NoSheet { names: Vec<String> },
    /// The file's extension is not one baocao reads.
    Kind,
    /// The used cells span more than [`MAX_CELLS`] (corners, 0-based).
    TooLarge { from: (u32, u32), to: (u32, u32) },
}

/// The kinds of file read, by extension.
pub const EXTENSIONS: [&str; 6] = ["xlsx", "xlsm", "xls", "xlsb", "ods", "csv"];

/// The grid of `sheet` (the first sheet if `None`) of the file `file` whose
/// bytes are `bytes`.
pub fn open(
    file: &str,
    bytes: Vec<u8>,
    sheet: Option<&str>,
    area: Option<Area>,
) -> Result<Grid, OpenError> {
    let ext = std::path::Path::new(file)
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if !EXTENSIONS.contains(&ext.as_str()) {
        return Err(OpenError::Kind);
    }
    if ext == "csv" {
        if sheet.is_some() {
            return Err(OpenError::CsvSheet);
        }
        return csv_grid(&bytes);
    }
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|_| OpenError::Unreadable)?;
    let names = book.sheet_names();
    let name = match sheet {
        None => names.first().cloned().ok_or(OpenError::Unreadable)?,
        Some(s) => find_sheet(&names, s).ok_or_else(|| OpenError::NoSheet {
            names: names.clone(),
        })?,
    };
    if let Sheets::Xlsx(x) = &mut book {
        return xlsx_grid(x, name, area);
    }
    let range = book
        .worksheet_range(&name)
        .map_err(|_| OpenError::Unreadable)?;
    let origin = range.start().unwrap_or((0, 0));
    let rows = range
        .rows()
        .map(|r| r.iter().map(cell_of).collect())
        .collect();
    Ok(Grid {
        sheet: Some(name),
        origin,
        rows,
        merged: Vec::new(),
    })
}

/// The most cells a sheet's used rectangle (or its `vung`) may span: far more
/// than any report's table, few enough to hold in memory.
pub const MAX_CELLS: u64 = 2_000_000;

/// An XLSX sheet, streamed cell by cell (a stray cell far from the table
/// cannot make a huge grid: cells outside `area` are left out, and a used
/// rectangle over [`MAX_CELLS`] is refused). A formula whose value the file
/// does not hold is [`Cell::Uncomputed`].
fn xlsx_grid(
    x: &mut calamine::Xlsx<Cursor<Vec<u8>>>,
    name: String,
    area: Option<Area>,
) -> Result<Grid, OpenError> {
    let wanted = |(r, c): (u32, u32)| {
        area.is_none_or(|a| {
            r >= a.first_row
                && a.last_row.is_none_or(|l| r <= l)
                && c >= a.first_col
                && c <= a.last_col
        })
    };
    let mut cells: Vec<((u32, u32), Cell)> = Vec::new();
    {
        let mut reader = x
            .worksheet_cells_reader(&name)
            .map_err(|_| OpenError::Unreadable)?;
        while let Some(rec) = reader
            .next_cell_with_formula_metadata()
            .map_err(|_| OpenError::Unreadable)?
        {
            let cell = match (rec.value, rec.formula) {
                (calamine::DataRef::Empty, Some(_)) => Cell::Uncomputed,
                (v, _) => cell_of(&Data::from(v)),
            };
            if cell != Cell::Empty && wanted(rec.pos) {
                cells.push((rec.pos, cell));
            }
        }
    }
    let merged = x
        .merge_cells_by_sheet_name(&name)
        .unwrap_or_default()
        .iter()
        .map(area_of)
        .collect();
    let mut grid = dense(cells)?;
    grid.sheet = Some(name);
    grid.merged = merged;
    Ok(grid)
}

/// Cells at their places → a grid over their rectangle.
fn dense(cells: Vec<((u32, u32), Cell)>) -> Result<Grid, OpenError> {
    let Some(first) = cells.first().map(|c| c.0) else {
        return Ok(Grid::default());
    };
    let (mut top, mut left, mut bottom, mut right) = (first.0, first.1, first.0, first.1);
    for ((r, c), _) in &cells {
        top = top.min(*r);
        left = left.min(*c);
        bottom = bottom.max(*r);
        right = right.max(*c);
    }
    let size = u64::from(bottom - top + 1) * u64::from(right - left + 1);
    if size > MAX_CELLS {
        return Err(OpenError::TooLarge {
            from: (top, left),
            to: (bottom, right),
        });
    }
    let mut grid = Grid {
        origin: (top, left),
        ..Grid::default()
    };
    for ((r, c), cell) in cells {
        grid.set(r, c, cell);
    }
    Ok(grid)
}

/// The sheet named `want`: exactly, or else the one whose name differs only in
/// case, spaces around it or the Unicode form of its letters.
fn find_sheet(names: &[String], want: &str) -> Option<String> {
    let fold = |s: &str| crate::source::nfc(s.trim()).to_lowercase();
    names
        .iter()
        .find(|n| *n == want)
        .or_else(|| names.iter().find(|n| fold(n) == fold(want)))
        .cloned()
}

/// The sheet name nearest to `want`, for "có phải ý bạn là …?".
pub fn nearest_sheet(names: &[String], want: &str) -> Option<String> {
    let folded: Vec<String> = names.iter().map(|n| super::header_key(n)).collect();
    let refs: Vec<&str> = folded.iter().map(String::as_str).collect();
    let hit = nearest(&super::header_key(want), &refs)?;
    let i = folded.iter().position(|f| f == hit)?;
    names.get(i).cloned()
}

fn area_of(d: &Dimensions) -> Area {
    Area {
        first_row: d.start.0,
        first_col: d.start.1,
        last_row: Some(d.end.0),
        last_col: d.end.1,
    }
}

/// A calamine cell as it arrives.
fn cell_of(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::Int(i) => Cell::Number(i.to_string()),
        Data::Float(f) => float(*f),
        // A cell of spaces looks empty, and is (as in CSV).
        Data::String(s) if s.trim().is_empty() => Cell::Empty,
        Data::String(s) => text(s),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, mo, d, h, mi, s, _) = dt.to_ymd_hms_milli();
            if (h, mi, s) == (0, 0, 0) {
                Cell::Date(format!("{y:04}-{mo:02}-{d:02}"))
            } else {
                Cell::Date(format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}"))
            }
        }
        // A duration is shown as the number of days it holds.
        Data::DateTime(dt) => float(dt.as_f64()),
        Data::DateTimeIso(s) => Cell::Date(s.strip_suffix("T00:00:00").unwrap_or(s).to_string()),
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(e.to_string()),
    }
}

/// A stored double as the shortest decimal that gives it back (Rust's `{}`
/// for f64: shortest round trip, never an exponent).
fn float(f: f64) -> Cell {
    if !f.is_finite() {
        return Cell::Error("#NUM!".into());
    }
    if f == 0.0 {
        return Cell::Number("0".into());
    }
    Cell::Number(format!("{f}"))
}

/// CSV text → grid. The separator is the one the header line uses most of
/// `,` `;` and tab (Excel writes `;` where the decimal mark is a comma).
fn csv_grid(bytes: &[u8]) -> Result<Grid, OpenError> {
    let text = std::str::from_utf8(bytes).map_err(|_| OpenError::NotUtf8)?;
    let text = crate::source::strip_bom(text);
    let first = text.lines().next().unwrap_or("");
    let count = |c: char| first.matches(c).count();
    let sep = [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|c| (count(char::from(*c)), u8::MAX - *c))
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(sep)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|_| OpenError::Unreadable)?;
        rows.push(record.iter().map(csv_cell).collect());
    }
    Ok(Grid {
        sheet: None,
        origin: (0, 0),
        rows,
        merged: Vec::new(),
    })
}

/// A CSV cell: a plain decimal (`-12`, `9912.40`; no leading zeros, no
/// exponent) is a number, `TRUE` / `FALSE` (as spreadsheets write them) a
/// boolean, anything else text as it is.
fn csv_cell(s: &str) -> Cell {
    let t = s.trim();
    match t {
        "" => return Cell::Empty,
        "TRUE" => return Cell::Bool(true),
        "FALSE" => return Cell::Bool(false),
        _ => {}
    }
    let body = t.strip_prefix('-').unwrap_or(t);
    let (int, frac) = body
        .split_once('.')
        .map_or((body, None), |(i, f)| (i, Some(f)));
    let digits = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit());
    let plain = digits(int) && (int == "0" || !int.starts_with('0')) && frac.is_none_or(digits);
    if plain {
        Cell::Number(t.to_string())
    } else {
        text(s)
    }
}

/// The error values spreadsheets show (a CSV export, or ODS, writes them as text).
const ERRORS: [&str; 8] = [
    "#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#DATA!",
];

/// A text cell; one that is exactly a formula's error value is that error.
fn text(s: &str) -> Cell {
    if ERRORS.contains(&s.trim()) {
        Cell::Error(s.trim().to_string())
    } else {
        Cell::Text(s.to_string())
    }
}

/// The error for an [`OpenError`], at the reference's place.
pub fn open_error(e: OpenError, shown: &str, r: &super::SheetRef) -> Diagnostic {
    let d = match e {
        OpenError::Kind => Diagnostic::error(format!(
            "\"{shown}\" không phải là tệp bảng tính baocao đọc được"
        ))
        .with_span(r.span.clone())
        .with_hint(format!(
            "dùng tệp {}",
            EXTENSIONS.map(|e| format!(".{e}")).join(", ")
        )),
        OpenError::Unreadable => Diagnostic::error(format!(
            "không đọc được bảng tính \"{shown}\": tệp hỏng hoặc không đúng định dạng"
        ))
        .with_span(r.span.clone())
        .with_hint(
            "mở tệp bằng Excel hoặc LibreOffice và lưu lại (Lưu thành… → Sổ làm việc Excel .xlsx)",
        ),
        OpenError::NotUtf8 => {
            Diagnostic::error(format!("tệp CSV \"{shown}\" không phải văn bản UTF-8"))
                .with_span(r.span.clone())
                .with_hint("trong Excel: Lưu thành… → CSV UTF-8 (phân tách bằng dấu phẩy)")
        }
        OpenError::TooLarge { from, to } => {
            let cell = |(r, c): (u32, u32)| super::cell_name(r, c);
            Diagnostic::error(format!(
                "trang{} của bảng tính \"{shown}\" có số liệu trải từ ô {} tới ô {}, quá giới hạn {} ô",
                r.sheet.as_ref().map_or_else(String::new, |s| format!(" \"{s}\"")),
                cell(from),
                cell(to),
                crate::vn::format_number(&rust_decimal::Decimal::from(MAX_CELLS), Some(0))
            ))
            .with_span(r.span.clone())
            .with_hint("xóa các ô thừa nằm xa bảng số liệu, hoặc chỉ rõ vùng cần đọc, ví dụ vung = \"A3:H40\"")
        }
        OpenError::CsvSheet => Diagnostic::error(format!(
            "tệp CSV \"{shown}\" chỉ có một trang, không đặt tên trang được"
        ))
        .with_span(r.key_span("trang"))
        .with_hint("bỏ khóa `trang`"),
        OpenError::NoSheet { names } => {
            let want = r.sheet.clone().unwrap_or_default();
            let d = Diagnostic::error(format!("bảng tính \"{shown}\" không có trang \"{want}\""))
                .with_span(r.key_span("trang"));
            match nearest_sheet(&names, &want) {
                Some(n) => d.with_hint(format!("có phải ý bạn là \"{n}\"?")),
                None => d.with_hint(format!(
                    "các trang trong tệp: {}",
                    names
                        .iter()
                        .map(|n| format!("\"{n}\""))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            }
        }
    };
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_arrive_as_their_shortest_decimal() {
        assert_eq!(float(9912.4), Cell::Number("9912.4".into()));
        assert_eq!(float(0.1 + 0.2), Cell::Number("0.30000000000000004".into()));
        assert_eq!(float(1e21), Cell::Number("1000000000000000000000".into()));
        assert_eq!(float(-0.0), Cell::Number("0".into()));
        assert_eq!(float(3.21), Cell::Number("3.21".into()));
        assert_eq!(float(f64::NAN), Cell::Error("#NUM!".into()));
    }

    #[test]
    fn csv_cells_are_numbers_only_when_plain_decimals() {
        assert_eq!(csv_cell("9912.40"), Cell::Number("9912.40".into()));
        assert_eq!(csv_cell("-12"), Cell::Number("-12".into()));
        assert_eq!(csv_cell("0.5"), Cell::Number("0.5".into()));
        assert_eq!(csv_cell("007"), Cell::Text("007".into()));
        assert_eq!(csv_cell("9912,4"), Cell::Text("9912,4".into()));
        assert_eq!(csv_cell("1e5"), Cell::Text("1e5".into()));
        assert_eq!(csv_cell("  "), Cell::Empty);
        assert_eq!(csv_cell("TRUE"), Cell::Bool(true));
        assert_eq!(csv_cell("True"), Cell::Text("True".into()));
        assert_eq!(csv_cell("#DIV/0!"), Cell::Error("#DIV/0!".into()));
    }

    #[test]
    fn csv_separator_is_the_header_lines() {
        let g = csv_grid("a;b;c\n1,5;2;3\n".as_bytes()).unwrap();
        assert_eq!(g.rows[1][0], Cell::Text("1,5".into()));
        let g = csv_grid("\u{feff}a,b\n\"x, y\",2\n".as_bytes()).unwrap();
        assert_eq!(g.rows[0][0], Cell::Text("a".into()));
        assert_eq!(g.rows[1][0], Cell::Text("x, y".into()));
    }
}
