//! In-process benchmark: renders each example N times through the library and
//! prints the median time of every stage (`cargo bench --bench pipeline [-- N]`).
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
        let renderer = baocao::Renderer::new();
        let mut stages: Vec<(&'static str, Vec<Duration>)> = Vec::new();
        let mut totals = Vec::new();
        let mut size = 0;
        for _ in 0..n {
            let t = std::time::Instant::now();
            let Ok(r) = renderer.render(job, baocao::Emit::Pdf) else {
                eprintln!("{ex}: lỗi khi dựng");
                break;
            };
            totals.push(t.elapsed());
            size = r.pdf.as_ref().map(Vec::len).unwrap_or(0);
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
            "{ex}: {n} lần, trung vị {:.2} ms ({size} byte) —",
            median(&mut totals)
        );
        for (name, v) in &mut stages {
            print!(" {name} {:.2}", median(v));
        }
        println!(" ms");
    }
}
