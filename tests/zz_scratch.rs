mod common;
use common::*;
#[test]
fn dump() {
    for ex in [example(), ward()] {
        for p in &ex.pages {
            for g in read_tables(p) {
                println!(
                    "page {} grid x {:.2}..{:.2} y {:.2}..{:.2} xs={} ys={}",
                    g.page,
                    g.left,
                    g.right,
                    g.top,
                    g.bottom,
                    g.xs.len(),
                    g.ys.len()
                );
                for b in 0..g.band_count().min(6) {
                    println!("  band {b}: {:?}", g.band_texts(b));
                }
                println!("  last: {:?}", g.band_texts(g.band_count() - 1));
            }
        }
    }
}
