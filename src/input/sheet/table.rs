//! A [`Grid`] and its [`SheetRef`] → the rows, an array of tables keyed by
//! the header row; every problem at its cell ("so-lieu.xlsx › Chỉ tiêu › C7").
use super::cells::{Cell, Grid};
use super::{cell_name, Area, SheetRef};
use crate::diag::{nearest, Diagnostic, Span};
use crate::vn;
use serde_json::{Map, Number, Value};
use std::str::FromStr;

/// At most this many cell errors are listed one by one.
const MAX_LISTED: usize = 10;

/// A header's key: letters without their marks (`đ` → `d`), lowercase, every
/// run of other characters one `_`, none at either end: "Kế hoạch năm tới" →
/// `ke_hoach_nam_toi`, "Đơn vị tính" → `don_vi_tinh`, "Tỷ lệ (%)" → `ty_le`.
pub fn header_key(header: &str) -> String {
    use unicode_normalization::char::is_combining_mark;
    use unicode_normalization::UnicodeNormalization;
    let mut key = String::with_capacity(header.len());
    for c in header.nfd().filter(|c| !is_combining_mark(*c)) {
        let c = match c {
            'đ' | 'Đ' => 'd',
            c => c.to_ascii_lowercase(),
        };
        if c.is_ascii_alphanumeric() {
            key.push(c);
        } else if !key.is_empty() && !key.ends_with('_') {
            key.push('_');
        }
    }
    while key.ends_with('_') {
        key.pop();
    }
    key
}

/// One column read: its place, header text and key.
struct Column {
    col: u32,
    header: String,
    key: String,
    /// The first cell holding a number, if any.
    first_number: Option<u32>,
    number: bool,
}

/// Everything a cell's error needs to say where it is.
struct Ctx<'a> {
    shown: &'a str,
    grid: &'a Grid,
    r: &'a SheetRef,
    errors: Vec<Diagnostic>,
    /// Merged areas below the header, whose cells all show their first cell.
    merged: Vec<Area>,
}

impl Ctx<'_> {
    /// "so-lieu.xlsx › Chỉ tiêu › C7".
    fn place(&self, row: u32, col: u32) -> Span {
        let cell = cell_name(row, col);
        Span::file(&match &self.grid.sheet {
            Some(s) => format!("{} › {s} › {cell}", self.shown),
            None => format!("{} › {cell}", self.shown),
        })
    }

    fn error_at(&mut self, row: u32, col: u32, msg: String, hints: &[String]) {
        let mut d = Diagnostic::error(msg).with_span(self.place(row, col));
        for h in hints {
            d = d.with_hint(h.clone());
        }
        self.errors.push(d.with_hint(format!(
            "bảng tính được khai báo ở `{}` ({})",
            self.r.name,
            self.r.declared_at()
        )));
    }

    /// The cell at (row, col) as shown: a merged cell shows its area's first.
    fn cell(&self, row: u32, col: u32) -> &Cell {
        match self.merged.iter().find(|a| inside(a, row, col)) {
            Some(a) => self.grid.get(a.first_row, a.first_col),
            None => self.grid.get(row, col),
        }
    }
}

fn inside(a: &Area, row: u32, col: u32) -> bool {
    row >= a.first_row
        && a.last_row.is_none_or(|l| row <= l)
        && col >= a.first_col
        && col <= a.last_col
}

/// The rows of the sheet, as the template sees them; every problem at once
/// (the first ten cells in error listed, then a count).
pub fn rows(grid: &Grid, shown: &str, r: &SheetRef) -> Result<Vec<Value>, Vec<Diagnostic>> {
    let mut cx = Ctx {
        shown,
        grid,
        r,
        errors: Vec::new(),
        merged: Vec::new(),
    };
    let Some((header_row, cols, last_row)) = bounds(grid, r) else {
        let what = grid
            .sheet
            .as_ref()
            .map_or_else(String::new, |s| format!(" trang \"{s}\""));
        return Err(vec![Diagnostic::error(format!("bảng tính \"{shown}\"{what} không có dòng tiêu đề nào để đọc"))
            .with_span(r.span.clone())
            .with_hint("dòng tiêu đề là dòng đầu của `vung`, dòng `tu_dong`, hoặc dòng đầu tiên có chữ của trang")]);
    };
    if let Some(a) = grid.merged.iter().find(|a| {
        a.first_row <= header_row
            && a.last_row.is_none_or(|l| header_row <= l)
            && a.first_col <= cols.1
            && a.last_col >= cols.0
            && (a.first_col != a.last_col || a.last_row != Some(a.first_row))
    }) {
        let area = format!(
            "{}:{}",
            cell_name(a.first_row, a.first_col),
            cell_name(a.last_row.unwrap_or(a.first_row), a.last_col)
        );
        let msg = format!("dòng tiêu đề có ô gộp {area}: mỗi cột cần một ô tiêu đề riêng");
        cx.error_at(a.first_row, a.first_col, msg, &["bỏ gộp ô (Excel: Trang đầu → Gộp và Căn giữa) và đặt tên cho từng cột, hoặc chọn dòng tiêu đề khác bằng `tu_dong` / `vung`".into()]);
        return Err(cx.errors);
    }
    cx.merged = grid
        .merged
        .iter()
        .filter(|a| a.first_row > header_row)
        .copied()
        .collect();
    let data_rows: Vec<u32> = (header_row.saturating_add(1)..=last_row)
        .filter(|row| (cols.0..=cols.1).any(|c| *cx.cell(*row, c) != Cell::Empty))
        .collect();
    let columns = columns(&mut cx, header_row, cols, &data_rows);
    check_names(&mut cx, &columns);
    if !cx.errors.is_empty() {
        return Err(cx.errors);
    }
    let out: Vec<Value> = data_rows
        .iter()
        .map(|row| record(&mut cx, *row, &columns))
        .collect();
    if cx.errors.len() > MAX_LISTED {
        let more = cx.errors.len() - MAX_LISTED;
        cx.errors.truncate(MAX_LISTED);
        cx.errors.push(
            Diagnostic::error(format!(
                "… và {more} ô khác của bảng tính \"{shown}\" có lỗi tương tự"
            ))
            .with_span(r.span.clone()),
        );
    }
    if cx.errors.is_empty() {
        Ok(out)
    } else {
        Err(cx.errors)
    }
}

/// The header row, the columns (first, last) and the last row to read.
fn bounds(grid: &Grid, r: &SheetRef) -> Option<(u32, (u32, u32), u32)> {
    let end = grid.end();
    if let Some(a) = r.area {
        let last = a.last_row.or(end.map(|e| e.0)).unwrap_or(a.first_row);
        return Some((a.first_row, (a.first_col, a.last_col), last));
    }
    let (last_row, last_col) = end?;
    let first_col = grid.origin.1;
    let header = match r.header_row {
        Some(h) => h,
        None => (grid.origin.0..=last_row)
            .find(|row| (first_col..=last_col).any(|c| *grid.get(*row, c) != Cell::Empty))?,
    };
    (header <= last_row).then_some((header, (first_col, last_col), last_row))
}

/// The columns that have a header; a column with figures but no header, a
/// header that gives no key and two headers with one key are errors.
fn columns(cx: &mut Ctx, header_row: u32, cols: (u32, u32), data_rows: &[u32]) -> Vec<Column> {
    let mut out: Vec<Column> = Vec::new();
    for col in cols.0..=cols.1 {
        let Some(header) = header_text(cx, header_row, col, data_rows) else {
            continue;
        };
        let key =
            cx.r.columns
                .iter()
                .find(|(h, _)| *h == header || super::header_key(h) == super::header_key(&header))
                .map_or_else(|| super::header_key(&header), |(_, k)| k.clone());
        if key.is_empty() {
            let msg = format!("tiêu đề \"{header}\" không cho tên khóa nào (không có chữ hay số)");
            let hint = format!(
                "đặt tên khóa cho cột trong tệp dữ liệu: cot = {{ \"{header}\" = \"ten_khoa\" }}"
            );
            cx.error_at(header_row, col, msg, &[hint]);
            continue;
        }
        if let Some(other) = out.iter().find(|c| c.key == key) {
            let msg = format!(
                "hai cột cùng cho khóa `{key}`: \"{}\" (cột {}) và \"{header}\" (cột {})",
                other.header,
                column_letters(other.col),
                column_letters(col)
            );
            cx.error_at(
                header_row,
                col,
                msg,
                &[format!(
                    "đổi tên một cột, hoặc đặt khóa riêng: cot = {{ \"{header}\" = \"{key}_2\" }}"
                )],
            );
            continue;
        }
        let first_number = data_rows
            .iter()
            .copied()
            .find(|row| matches!(cx.cell(*row, col), Cell::Number(_)));
        let number =
            cx.r.numbers.contains(&key) || (!cx.r.texts.contains(&key) && first_number.is_some());
        out.push(Column {
            col,
            header,
            key,
            first_number,
            number,
        });
    }
    out
}

/// The header of column `col`: its text, trimmed and NFC. `None` for no
/// header (an error if the column holds figures) or a formula error.
fn header_text(cx: &mut Ctx, header_row: u32, col: u32, data_rows: &[u32]) -> Option<String> {
    match cx.grid.get(header_row, col).clone() {
        Cell::Text(s) => Some(crate::source::nfc(s.trim())),
        Cell::Number(t) | Cell::Date(t) => Some(t),
        Cell::Bool(b) => Some(if b { "TRUE" } else { "FALSE" }.into()),
        Cell::Uncomputed => {
            uncomputed(cx, header_row, col);
            None
        }
        Cell::Error(e) => {
            let hint = "sửa công thức trong bảng tính hoặc gõ tên cột".to_string();
            cx.error_at(
                header_row,
                col,
                format!("ô tiêu đề có lỗi công thức {e}"),
                &[hint],
            );
            None
        }
        Cell::Empty => {
            let used = data_rows
                .iter()
                .find(|row| *cx.cell(**row, col) != Cell::Empty);
            if let Some(row) = used {
                let msg = format!(
                    "cột {} có số liệu (ô {}) nhưng không có tiêu đề",
                    column_letters(col),
                    cell_name(*row, col)
                );
                let hint = "gõ tên cột vào ô tiêu đề, hoặc chọn vùng đọc bằng `vung`".to_string();
                cx.error_at(header_row, col, msg, &[hint]);
            }
            None
        }
    }
}

/// A formula cell whose value the file does not hold.
fn uncomputed(cx: &mut Ctx, row: u32, col: u32) {
    let msg = format!(
        "ô {} có công thức nhưng tệp không lưu giá trị đã tính",
        cell_name(row, col)
    );
    let hint = "tệp do chương trình khác tạo: mở bằng Excel hoặc LibreOffice Calc rồi lưu lại để công thức được tính".to_string();
    cx.error_at(row, col, msg, &[hint]);
}

/// "C" for column 2.
fn column_letters(col: u32) -> String {
    cell_name(0, col).trim_end_matches('1').to_string()
}

/// `cot`, `cot_so` and `cot_chu` name columns that are there.
fn check_names(cx: &mut Ctx, columns: &[Column]) {
    let headers: Vec<&str> = columns.iter().map(|c| c.header.as_str()).collect();
    let keys: Vec<&str> = columns.iter().map(|c| c.key.as_str()).collect();
    let r = cx.r;
    let mut missing = Vec::new();
    for (h, _) in &r.columns {
        let found = columns
            .iter()
            .any(|c| c.header == *h || super::header_key(&c.header) == super::header_key(h));
        if !found {
            let hint = nearest(h, &headers).map(|n| format!("có phải ý bạn là \"{n}\"?"));
            missing.push(("cot", format!("không có cột tiêu đề \"{h}\""), hint));
        }
    }
    for (k, list) in [("cot_so", &r.numbers), ("cot_chu", &r.texts)] {
        for key in list.iter().filter(|x| !keys.contains(&x.as_str())) {
            let hint = nearest(key, &keys).map(|n| format!("có phải ý bạn là `{n}`?"));
            missing.push((k, format!("không có cột nào mang khóa `{key}`"), hint));
        }
    }
    for (k, msg, hint) in missing {
        let mut d = Diagnostic::error(format!(
            "`{}.{k}`: bảng tính \"{}\" {msg}",
            r.name, cx.shown
        ))
        .with_span(r.key_span(k));
        d = match hint {
            Some(h) => d.with_hint(h),
            None => d.with_hint(format!("các cột đọc được: {}", keys.join(", "))),
        };
        cx.errors.push(d);
    }
}

/// One data row as a table; empty cells leave their key out.
fn record(cx: &mut Ctx, row: u32, columns: &[Column]) -> Value {
    let mut m = Map::new();
    for c in columns {
        let cell = cx.cell(row, c.col).clone();
        let v = match cell {
            Cell::Empty => continue,
            Cell::Number(t) if c.number => number(cx, row, c, &t),
            Cell::Date(d) if c.number => {
                let msg = format!(
                    "ô {} (cột \"{}\", khóa `{}`) là ngày {d}, không phải số",
                    cell_name(row, c.col),
                    c.header,
                    c.key
                );
                let hints = [
                    "Excel tự đổi số gõ như 3.5 hay 3/5 thành ngày: định dạng ô là Số rồi gõ lại"
                        .to_string(),
                    format!(
                        "nếu cột này là chữ, khai báo trong tệp dữ liệu: cot_chu = [\"{}\"]",
                        c.key
                    ),
                ];
                cx.error_at(row, c.col, msg, &hints);
                Value::Null
            }
            Cell::Number(t) | Cell::Date(t) => Value::String(t),
            Cell::Bool(b) => Value::Bool(b),
            Cell::Text(s) if c.number => {
                text_in_number_column(cx, row, c, &s);
                Value::Null
            }
            Cell::Text(s) => text(cx, row, c, &s),
            Cell::Uncomputed => {
                uncomputed(cx, row, c.col);
                Value::Null
            }
            Cell::Error(e) => {
                let msg = format!("ô {} có lỗi công thức {e}", cell_name(row, c.col));
                cx.error_at(row, c.col, msg, &["sửa công thức trong bảng tính (hoặc để trống ô nếu chưa có số liệu), lưu lại rồi chạy lại".into()]);
                Value::Null
            }
        };
        m.insert(c.key.clone(), v);
    }
    Value::Object(m)
}

/// A number, exactly as the same digits typed in TOML.
fn number(cx: &mut Ctx, row: u32, c: &Column, t: &str) -> Value {
    let why = match vn::canonical_number(t) {
        Some(Ok(n)) => match Number::from_str(&n) {
            Ok(n) => return Value::Number(n),
            Err(_) => vn::OutOfRange::Large,
        },
        Some(Err(why)) => why,
        None => vn::OutOfRange::Large,
    };
    let what = match why {
        vn::OutOfRange::Digits(n) => format!("có {n} chữ số có nghĩa"),
        vn::OutOfRange::Large | vn::OutOfRange::Small => "quá lớn hoặc quá nhỏ".into(),
    };
    let msg = format!(
        "ô {} (cột \"{}\"): số {t} {what}, vượt quá giới hạn tính toán ({} chữ số)",
        cell_name(row, c.col),
        c.header,
        vn::MAX_DIGITS
    );
    cx.error_at(
        row,
        c.col,
        msg,
        &["làm tròn số trong ô (Excel: hàm ROUND), hoặc ghi theo đơn vị lớn hơn".into()],
    );
    Value::Null
}

fn text_in_number_column(cx: &mut Ctx, row: u32, c: &Column, s: &str) {
    let shown: String = s.chars().take(40).collect();
    let msg = format!(
        "ô {} (cột \"{}\", khóa `{}`) là chữ \"{shown}\", không phải số",
        cell_name(row, c.col),
        c.header,
        c.key
    );
    let why = match c.first_number {
        Some(r) => format!("cột này là cột số vì ô {} là số", cell_name(r, c.col)),
        None => format!("cột này là cột số vì `cot_so` có khóa `{}`", c.key),
    };
    let mut hints = vec![why];
    if s.trim().chars().any(|ch| ch.is_ascii_digit())
        && s.trim()
            .chars()
            .all(|ch| ch.is_ascii_digit() || ".,- ".contains(ch))
    {
        hints.push(if cx.grid.sheet.is_none() {
            "trong tệp CSV, số viết không có dấu phân cách hàng nghìn, dấu chấm thập phân: 9912.4"
                .into()
        } else {
            "số đang được lưu dạng chữ: gõ lại ô này thành số (bỏ dấu ' ở đầu, định dạng ô là Số)"
                .into()
        });
    } else {
        hints.push("ghi số vào ô, hoặc để trống nếu chưa có số liệu".into());
    }
    hints.push(format!(
        "nếu cột này là chữ, khai báo trong tệp dữ liệu: cot_chu = [\"{}\"]",
        c.key
    ));
    cx.error_at(row, c.col, msg, &hints);
}

/// A text cell: line ends LF, NFC; a character no report may hold is an error.
fn text(cx: &mut Ctx, row: u32, c: &Column, s: &str) -> Value {
    let s = s.replace("\r\n", "\n");
    if let Some(ch) = s.chars().find(|ch| vn::forbidden_char(*ch)) {
        let msg = format!(
            "ô {} (cột \"{}\") có {} (không in được)",
            cell_name(row, c.col),
            c.header,
            vn::char_name(ch)
        );
        cx.error_at(
            row,
            c.col,
            msg,
            &["xóa ký tự này trong ô (thường lẫn vào khi sao chép từ phần mềm khác)".into()],
        );
        return Value::Null;
    }
    Value::String(crate::source::nfc(&s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_headers_become_keys() {
        assert_eq!(header_key("Kế hoạch"), "ke_hoach");
        assert_eq!(header_key("Kế hoạch năm tới"), "ke_hoach_nam_toi");
        assert_eq!(header_key("  Đơn vị tính "), "don_vi_tinh");
        assert_eq!(header_key("Tỷ lệ (%)"), "ty_le");
        assert_eq!(header_key("Ghi chú"), "ghi_chu");
        assert_eq!(header_key("THỰC HIỆN 2024"), "thuc_hien_2024");
        assert_eq!(header_key("Ke\u{302}\u{301} hoạch"), "ke_hoach");
        assert_eq!(header_key("%"), "");
        assert_eq!(header_key("So với KH/CK"), "so_voi_kh_ck");
    }
}
