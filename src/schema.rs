//! The JSON Schema of report data files, for editors (Taplo, VS Code's Even
//! Better TOML): completion and checks of `mau`, `[van_ban]`, `[ky]`,
//! `[dinh_dang]`, `[[don_vi]]` and `[[chi_tieu]]` while typing, with
//! Vietnamese descriptions. Generated from the types below (schemars); the
//! keys of `[van_ban]` and `[ky]` are checked against the data reader's own
//! lists by a test, so the two cannot drift apart.
use crate::vn::Settings;
use schemars::JsonSchema;
use serde::Deserialize;

/// A report data file. Keys other than these are the report's own figures,
/// free for its template.
#[derive(Deserialize, JsonSchema)]
#[schemars(
    title = "Tệp số liệu báo cáo (baocao)",
    description = "Số liệu của một báo cáo: tệp mẫu, phần đầu văn bản, người ký, cách định dạng số, và các số liệu riêng mà mẫu dùng."
)]
#[allow(dead_code)] // read by schemars only
struct DataFile {
    #[serde(rename = "mau")]
    #[schemars(
        description = "Tệp mẫu phần thân báo cáo: đường dẫn tính từ tệp số liệu (\"bao-cao.md.hbs\"), hoặc một mẫu dựng sẵn (\"@tong-ket-tuyen-giao\"; xem `baocao mau`)."
    )]
    template: String,
    #[serde(rename = "van_ban", default)]
    document: Document,
    #[serde(rename = "ky", default)]
    signer: Signer,
    #[serde(rename = "dinh_dang", default)]
    #[schemars(
        description = "Cách đọc và viết số, ngày, số hiệu (ghi đè thể thức). Mọi mục đều có giá trị mặc định."
    )]
    formatting: Settings,
    #[serde(rename = "don_vi", default)]
    #[schemars(
        description = "Nhiều đơn vị trong một tệp: mỗi bảng [[don_vi]] là một báo cáo riêng (một tệp PDF), các mục chung viết một lần ở trên."
    )]
    units: Vec<Unit>,
    #[serde(rename = "chi_tieu", default)]
    #[schemars(
        description = "Các chỉ tiêu cho bảng chỉ tiêu chuẩn ({{{bang_chi_tieu chi_tieu}}}): mỗi bảng [[chi_tieu]] là một hàng; hoặc đọc thẳng từ bảng tính: chi_tieu = { bang_tinh = \"so-lieu.xlsx\", trang = \"Chỉ tiêu\" }."
    )]
    indicators: Option<Indicators>,
}

// `chi_tieu`: the rows typed, or a sheet to read them from (no doc comment:
// schemars would take it for the description).
#[derive(Deserialize, JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
enum Indicators {
    Rows(Vec<Indicator>),
    Sheet(Sheet),
}

/// A value read from a spreadsheet (any key of the data may be one).
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    description = "Đọc các hàng từ bảng tính Excel (.xlsx), LibreOffice (.ods) hoặc CSV: mỗi hàng dưới dòng tiêu đề thành một bảng, khóa là tên cột viết không dấu (\"Kế hoạch\" → ke_hoach)."
)]
#[allow(dead_code)]
struct Sheet {
    #[serde(rename = "bang_tinh")]
    #[schemars(
        description = "Tệp bảng tính, đường dẫn tính từ tệp số liệu (\"so-lieu.xlsx\"); phải nằm trong thư mục của tệp số liệu."
    )]
    file: String,
    #[serde(rename = "trang")]
    #[schemars(
        description = "Tên trang (sheet) trong tệp; mặc định trang đầu tiên. Tệp CSV không có trang."
    )]
    sheet: Option<String>,
    #[serde(rename = "vung")]
    #[schemars(
        regex(pattern = r"^[A-Za-z]{1,3}[1-9][0-9]*:[A-Za-z]{1,3}([1-9][0-9]*)?$"),
        description = "Vùng ô cần đọc, như trong Excel (\"A3:F40\", hoặc \"A3:F\" tới dòng cuối); dòng đầu của vùng là dòng tiêu đề."
    )]
    area: Option<String>,
    #[serde(rename = "tu_dong")]
    #[schemars(
        range(min = 1),
        description = "Số thứ tự dòng tiêu đề (mặc định: dòng đầu tiên có chữ); không dùng cùng vung."
    )]
    header_row: Option<u32>,
    #[serde(rename = "cot")]
    #[schemars(
        description = "Đặt tên khóa cho cột: { \"Tên chỉ tiêu\" = \"ten\", \"Đơn vị tính\" = \"don_vi\" }."
    )]
    columns: Option<std::collections::BTreeMap<String, String>>,
    #[serde(rename = "cot_so")]
    #[schemars(description = "Các cột phải là số (theo khóa); ô chữ trong cột là lỗi.")]
    numbers: Option<Vec<String>>,
    #[serde(rename = "cot_chu")]
    #[schemars(description = "Các cột là chữ (theo khóa): số trong cột được giữ nguyên dạng chữ.")]
    texts: Option<Vec<String>>,
}

/// `[van_ban]`: what the document is.
#[derive(Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    description = "Phần đầu văn bản: thể thức, cơ quan, số và ký hiệu, địa danh và ngày, loại văn bản, trích yếu, nơi nhận."
)]
#[allow(dead_code)]
struct Document {
    #[serde(rename = "the_thuc")]
    #[schemars(
        description = "Thể thức: \"dang\" (văn bản của Đảng, theo ngày ban hành), \"nha-nuoc\" (Nghị định 30/2020/NĐ-CP), \"dang-36\", \"dang-05\", hoặc đường dẫn tới tệp thể thức riêng (.toml)."
    )]
    profile: Option<String>,
    #[serde(rename = "co_quan_cap_tren")]
    #[schemars(
        description = "Cơ quan cấp trên, chữ in hoa (\"ĐẢNG BỘ TỈNH BẮC KẠN\"); bỏ trống nếu không có."
    )]
    parent_body: Option<String>,
    #[serde(rename = "co_quan")]
    #[schemars(
        description = "Cơ quan ban hành, chữ in hoa (\"THÀNH ỦY BẮC KẠN\"); xuống dòng bằng \\n."
    )]
    issuer: Option<String>,
    #[serde(rename = "ten_co_quan")]
    #[schemars(
        description = "Tên cơ quan ban hành viết như trong câu (\"Ủy ban nhân dân phường Tân Định\"), dùng cho dòng \"(Kèm theo … của …)\" của phụ lục."
    )]
    issuer_name: Option<String>,
    #[serde(rename = "so")]
    #[schemars(
        range(min = 1),
        description = "Số văn bản (số nguyên dương, không đặt trong ngoặc kép); bỏ trống khi chưa có số."
    )]
    number: Option<i64>,
    #[serde(rename = "ky_hieu")]
    #[schemars(description = "Ký hiệu văn bản: \"BC/TU\" (Đảng), \"BC-UBND\" (Nhà nước).")]
    symbol: Option<String>,
    #[serde(rename = "dia_danh")]
    #[schemars(description = "Địa danh ghi trước ngày tháng (\"Bắc Kạn\").")]
    place: Option<String>,
    #[serde(rename = "ngay")]
    #[schemars(
        extend("format" = "date"),
        description = "Ngày ban hành, dạng năm-tháng-ngày, không có ngoặc kép: ngay = 2021-12-15."
    )]
    date: Option<String>,
    #[serde(rename = "loai")]
    #[schemars(
        description = "Loại văn bản, chữ in hoa; mặc định \"BÁO CÁO\" (\"KẾ HOẠCH\", \"TỜ TRÌNH\"…)."
    )]
    kind: Option<String>,
    #[serde(rename = "trich_yeu")]
    #[schemars(description = "Trích yếu nội dung (dòng dưới tên loại văn bản).")]
    summary: Option<String>,
    #[serde(rename = "noi_nhan")]
    #[schemars(
        description = "Nơi nhận, mỗi dòng một chuỗi: [\"Ban Thường vụ Tỉnh ủy (b/c),\", \"Lưu Văn phòng.\"]."
    )]
    recipients: Option<Vec<String>>,
}

/// `[ky]`: the signature block.
#[derive(Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "Khối chữ ký: quyền hạn, chức vụ và họ tên người ký.")]
#[allow(dead_code)]
struct Signer {
    #[serde(rename = "quyen_han")]
    #[schemars(
        description = "Quyền hạn ký: \"T/M BAN THƯỜNG VỤ\" (Đảng), \"TM. ỦY BAN NHÂN DÂN\" (Nhà nước); bỏ trống nếu ký thẳng."
    )]
    authority: Option<String>,
    #[serde(rename = "chuc_vu")]
    #[schemars(description = "Chức vụ người ký, chữ in hoa (\"BÍ THƯ\", \"CHỦ TỊCH\").")]
    position: Option<String>,
    #[serde(rename = "ho_ten")]
    #[schemars(description = "Họ và tên người ký.")]
    name: Option<String>,
}

/// One `[[don_vi]]` unit: its file name and its own values.
#[derive(Deserialize, JsonSchema)]
#[schemars(
    description = "Một đơn vị: tên tệp PDF và các mục riêng của đơn vị (ghi đè các mục chung)."
)]
#[allow(dead_code)]
struct Unit {
    #[serde(rename = "ten_tep")]
    #[schemars(
        description = "Tên tệp PDF của đơn vị, không có đuôi và không có / \\ .. (\"xa-an-binh\")."
    )]
    file_name: String,
    #[serde(rename = "van_ban", default)]
    document: Document,
    #[serde(rename = "ky", default)]
    signer: Signer,
}

/// One `[[chi_tieu]]` row of the indicator table.
#[derive(Deserialize, JsonSchema)]
#[schemars(description = "Một chỉ tiêu (một hàng của bảng chỉ tiêu).")]
#[allow(dead_code)]
struct Indicator {
    #[serde(rename = "nhom")]
    #[schemars(
        description = "Nhóm chỉ tiêu, in thành hàng nhóm trải hết bề ngang (\"I. Kinh tế\")."
    )]
    group: Option<String>,
    #[serde(rename = "ten")]
    #[schemars(description = "Tên chỉ tiêu.")]
    name: String,
    #[serde(rename = "don_vi")]
    #[schemars(description = "Đơn vị tính (\"tỷ đồng\", \"%\", \"người\").")]
    unit: Option<String>,
    #[serde(rename = "ke_hoach")]
    #[schemars(description = "Kế hoạch (số, không có ngoặc kép, dấu chấm thập phân).")]
    plan: Option<f64>,
    #[serde(rename = "thuc_hien")]
    #[schemars(description = "Thực hiện (số, không có ngoặc kép, dấu chấm thập phân).")]
    actual: Option<f64>,
    #[serde(rename = "cung_ky")]
    #[schemars(description = "Cùng kỳ năm trước (số).")]
    last_year: Option<f64>,
    #[serde(rename = "ghi_chu")]
    #[schemars(description = "Ghi chú (thêm cột \"Ghi chú\").")]
    note: Option<String>,
    #[serde(rename = "giam_la_tot")]
    #[schemars(
        description = "true nếu chỉ tiêu càng thấp càng tốt (tỷ lệ hộ nghèo…): \"So với KH\" là mức giảm đạt được so với mức giảm kế hoạch (tính từ cung_ky), \"So với cùng kỳ\" của một tỷ lệ (don_vi = \"%\") là \"giảm … điểm phần trăm\", \"đạt/vượt\" xét theo chiều giảm."
    )]
    lower_is_better: Option<bool>,
    #[serde(rename = "ma")]
    #[schemars(
        description = "Mã chỉ tiêu, để trích trong văn bản: {{chi_tieu \"thu_ngan_sach\" \"so_ke_hoach\"}} in đúng con số của bảng. Mỗi chỉ tiêu một mã riêng."
    )]
    code: Option<String>,
    #[serde(rename = "quy_doi")]
    #[schemars(
        description = "In số liệu quy đổi sang đơn vị tiền này (\"nghin\", \"trieu\", \"ty\", \"nghin-ty\"); số liệu ghi bằng đồng (hoặc don_vi_goc). Làm tròn theo lệ của đơn vị (tỷ: tối đa 3 chữ số thập phân), cột đơn vị tính in \"tỷ đồng\" nếu không có don_vi."
    )]
    convert_to: Option<String>,
    #[serde(rename = "don_vi_goc")]
    #[schemars(
        description = "Đơn vị tiền của số liệu đã ghi (mặc định \"dong\"): \"dong\", \"nghin\", \"trieu\", \"ty\", \"nghin-ty\"."
    )]
    source_unit: Option<String>,
    #[serde(rename = "chu_so")]
    #[schemars(
        range(min = 0, max = 10),
        description = "Số chữ số thập phân của các cột số liệu (Kế hoạch, Thực hiện) của chỉ tiêu này."
    )]
    decimals: Option<u32>,
    #[serde(rename = "chu_so_phan_tram")]
    #[schemars(
        range(min = 0, max = 10),
        description = "Số chữ số thập phân của hai cột phần trăm của chỉ tiêu này (mặc định theo [dinh_dang])."
    )]
    percent_decimals: Option<u32>,
}

/// The schema of data files, as pretty JSON.
pub fn json() -> String {
    let schema = schemars::schema_for!(DataFile);
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(schema: &serde_json::Value, def: &str) -> Vec<String> {
        let mut k: Vec<String> = schema["$defs"][def]["properties"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        k.sort();
        k
    }

    #[test]
    fn van_ban_and_ky_keys_are_the_readers_own() {
        let schema: serde_json::Value = serde_json::from_str(&json()).unwrap();
        let mut van_ban: Vec<String> = crate::input::van_ban_keys()
            .into_iter()
            .map(String::from)
            .collect();
        van_ban.sort();
        assert_eq!(keys(&schema, "Document"), van_ban);
        let mut ky: Vec<String> = crate::input::ky_keys()
            .into_iter()
            .map(String::from)
            .collect();
        ky.sort();
        assert_eq!(keys(&schema, "Signer"), ky);
        assert_eq!(schema["$defs"]["Document"]["additionalProperties"], false);
    }

    #[test]
    fn sheet_keys_are_the_readers_own() {
        let schema: serde_json::Value = serde_json::from_str(&json()).unwrap();
        let mut own: Vec<String> = crate::input::sheet::KEYS
            .iter()
            .map(|k| (*k).to_string())
            .collect();
        own.sort();
        assert_eq!(keys(&schema, "Sheet"), own);
    }

    #[test]
    fn every_description_is_vietnamese() {
        let text = json();
        assert!(text.contains("Thể thức"));
        assert!(!text.contains("\"description\": \"`"));
    }
}
