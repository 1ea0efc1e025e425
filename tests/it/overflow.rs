//! Nothing runs off the page or disappears: Nơi nhận lists, header lines, trích
//! yếu and signature lines of growing length, under each built-in profile.
//!
//! Each report is rendered and read back three ways: `qpdf --check` passes;
//! every line the data file holds is in pdftotext's text (whitespace folded, so
//! a line may wrap; recipients in their order); and MuPDF's trace shows no glyph
//! outside the page or below the text area, and no glyph above it but the page
//! number. What cannot continue on the next page (a header block taller than
//! page 1) is an error at the key to shorten: see also `errors/pages.toml`.

use crate::common::*;
use std::path::PathBuf;

/// The built-in profiles, each set with its own header and signature.
const PROFILES: [&str; 3] = ["dang-36", "dang-05", "nha-nuoc"];

/// A report's values that grow, and the length of its body.
struct Report {
    profile: &'static str,
    co_quan: String,
    trich_yeu: String,
    quyen_han: String,
    chuc_vu: String,
    noi_nhan: Vec<String>,
    /// Paragraphs of the body (about three lines each).
    paragraphs: usize,
}

impl Report {
    fn new(profile: &'static str) -> Report {
        Report {
            profile,
            co_quan: "THÀNH ỦY BẮC KẠN".into(),
            trich_yeu: "kết quả công tác năm 2021".into(),
            quyen_han: "T/M BAN THƯỜNG VỤ".into(),
            chuc_vu: "BÍ THƯ".into(),
            noi_nhan: vec![
                "Ban Thường vụ Tỉnh ủy (b/c),".into(),
                "Lưu Văn phòng Thành ủy.".into(),
            ],
            paragraphs: 12,
        }
    }

    fn is_state(&self) -> bool {
        self.profile == "nha-nuoc"
    }

    /// The data file.
    fn data(&self) -> String {
        let q = |s: &str| toml::Value::String(s.to_string()).to_string();
        let list: Vec<String> = self.noi_nhan.iter().map(|l| q(l)).collect();
        format!(
            "mau = \"mau.md.hbs\"\n\n[van_ban]\nthe_thuc = {}\n\
             co_quan_cap_tren = \"ĐẢNG BỘ TỈNH BẮC KẠN\"\nco_quan = {}\nso = 125\n\
             ky_hieu = {}\ndia_danh = \"Bắc Kạn\"\nngay = 2021-12-15\ntrich_yeu = {}\n\
             noi_nhan = [\n  {},\n]\n\n[ky]\nquyen_han = {}\nchuc_vu = {}\n\
             ho_ten = \"Nguyễn Văn A\"\n",
            q(self.profile),
            q(&self.co_quan),
            q(if self.is_state() { "BC-UBND" } else { "BC/TU" }),
            q(&self.trich_yeu),
            list.join(",\n  "),
            q(&self.quyen_han),
            q(&self.chuc_vu),
        )
    }

    /// The body: numbered paragraphs, the last one closing with `BODY_END`.
    fn template(&self) -> String {
        let mut t = String::from("# I- KẾT QUẢ\n\n");
        for i in 1..=self.paragraphs {
            t.push_str(&format!(
                "Đoạn thứ {i}: các chi, đảng bộ trực thuộc đã quán triệt, triển khai \
                 thực hiện nghiêm túc các nội dung đã đề ra, bảo đảm đúng tiến độ, \
                 thiết thực và hiệu quả trong toàn Đảng bộ thành phố.\n\n"
            ));
        }
        t.push_str(BODY_END);
        t.push('\n');
        t
    }

    /// Every text of the data file that the PDF must show.
    fn texts(&self) -> Vec<String> {
        let mut t: Vec<String> = self.co_quan.lines().map(str::to_string).collect();
        // The summary as the profile sets it (State: first letter in capitals).
        let summary = summary_as_set(builtin_profile(self.profile), &self.trich_yeu);
        t.extend(
            [&summary, &self.quyen_han, &self.chuc_vu]
                .into_iter()
                .flat_map(|s| s.lines())
                .map(str::to_string),
        );
        t.push("Nguyễn Văn A".into());
        t.push(BODY_END.into());
        t
    }

    /// The recipient lines as printed but for their closing punctuation (the
    /// profile chooses it).
    fn recipients(&self) -> Vec<String> {
        self.noi_nhan
            .iter()
            .map(|l| format!("- {}", l.trim_end_matches([',', ';', '.'])))
            .collect()
    }
}

/// The last words of the body.
const BODY_END: &str = "Trên đây là báo cáo kết quả công tác năm 2021 (hết phần thân).";

/// `n` recipients, the last the office's own copy.
fn recipients(n: usize) -> Vec<String> {
    let mut v: Vec<String> = (1..n)
        .map(|i| format!("Đơn vị nhận số {i} (b/c),"))
        .collect();
    v.push("Lưu Văn phòng Thành ủy.".into());
    v
}

/// A rendered report, read back.
struct Read {
    name: String,
    pdf: PathBuf,
    pages: Vec<Page>,
    /// pdftotext's text in content order, page numbers left out, folded.
    text: String,
}

/// Render `r` into a fresh folder (the run must succeed) and read it back.
fn render_report(r: &Report, name: &str) -> Read {
    let dir = scratch("overflow");
    put(&dir, "bao-cao.toml", r.data());
    put(&dir, "mau.md.hbs", r.template());
    let pdf = render(&dir.join("bao-cao.toml"), &dir);
    let text = fold(&nfc(&pdftotext_pages(&pdf, true).join("\n")));
    Read {
        name: format!("{name} ({})", r.profile),
        pages: trace_pages(&pdf),
        pdf,
        text,
    }
}

/// What every report here must pass: qpdf, every text shown (recipients in
/// their order), nothing outside the page or its text area.
fn check(r: &Report, read: &Read) {
    let Read {
        name, pdf, text, ..
    } = read;
    let q = tool("qpdf", &[std::ffi::OsStr::new("--check"), pdf.as_os_str()]);
    assert!(
        q.status.success(),
        "{name}: qpdf --check fails: {}",
        String::from_utf8_lossy(&q.stdout)
    );
    for t in r.texts() {
        assert!(
            text.contains(&fold(&t)),
            "{name}: {t:?} is missing from the PDF's text:\n{text}"
        );
    }
    let mut from = 0;
    for line in r.recipients() {
        let at = text[from..].find(&line).unwrap_or_else(|| {
            panic!("{name}: recipient {line:?} is missing or out of order:\n{text}")
        });
        from += at + line.len();
    }
    nothing_outside(read, &Geometry::of(builtin_profile(r.profile), false));
}

/// No glyph or rule outside the page; no glyph's baseline below the text area
/// or outside it left and right; above it only the page number.
fn nothing_outside(read: &Read, g: &Geometry) {
    for page in &read.pages {
        let at = |what: String| format!("{}: page {}: {what}", read.name, page.number);
        for gl in page.glyphs.iter().filter(|gl| !gl.is_space()) {
            let ch = &gl.ch;
            assert!(
                gl.x >= 0.0
                    && gl.x_end <= page.width
                    && gl.top() >= 0.0
                    && gl.bottom() <= page.height,
                "{}",
                at(format!(
                    "{ch:?} at ({:.2}, {:.2}) lies outside the page",
                    gl.x, gl.y
                ))
            );
            assert!(
                gl.y <= g.bottom + 0.01 && gl.x >= g.left - 0.01 && gl.x_end <= g.right + 0.05,
                "{}",
                at(format!(
                    "{ch:?} at ({:.2}, {:.2}) lies outside the text area",
                    gl.x, gl.y
                ))
            );
            assert!(
                gl.y >= g.top || ch.chars().all(|c| c.is_ascii_digit()),
                "{}",
                at(format!("{ch:?} at y = {:.2} lies in the top margin", gl.y))
            );
        }
        for r in &page.rules {
            assert!(
                r.left() >= 0.0
                    && r.right() <= page.width
                    && r.top() >= 0.0
                    && r.bottom() <= page.height,
                "{}",
                at(format!("a rule lies outside the page: {r:?}"))
            );
        }
    }
}

/// The page and line where `text` begins (the first line holding it).
fn find_line(read: &Read, text: &str) -> (usize, Line) {
    read.pages
        .iter()
        .enumerate()
        .find_map(|(i, p)| {
            p.lines()
                .into_iter()
                .find(|l| l.text().contains(text))
                .map(|l| (i, l))
        })
        .unwrap_or_else(|| panic!("{}: no line shows {text:?}", read.name))
}

#[test]
fn recipient_lists_of_any_length_print_every_line_in_the_left_column() {
    for profile in PROFILES {
        for n in [5, 20, 51, 70, 150] {
            let mut r = Report::new(profile);
            r.noi_nhan = recipients(n);
            let read = render_report(&r, &format!("{n} recipients"));
            check(&r, &read);
            recipients_stay_in_their_column(&r, &read);
        }
    }
}

/// The recipients are in the left column, beside the signature and below it
/// on the pages after; the signature shares its page with the body's end; the
/// last page of the list holds at least two of its lines.
fn recipients_stay_in_their_column(r: &Report, read: &Read) {
    let g = Geometry::of(builtin_profile(r.profile), false);
    let first = r.quyen_han.lines().next().unwrap_or_default();
    let (sig_page, sig) = find_line(read, first);
    let (end_page, end) = find_line(read, "(hết phần thân)");
    assert!(
        end_page == sig_page && end.y < sig.y,
        "{}: the signature (page {}) is not with the body's last lines (page {})",
        read.name,
        sig_page + 1,
        end_page + 1
    );
    let mut last_page = (0, 0);
    for (i, page) in read.pages.iter().enumerate().skip(sig_page) {
        let lines: Vec<Line> = page
            .lines_in(g.left - 1.0, g.centre())
            .into_iter()
            .filter(|l| l.text().starts_with("- "))
            .collect();
        for l in &lines {
            assert!(
                (l.x0() - g.left).abs() < 0.05,
                "{}: recipient line not at the left margin: {}",
                read.name,
                l.describe()
            );
        }
        if !lines.is_empty() {
            last_page = (i, lines.len());
        }
    }
    assert!(
        last_page.1 >= 2 || r.noi_nhan.len() < 2,
        "{}: the list's last page {} holds one line",
        read.name,
        last_page.0 + 1
    );
}

#[test]
fn a_long_trich_yeu_wraps_and_pushes_the_body_down() {
    let phrase = "về kết quả học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh";
    for profile in PROFILES {
        for n in [1, 4, 12, 40, 90] {
            let mut r = Report::new(profile);
            r.trich_yeu = (1..=n)
                .map(|i| format!("{phrase} (phần {i})"))
                .collect::<Vec<_>>()
                .join(" ");
            let read = render_report(&r, &format!("trích yếu of {n} phrases"));
            check(&r, &read);
            // The document type stays on page 1 under the header; the body
            // begins below the summary's last words.
            let (title_page, _) = find_line(&read, "BÁO CÁO");
            assert_eq!(title_page, 0, "{}: the title left page 1", read.name);
            // The summary may wrap inside "(phần n)": its unique end is enough.
            let (last_page, last) = find_line(&read, &format!("{n})"));
            let (body_page, body) = find_line(&read, "I- KẾT QUẢ");
            assert!(
                (body_page, body.y) > (last_page, last.y),
                "{}: the body begins above the end of the trích yếu",
                read.name
            );
        }
    }
}

#[test]
fn long_signature_and_header_lines_stay_in_their_columns() {
    let duty = "PHÓ BÍ THƯ THƯỜNG TRỰC KIÊM CHỦ NHIỆM ỦY BAN KIỂM TRA";
    for profile in PROFILES {
        for n in [1, 3, 6, 9] {
            let mut r = Report::new(profile);
            r.chuc_vu = vec![duty; n].join(" ");
            r.quyen_han = (1..=n)
                .map(|i| format!("T/M BAN THƯỜNG VỤ {i}"))
                .collect::<Vec<_>>()
                .join("\n");
            r.co_quan = (1..=2 * n)
                .map(|i| format!("BAN CHỈ ĐẠO SỐ {i}"))
                .collect::<Vec<_>>()
                .join("\n");
            r.noi_nhan = recipients(8 * n);
            let read = render_report(&r, &format!("signature and header × {n}"));
            check(&r, &read);
            recipients_stay_in_their_column(&r, &read);
            in_their_columns(&r, &read);
        }
    }
}

/// The header's bodies are centred in its left column; the signature's lines
/// centred in the right column, none of them in the recipients' column.
fn in_their_columns(r: &Report, read: &Read) {
    let p = builtin_profile(r.profile);
    let g = Geometry::of(p, false);
    let header_split = g.left + p.f("dau.cot_trai") * g.text_width();
    let sig_split = g.left + (1.0 - p.f("ky.cot_phai")) * g.text_width();
    let centred = |l: &Line, centre: f64| {
        assert!(
            (l.centre() - centre).abs() < 0.5,
            "{}: not centred on x = {centre:.2} in its column: {}",
            read.name,
            l.describe()
        );
    };
    let page1 = read.pages.first().expect("page 1");
    for l in page1.lines_in(g.left - 1.0, header_split) {
        if l.text().starts_with("BAN CHỈ ĐẠO") {
            centred(&l, (g.left + header_split) / 2.0);
        }
    }
    let (sig_page, _) = find_line(read, "Nguyễn Văn A");
    let page = &read.pages[sig_page];
    for l in page.lines_in(sig_split, f64::INFINITY) {
        if l.text().contains("KIÊM") || l.text().contains("T/M") {
            centred(&l, (sig_split + g.right) / 2.0);
        }
    }
    for l in page.lines_in(g.left - 1.0, sig_split) {
        let t = l.text();
        assert!(
            !(t.contains("T/M") || t.contains("KIÊM") || t.contains("Nguyễn Văn A")),
            "{}: a signature line lies in the recipients' column: {}",
            read.name,
            l.describe()
        );
    }
}

#[test]
fn a_header_taller_than_the_first_page_is_an_error_at_its_key() {
    let mut r = Report::new("dang-36");
    // A 300-line cơ quan, of which 45 lines used to print.
    r.co_quan = (1..=300)
        .map(|i| format!("PHÒNG {i}"))
        .collect::<Vec<_>>()
        .join("\n");
    let dir = scratch("overflow-header");
    let data = r.data();
    put(&dir, "bao-cao.toml", &data);
    put(&dir, "mau.md.hbs", r.template());
    let out = bin()
        .current_dir(&dir)
        .args(["render", "bao-cao.toml", "-o", "ra.pdf", "--strict"])
        .output()
        .expect("run baocao");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(!dir.join("ra.pdf").exists(), "a PDF was written:\n{stderr}");
    let (line, col) = locate(&data, "co_quan = ", 0);
    assert!(
        stderr.contains(&format!("bao-cao.toml:{line}:{col}\n")),
        "the error is not at co_quan ({line}:{col}):\n{stderr}"
    );
    assert!(
        stderr.contains("`co_quan` in ra thành 300 dòng")
            && stderr.contains("rút ngắn `co_quan` trong [van_ban]"),
        "the error does not say what to shorten:\n{stderr}"
    );
}
