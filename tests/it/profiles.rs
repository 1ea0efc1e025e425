//! Layout profiles (dang-36, dang-05, nha-nuoc, user profiles with
//! `ke_thua`), read back from the PDF with MuPDF's trace device against the
//! numbers of `profiles/*.toml` (never literals), and `baocao the-thuc`. The
//! errors of a bad user profile or an unknown profile name are cases of
//! [`crate::errors`] (`ward-user-profile-*`, `show-unknown-profile`).

use crate::common::*;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Positions the layout sets exactly are compared to 0.01 pt.
const EPS: f64 = 0.01;
/// Centring is checked to 1 pt, rule lengths to 0.5 pt (as in the layout tests).
const CENTRE_TOL: f64 = 1.0;
const RULE_TOL: f64 = 0.5;

// ---------------------------------------------------------------------------
// A rendered report with the profile and data it was made from.

pub(crate) struct Doc {
    name: String,
    pub(crate) ex: Example,
    /// The profile in force (built-in, or a user profile merged over its base).
    pub(crate) p: Toml,
    d: Toml,
    pub(crate) flow: Flow,
}

impl Doc {
    fn new(name: &str, data: &Path, p: Toml) -> Doc {
        let tag: String = name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        Doc::of(name, Example::render(data, &tag), data, p, false)
    }
    /// A report already read back (`ex`, made from `data` under the profile
    /// `p`); `inside_words`: its lines may break inside words (see
    /// [`read_flow_with`]).
    pub(crate) fn of(name: &str, ex: Example, data: &Path, p: Toml, inside_words: bool) -> Doc {
        let d = Toml::load(data);
        let flow = read_flow_with(&ex.pages, &ex.markup, &p, &d, inside_words);
        Doc {
            name: name.to_string(),
            ex,
            p,
            d,
            flow,
        }
    }
    fn page1(&self) -> &Page {
        &self.ex.pages[0]
    }
    fn geo(&self, page: &Page) -> Geometry {
        Geometry::of(&self.p, page.width > page.height)
    }
    pub(crate) fn geo1(&self) -> Geometry {
        Geometry::of(&self.p, false)
    }
    fn header_split(&self) -> f64 {
        let g = self.geo1();
        g.left + self.p.f("dau.cot_trai") * g.text_width()
    }
    fn signature_split(&self) -> f64 {
        let g = self.geo1();
        g.left + (1.0 - self.p.f("ky.cot_phai")) * g.text_width()
    }
    fn loai(&self) -> String {
        self.d
            .get("van_ban.loai")
            .and_then(|v| v.as_str())
            .unwrap_or("BÁO CÁO")
            .to_string()
    }
    fn title(&self) -> Line {
        let loai = self.loai();
        self.page1()
            .lines()
            .into_iter()
            .find(|l| l.text() == loai)
            .unwrap_or_else(|| {
                panic!(
                    "{}: no title \"{loai}\" on page 1:\n{}",
                    self.name,
                    self.page1().dump()
                )
            })
    }
    /// Page-1 lines above the title within `[x0, x1)`.
    fn header_lines(&self, x0: f64, x1: f64) -> Vec<Line> {
        let t = self.title();
        self.page1()
            .lines_in(x0, x1)
            .into_iter()
            .filter(|l| l.y < t.y - 0.5)
            .collect()
    }
    /// Lines below the main text on its last page within `[x0, x1)`.
    fn closing_lines(&self, x0: f64, x1: f64) -> Vec<Line> {
        let page = &self.ex.pages[self.flow.closing_page - 1];
        page.lines_in(x0, x1)
            .into_iter()
            .filter(|l| l.y > self.flow.closing_top + 0.5)
            .collect()
    }
    /// The document number the profile's style gives (`dinh_dang.kieu_so_hieu`):
    /// State "Số: 05/BC-UBND", Party "Số 05-BC/TU"; below 10 a leading zero.
    fn number(&self) -> String {
        let so = self.d.f("van_ban.so") as i64;
        let so = if so < 10 {
            format!("{so:02}")
        } else {
            so.to_string()
        };
        let kh = self.d.s("van_ban.ky_hieu");
        match self.p.s("dinh_dang.kieu_so_hieu").as_str() {
            "nha-nuoc" => format!("Số: {so}/{kh}"),
            _ => format!("Số {so}-{kh}"),
        }
    }
    /// "Place, ngày dd tháng m năm yyyy": days below 10 and months 1, 2 get a 0.
    fn date(&self) -> String {
        format!("{}, {}", self.d.s("van_ban.dia_danh"), self.date_words())
    }
    /// "ngày dd tháng m năm yyyy".
    fn date_words(&self) -> String {
        let toml::Value::Datetime(dt) = self.d.v("van_ban.ngay") else {
            panic!("van_ban.ngay is not a date");
        };
        let d = dt.date.expect("a date");
        let month = if d.month < 3 {
            format!("{:02}", d.month)
        } else {
            d.month.to_string()
        };
        format!("ngày {:02} tháng {month} năm {}", d.day, d.year)
    }
    /// A profile text with its `{placeholders}` filled; `None` when a value is empty.
    fn fill(&self, chu: &str) -> Option<String> {
        let mut out = chu.to_string();
        let vals = [
            ("co_quan_cap_tren", self.d.get("van_ban.co_quan_cap_tren")),
            ("co_quan", self.d.get("van_ban.co_quan")),
            ("dia_danh", self.d.get("van_ban.dia_danh")),
            ("trich_yeu", self.d.get("van_ban.trich_yeu")),
            ("quyen_han", self.d.get("ky.quyen_han")),
            ("chuc_vu", self.d.get("ky.chuc_vu")),
            ("ho_ten", self.d.get("ky.ho_ten")),
        ];
        for (k, v) in vals {
            let key = format!("{{{k}}}");
            if out.contains(&key) {
                let v = v.and_then(|v| v.as_str()).unwrap_or("").to_string();
                if v.trim().is_empty() {
                    return None;
                }
                out = out.replace(&key, &v);
            }
        }
        out = out
            .replace("{so_hieu}", &self.number())
            .replace("{loai}", &self.loai());
        out = out.replace("{ngay}", &self.date_words());
        let out = fold(&nfc(&out));
        (!out.is_empty()).then_some(out)
    }
}

/// Lines from `lines[*i..]` that spell `text` (wrapped lines joined by spaces).
fn spell(lines: &[Line], i: &mut usize, text: &str, what: &str) -> Vec<Line> {
    let mut acc = String::new();
    let mut got = Vec::new();
    while acc != text {
        let l = lines.get(*i).unwrap_or_else(|| {
            panic!("{what}: expected \"{text}\", the lines end after \"{acc}\"")
        });
        *i += 1;
        let t = l.text();
        acc = if acc.is_empty() {
            t
        } else {
            format!("{acc} {t}")
        };
        assert!(
            text.starts_with(&acc),
            "{what}: expected \"{text}\", read \"{acc}\" ({})",
            l.describe()
        );
        got.push(l.clone());
    }
    got
}

fn texts(lines: &[Line]) -> Vec<String> {
    lines.iter().map(Line::text).collect()
}

/// The horizontal rules on `page` within `gap` pt under the baseline of `line`,
/// overlapping it.
fn rules_under(page: &Page, line: &Line, gap: f64) -> Vec<Rule> {
    page.rules
        .iter()
        .filter(|r| r.is_horizontal() && r.y() > line.y && r.y() <= line.y + gap)
        .filter(|r| r.right() > line.x0() && r.left() < line.x1())
        .cloned()
        .collect()
}

fn assert_centred(doc: &Doc, line: &Line, centre: f64, what: &str) {
    assert!(
        (line.centre() - centre).abs() <= CENTRE_TOL,
        "{}: {what} must be centred on x = {centre:.2}, its centre is {:.2}: {}",
        doc.name,
        line.centre(),
        line.describe()
    );
}

/// Check a spec'd block of lines: style, centring, and the short rule the spec
/// asks for (`gach_duoi` × the text's width, centred, `cach_gach` under the last
/// baseline) or no rule at all.
fn check_spec_lines(doc: &Doc, lines: &[Line], spec: &str, centre: f64, what: &str) {
    let p = &doc.p;
    for l in lines {
        l.assert_style(p.style(spec), &format!("{}: {what}", doc.name));
        assert_centred(doc, l, centre, what);
    }
    let last = lines.last().expect("lines");
    let page = &doc.ex.pages[last.page - 1];
    let gach = p
        .get(&format!("{spec}.gach_duoi"))
        .map(|_| p.f(&format!("{spec}.gach_duoi")))
        .unwrap_or(0.0);
    // The summary's rule lies `tieu_de.cach_gach` mm under its descenders; the
    // header's rules `dau.cach_gach` pt under their baselines.
    let (below, source) = if spec == "tieu_de.trich_yeu" {
        let descenders = last
            .glyphs
            .iter()
            .map(Glyph::bottom)
            .fold(f64::NEG_INFINITY, f64::max);
        (
            descenders - last.y + mm(p.f("tieu_de.cach_gach")),
            "the descenders + tieu_de.cach_gach",
        )
    } else {
        (p.f("dau.cach_gach"), "dau.cach_gach")
    };
    let rules = rules_under(page, last, below + 2.0);
    if gach > 0.0 {
        assert_eq!(
            rules.len(),
            1,
            "{}: one rule under {what} ({}); found {rules:?}",
            doc.name,
            last.describe()
        );
        let r = &rules[0];
        let lo = lines.iter().map(Line::x0).fold(f64::INFINITY, f64::min);
        let hi = lines.iter().map(Line::x1).fold(f64::NEG_INFINITY, f64::max);
        let want = gach * (hi - lo);
        assert!(
            (r.len() - want).abs() <= RULE_TOL,
            "{}: the rule under {what} is {:.2} pt, {gach} × the text's {:.2} pt = {want:.2}",
            doc.name,
            r.len(),
            hi - lo
        );
        assert!(
            ((r.left() + r.right()) / 2.0 - (lo + hi) / 2.0).abs() <= RULE_TOL,
            "{}: the rule under {what} ({:.2}..{:.2}) is not centred under it ({lo:.2}..{hi:.2})",
            doc.name,
            r.left(),
            r.right()
        );
        assert!(
            (r.y() - last.y - below).abs() <= RULE_TOL,
            "{}: the rule is {:.2} pt under {what}'s baseline, {source} = {below:.2}",
            doc.name,
            r.y() - last.y
        );
        let w = p.f("dau.net_gach");
        assert!(
            (r.width - w).abs() <= EPS,
            "{}: the rule under {what} is {:.3} pt thick, dau.net_gach = {w}",
            doc.name,
            r.width
        );
    } else if !p.b(&format!("{spec}.gach_chan"), false) {
        assert!(
            rules.is_empty(),
            "{}: the profile draws no rule under {what}, the PDF has {rules:?}",
            doc.name
        );
    }
}

fn spec_list(p: &Toml, path: &str) -> usize {
    match p.v(path) {
        toml::Value::Array(a) => a.len(),
        other => panic!("`{path}` is not a list: {other}"),
    }
}

/// Header: both columns top to bottom, the number and date row.
pub(crate) fn check_header(doc: &Doc) {
    let g = doc.geo1();
    let split = doc.header_split();
    let p = &doc.p;
    let (lc, rc) = ((g.left + split) / 2.0, (split + g.right) / 2.0);
    let left = doc.header_lines(f64::NEG_INFINITY, split);
    let right = doc.header_lines(split, f64::INFINITY);
    let mut i = 0;
    let mut last_left = None;
    for k in 0..spec_list(p, "dau.trai") {
        let spec = format!("dau.trai.{k}");
        let Some(text) = doc.fill(&p.s(&format!("{spec}.chu"))) else {
            continue;
        };
        let ls = spell(
            &left,
            &mut i,
            &text,
            &format!("{}: header, left column", doc.name),
        );
        check_spec_lines(doc, &ls, &spec, lc, &format!("\"{text}\" (left column)"));
        last_left = ls.last().cloned();
    }
    let number_text = doc.fill(&p.s("dau.so.chu")).expect("a number");
    let number = spell(
        &left,
        &mut i,
        &number_text,
        &format!("{}: document number", doc.name),
    );
    assert_eq!(number.len(), 1, "{}: the number fits one line", doc.name);
    check_spec_lines(doc, &number, "dau.so", lc, "the document number");
    assert_eq!(
        i,
        left.len(),
        "{}: extra lines in the header's left column: {:?}",
        doc.name,
        texts(&left[i..])
    );
    let mut i = 0;
    let mut last_right: Option<Line> = None;
    for k in 0..spec_list(p, "dau.phai") {
        let spec = format!("dau.phai.{k}");
        let Some(text) = doc.fill(&p.s(&format!("{spec}.chu"))) else {
            continue;
        };
        let ls = spell(
            &right,
            &mut i,
            &text,
            &format!("{}: header, right column", doc.name),
        );
        check_spec_lines(doc, &ls, &spec, rc, &format!("\"{text}\" (right column)"));
        last_right = ls.last().cloned();
    }
    let date_text = doc.fill(&p.s("dau.ngay.chu")).expect("a date");
    let date = spell(
        &right,
        &mut i,
        &date_text,
        &format!("{}: place and date", doc.name),
    );
    assert_eq!(date.len(), 1, "{}: the date fits one line", doc.name);
    check_spec_lines(doc, &date, "dau.ngay", rc, "the place and date");
    assert_eq!(
        i,
        right.len(),
        "{}: extra lines in the header's right column: {:?}",
        doc.name,
        texts(&right[i..])
    );
    for l in left.iter().chain(&right) {
        assert!(
            l.x0() >= g.left - EPS && l.x1() <= g.right + EPS,
            "{}: header line outside the text area: {}",
            doc.name,
            l.describe()
        );
    }
    for l in &left {
        assert!(
            l.x1() <= split + EPS,
            "{}: left header line crosses into the right column: {}",
            doc.name,
            l.describe()
        );
    }
    for l in &right {
        assert!(
            l.x0() >= split - EPS,
            "{}: right header line crosses into the left column: {}",
            doc.name,
            l.describe()
        );
    }
    let (number, date) = (&number[0], &date[0]);
    assert!(
        (number.y - date.y).abs() <= p.f("dau.gian_dong") / 2.0,
        "{}: number and date must stand on one row: {} / {}",
        doc.name,
        number.describe(),
        date.describe()
    );
    let top = last_left
        .iter()
        .chain(last_right.iter())
        .map(|l| l.y)
        .fold(f64::NEG_INFINITY, f64::max);
    assert!(
        number.y > top,
        "{}: the number/date row must come under both columns",
        doc.name
    );
    if let Some(m) = &last_right {
        assert_centred(
            doc,
            date,
            m.centre(),
            "the place and date (under the right column's last line)",
        );
    }
}

/// The number (left) and the place-date (right) share one baseline, whatever
/// their sizes.
pub(crate) fn check_number_date_baseline(doc: &Doc) {
    let split = doc.header_split();
    let number = doc
        .header_lines(f64::NEG_INFINITY, split)
        .pop()
        .expect("number line");
    let date = doc
        .header_lines(split, f64::INFINITY)
        .pop()
        .expect("date line");
    assert!(
        (number.y - date.y).abs() <= EPS,
        "{}: the number ({} pt) and the place-date ({} pt) must share a baseline; they are {:.2} pt apart: {} / {}",
        doc.name,
        doc.p.f("dau.so.co"),
        doc.p.f("dau.ngay.co"),
        (date.y - number.y).abs(),
        number.describe(),
        date.describe()
    );
}

/// Title, summary, and what closes the title block.
pub(crate) fn check_title(doc: &Doc) {
    let g = doc.geo1();
    let p = &doc.p;
    let title = doc.title();
    check_spec_lines(
        doc,
        std::slice::from_ref(&title),
        "tieu_de.loai",
        g.centre(),
        "the title",
    );
    let below: Vec<Line> = doc
        .page1()
        .lines()
        .into_iter()
        .filter(|l| l.y > title.y + 0.5)
        .collect();
    let mut i = 0;
    let summary = summary_as_set(
        p,
        &doc.fill(&p.s("tieu_de.trich_yeu.chu")).expect("a summary"),
    );
    let ls = spell(&below, &mut i, &summary, &format!("{}: summary", doc.name));
    check_spec_lines(doc, &ls, "tieu_de.trich_yeu", g.centre(), "the summary");
    let gach = p.s("tieu_de.gach.chu");
    if !gach.trim().is_empty() {
        let l = spell(
            &below,
            &mut i,
            &gach,
            &format!("{}: line under the summary", doc.name),
        );
        check_spec_lines(
            doc,
            &l,
            "tieu_de.gach",
            g.centre(),
            "the line under the summary",
        );
    }
    assert_eq!(
        doc.flow.front.last().map(|l| (l.page, l.y)),
        below.get(i - 1).map(|l| (l.page, l.y)),
        "{}: the body starts right after the title block",
        doc.name
    );
}

/// The expected recipient lines: the profile's pattern with its endings.
fn recipients(doc: &Doc) -> Vec<String> {
    let p = &doc.p;
    let toml::Value::Array(list) = doc.d.v("van_ban.noi_nhan") else {
        panic!("van_ban.noi_nhan is not a list");
    };
    let n = list.len();
    list.iter()
        .enumerate()
        .map(|(k, v)| {
            let v = nfc(v.as_str().expect("recipient text"));
            let ending = p.s(if k + 1 == n {
                "noi_nhan.cuoi_dong_cuoi"
            } else {
                "noi_nhan.cuoi_dong"
            });
            let core = if ending.is_empty() {
                v.clone()
            } else {
                format!("{}{ending}", v.trim_end().trim_end_matches([',', ';', '.']))
            };
            fold(&p.s("noi_nhan.dong.chu").replace("{dong}", &core))
        })
        .collect()
}

/// Signature in the right column, recipients in the left, below the main text.
pub(crate) fn check_closing(doc: &Doc) {
    let g = doc.geo1();
    let p = &doc.p;
    let split = doc.signature_split();
    let sig = doc.closing_lines(split, f64::INFINITY);
    let mut i = 0;
    let mut parts = Vec::new();
    for key in ["quyen_han", "chuc_vu", "ho_ten"] {
        let spec = format!("ky.{key}");
        if let Some(text) = doc.fill(&p.s(&format!("{spec}.chu"))) {
            let ls = spell(&sig, &mut i, &text, &format!("{}: signature", doc.name));
            check_spec_lines(
                doc,
                &ls,
                &spec,
                (split + g.right) / 2.0,
                &format!("the signature's {key}"),
            );
            parts.push(ls);
        }
    }
    assert_eq!(
        i,
        sig.len(),
        "{}: extra lines in the signature: {:?}",
        doc.name,
        texts(&sig[i..])
    );
    let n = parts.len();
    assert!(n >= 2, "{}: a signature has a title and a name", doc.name);
    let gap = parts[n - 1][0].y - parts[n - 2].last().expect("line").y;
    let room = (p.f("ky.dong_trong") + 1.0) * p.f("ky.gian_dong");
    assert!(
        gap >= room - EPS,
        "{}: the name is {gap:.2} pt under the title; ky.dong_trong lines need {room:.2}",
        doc.name
    );

    let left = doc.closing_lines(f64::NEG_INFINITY, split);
    let mut i = 0;
    let head_text = p.s("noi_nhan.tieu_de.chu");
    let head = spell(
        &left,
        &mut i,
        &head_text,
        &format!("{}: recipients' heading", doc.name),
    );
    let head = &head[0];
    head.assert_style(
        p.style("noi_nhan.tieu_de"),
        &format!("{}: \"{head_text}\"", doc.name),
    );
    let underline = rules_under(&doc.ex.pages[head.page - 1], head, 4.0);
    if p.b("noi_nhan.tieu_de.gach_chan", false) {
        assert!(
            underline
                .iter()
                .any(|r| (r.left() - head.x0()).abs() <= RULE_TOL
                    && (r.len() - head.width()).abs() <= RULE_TOL),
            "{}: \"{head_text}\" should be underlined: {underline:?}",
            doc.name
        );
    } else {
        assert!(
            underline.is_empty(),
            "{}: \"{head_text}\" is not underlined in the profile: {underline:?}",
            doc.name
        );
    }
    assert!(
        (head.y - parts[0][0].y).abs() <= p.f("ky.gian_dong"),
        "{}: \"{head_text}\" must stand at the signature's height",
        doc.name
    );
    for want in recipients(doc) {
        let ls = spell(&left, &mut i, &want, &format!("{}: recipients", doc.name));
        for l in &ls {
            l.assert_style(
                p.style("noi_nhan.dong"),
                &format!("{}: recipient", doc.name),
            );
            assert!(
                l.x0() >= g.left - EPS && l.x1() <= split + EPS,
                "{}: recipient outside the left column: {}",
                doc.name,
                l.describe()
            );
        }
    }
    assert_eq!(
        i,
        left.len(),
        "{}: extra lines under the recipients: {:?}",
        doc.name,
        texts(&left[i..])
    );
}

/// Body paragraphs and headings: sizes, faces, line spacing from the profile.
pub(crate) fn check_body(doc: &Doc) {
    let p = &doc.p;
    let body = Style {
        size: p.f("than.co_chu"),
        bold: false,
        italic: false,
    };
    let leading = p.f("than.gian_dong");
    let (mut paras, mut pairs, mut heads) = (0, 0, 0);
    for (b, lines) in &doc.flow.body {
        match b.kind {
            BlockKind::Paragraph if !b.emphasis => {
                paras += 1;
                for l in lines {
                    l.assert_style(body, &format!("{}: body text", doc.name));
                }
                for w in lines.windows(2).filter(|w| w[0].page == w[1].page) {
                    pairs += 1;
                    assert!(
                        (w[1].y - w[0].y - leading).abs() <= EPS,
                        "{}: body lines {:.2} pt apart, than.gian_dong = {leading}:\n{}\n{}",
                        doc.name,
                        w[1].y - w[0].y,
                        w[0].describe(),
                        w[1].describe()
                    );
                }
            }
            BlockKind::Heading(0) => {
                heads += 1;
                let style = Style {
                    size: p.f("muc.phan.co_chu"),
                    bold: p.b("muc.phan.dam", false),
                    italic: false,
                };
                for l in lines {
                    l.assert_style(style, &format!("{}: part heading", doc.name));
                }
            }
            BlockKind::Heading(level) => {
                heads += 1;
                let i = level.min(3) - 1;
                let style = Style {
                    size: p.f(&format!("muc.co_chu.{i}")),
                    bold: p.b(&format!("muc.dam.{i}"), false),
                    italic: p.b(&format!("muc.nghieng.{i}"), false),
                };
                for l in lines {
                    l.assert_style(style, &format!("{}: level-{level} heading", doc.name));
                }
            }
            _ => {}
        }
    }
    assert!(
        paras >= 5 && pairs >= 10 && heads >= 3,
        "{}: body read back: {paras} paragraphs, {pairs} line pairs, {heads} headings",
        doc.name
    );
}

/// Leading measured between consecutive lines of body paragraphs.
fn body_leadings(doc: &Doc) -> Vec<f64> {
    doc.flow
        .body
        .iter()
        .filter(|(b, _)| b.kind == BlockKind::Paragraph)
        .flat_map(|(_, ls)| {
            ls.windows(2)
                .filter(|w| w[0].page == w[1].page)
                .map(|w| w[1].y - w[0].y)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Every glyph but the page numbers inside the text area of its page; page
/// numbers from `so_trang.tu_trang`, centred in the top margin.
pub(crate) fn check_margins_and_page_numbers(doc: &Doc) {
    let p = &doc.p;
    let from = p.f("so_trang.tu_trang") as usize;
    let mut bad = Vec::new();
    let printed = printed_numbers(&doc.ex.pages, p);
    for (page, &shown) in doc.ex.pages.iter().zip(&printed) {
        let g = doc.geo(page);
        let number = if shown >= from {
            page_number_line(page)
        } else {
            None
        };
        if shown >= from {
            let n = number.as_ref().unwrap_or_else(|| {
                panic!(
                    "{}: page {} shows no page number:\n{}",
                    doc.name,
                    page.number,
                    page.dump()
                )
            });
            n.assert_style(
                Style {
                    size: p.f("so_trang.co_chu"),
                    bold: false,
                    italic: false,
                },
                &format!("{}: page number", doc.name),
            );
            assert!(
                n.text() == shown.to_string()
                    && (n.centre() - g.centre()).abs() <= CENTRE_TOL
                    && n.glyphs.iter().all(|gl| gl.is_space() || gl.bottom() <= g.top + EPS),
                "{}: page {} should show {shown}, centred (x {:.2}) in the top margin (above {:.2}): {}",
                doc.name,
                page.number,
                g.centre(),
                g.top,
                n.describe()
            );
        } else {
            assert!(
                !page
                    .lines()
                    .iter()
                    .any(|l| l.text() == shown.to_string() && l.y < g.top),
                "{}: page {} shows a page number",
                doc.name,
                page.number
            );
        }
        for gl in page.glyphs.iter().filter(|gl| !gl.is_space()) {
            if number.as_ref().is_some_and(|n| (gl.y - n.y).abs() < 0.5) {
                continue;
            }
            if gl.x < g.left - EPS
                || gl.x_end > g.right + MUPDF_WIDTH_SLACK
                || gl.top() < g.top - EPS
                || gl.bottom() > g.bottom + EPS
            {
                bad.push(format!(
                    "page {} {:?} x {:.2}..{:.2} y {:.2}..{:.2}",
                    page.number,
                    gl.ch,
                    gl.x,
                    gl.x_end,
                    gl.top(),
                    gl.bottom()
                ));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "{}: {} glyph(s) outside the text area:\n{}",
        doc.name,
        bad.len(),
        bad.iter().take(10).cloned().collect::<Vec<_>>().join("\n")
    );
}

fn check_all(doc: &Doc) {
    check_header(doc);
    check_title(doc);
    check_closing(doc);
    check_body(doc);
}

// ---------------------------------------------------------------------------
// The documents

/// Replace `from` by `to` in a file; the text must contain `from`.
fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).expect("read");
    assert!(text.contains(from), "{} has no \"{from}\"", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).expect("write");
}

fn ward_doc() -> &'static Doc {
    static D: OnceLock<Doc> = OnceLock::new();
    D.get_or_init(|| {
        Doc::new(
            "ward (nha-nuoc)",
            &ward_data(),
            builtin_profile("nha-nuoc").clone(),
        )
    })
}

/// The Bắc Kạn example with `the_thuc` pinned to `name` (State: ky_hieu BC-UBND).
fn bac_kan_under(name: &str) -> &'static Doc {
    static D: OnceLock<std::sync::Mutex<Vec<(String, &'static Doc)>>> = OnceLock::new();
    let mut docs = D.get_or_init(Default::default).lock().expect("docs");
    if let Some((_, d)) = docs.iter().find(|(n, _)| n == name) {
        return d;
    }
    let dir = copy_dir(&example_dir(), &format!("bac-kan-{name}"));
    let data = dir.join("bao-cao.toml");
    edit(
        &data,
        "the_thuc = \"dang\"",
        &format!("the_thuc = \"{name}\""),
    );
    if name == "nha-nuoc" {
        edit(&data, "ky_hieu = \"BC/TU\"", "ky_hieu = \"BC-UBND\"");
    }
    let doc: &'static Doc = Box::leak(Box::new(Doc::new(
        &format!("Bắc Kạn under {name}"),
        &data,
        builtin_profile(name).clone(),
    )));
    docs.push((name.to_string(), doc));
    doc
}

const PROFILES: [&str; 3] = ["dang-36", "dang-05", "nha-nuoc"];

// ---------------------------------------------------------------------------
// (1) The ward report in the State layout

#[test]
fn ward_header_follows_the_state_profile() {
    let doc = ward_doc();
    check_header(doc);
    // The national name, motto and document number as Decree 30 writes them.
    let right = doc.header_lines(doc.header_split(), f64::INFINITY);
    assert_eq!(
        texts(&right),
        vec![
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM".to_string(),
            "Độc lập - Tự do - Hạnh phúc".to_string(),
            doc.date()
        ],
        "header, right column"
    );
    let left = doc.header_lines(f64::NEG_INFINITY, doc.header_split());
    assert_eq!(
        left.last().map(Line::text).as_deref(),
        Some("Số: 05/BC-UBND")
    );
    // The short rule under the issuing agency: gach_duoi within 1/3..1/2.
    let spec_of = |chu: &str| {
        (0..spec_list(&doc.p, "dau.trai"))
            .find(|k| doc.p.s(&format!("dau.trai.{k}.chu")) == chu)
            .unwrap_or_else(|| panic!("the profile has no \"{chu}\" line in dau.trai"))
    };
    let (parent, agency) = (spec_of("{co_quan_cap_tren}"), spec_of("{co_quan}"));
    let ratio = doc.p.f(&format!("dau.trai.{agency}.gach_duoi"));
    assert!(
        (1.0 / 3.0..=0.5).contains(&ratio),
        "the rule under the issuing agency must be 1/3 to 1/2 of its width, the profile says {ratio}"
    );
    assert!(
        doc.p.b(&format!("dau.trai.{agency}.dam"), false)
            && !doc.p.b(&format!("dau.trai.{parent}.dam"), false),
        "the issuing agency is bold, the parent agency regular"
    );
    // The motto's rule is as long as the motto.
    assert_eq!(doc.p.f("dau.phai.1.gach_duoi"), 1.0);
}

#[test]
fn ward_number_and_date_share_a_baseline() {
    check_number_date_baseline(ward_doc());
}

#[test]
fn same_data_under_each_profile_number_and_date_share_a_baseline() {
    for name in PROFILES {
        check_number_date_baseline(bac_kan_under(name));
    }
}

#[test]
fn ward_title_and_summary_with_a_short_rule() {
    let doc = ward_doc();
    check_title(doc);
    let ratio = doc.p.f("tieu_de.trich_yeu.gach_duoi");
    assert!(
        (1.0 / 3.0..=0.5).contains(&ratio),
        "the rule under the summary must be 1/3 to 1/2 of its width, the profile says {ratio}"
    );
}

#[test]
fn ward_signature_and_recipients() {
    let doc = ward_doc();
    check_closing(doc);
    let sig = doc.closing_lines(doc.signature_split(), f64::INFINITY);
    assert_eq!(
        texts(&sig),
        vec!["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", &doc.d.s("ky.ho_ten")],
        "signature"
    );
    for l in &sig {
        assert!(
            l.glyphs.iter().all(|g| g.is_space() || g.bold),
            "signature lines are bold: {}",
            l.describe()
        );
    }
    let left = doc.closing_lines(f64::NEG_INFINITY, doc.signature_split());
    let t = texts(&left);
    assert_eq!(t[0], "Nơi nhận:");
    let list = &t[1..];
    assert!(list.len() >= 2, "several recipients");
    for r in &list[..list.len() - 1] {
        assert!(
            r.starts_with("- ") && r.ends_with(';'),
            "a recipient line ends with \";\": \"{r}\""
        );
    }
    assert_eq!(list.last().map(String::as_str), Some("- Lưu: VT, VP."));
}

#[test]
fn ward_body_reads_back_block_by_block() {
    let doc = ward_doc();
    check_body(doc);
    // The appendix follows the signature, on landscape pages.
    let sections: Vec<&(Block, Vec<Line>)> = doc
        .flow
        .body
        .iter()
        .filter(|(_, ls)| ls.first().is_some_and(|l| l.page > doc.flow.closing_page))
        .collect();
    assert!(
        !sections.is_empty(),
        "the appendix comes after the signature"
    );
    // Its head (`\phu_luc`): the label and the "(Kèm theo …)" line in the
    // profile's styles.
    assert_eq!(doc.flow.appendix_heads.len(), 1, "one appendix");
    for (label, with) in &doc.flow.appendix_heads {
        label.assert_style(doc.p.style("phu_luc.so"), "the appendix label");
        for l in with {
            l.assert_style(doc.p.style("phu_luc.kem_theo"), "the Kèm theo line");
        }
    }
    for (b, ls) in sections {
        for l in ls {
            let page = &doc.ex.pages[l.page - 1];
            assert!(
                page.width > page.height,
                "appendix block \"{}\" on a portrait page",
                b.text
            );
        }
    }
}

#[test]
fn ward_margins_and_page_numbers() {
    check_margins_and_page_numbers(ward_doc());
}

// ---------------------------------------------------------------------------
// (2) The same data under dang-36, dang-05 and nha-nuoc

#[test]
fn same_data_under_each_profile_follows_that_profile() {
    for name in PROFILES {
        check_all(bac_kan_under(name));
    }
}

#[test]
fn same_data_under_each_profile_margins_and_page_numbers() {
    for name in PROFILES {
        check_margins_and_page_numbers(bac_kan_under(name));
    }
}

#[test]
fn the_number_has_a_colon_only_in_the_state_layout() {
    let got: Vec<String> = PROFILES
        .iter()
        .map(|n| {
            let doc = bac_kan_under(n);
            let left = doc.header_lines(f64::NEG_INFINITY, doc.header_split());
            left.last().map(Line::text).unwrap_or_default()
        })
        .collect();
    assert_eq!(
        got,
        vec!["Số 125-BC/TU", "Số 125-BC/TU", "Số: 125/BC-UBND"],
        "number line under dang-36, dang-05, nha-nuoc"
    );
}

#[test]
fn national_header_lines_differ_between_party_and_state() {
    let right = |n: &str| {
        let doc = bac_kan_under(n);
        let mut t = texts(&doc.header_lines(doc.header_split(), f64::INFINITY));
        t.pop(); // the date
        t
    };
    assert_eq!(right("dang-36"), vec!["ĐẢNG CỘNG SẢN VIỆT NAM"]);
    assert_eq!(right("dang-05"), vec!["ĐẢNG CỘNG SẢN VIỆT NAM"]);
    assert_eq!(
        right("nha-nuoc"),
        vec![
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc"
        ]
    );
    // The Party's star under the issuing body; none in the State layout.
    let left = |n: &str| {
        let doc = bac_kan_under(n);
        texts(&doc.header_lines(f64::NEG_INFINITY, doc.header_split()))
    };
    assert!(left("dang-36").contains(&"*".to_string()));
    assert!(!left("nha-nuoc").contains(&"*".to_string()));
}

#[test]
fn recipients_endings_and_style_follow_each_profile() {
    let endings: Vec<(String, String)> = PROFILES
        .iter()
        .map(|n| {
            let doc = bac_kan_under(n);
            let left = doc.closing_lines(f64::NEG_INFINITY, doc.signature_split());
            let t = texts(&left);
            let list = &t[1..];
            let mid: Vec<char> = list[..list.len() - 1]
                .iter()
                .filter_map(|r| r.chars().last())
                .collect();
            assert!(
                mid.windows(2).all(|w| w[0] == w[1]),
                "{n}: recipient lines end alike: {list:?}"
            );
            (
                mid[0].to_string(),
                list.last()
                    .and_then(|r| r.chars().last())
                    .map(String::from)
                    .unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        endings,
        vec![
            (",".to_string(), ".".to_string()),
            (";".to_string(), ".".to_string()),
            (";".to_string(), ".".to_string())
        ],
        "recipient endings (others, last) under dang-36, dang-05, nha-nuoc"
    );
    // Styles differ as the profiles say (checked per profile in check_closing).
    let style = |n: &str| builtin_profile(n).style("noi_nhan.tieu_de");
    assert_ne!(style("dang-36"), style("nha-nuoc"));
}

#[test]
fn body_line_spacing_follows_each_profile() {
    let mut seen = Vec::new();
    for name in PROFILES {
        let doc = bac_kan_under(name);
        let want = doc.p.f("than.gian_dong");
        let got = body_leadings(doc);
        assert!(got.len() >= 20, "{name}: only {} line pairs", got.len());
        for g in &got {
            assert!(
                (g - want).abs() <= EPS,
                "{name}: body lines {g:.2} pt apart, than.gian_dong = {want}"
            );
        }
        seen.push(got[0]);
    }
    assert!(
        (seen[1] - seen[0]).abs() > 0.5,
        "dang-05 should space body lines differently from dang-36: {seen:?}"
    );
}

#[test]
fn the_dang_family_picks_the_profile_in_force_on_the_documents_date() {
    // 2021: the example itself (`the_thuc = "dang"`) is laid out by dang-36.
    let d36 = builtin_profile("dang-36");
    let d05 = builtin_profile("dang-05");
    let ex2021 = Doc::new("dang, 2021", &example_data(), d36.clone());
    check_all(&ex2021);
    // 2026-09-01: dang-05.
    let dir = copy_dir(&example_dir(), "dang-2026");
    let data = dir.join("bao-cao.toml");
    edit(&data, "ngay = 2021-12-15", "ngay = 2026-09-01");
    let ex2026 = Doc::new("dang, 2026-09-01", &data, d05.clone());
    check_all(&ex2026);
    for (doc, p) in [(&ex2021, d36), (&ex2026, d05)] {
        let want = p.f("than.gian_dong");
        assert!(
            body_leadings(doc).iter().all(|g| (g - want).abs() <= EPS),
            "{}: body lines should be {want} pt apart",
            doc.name
        );
        let left = doc.closing_lines(f64::NEG_INFINITY, doc.signature_split());
        let first = left.get(1).map(Line::text).unwrap_or_default();
        assert!(
            first.ends_with(&p.s("noi_nhan.cuoi_dong")),
            "{}: recipient lines should end with \"{}\": \"{first}\"",
            doc.name,
            p.s("noi_nhan.cuoi_dong")
        );
    }
    assert_ne!(d36.f("than.gian_dong"), d05.f("than.gian_dong"));
    assert_ne!(d36.s("noi_nhan.cuoi_dong"), d05.s("noi_nhan.cuoi_dong"));
}

// ---------------------------------------------------------------------------
// (3) User profiles

/// The ward example with `the_thuc = "rieng.toml"` holding `profile`.
fn ward_with_profile(tag: &str, profile: &str) -> PathBuf {
    let dir = copy_dir(&ward_dir(), tag);
    let data = dir.join("bao-cao.toml");
    edit(
        &data,
        "the_thuc = \"nha-nuoc\"",
        "the_thuc = \"rieng.toml\"",
    );
    std::fs::write(dir.join("rieng.toml"), profile).expect("write profile");
    data
}

/// `base` with the tables of `over` merged in (what `ke_thua` promises).
fn merged(base: &Toml, over: &str) -> Toml {
    fn merge(b: &mut toml::Table, o: &toml::Table) {
        for (k, v) in o {
            match (b.get_mut(k), v) {
                (Some(toml::Value::Table(bt)), toml::Value::Table(ot)) => merge(bt, ot),
                _ => {
                    b.insert(k.clone(), v.clone());
                }
            }
        }
    }
    let mut t = base.0.as_table().expect("table").clone();
    let o: toml::Table = toml::from_str(over).expect("override parses");
    merge(&mut t, &o);
    Toml(toml::Value::Table(t))
}

fn user_doc(tag: &str, over: &str) -> Doc {
    let text = format!("# Thể thức riêng của phường\nke_thua = \"nha-nuoc\"\n\n{over}\n");
    let data = ward_with_profile(tag, &text);
    Doc::new(tag, &data, merged(builtin_profile("nha-nuoc"), over))
}

/// Ink glyphs of a page but its number: (char, font, size) keys and positions.
fn ink(page: &Page) -> Vec<&Glyph> {
    let number = page_number_line(page).filter(|_| page.number >= 2);
    page.glyphs
        .iter()
        .filter(|g| !g.is_space())
        .filter(|g| number.as_ref().is_none_or(|n| (g.y - n.y).abs() >= 0.5))
        .collect()
}

fn glyph_keys(pages: &[Page]) -> Vec<String> {
    let mut v: Vec<String> = pages
        .iter()
        .flat_map(|p| {
            ink(p)
                .into_iter()
                .map(|g| format!("{} {} {:.2}", g.ch, g.font, g.size))
                .collect::<Vec<_>>()
        })
        .collect();
    v.sort();
    v
}

/// Leftmost and rightmost marks of a page (glyphs but the page number, rules).
fn edges(page: &Page) -> (f64, f64) {
    let gs = ink(page);
    let lo = gs
        .iter()
        .map(|g| g.x)
        .chain(page.rules.iter().map(Rule::left))
        .fold(f64::INFINITY, f64::min);
    let hi = gs
        .iter()
        .map(|g| g.x_end)
        .chain(page.rules.iter().map(Rule::right))
        .fold(f64::NEG_INFINITY, f64::max);
    (lo, hi)
}

#[test]
fn a_user_left_margin_moves_the_left_edge_of_the_text_and_nothing_else() {
    let base = ward_doc();
    let var = user_doc("le-trai-35", "[trang]\nle_trai = 35.0");
    assert_eq!(var.p.f("trang.le_trai"), 35.0);
    check_all(&var);
    let sizes = |d: &Doc| -> Vec<(bool, String)> {
        d.ex.pages
            .iter()
            .map(|p| {
                (
                    p.width > p.height,
                    format!("{:.2}×{:.2}", p.width, p.height),
                )
            })
            .collect()
    };
    let (sb, sv) = (sizes(base), sizes(&var));
    for (l, s) in &sv {
        assert!(
            sb.contains(&(*l, s.clone())),
            "page size {s} is new with the user profile (base: {sb:?})"
        );
    }
    for doc in [base, &var] {
        for page in &doc.ex.pages {
            let g = doc.geo(page);
            let (lo, hi) = edges(page);
            assert!(
                (lo - g.left).abs() <= EPS,
                "{}: page {}'s leftmost mark is at {lo:.2}, the left margin at {:.2}",
                doc.name,
                page.number,
                g.left
            );
            assert!(
                (hi - g.right).abs() <= MUPDF_WIDTH_SLACK,
                "{}: page {}'s rightmost mark is at {hi:.2}, the right margin at {:.2}",
                doc.name,
                page.number,
                g.right
            );
        }
    }
    assert!(
        (var.geo1().left - base.geo1().left - mm(5.0)).abs() <= EPS
            && (var.geo1().right - base.geo1().right).abs() <= EPS,
        "only the left margin moves"
    );
    // On a landscape page `le_trai` is the top margin (the binding edge turns
    // with the page): only the portrait pages keep every glyph.
    let portrait = |d: &Doc| -> Vec<Page> {
        d.ex.pages
            .iter()
            .filter(|p| p.width < p.height)
            .cloned()
            .collect()
    };
    assert_eq!(
        glyph_keys(&portrait(base)),
        glyph_keys(&portrait(&var)),
        "the same glyphs in the same fonts and sizes on the portrait pages"
    );
    // Vertical positions of the frame do not move: the header's first line and the
    // page numbers.
    let first = |d: &Doc| d.page1().lines()[0].y;
    assert!(
        (first(base) - first(&var)).abs() <= EPS,
        "the header's first line moved vertically"
    );
    for (a, b) in base.ex.pages.iter().zip(&var.ex.pages).skip(1) {
        if let (Some(x), Some(y)) = (page_number_line(a), page_number_line(b)) {
            assert!(
                (x.y - y.y).abs() <= EPS,
                "page {}'s number moved vertically",
                a.number
            );
        }
    }
    check_margins_and_page_numbers(&var);
}

#[test]
fn moving_both_side_margins_by_the_same_amount_shifts_every_mark_exactly() {
    let base = ward_doc();
    let var = user_doc("shift-5mm", "[trang]\nle_trai = 35.0\nle_phai = 10.0");
    // A portrait page's marks move right by 5 mm; a landscape page is the sheet
    // turned, its binding margin (`le_trai`) on top: its marks move down by 5 mm,
    // but for the page number, which stays in the top margin over the text area.
    let shift = |p: &Page| {
        if p.width > p.height {
            (0.0, mm(5.0))
        } else {
            (mm(5.0), 0.0)
        }
    };
    assert_eq!(
        base.ex.pages.len(),
        var.ex.pages.len(),
        "same number of pages"
    );
    for (a, b) in base.ex.pages.iter().zip(&var.ex.pages) {
        assert!(
            (a.width - b.width).abs() <= EPS && (a.height - b.height).abs() <= EPS,
            "page {} changed size",
            a.number
        );
        let key = |g: &&Glyph| (g.y, g.x);
        let mut ga: Vec<&Glyph> = a.glyphs.iter().filter(|g| !g.is_space()).collect();
        let mut gb: Vec<&Glyph> = b.glyphs.iter().filter(|g| !g.is_space()).collect();
        ga.sort_by(|p, q| key(p).partial_cmp(&key(q)).expect("numbers"));
        gb.sort_by(|p, q| key(p).partial_cmp(&key(q)).expect("numbers"));
        assert_eq!(ga.len(), gb.len(), "page {}: glyph count changed", a.number);
        let (dx, dy) = shift(a);
        let number_y = page_number_line(a).map(|l| l.y);
        for (p, q) in ga.iter().zip(&gb) {
            let (dx, dy) = if number_y.is_some_and(|y| (p.y - y).abs() < 0.5) && dy > 0.0 {
                (0.0, 0.0)
            } else {
                (dx, dy)
            };
            assert!(
                p.ch == q.ch && p.font == q.font && (p.size - q.size).abs() <= EPS && (q.x - p.x - dx).abs() <= 0.02 && (q.y - p.y - dy).abs() <= 0.02,
                "page {}: {:?} at ({:.2}, {:.2}) should move to ({:.2}, {:.2}); found {:?} at ({:.2}, {:.2})",
                a.number,
                p.ch,
                p.x,
                p.y,
                p.x + dx,
                p.y + dy,
                q.ch,
                q.x,
                q.y
            );
        }
        assert_eq!(
            a.rules.len(),
            b.rules.len(),
            "page {}: rule count changed",
            a.number
        );
        let rk = |r: &&Rule| (r.y(), r.left());
        let mut ra: Vec<&Rule> = a.rules.iter().collect();
        let mut rb: Vec<&Rule> = b.rules.iter().collect();
        ra.sort_by(|p, q| rk(p).partial_cmp(&rk(q)).expect("numbers"));
        rb.sort_by(|p, q| rk(p).partial_cmp(&rk(q)).expect("numbers"));
        for (p, q) in ra.iter().zip(&rb) {
            assert!(
                (q.left() - p.left() - dx).abs() <= 0.02
                    && (q.right() - p.right() - dx).abs() <= 0.02
                    && (q.top() - p.top() - dy).abs() <= 0.02
                    && (q.bottom() - p.bottom() - dy).abs() <= 0.02,
                "page {}: rule {p:?} should move by ({dx:.2}, {dy:.2}): {q:?}",
                a.number
            );
        }
    }
}

#[test]
fn a_user_body_size_changes_the_body_text_only() {
    let base = ward_doc();
    let var = user_doc("co-chu-13", "[than]\nco_chu = 13.0");
    let size = var.p.f("than.co_chu");
    assert_ne!(size, base.p.f("than.co_chu"));
    check_all(&var);
    // Tables keep their own size.
    let t = var.p.f("bang.co_chu");
    for page in &var.ex.pages {
        for g in read_tables(page) {
            for c in &g.cells {
                for gl in c.ink() {
                    assert!(
                        (gl.size - t).abs() <= EPS,
                        "table text is {:.2} pt, bang.co_chu = {t}",
                        gl.size
                    );
                }
            }
        }
    }
    check_margins_and_page_numbers(&var);
}

#[test]
fn a_user_label_for_the_recipients_changes_exactly_that_label() {
    let base = ward_doc();
    let var = user_doc(
        "noi-gui",
        "[noi_nhan]\ntieu_de = { chu = \"Nơi gửi:\", co = 12.0, dam = true, nghieng = true }",
    );
    check_closing(&var);
    let label = |d: &Doc| -> Line {
        let left = d.closing_lines(f64::NEG_INFINITY, d.signature_split());
        left[0].clone()
    };
    let (lb, lv) = (label(base), label(&var));
    assert_eq!(lb.text(), "Nơi nhận:");
    assert_eq!(lv.text(), "Nơi gửi:");
    lv.assert_style(var.p.style("noi_nhan.tieu_de"), "the user's label");
    assert_eq!(base.ex.pages.len(), var.ex.pages.len());
    let marks = |d: &Doc, label: &Line| -> Vec<String> {
        let mut v: Vec<String> =
            d.ex.pages
                .iter()
                .flat_map(|p| {
                    p.glyphs
                        .iter()
                        .filter(|g| !g.is_space())
                        .filter(|g| {
                            !(p.number == label.page
                                && (g.y - label.y).abs() < 0.5
                                && g.x < label.x1() + 0.5)
                        })
                        .map(|g| {
                            format!(
                                "{} {} {} {:.2} {:.2} {:.2}",
                                p.number, g.ch, g.font, g.size, g.x, g.y
                            )
                        })
                        .collect::<Vec<_>>()
                })
                .collect();
        v.sort();
        v
    };
    assert_eq!(
        marks(base, &lb),
        marks(&var, &lv),
        "every glyph but the label's stays where it was"
    );
}

#[test]
fn a_user_profile_may_set_any_line_key_its_base_leaves_out() {
    // `gach_chan` and `gach_duoi` are keys of every profile line (README,
    // src/profile.rs LineSpec); nha-nuoc just does not write them everywhere.
    let var = user_doc(
        "khoa-dong",
        "[noi_nhan]\ntieu_de = { chu = \"Nơi nhận:\", co = 12.0, dam = true, nghieng = true, gach_chan = true }\n\n[dau]\ntrai = [\n  { chu = \"{co_quan_cap_tren}\", co = 13.0 },\n  { chu = \"{co_quan}\", co = 13.0, dam = true, gach_duoi = 0.5 },\n]",
    );
    assert!(var.p.b("noi_nhan.tieu_de.gach_chan", false));
    assert_eq!(var.p.f("dau.trai.1.gach_duoi"), 0.5);
    // The underline under "Nơi nhận:" and the longer rule under the agency.
    check_closing(&var);
    check_header(&var);
}

// ---------------------------------------------------------------------------
// (4) baocao the-thuc

fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let o = bin().args(args).output().expect("run baocao");
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).to_string(),
        String::from_utf8_lossy(&o.stderr).to_string(),
    )
}

#[test]
fn the_thuc_lists_every_profile_with_its_source_and_date() {
    let (code, out, err) = run(&["the-thuc"]);
    assert_eq!(code, Some(0), "baocao the-thuc failed:\n{err}");
    let out = nfc(&out);
    let mut at = Vec::new();
    for name in PROFILES {
        let pos = out
            .find(name)
            .unwrap_or_else(|| panic!("the list lacks {name}:\n{out}"));
        at.push((pos, name));
    }
    at.sort();
    for (k, (pos, name)) in at.iter().enumerate() {
        let end = at.get(k + 1).map(|x| x.0).unwrap_or(out.len());
        let part = &out[*pos..end];
        let p = builtin_profile(name);
        let nguon = nfc(&p.s("nguon"));
        assert!(
            part.contains(&nguon),
            "{name}: its source \"{nguon}\" is not listed with it:\n{part}"
        );
        let toml::Value::Datetime(dt) = p.v("ap_dung_tu") else {
            panic!("{name}: ap_dung_tu is not a date");
        };
        let d = dt.date.expect("date");
        let forms = [
            format!("{:04}-{:02}-{:02}", d.year, d.month, d.day),
            format!("{:02}/{:02}/{}", d.day, d.month, d.year),
            format!("{:02}/{}/{}", d.day, d.month, d.year),
            format!("{}/{}/{}", d.day, d.month, d.year),
            format!("{:02}-{}-{}", d.day, d.month, d.year),
        ];
        assert!(
            forms.iter().any(|f| part.contains(f.as_str())),
            "{name}: its date ({}) is not listed with it:\n{part}",
            forms[0]
        );
    }
}

#[test]
fn the_thuc_show_prints_a_profile_that_renders_identically_as_a_user_file() {
    for name in PROFILES {
        let (code, out, err) = run(&["the-thuc", "show", name]);
        assert_eq!(code, Some(0), "the-thuc show {name} failed:\n{err}");
        let shown: toml::Value = toml::from_str(&out).unwrap_or_else(|e| {
            panic!("the-thuc show {name} prints TOML that does not parse: {e}")
        });
        assert_eq!(
            &shown,
            &builtin_profile(name).0,
            "the-thuc show {name} differs from profiles/{name}.toml"
        );
        // Saved as a user profile, it renders the same bytes as the built-in.
        let dir = copy_dir(&example_dir(), &format!("show-{name}"));
        let data = dir.join("bao-cao.toml");
        std::fs::write(dir.join("rieng.toml"), &out).expect("write profile");
        let text = std::fs::read_to_string(&data).expect("read data");
        let builtin = text.replacen("the_thuc = \"dang\"", &format!("the_thuc = \"{name}\""), 1);
        let user = text.replacen("the_thuc = \"dang\"", "the_thuc = \"rieng.toml\"", 1);
        assert_ne!(builtin, text);
        std::fs::write(dir.join("a.toml"), builtin).expect("write");
        std::fs::write(dir.join("b.toml"), user).expect("write");
        let a = std::fs::read(render(&dir.join("a.toml"), &dir)).expect("read a");
        let b = std::fs::read(render(&dir.join("b.toml"), &dir)).expect("read b");
        assert!(
            a == b,
            "{name}: the shown profile as rieng.toml renders different bytes from the built-in"
        );
    }
}

// ---------------------------------------------------------------------------
// (5) The built-in templates, started as a clerk starts them

/// Every built-in, started with `baocao init` and rendered as it comes, follows
/// the layout profile it is written for (the Party samples are dated before
/// dang-05 applies), and the other family's profile when `--the-thuc` asks for it.
#[test]
fn every_builtin_started_with_init_follows_its_profile() {
    let builtins = [
        ("chi-thi-05", "dang-36"),
        ("ke-hoach", "dang-36"),
        ("kt-xh-nam", "nha-nuoc"),
        ("so-ket-6-thang", "dang-36"),
        ("tinh-hinh-tu-tuong", "dang-36"),
        ("tong-ket-tuyen-giao", "dang-36"),
    ];
    let chosen = builtins.iter().flat_map(|&(name, native)| {
        let other = if native == "nha-nuoc" {
            ("dang-36", Some("dang"))
        } else {
            ("nha-nuoc", Some("nha-nuoc"))
        };
        [(name, native, None), (name, other.0, other.1)]
    });
    for (name, profile, flag) in chosen {
        let dir = scratch(&format!("init-{name}-{profile}")).join("bao-cao");
        let mut cmd = bin();
        cmd.arg("init").arg(&dir).args(["--mau", name]);
        if let Some(f) = flag {
            cmd.args(["--the-thuc", f]);
        }
        let out = cmd.output().expect("run baocao init");
        assert!(
            out.status.success(),
            "baocao init --mau {name} ({profile}) failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let doc = Doc::new(
            &format!("@{name} ({profile})"),
            &dir.join("bao-cao.toml"),
            builtin_profile(profile).clone(),
        );
        check_all(&doc);
        check_margins_and_page_numbers(&doc);
    }
}
