//! In-process benchmark: renders each example N times through the library and
//! prints the median time of every stage (`cargo bench --bench pipeline [-- N]`):
//! warm (one renderer: template compiled, words shaped, as each report of a
//! batch) and cold (a fresh renderer each time, as a new process renders).
//! Each render writes both files (PDF and DOCX): the `pdf` and `docx` laps are
//! the two writers.
use std::path::Path;
use std::time::Duration;

fn main() {
    let n: usize = std::env::args()
        .filter_map(|a| a.parse().ok())
        .next()
        .unwrap_or(50);
    for ex in [
        "examples/bac-kan-2021/bao-cao.toml",
        "examples/phuong-tan-dinh-2025/bao-cao.toml",
    ] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(ex);
        let jobs = baocao::load_jobs(&path).unwrap_or_default();
        let Some(job) = jobs.first() else {
            eprintln!("{ex}: không nạp được");
            continue;
        };
        for cold in [false, true] {
            let Ok(warm_renderer) = baocao::Renderer::new() else {
                eprintln!("không nạp được phông chữ");
                return;
            };
            let mut stages: Vec<(&'static str, Vec<Duration>)> = Vec::new();
            let mut totals = Vec::new();
            let (mut size, mut docx) = (0, 0);
            for _ in 0..n {
                let t = std::time::Instant::now();
                let result = if cold {
                    baocao::Renderer::new()
                        .map_err(baocao::diag::Diagnostics::from)
                        .and_then(|r| r.render(job, baocao::Emit::PdfAndDocx))
                } else {
                    warm_renderer.render(job, baocao::Emit::PdfAndDocx)
                };
                let elapsed = t.elapsed();
                let Ok(r) = result else {
                    eprintln!("{ex}: lỗi khi dựng");
                    break;
                };
                totals.push(elapsed);
                size = r.pdf.as_ref().map(Vec::len).unwrap_or(0);
                docx = r.docx.as_ref().map(Vec::len).unwrap_or(0);
                for (i, (name, d)) in r.timings.iter().enumerate() {
                    if stages.len() <= i {
                        stages.push((name, Vec::new()));
                    }
                    if let Some(s) = stages.get_mut(i) {
                        s.1.push(*d);
                    }
                }
            }
            let median = |v: &mut Vec<Duration>| {
                v.sort();
                v.get(v.len() / 2)
                    .copied()
                    .unwrap_or_default()
                    .as_secs_f64()
                    * 1000.0
            };
            print!(
                "{ex} ({}): {n} lần, trung vị {:.2} ms (PDF {size}, DOCX {docx} byte) —",
                if cold { "lạnh" } else { "nóng" },
                median(&mut totals)
            );
            for (name, v) in &mut stages {
                print!(" {name} {:.2}", median(v));
            }
            println!(" ms");
        }
    }
}
