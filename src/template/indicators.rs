//! The standard indicator table (`{{{bang_chi_tieu chi_tieu}}}`).
//!
//! Takes an array of `[[chi_tieu]]` tables (`ten`, `don_vi`, `ke_hoach`,
//! `thuc_hien`, `cung_ky`, optional `nhom`, `ghi_chu`) and returns a GFM table in
//! baocao's markup: rows numbered within each group, group rows spanning every
//! column (`| **I. Kinh tế** | < | … |`), both percentage columns computed in exact
//! decimals, a cell left empty where a value is missing (never "0" or "NaN").
use crate::template::escape_markdown;
use crate::vn::{self, Rounding, Settings};
use serde_json::Value;

const HEAD: [&str; 7] = [
    "TT",
    "Chỉ tiêu",
    "Đơn vị tính",
    "Kế hoạch",
    "Thực hiện",
    "So với KH (%)",
    "So với cùng kỳ (%)",
];

/// Text for a table cell: escaped (a line break in it stays one, inside the cell).
fn cell(s: &str) -> String {
    escape_markdown(s)
}

fn text_field(row: &serde_json::Map<String, Value>, key: &str, i: usize) -> Result<String, String> {
    match row.get(key) {
        None | Some(Value::Null) => Ok(String::new()),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(v) => Err(format!(
            "chỉ tiêu thứ {}: `{key}` phải là chuỗi, nhận được {v}",
            i + 1
        )),
    }
}

fn number_field(
    row: &serde_json::Map<String, Value>,
    key: &str,
    i: usize,
) -> Result<Option<rust_decimal::Decimal>, String> {
    match row.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v @ Value::Number(_)) => vn::decimal_from_json(v)
            .map(Some)
            .map_err(|e| format!("chỉ tiêu thứ {}: `{key}`: {}", i + 1, e.0)),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(v) => Err(format!(
            "chỉ tiêu thứ {}: `{key}` phải là số, nhận được {v} (bỏ dấu ngoặc kép quanh số?)",
            i + 1
        )),
    }
}

/// A percentage cell without the "%" sign (the header says "(%)").
fn ratio(
    a: Option<rust_decimal::Decimal>,
    b: Option<rust_decimal::Decimal>,
    r: Rounding,
) -> String {
    match (a, b) {
        (Some(a), Some(b)) if !b.is_zero() => vn::percent(a, b, r)
            .map(|s| s.trim_end_matches('%').to_string())
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// Build the indicator table's markup.
pub fn indicator_table(rows: &[Value], settings: &Settings) -> Result<String, String> {
    let r = Rounding::percent(settings);
    let mut parsed = Vec::with_capacity(rows.len());
    for (i, v) in rows.iter().enumerate() {
        let Value::Object(row) = v else {
            return Err(format!(
                "chỉ tiêu thứ {} phải là một bảng [[chi_tieu]]",
                i + 1
            ));
        };
        let ten = text_field(row, "ten", i)?;
        if ten.trim().is_empty() {
            return Err(format!("chỉ tiêu thứ {} thiếu `ten`", i + 1));
        }
        parsed.push((
            text_field(row, "nhom", i)?,
            ten,
            text_field(row, "don_vi", i)?,
            number_field(row, "ke_hoach", i)?,
            number_field(row, "thuc_hien", i)?,
            number_field(row, "cung_ky", i)?,
            text_field(row, "ghi_chu", i)?,
        ));
    }
    let notes = parsed.iter().any(|p| !p.6.trim().is_empty());
    let ncol = if notes { 8 } else { 7 };
    let mut out = String::new();
    let mut head: Vec<&str> = HEAD.to_vec();
    if notes {
        head.push("Ghi chú");
    }
    out.push_str(&format!("| {} |\n", head.join(" | ")));
    let mut align = vec![":-:", "---", ":-:", "--:", "--:", "--:", "--:"];
    if notes {
        align.push("---");
    }
    out.push_str(&format!("|{}|\n", align.join("|")));
    let mut group: Option<&str> = None;
    let mut n = 0;
    let fmt = |d: Option<rust_decimal::Decimal>| {
        d.map(|d| vn::format_number(&d, None)).unwrap_or_default()
    };
    for (nhom, ten, don_vi, kh, th, ck, ghi_chu) in &parsed {
        if !nhom.trim().is_empty() && group != Some(nhom.as_str()) {
            group = Some(nhom.as_str());
            n = 0;
            let rest = vec!["<"; ncol - 1].join(" | ");
            out.push_str(&format!("| **{}** | {rest} |\n", cell(nhom.trim())));
        }
        n += 1;
        let mut cells = vec![
            n.to_string(),
            cell(ten),
            cell(don_vi),
            fmt(*kh),
            fmt(*th),
            ratio(*th, *kh, r),
            ratio(*th, *ck, r),
        ];
        if notes {
            cells.push(cell(ghi_chu));
        }
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::str::FromStr;

    fn num(s: &str) -> Value {
        Value::Number(serde_json::Number::from_str(s).unwrap())
    }

    #[test]
    fn groups_numbering_percentages_and_missing_values() {
        let rows = vec![
            json!({"nhom": "I. Kinh tế", "ten": "Tổng mức bán lẻ", "don_vi": "tỷ đồng", "ke_hoach": num("3240"), "thuc_hien": num("3250"), "cung_ky": num("3045.35")}),
            json!({"nhom": "I. Kinh tế", "ten": "Sản phẩm OCOP", "don_vi": "sản phẩm", "thuc_hien": num("9")}),
            json!({"nhom": "II. Xã hội", "ten": "Tỷ lệ hộ nghèo", "don_vi": "%", "ke_hoach": num("2"), "thuc_hien": num("1.8"), "ghi_chu": "giảm"}),
        ];
        let t = indicator_table(&rows, &Settings::default()).unwrap();
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines[0], "| TT | Chỉ tiêu | Đơn vị tính | Kế hoạch | Thực hiện | So với KH (%) | So với cùng kỳ (%) | Ghi chú |");
        assert_eq!(lines[2], "| **I. Kinh tế** | < | < | < | < | < | < | < |");
        assert_eq!(
            lines[3],
            "| 1 | Tổng mức bán lẻ | tỷ đồng | 3.240 | 3.250 | 100,31 | 106,72 |  |"
        );
        assert_eq!(lines[4], "| 2 | Sản phẩm OCOP | sản phẩm |  | 9 |  |  |  |");
        assert_eq!(lines[5], "| **II. Xã hội** | < | < | < | < | < | < | < |");
        assert_eq!(
            lines[6],
            "| 1 | Tỷ lệ hộ nghèo | % | 2 | 1,8 | 90 |  | giảm |"
        );
        assert!(!t.contains("NaN") && !t.contains("null"));
    }

    #[test]
    fn wrong_kinds_are_errors() {
        let rows = vec![json!({"ten": "A", "thuc_hien": "12"})];
        let e = indicator_table(&rows, &Settings::default()).unwrap_err();
        assert!(e.contains("thuc_hien") && e.contains("ngoặc kép"), "{e}");
        let rows = vec![json!({"don_vi": "x"})];
        assert!(indicator_table(&rows, &Settings::default())
            .unwrap_err()
            .contains("ten"));
    }
}
