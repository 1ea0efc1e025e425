#!/usr/bin/env python3
"""Write the seed corpus of the fuzz targets into fuzz/seeds/{render,markup}/.

Input format of the `render` target: DATA 0xFF TEMPLATE [0xFF PROFILE [0xFF PARTIAL]]
(see fuzz_targets/render.rs); of the `markup` target: the body text.
Markup seeds also include each example's filled-in text when a built `baocao`
binary is given: python3 fuzz/make_seeds.py [target/release/baocao]
"""
import os
import re
import subprocess
import sys
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "fuzz", "seeds")
SEP = b"\xff"


def read(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        return f.read()


def strip_header(toml):
    """The example's data without `mau` and the [van_ban]/[ky] tables."""
    out, skipping = [], False
    for line in toml.splitlines(keepends=True):
        if re.match(r"^\s*mau\s*=", line):
            continue
        m = re.match(r"^\[\s*([A-Za-z0-9_.\"]+)\s*\]", line)
        if m:
            skipping = m.group(1) in ("van_ban", "ky")
        if not skipping:
            out.append(line)
    return "".join(out)


def whole(toml, the_thuc=None):
    text = re.sub(r'(?m)^mau\s*=.*$', 'mau = "m.md.hbs"', toml)
    if the_thuc:
        text = re.sub(r'(?m)^the_thuc\s*=.*$', f'the_thuc = "{the_thuc}"', text)
    return "!" + text


def render_seed(data, template, profile=None, partial=None):
    parts = [data.encode(), template.encode()]
    if profile is not None or partial is not None:
        parts.append((profile or "").encode())
    if partial is not None:
        parts.append(partial.encode())
    return SEP.join(parts)


NFD = unicodedata.normalize("NFD", "Nguyễn Thị Ánh Tuyết, Hồ Chí Minh, phường Tân Định, ước đạt")

TABLE_MARKERS = """\
| TT | Khu phố | Thu ngân sách (triệu đồng) | < | < |
|:-:|---|--:|--:|--:|
| ^ | ^ | Dự toán | Thực hiện | So với dự toán (%) |
| **I. Kinh tế** | < | < | < | < |
| 1 | Khu phố 1 | 7.831,0 | 7.859,6 | 100,37 |
| 2 | Khu phố 2 | ^ | 1.263,9 | 91,07 |
| < | ^ | < | ^ | < |
"""

LONG_WORD = "Siêu" + "dàikhôngcódấucách" * 40

MARKUP_SAMPLES = {
    "basics": """# I- TÊN MỤC LỚN

## 1. Tên mục

### a) Tên mục nhỏ

Đoạn văn có **chữ đậm**, *chữ nghiêng*, ***đậm nghiêng*** và `mã`.\\
Dòng ngắt cứng.  
Dòng ngắt cứng kiểu hai dấu cách.

- Gạch đầu dòng một
- Gạch đầu dòng hai
  1. Lồng số một
  2. Lồng số hai

3. Bắt đầu từ ba
4. Bốn

> Trích dẫn

<b>HTML thô</b> và ![ảnh](a.png) [liên kết](http://x)

---
""",
    "tables": TABLE_MARKERS + "\n" + """\
| a | b |
|---|---|
| 1 |
| 1 | 2 | 3 |
| ^ | ^ |
| < | < |

|x|
|-|
""",
    "pagebreak-ngang": """Mở đầu.

\\pagebreak

Sau ngắt trang.
\\ngang
| Cột 1 | Cột 2 | Cột 3 | Cột 4 | Cột 5 | Cột 6 | Cột 7 | Cột 8 | Cột 9 | Cột 10 |
|---|---|---|---|---|---|---|---|---|---|
| 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 |
\\doc
Phụ lục dọc.
\\pagebreak
\\pagebreak
\\ngang
\\ngang
""",
    "long-words": f"""{LONG_WORD}

| {LONG_WORD} | b |
|---|---|
| {LONG_WORD} | {LONG_WORD} |

**{LONG_WORD}** *{LONG_WORD[:200]}*
""",
    "nfd": f"""# {NFD}

{NFD} {NFD}

| {NFD} | {NFD} |
|---|--:|
| {NFD} | 1.234,5 |
""",
    "wide-table": "| " + " | ".join(f"Cột số {i} rất dài" for i in range(40)) + " |\n|"
    + "---|" * 40 + "\n| " + " | ".join(str(i * 1234567) for i in range(40)) + " |\n",
    "tall-row": "| a | b |\n|---|---|\n| " + "chữ " * 3000 + " | x |\n| 1 | 2 |\n",
    "many-rows": "| TT | Tên | Số |\n|:-:|---|--:|\n"
    + "".join(f"| {i} | Hàng số {i} | {i * 37},5 |\n" for i in range(300)),
    "widows": "\n\n".join(("Đoạn " + str(i) + " ") + "lời văn " * (i % 17 * 9 + 1) for i in range(24)),
    "headings-at-end": "Đoạn.\n\n" + "lời " * 500 + "\n\n# I- MỤC CUỐI TRANG\n\n## 1. Tiểu mục\n\n### a) Nhỏ\n",
    "odd-space": "a\u00a0b\u2009c\u200bd\tđ\u3000e\r\nf\u2028g\ufeffh \u0301 \u0323",
}


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else None
    for t in ("render", "markup"):
        os.makedirs(os.path.join(OUT, t), exist_ok=True)
    seeds = {"render": {}, "markup": {}}

    examples = sorted(d for d in os.listdir(os.path.join(ROOT, "examples"))
                      if os.path.isfile(os.path.join(ROOT, "examples", d, "bao-cao.toml")))
    nha_nuoc = read("profiles/nha-nuoc.toml")
    for ex in examples:
        toml = read(f"examples/{ex}/bao-cao.toml")
        hbs = read(f"examples/{ex}/bao-cao.md.hbs")
        seeds["render"][f"{ex}-tail"] = render_seed(strip_header(toml), hbs)
        seeds["render"][f"{ex}-whole"] = render_seed(whole(toml), hbs)
        seeds["render"][f"{ex}-profile"] = render_seed(whole(toml, "p.toml"), hbs, nha_nuoc)
        if binary:
            r = subprocess.run([binary, "render", f"examples/{ex}/bao-cao.toml", "--emit", "markup"],
                               cwd=ROOT, capture_output=True)
            if r.returncode == 0:
                seeds["markup"][f"{ex}-filled"] = r.stdout

    for name, text in MARKUP_SAMPLES.items():
        seeds["markup"][name] = text.encode()
        seeds["render"][f"markup-{name}"] = render_seed("", text.replace("{{", "{ {"))

    # Helpers, partials, units, settings, user profiles.
    seeds["render"]["helpers"] = render_seed(
        """[so_lieu]
a = 3250
b = 3045.35
c = 0
d = -12.5
e = 158300000000
f = 0.000001
g = 9223372036854775807
ngay = 2021-03-05
ten = "Nguyễn Văn A"
[dinh_dang]
linh = "lẻ"
tu = "bốn"
nghin = "ngàn"
ty = "tỉ"
chu_so_phan_tram = 1
giu_so_0 = true
gach_giai_doan = " - "
dong_chan = true
dem_so_0 = false
[[ds]]
ho_ten = "Lê Văn Bình"
x = 1
[[ds]]
ho_ten = "Trần Thị Ánh"
x = 2.5
""",
        """{{so so_lieu.a}} {{so so_lieu.f chu_so=2}} {{so so_lieu.e quy_doi="ty"}} {{dem 2}} {{la_ma 25}}
{{phan_tram so_lieu.a so_lieu.b}} {{phan_tram so_lieu.a so_lieu.b dau=false}} {{ty_le 96.3}}
{{tang_giam so_lieu.a so_lieu.b}} {{gap_lan 212 100}} {{diem_phan_tram 1.33 5.2}} {{danh_gia so_lieu.a 3200}}
{{xap_xi 915.6}} {{bang_chu 1001}} {{bang_chu so_lieu.g}} {{tien_bang_chu 158.3 don_vi="ty"}} {{tien_hon_hop 5137000000}}
{{ngay so_lieu.ngay}} {{ngay van_ban.ngay "Bắc Kạn"}} {{ngay_ngan "2022-01-18"}} {{quy 1 2021}}
{{ky_bao_cao "6-thang" 2023}} {{ky_bao_cao "giai-doan" 2021 2025}} {{so_hieu 5 "BC/TU"}}
{{trich_dan "Chỉ thị" "05-CT/TW" "2016-05-15" "Bộ Chính trị"}} {{so (cong 0.1 0.2)}} {{so (tru 1 2)}}
{{so (nhan so_lieu.d so_lieu.e)}} {{so (chia 1 3) chu_so=5}} {{so (tong ds "x")}}
{{#each (sap_xep_ten ds "ho_ten")}}- {{ho_ten}}
{{/each}}
{{#if so_lieu.c}}không{{else}}có{{/if}} {{#unless so_lieu.c}}x{{/unless}} {{#with so_lieu}}{{a}}{{/with}}
{{{ten}}} {{! chú thích }} {{lookup ds 0}} {{@root.so_lieu.ten}}
""")
    seeds["render"]["helpers-edge"] = render_seed(
        """[x]
big = 1e300
tiny = 5e-324
neg = -9223372036854775808
max = 9223372036854775807
zero = 0
frac = 0.1234567890123456789
s = "abc"
d = 0001-01-01
d2 = 9999-12-31
""",
        """{{la_ma 0}} {{la_ma 4000}} {{la_ma x.max}} {{dem -1}} {{dem x.neg}} {{bang_chu x.big}} {{bang_chu x.neg}}
{{bang_chu x.tiny}} {{tien_bang_chu x.max}} {{tien_hon_hop x.neg}} {{so x.frac chu_so=1000000000}}
{{so x.big chu_so=-1}} {{xap_xi x.max chu_so=4294967295}} {{phan_tram 1 3 chu_so=100000}} {{phan_tram 1 0}}
{{chia x.max x.tiny}} {{nhan x.max x.max}} {{cong x.max 1}} {{tru x.neg 1}} {{gap_lan x.big x.tiny}}
{{ky_bao_cao "giai-doan" 2025 2021}} {{ky_bao_cao "thang" 13 2021}} {{quy 99 -5}} {{ngay x.d}} {{ngay x.d2}}
{{ngay "2021-02-29"}} {{ngay_ngan "99999-01-01"}} {{so_hieu x.max x.s}} {{so_hieu -1 ""}}
{{trich_dan "" "" "0000-00-00"}} {{so (tong x "s")}} {{sap_xep_ten x.s}} {{{bang_chi_tieu x}}}
""")
    seeds["render"]["profile-edge"] = render_seed(
        "", "# I- MỤC\n\nĐoạn văn dài " + "chữ " * 200 + "\n\n" + TABLE_MARKERS,
        """ke_thua = "dang-36"
[trang]
rong = 30.0
cao = 40.0
le_tren = 0.0
le_duoi = 0.0
le_trai = 14.9
le_phai = 14.9
[than]
co_chu = 200.0
gian_dong = 0.001
thut_dau_dong = 1000.0
[bang]
co_chu = 1.0
co_chu_toi_thieu = 0.5
[so_trang]
tu_trang = 0
""")
    seeds["render"]["bang-chi-tieu"] = render_seed(
        """[[chi_tieu]]
nhom = "I. Kinh tế"
ten = "Tổng mức bán lẻ"
don_vi = "tỷ đồng"
ke_hoach = 3240
thuc_hien = 3250
cung_ky = 3045.35
[[chi_tieu]]
nhom = "I. Kinh tế"
ten = "Sản lượng lương thực"
don_vi = "tấn"
ke_hoach = 4070
thuc_hien = 4230
cung_ky = 0
ghi_chu = "ước"
[[chi_tieu]]
nhom = "II. Xã hội"
ten = "Tỷ lệ"
don_vi = "%"
ke_hoach = 96.3
thuc_hien = 96.31
cung_ky = 95
""", "Kết quả:\n\n{{{bang_chi_tieu chi_tieu}}}\n\n\\pagebreak\n\n{{{bang_chi_tieu chi_tieu}}}\n")
    seeds["render"]["partial"] = render_seed(
        '[x]\nten = "Bắc Kạn"\n', "# I- MỤC\n\n{{> con}}\n\n{{> con}}\n", "", "Đoạn từ mẫu con: {{x.ten}}.\n")
    seeds["render"]["partial-self"] = render_seed("", "{{> m}}\n{{> con}}\n", "", "{{> con}}")
    seeds["render"]["profile-override"] = render_seed(
        "", "# I- MỤC\n\nĐoạn văn.\n\n" + TABLE_MARKERS,
        """ke_thua = "nha-nuoc"
[trang]
le_trai = 35.0
rong = 150.0
[than]
co_chu = 30.0
[bang]
co_chu_toi_thieu = 4.0
[noi_nhan]
tieu_de = { chu = "Nơi gửi:", co = 12.0, dam = true, nghieng = true }
""")
    seeds["render"]["profile-ke-thua-self"] = render_seed("", "Đoạn.\n", 'ke_thua = "p.toml"\n')
    seeds["render"]["units"] = render_seed(
        """[so]
x = 1
[[don_vi]]
ten_tep = "a"
[don_vi.so]
x = 2
[[don_vi]]
ten_tep = "b"
""", "Số {{so so.x}}.\n")
    seeds["render"]["whole-minimal"] = render_seed(
        """!mau = "m.md.hbs"
[van_ban]
the_thuc = "nha-nuoc"
co_quan = "ỦY BAN NHÂN DÂN PHƯỜNG TÂN ĐỊNH"
so = 5
ky_hieu = "BC-UBND"
dia_danh = "Tân Định"
ngay = 2025-12-10
trich_yeu = "tình hình kinh tế - xã hội"
noi_nhan = []
[ky]
chuc_vu = "CHỦ TỊCH"
ho_ten = "Trần Quốc Bảo"
""", "Đoạn.\n")
    seeds["render"]["whole-long-header"] = render_seed(
        f"""!mau = "m.md.hbs"
[van_ban]
the_thuc = "dang-05"
co_quan_cap_tren = "{'ĐẢNG BỘ ' * 30}"
co_quan = "{LONG_WORD.upper()}"
ky_hieu = "{'BC/' * 40}TU"
dia_danh = "{NFD}"
ngay = 2026-06-01
loai = "{'BÁO CÁO ' * 20}"
trich_yeu = "{'về việc ' * 80}"
noi_nhan = [{', '.join(repr('Nơi nhận ' + str(i)).replace("'", '"') for i in range(80))}]
[ky]
quyen_han = "{'T/M ' * 30}"
chuc_vu = "{'BÍ THƯ ' * 30}"
ho_ten = "{NFD}"
""", "Đoạn.\n")

    # Nesting: blocks, subexpressions, lists and quotes a few levels deep.
    seeds["render"]["nest-blocks"] = render_seed(
        't = true\nds = [1, 2]\n[o]\nx = 1\n',
        "{{#if t}}" * 40 + "{{#each ds}}{{#with @root.o}}{{#unless false}}{{x}} {{/unless}}{{/with}}{{/each}}"
        + "{{/if}}" * 40 + "\n")
    seeds["render"]["nest-subexpr"] = render_seed(
        "x = 1\n", "{{so " + "(cong 1 " * 40 + "1" + ")" * 40 + "}}\n")
    seeds["markup"]["nest-lists-quotes"] = ("".join("  " * i + "- mục " + str(i) + "\n" for i in range(40))
                                            + "\n" + ">" * 40 + " trích\n").encode()
    # Crashes found so far, kept as regression inputs (bench/fuzz.sh replays every seed).
    seeds["render"]["regress-deep-if-1500"] = render_seed(
        "t = true", "{{#if t}}" * 1500 + "x" + "{{/if}}" * 1500)
    seeds["render"]["regress-deep-subexpr-1000"] = render_seed(
        "t = 1", "{{so " + "(cong " * 1000 + "1 1" + ")" * 1000 + "}}\n")
    seeds["render"]["regress-else-if-1500"] = render_seed(
        "f = false", "{{#if f}}a" + "{{else if f}}a" * 1500 + "{{else}}z{{/if}}\n")
    # Closing tags the nesting check counts but Handlebars does not: escaped, raw.
    seeds["render"]["regress-escaped-close-1200"] = render_seed(
        "t = true", ("{{#if t}}" * 40 + "\\{{/if}}" * 40) * 30 + "x" + "{{/if}}" * 1200)
    seeds["render"]["regress-raw-close-1200"] = render_seed(
        "t = true", ("{{#if t}}" * 40 + "{{{{raw}}}}" + "{{/if}}" * 40 + "{{{{/raw}}}}") * 30 + "x" + "{{/if}}" * 1200)

    for t, group in seeds.items():
        for name, data in group.items():
            with open(os.path.join(OUT, t, name), "wb") as f:
                f.write(data)
        print(f"{t}: {len(group)} seeds")


main()
