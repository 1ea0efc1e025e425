//! Parts above level 1: a setext heading underlined with `=` ("Phần thứ nhất"
//! on one line, the part's title on the next) is set centred and bold on its
//! own lines, at the profile's `[muc.phan]` size, with its space above; `#`
//! headings stay level 1.

use crate::common::*;

const TEMPLATE: &str = "Phần thứ nhất\nĐÁNH GIÁ KẾT QUẢ NĂM 2021\n=========================\n\n\
# I- KẾT QUẢ\n\nĐoạn văn thứ nhất của phần thứ nhất.\n\n\
Phần thứ hai\nPHƯƠNG HƯỚNG NĂM 2022\n====================\n\nĐoạn văn của phần thứ hai.\n";

#[test]
fn a_part_is_two_centred_bold_lines_above_its_sections() {
    let dir = scratch("parts");
    put(&dir, "bao-cao.toml", SMALL_DATA);
    put(&dir, "mau.md.hbs", TEMPLATE);
    let out = bin()
        .current_dir(&dir)
        .args(["render", "bao-cao.toml", "-o", "ra.pdf", "--strict"])
        .output()
        .expect("run baocao");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let pages = trace_pages(&dir.join("ra.pdf"));
    let lines: Vec<Line> = pages.iter().flat_map(Page::lines).collect();
    let find = |text: &str| {
        lines
            .iter()
            .find(|l| l.text() == text)
            .unwrap_or_else(|| panic!("no line \"{text}\" in:\n{}", describe_all(&lines)))
    };
    let page = pages.first().expect("a page");
    let body_left = find("Đoạn văn thứ nhất của phần thứ nhất.").x0() - 10.0 * 72.0 / 25.4;
    let body_centre = (body_left + (page.width - 15.0 * 72.0 / 25.4)) / 2.0;
    for text in [
        "Phần thứ nhất",
        "ĐÁNH GIÁ KẾT QUẢ NĂM 2021",
        "Phần thứ hai",
        "PHƯƠNG HƯỚNG NĂM 2022",
    ] {
        let line = find(text);
        assert!(
            (line.centre() - body_centre).abs() < 1.0,
            "\"{text}\" is centred at {:.1}, the text area at {body_centre:.1}",
            line.centre()
        );
        line.assert_style(
            Style {
                size: 14.0,
                bold: true,
                italic: false,
            },
            text,
        );
    }
    // The title is on the line below the part's name, and the level-1 heading
    // ("I- KẾT QUẢ") is still a left-aligned heading below them.
    assert!(find("ĐÁNH GIÁ KẾT QUẢ NĂM 2021").y > find("Phần thứ nhất").y);
    let heading = find("I- KẾT QUẢ");
    assert!(heading.y > find("ĐÁNH GIÁ KẾT QUẢ NĂM 2021").y);
    assert!(
        heading.x0() < body_centre - 100.0,
        "the level-1 heading moved"
    );
}

fn describe_all(lines: &[Line]) -> String {
    lines.iter().map(|l| l.text() + "\n").collect()
}
