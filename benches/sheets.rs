//! Reading a 1,000-row XLSX sheet (`tests/fixtures/sheets/1000-dong.xlsx`,
//! made by `make.py` beside it with openpyxl): the file read, unzipped,
//! parsed and turned into the template's rows, as `baocao render` does for
//! `chi_tieu = { bang_tinh = … }`. Prints the median of N runs
//! (`cargo bench --bench sheets [-- N]`); the aim is at most 50 ms.
use std::path::Path;
use std::time::{Duration, Instant};

const DATA: &str = r#"mau = "m.md.hbs"
chi_tieu = { bang_tinh = "1000-dong.xlsx", trang = "Chỉ tiêu", tu_dong = 3, cot = { "Tên chỉ tiêu" = "ten", "Đơn vị tính" = "don_vi" } }
[van_ban]
the_thuc = "nha-nuoc"
co_quan = "ỦY BAN NHÂN DÂN"
ky_hieu = "BC-UBND"
dia_danh = "Thanh Phong"
ngay = 2024-12-05
trich_yeu = "chỉ tiêu"
[ky]
chuc_vu = "CHỦ TỊCH"
ho_ten = "Nguyễn Văn A"
"#;

fn main() {
    let n: usize = std::env::args()
        .filter_map(|a| a.parse().ok())
        .next()
        .unwrap_or(50);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sheets");
    let data = match baocao::input::load("bao-cao.toml", DATA) {
        Ok(d) => d,
        Err(e) => {
            eprint!("{e}");
            return;
        }
    };
    let Some(r) = data.sheets.first() else {
        eprintln!("không có bảng tính");
        return;
    };
    let path = dir.join(&r.file);
    let mut times: Vec<Duration> = Vec::with_capacity(n);
    let mut count = 0;
    for _ in 0..n {
        let t = Instant::now();
        let rows = std::fs::read(&path)
            .map_err(|e| e.to_string())
            .and_then(|bytes| {
                baocao::input::sheet::read(&r.file, bytes, r).map_err(|e| format!("{e:?}"))
            });
        times.push(t.elapsed());
        match rows {
            Ok(rows) => count = rows.len(),
            Err(e) => {
                eprintln!("{e}");
                return;
            }
        }
    }
    times.sort();
    let ms = |d: Option<&Duration>| d.copied().unwrap_or_default().as_secs_f64() * 1000.0;
    println!(
        "{} ({count} dòng): {n} lần, trung vị {:.2} ms, nhanh nhất {:.2} ms, chậm nhất {:.2} ms",
        r.file,
        ms(times.get(n / 2)),
        ms(times.first()),
        ms(times.last())
    );
}
