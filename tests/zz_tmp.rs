mod common;
use common::*;
#[test]
fn dump() {
    let ex = example();
    for p in &ex.pages { println!("page {} {}x{} glyphs {} rules {:?}", p.number, p.width, p.height, p.glyphs.len(), p.rules); }
    println!("{}", ex.pages[0].dump());
    println!("{}", ex.pages.last().unwrap().dump());
    let f = flow();
    for (b, ls) in &f.body { println!("{:?} {} lines pages {:?}", b.kind, ls.len(), ls.iter().map(|l| l.page).collect::<Vec<_>>()); }
    println!("{:?}", font_extent("Tinos-Regular"));
    // mutated trace: shift one glyph
    let t = std::process::Command::new("mutool").args(["draw","-N","-F","trace","-o","-"]).arg(&ex.pdf).output().unwrap().stdout;
    let t = String::from_utf8(t).unwrap();
    let pages = parse_trace(&t.replace("&#x", "&#x"));
    assert_eq!(pages.len(), ex.pages.len());
    let txt: String = pages.iter().flat_map(|p| p.lines()).map(|l| l.text()).collect::<Vec<_>>().join(" ");
    let pt = fold(&pdftotext(&ex.pdf));
    println!("trace chars {} pdftotext chars {}", txt.chars().count(), pt.chars().count());
}
