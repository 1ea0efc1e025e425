#!/usr/bin/env python3
"""Turn baocao's own body markup (``--emit markup``) and the example's header data
into the same report for Typst (.typ) and WeasyPrint (.html), for bench/compare.sh.

Usage: convert.py BAOCAO DATA.toml FONTS_DIR OUT_DIR

Writes OUT_DIR/report.md (the markup), OUT_DIR/report.typ and OUT_DIR/report.html.
The document number and the place-date line come from baocao's own helpers
(``so_hieu``, ``ngay``) through a one-line template, so the text is baocao's.
Layout mirrors profiles/dang-36.toml: A4, margins 20/20/30/15 mm, Tinos 14 pt on
18 pt lines, justified paragraphs with a 10 mm first-line indent and 6 pt before
each, the two-column header, title and summary, ruled table at 13 pt with 3 pt
padding and baocao's column-width rule, signature and recipients side by side,
page numbers from page 2 centred in the top margin.
"""
import html
import os
import re
import subprocess
import sys
import tomllib

from fontTools.ttLib import TTFont
from markdown_it import MarkdownIt

# --- numbers from profiles/dang-36.toml -------------------------------------------
PT_PER_MM = 72 / 25.4
PAGE_W_MM, MARGIN = 210.0, dict(top=20.0, bottom=20.0, left=30.0, right=15.0)
TEXT_W = (PAGE_W_MM - MARGIN["left"] - MARGIN["right"]) * PT_PER_MM  # pt
BODY, LEAD, INDENT_MM, PAR_BEFORE = 14.0, 18.0, 10.0, 6.0
TABLE_SIZE, TABLE_LEAD, TABLE_PAD, TABLE_RULE = 13.0, 1.2, 3.0, 0.5
HEAD_LEFT = 0.45      # [dau] cot_trai
SIG_RIGHT = 0.5       # [ky] cot_phai
SIG_BLANK = 4         # [ky] dong_trong
RECIP_SIZE, RECIP_LEAD = 12.0, 15.0


def die(msg):
    sys.exit(f"convert.py: {msg}")


# --- baocao's strings --------------------------------------------------------------
def baocao_strings(baocao, data_path, work):
    """`Số 125-BC/TU` and `Bắc Kạn, ngày 15 tháng 12 năm 2021` from baocao's helpers."""
    src = open(data_path, encoding="utf-8").read()
    if not re.search(r'(?m)^mau\s*=', src):
        die(f"{data_path}: no `mau = …` line")
    probe = re.sub(r'(?m)^mau\s*=.*$', 'mau = "probe.md.hbs"', src, count=1)
    d = os.path.join(work, "probe")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "probe.toml"), "w", encoding="utf-8") as f:
        f.write(probe)
    with open(os.path.join(d, "probe.md.hbs"), "w", encoding="utf-8") as f:
        f.write("{{so_hieu van_ban.so van_ban.ky_hieu}}\n\n{{ngay van_ban.ngay van_ban.dia_danh}}\n")
    r = subprocess.run([baocao, "render", os.path.join(d, "probe.toml"), "--emit", "markup"],
                       capture_output=True, text=True)
    if r.returncode != 0:
        die(f"baocao could not render the header probe:\n{r.stderr}")
    parts = [p.strip() for p in r.stdout.strip().split("\n\n")]
    if len(parts) != 2:
        die(f"unexpected probe output: {r.stdout!r}")
    return parts[0], parts[1]


def with_ending(line, ending):
    """baocao's recipient ending rule (src/layout/front.rs `with_ending`)."""
    return line.rstrip().rstrip(",;.") + ending


# --- text width (for baocao's column-width rule) ------------------------------------
class Metrics:
    def __init__(self, fonts):
        self.f = {}
        for bold in (False, True):
            name = "Tinos-Bold.ttf" if bold else "Tinos-Regular.ttf"
            t = TTFont(os.path.join(fonts, name), lazy=True)
            self.f[bold] = (t.getBestCmap(), t["hmtx"].metrics, t["head"].unitsPerEm)

    def width(self, s, bold):
        cmap, hmtx, upem = self.f[bold]
        w = 0
        for ch in s:
            g = cmap.get(ord(ch)) or cmap.get(0x20)
            w += hmtx[g][0] if g in hmtx else upem // 2
        return w / upem  # at 1 pt


# --- markup → blocks ----------------------------------------------------------------
def inlines(tok):
    """Inline children → list of (text, bold, italic)."""
    out, b, i = [], 0, 0
    for c in tok.children or []:
        if c.type == "text" or c.type == "code_inline":
            out.append((c.content, b > 0, i > 0))
        elif c.type in ("softbreak", "hardbreak"):
            out.append((" ", b > 0, i > 0))
        elif c.type == "strong_open":
            b += 1
        elif c.type == "strong_close":
            b -= 1
        elif c.type == "em_open":
            i += 1
        elif c.type == "em_close":
            i -= 1
        elif c.content:
            out.append((c.content, b > 0, i > 0))
    return out


def plain(runs):
    return "".join(t for t, _, _ in runs)


def parse(markup):
    """Blocks: ('h', level, runs) | ('p', runs) | ('table', aligns, rows) | ('pagebreak',)."""
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    blocks = []
    chunk = []

    def flush():
        if not chunk:
            return
        toks = md.parse("\n".join(chunk) + "\n")
        chunk.clear()
        k = 0
        list_stack = []
        while k < len(toks):
            t = toks[k]
            if t.type == "heading_open":
                blocks.append(("h", int(t.tag[1]), inlines(toks[k + 1])))
                k += 3
                continue
            if t.type == "bullet_list_open":
                list_stack.append(["-", 0])
            elif t.type == "ordered_list_open":
                list_stack.append(["n", int(t.attrs.get("start", 1)) - 1])
            elif t.type in ("bullet_list_close", "ordered_list_close"):
                list_stack.pop()
            elif t.type == "list_item_open":
                list_stack[-1][1] += 1
            elif t.type == "paragraph_open":
                runs = inlines(toks[k + 1])
                if list_stack and toks[k - 1].type == "list_item_open":
                    kind, n = list_stack[-1]
                    runs = [("- " if kind == "-" else f"{n}. ", False, False)] + runs
                blocks.append(("p", runs))
                k += 3
                continue
            elif t.type == "table_open":
                k, tbl = parse_table(toks, k)
                blocks.append(tbl)
                continue
            elif t.type in ("fence", "code_block", "hr", "html_block", "blockquote_open"):
                die(f"markup block `{t.type}` is not handled by the converter")
            k += 1

    for line in markup.splitlines():
        s = line.strip()
        if s == "\\pagebreak":
            flush()
            blocks.append(("pagebreak",))
        elif s in ("\\ngang", "\\doc"):
            die(f"`{s}` (appendix sections) is not handled by the converter")
        else:
            chunk.append(line)
    flush()
    return blocks


def parse_table(toks, k):
    aligns, rows, row = [], [], None
    head_done = False
    while True:
        t = toks[k]
        if t.type == "table_close":
            return k + 1, ("table", aligns, rows)
        if t.type == "tr_open":
            row = []
        elif t.type == "tr_close":
            rows.append(row)
            head_done = True
        elif t.type in ("th_open", "td_open"):
            if not head_done:
                st = (t.attrs or {}).get("style", "")
                m = re.search(r"text-align:(\w+)", st)
                aligns.append(m.group(1) if m else "auto")
            row.append(inlines(toks[k + 1]))
        k += 1


NUMERIC = re.compile(r"^[0-9.,%+\-\u2212]+$")


def is_numeric(s):
    s = s.strip()
    return bool(s) and any(c.isdigit() for c in s) and bool(NUMERIC.match(s))


def grid(rows, ncol):
    """baocao's span rule (src/layout/table.rs `grid`): cells as dicts with
    col, colspan, rowspan, runs; and the number of header rows."""
    head = 1 + next((i for i, r in enumerate(rows[1:]) if not any(plain(c).strip() == "^" for c in r)),
                    len(rows) - 1)
    out, above = [], [None] * ncol
    for ri, row in enumerate(rows):
        cells, covering = [], [None] * ncol
        for c in range(ncol):
            runs = row[c] if c < len(row) else []
            txt = plain(runs).strip()
            if txt == "<" and cells:
                cells[-1]["colspan"] += 1
                covering[c] = (ri, len(cells) - 1)
                continue
            if ri < head and txt == "^" and above[c] is not None:
                ar, ai = above[c]
                cell = out[ar][ai]
                if cell["col"] == c or cell["colspan"] > 1:
                    if cell["col"] == c:
                        cell["rowspan"] += 1
                    covering[c] = (ar, ai)
                    continue
            cells.append(dict(col=c, colspan=1, rowspan=1, runs=runs))
            covering[c] = (ri, len(cells) - 1)
        above = covering
        out.append(cells)
    return out, head


def column_widths(metrics, g, head, ncol, size=TABLE_SIZE, pad=TABLE_PAD, width=TEXT_W):
    """baocao's width rule (`measure` + `column_widths`), in pt."""
    mins, prefs, spans = [0.0] * ncol, [0.0] * ncol, []
    for ri, row in enumerate(g):
        header = ri < head
        for c in row:
            m = p = 0.0
            for text, b, _ in c["runs"]:
                sp = metrics.width(" ", b or header)
                for j, w in enumerate(re.split(r"[ \n]", text)):
                    ww = metrics.width(w, b or header)
                    m = max(m, ww)
                    p += ww + (sp if j > 0 else 0.0)
            if header:
                p = m
            if c["colspan"] == 1:
                mins[c["col"]] = max(mins[c["col"]], m)
                prefs[c["col"]] = max(prefs[c["col"]], p)
            else:
                spans.append((c["col"], c["colspan"], m))
    mins = [m * size + 2 * pad for m in mins]
    prefs = [p * size + 2 * pad for p in prefs]
    for col, span, m in spans:
        end = min(col + span, ncol)
        for v in (mins, prefs):
            have, need = sum(v[col:end]), m * size + 2 * pad
            if have < need:
                for x in range(col, end):
                    v[x] += (need - have) / (end - col)
    mn, pf = sum(mins), sum(prefs)
    if pf <= width:
        return [p + (width - pf) * p / max(pf, 1e-3) for p in prefs]
    if mn >= width:
        return [m * width / max(mn, 1e-3) for m in mins]
    want, room = pf - mn, width - mn
    return [m + (room * (p - m) / want if want > 0 else room / ncol) for m, p in zip(mins, prefs)]


def table_model(metrics, aligns, rows, pad=TABLE_PAD):
    ncol = max(len(aligns), max(len(r) for r in rows))
    aligns = aligns + ["auto"] * (ncol - len(aligns))
    g, head = grid(rows, ncol)
    numeric = []
    for c in range(ncol):
        cells = [plain(x["runs"]) for r in g[head:] for x in r if x["col"] == c and x["colspan"] == 1]
        cells = [s for s in cells if s.strip()]
        numeric.append(bool(cells) and all(is_numeric(s) for s in cells))
    col_align = ["right" if a == "auto" and numeric[i] else ("left" if a == "auto" else a)
                 for i, a in enumerate(aligns)]
    widths = column_widths(metrics, g, head, ncol, pad=pad)
    return g, head, col_align, widths


# --- Typst ---------------------------------------------------------------------------
def ty_text(s):
    # Escape every ASCII symbol: no markup, no shorthand (`--`, `...`, smart quotes).
    return "".join("\\" + ch if (ch.isascii() and not ch.isalnum() and ch not in " \n") else ch
                   for ch in s)


def ty_runs(runs):
    out = []
    for text, b, i in runs:
        t = ty_text(text)
        if not t:
            continue
        if i:
            t = f"#emph[{t}]"
        if b:
            t = f"#strong[{t}]"
        out.append(t)
    return "".join(out)


def typst_doc(meta, so_hieu, ngay, blocks, metrics):
    vb, ky = meta["van_ban"], meta["ky"]
    noi_nhan = vb.get("noi_nhan", [])
    L = []
    a = L.append
    a(f'#set document(title: "{ty_str(vb.get("loai", "BÁO CÁO") + " " + vb["trich_yeu"])}")')
    a("#set page(paper: \"a4\", margin: (top: 20mm, bottom: 20mm, left: 30mm, right: 15mm),")
    # Page number from page 2: the middle of the digits 10 mm below the paper's top
    # edge, centred over the text area (as baocao's [so_trang]).
    a("  background: context { let n = here().page(); if n >= 2 {")
    a(f"    place(top + left, dx: 30mm, dy: 10mm + {0.33 * 14:.2f}pt, box(width: 100% - 45mm,")
    a("      align(center, text(size: 14pt, top-edge: \"baseline\", str(n))))) } })")
    # 18 pt from baseline to baseline: a line box is 1 em above the baseline,
    # nothing below, plus 4 pt of leading; 6 pt more between paragraphs.
    a('#set text(font: "Tinos", size: 14pt, lang: "vi", top-edge: 1em, bottom-edge: "baseline")')
    a(f"#set par(justify: true, leading: {LEAD - BODY}pt, spacing: {LEAD - BODY + PAR_BEFORE}pt,"
      f" first-line-indent: (amount: {INDENT_MM}mm, all: true))")
    a(f"#set block(spacing: {LEAD - BODY + PAR_BEFORE}pt)")
    a("#set strong(delta: 300)")
    # Header block: two columns, then the number / place-date row.
    lw = HEAD_LEFT * 100
    a(f"#block(spacing: 0pt, grid(columns: ({lw}%, {100 - lw}%), align: center + top, row-gutter: 0pt,")
    a("  { set par(justify: false, first-line-indent: 0pt)")
    a(f"    [{ty_text(vb['co_quan_cap_tren'])} \\ #strong[{ty_text(vb['co_quan'])}] \\ \\*] }},")
    a("  { set par(justify: false, first-line-indent: 0pt)")
    a("    underline(offset: 5pt, stroke: 0.6pt, text(size: 15pt, weight: \"bold\")[ĐẢNG CỘNG SẢN VIỆT NAM]) },")
    a(f"  [{ty_text(so_hieu)}], emph[{ty_text(ngay)}]))")
    # Title, summary, short rule.
    a(f"#block(above: {18 + LEAD - BODY}pt, below: 0pt, width: 100%, {{ set par(justify: false, first-line-indent: 0pt)")
    a(f"  align(center)[#text(size: 16pt, weight: \"bold\")[{ty_text(vb.get('loai', 'BÁO CÁO'))}] \\")
    a(f"  #box(width: 62%)[#strong[{ty_text(vb['trich_yeu'])}]] \\ \\-\\-\\-\\-\\-] }})")
    for b in blocks:
        if b[0] == "h":
            w = "bold" if b[1] <= 2 else "regular"
            a(f"#block(sticky: true, par(text(weight: \"{w}\")[{ty_runs(b[2])}]))")
        elif b[0] == "p":
            a("")
            a(ty_runs(b[1]))
            a("")
        elif b[0] == "pagebreak":
            a("#pagebreak(weak: true)")
        elif b[0] == "table":
            a(typst_table(metrics, b[1], b[2]))
    # Signature and recipients side by side, kept together.
    rw = SIG_RIGHT * 100
    a(f"#block(breakable: false, above: {12 + LEAD - BODY}pt, grid(columns: ({100 - rw}%, {rw}%),")
    left = []
    if noi_nhan:
        left.append("underline(offset: 1.8pt, stroke: 0.6pt)[Nơi nhận:]")
        last = len(noi_nhan) - 1
        lines = " \\ ".join("\\- " + ty_text(with_ending(d, "." if i == last else ","))
                            for i, d in enumerate(noi_nhan))
        left.append(f"block(above: {RECIP_LEAD - RECIP_SIZE}pt, width: 100% - 6pt, text(size: {RECIP_SIZE}pt)[#set par(leading: {RECIP_LEAD - RECIP_SIZE}pt); {lines}])")
    a("  { set par(justify: false, first-line-indent: 0pt, spacing: 4pt); " + "; ".join(left) + " },")
    sig = []
    if ky.get("quyen_han"):
        sig.append(f"#strong[{ty_text(ky['quyen_han'])}]")
    sig.append(ty_text(ky["chuc_vu"]))
    a("  { set par(justify: false, first-line-indent: 0pt)")
    sig_lines = " \\ ".join(sig)
    blank = " \\" * (SIG_BLANK + 1)
    a(f"    align(center)[{sig_lines}{blank} #strong[{ty_text(ky['ho_ten'])}]] }}))")
    return "\n".join(L) + "\n"


def ty_str(s):
    return s.replace("\\", "\\\\").replace('"', '\\"')


def typst_table(metrics, aligns, rows):
    g, head, col_align, widths = table_model(metrics, aligns, rows)
    ncol = len(widths)
    cols = ", ".join(f"{w:.2f}pt" for w in widths)
    out = [f"#block(above: {LEAD - BODY + PAR_BEFORE}pt, below: {LEAD - BODY + PAR_BEFORE}pt, {{",
           f"  set text(size: {TABLE_SIZE}pt)",
           f"  set par(justify: false, first-line-indent: 0pt, leading: {TABLE_SIZE * (TABLE_LEAD - 1):.2f}pt, spacing: {TABLE_SIZE * (TABLE_LEAD - 1):.2f}pt)",
           "  set table.cell(breakable: false)",
           # A line box has no depth (bottom-edge: baseline): add the leading below
           # the last line so a row is as tall as baocao's (lines × 1.2 em + 2 × pad).
           f"  table(columns: ({cols}), inset: (x: {TABLE_PAD}pt, top: {TABLE_PAD}pt,"
           f" bottom: {TABLE_PAD + TABLE_SIZE * (TABLE_LEAD - 1):.2f}pt), stroke: {TABLE_RULE}pt,"]

    def cell(c, header):
        al = "center + horizon" if header else ("left" if c["colspan"] > 1 else col_align[c["col"]]) + " + top"
        body = ty_runs(c["runs"])
        if header:
            body = f"#strong[{body}]"
        extra = ""
        if c["colspan"] > 1:
            extra += f", colspan: {c['colspan']}"
        if c["rowspan"] > 1:
            extra += f", rowspan: {c['rowspan']}"
        return f"table.cell(align: {al}{extra})[{body}]"

    hc = [cell(c, True) for r in g[:head] for c in r]
    out.append("    table.header(repeat: true, " + ", ".join(hc) + "),")
    for r in g[head:]:
        out.append("    " + ", ".join(cell(c, False) for c in r) + ",")
    out.append("  )})")
    _ = ncol
    return "\n".join(out)


# --- HTML ----------------------------------------------------------------------------
def h_runs(runs):
    out = []
    for text, b, i in runs:
        t = html.escape(text, quote=False)
        if i:
            t = f"<em>{t}</em>"
        if b:
            t = f"<strong>{t}</strong>"
        out.append(t)
    return "".join(out)


def html_doc(meta, so_hieu, ngay, blocks, metrics, fonts):
    vb, ky = meta["van_ban"], meta["ky"]
    noi_nhan = vb.get("noi_nhan", [])
    faces = []
    for f, w, s in (("Regular", "normal", "normal"), ("Bold", "bold", "normal"),
                    ("Italic", "normal", "italic"), ("BoldItalic", "bold", "italic")):
        url = "file://" + os.path.abspath(os.path.join(fonts, f"Tinos-{f}.ttf"))
        faces.append(f'@font-face {{ font-family: "Tinos"; src: url("{url}"); font-weight: {w}; font-style: {s}; }}')
    lw = HEAD_LEFT * 100
    css = "\n".join(faces) + f"""
@page {{ size: A4; margin: 20mm 15mm 20mm 30mm;
  @top-center {{ content: counter(page); font: 14pt "Tinos"; vertical-align: middle; }} }}
@page :first {{ @top-center {{ content: none; }} }}
html {{ font-family: "Tinos"; font-size: {BODY}pt; line-height: {LEAD}pt; }}
body {{ margin: 0; }}
p {{ margin: {PAR_BEFORE}pt 0 0; text-align: justify; text-indent: {INDENT_MM}mm; orphans: 2; widows: 2; }}
h1, h2, h3 {{ font-size: {BODY}pt; margin: {PAR_BEFORE}pt 0 0; text-indent: {INDENT_MM}mm; text-align: justify;
  break-after: avoid; }}
h3 {{ font-weight: normal; }}
.dau {{ width: 100%; border-collapse: collapse; }}
.dau td {{ text-align: center; vertical-align: top; padding: 0; }}
.dau td.l {{ width: {lw}%; }}
.gach {{ font-size: 15pt; font-weight: bold; border-bottom: 0.6pt solid black; padding-bottom: 1pt; }}
.tieu-de {{ text-align: center; margin-top: 18pt; font-weight: bold; }}
.tieu-de .loai {{ font-size: 16pt; }}
.tieu-de .ty {{ width: 62%; margin: 0 auto; }}
.tieu-de .g {{ font-weight: normal; }}
table.bang {{ width: 100%; table-layout: fixed; border-collapse: collapse; margin: {PAR_BEFORE}pt 0;
  font-size: {TABLE_SIZE}pt; line-height: {TABLE_LEAD}; }}
.bang td, .bang th {{ border: {TABLE_RULE}pt solid black; padding: {TABLE_PAD}pt; vertical-align: top;
  text-indent: 0; }}
.bang th {{ text-align: center; vertical-align: middle; }}
.bang tr {{ break-inside: avoid; }}
.ky {{ width: 100%; border-collapse: collapse; margin-top: 12pt; break-inside: avoid; }}
.ky td {{ vertical-align: top; padding: 0; }}
.ky td.nn {{ width: {100 - SIG_RIGHT * 100}%; padding-right: 6pt; }}
.ky .nn-t {{ text-decoration: underline; }}
.ky .nn-d {{ font-size: {RECIP_SIZE}pt; line-height: {RECIP_LEAD}pt; }}
.ky td.k {{ text-align: center; }}
.pb {{ break-before: page; }}
"""
    B = []
    a = B.append
    a('<table class="dau"><tr>')
    a(f'<td class="l">{html.escape(vb["co_quan_cap_tren"])}<br><strong>{html.escape(vb["co_quan"])}</strong><br>*</td>')
    a('<td><span class="gach">ĐẢNG CỘNG SẢN VIỆT NAM</span></td></tr>')
    a(f'<tr><td class="l">{html.escape(so_hieu)}</td><td><em>{html.escape(ngay)}</em></td></tr></table>')
    a('<div class="tieu-de">')
    a(f'<div class="loai">{html.escape(vb.get("loai", "BÁO CÁO"))}</div>')
    a(f'<div class="ty">{html.escape(vb["trich_yeu"])}</div><div class="g">-----</div></div>')
    for b in blocks:
        if b[0] == "h":
            a(f"<h{b[1]}>{h_runs(b[2])}</h{b[1]}>")
        elif b[0] == "p":
            a(f"<p>{h_runs(b[1])}</p>")
        elif b[0] == "pagebreak":
            a('<div class="pb"></div>')
        elif b[0] == "table":
            a(html_table(metrics, b[1], b[2]))
    a('<table class="ky"><tr><td class="nn">')
    if noi_nhan:
        a('<div class="nn-t">Nơi nhận:</div><div class="nn-d">')
        last = len(noi_nhan) - 1
        a("<br>".join("- " + html.escape(with_ending(d, "." if i == last else ","))
                      for i, d in enumerate(noi_nhan)))
        a("</div>")
    a('</td><td class="k">')
    if ky.get("quyen_han"):
        a(f"<strong>{html.escape(ky['quyen_han'])}</strong><br>")
    a(html.escape(ky["chuc_vu"]) + "<br>" + "<br>" * SIG_BLANK)
    a(f"<strong>{html.escape(ky['ho_ten'])}</strong></td></tr></table>")
    title = html.escape(vb.get("loai", "BÁO CÁO") + " " + vb["trich_yeu"])
    return (f'<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8"><title>{title}</title>\n'
            f"<style>{css}</style></head><body>\n" + "\n".join(B) + "\n</body></html>\n")


def html_table(metrics, aligns, rows):
    # With collapsed borders half of each rule comes out of the cell's box:
    # measure with that much more padding so the same words fit as in baocao.
    g, head, col_align, widths = table_model(metrics, aligns, rows, pad=TABLE_PAD + TABLE_RULE / 2)
    out = ['<table class="bang"><colgroup>']
    out += [f'<col style="width: {w:.2f}pt">' for w in widths]
    out.append("</colgroup><thead>")

    def cell(c, tag, style):
        span = ""
        if c["colspan"] > 1:
            span += f' colspan="{c["colspan"]}"'
        if c["rowspan"] > 1:
            span += f' rowspan="{c["rowspan"]}"'
        st = f' style="text-align: {style}"' if style else ""
        return f"<{tag}{span}{st}>{h_runs(c['runs'])}</{tag}>"

    for r in g[:head]:
        out.append("<tr>" + "".join(cell(c, "th", None) for c in r) + "</tr>")
    out.append("</thead><tbody>")
    for r in g[head:]:
        out.append("<tr>" + "".join(
            cell(c, "td", "left" if c["colspan"] > 1 else col_align[c["col"]]) for c in r) + "</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def main():
    if len(sys.argv) != 5:
        die(__doc__)
    baocao, data, fonts, out = sys.argv[1:]
    os.makedirs(out, exist_ok=True)
    r = subprocess.run([baocao, "render", data, "--emit", "markup"], capture_output=True, text=True)
    if r.returncode != 0:
        die(f"baocao render --emit markup failed:\n{r.stderr}")
    markup = r.stdout
    with open(os.path.join(out, "report.md"), "w", encoding="utf-8") as f:
        f.write(markup)
    with open(data, "rb") as f:
        meta = tomllib.load(f)
    so_hieu, ngay = baocao_strings(baocao, data, out)
    metrics = Metrics(fonts)
    blocks = parse(markup)
    with open(os.path.join(out, "report.typ"), "w", encoding="utf-8") as f:
        f.write(typst_doc(meta, so_hieu, ngay, blocks, metrics))
    with open(os.path.join(out, "report.html"), "w", encoding="utf-8") as f:
        f.write(html_doc(meta, so_hieu, ngay, blocks, metrics, fonts))
    n_tables = sum(1 for b in blocks if b[0] == "table")
    print(f"converted: {len(blocks)} blocks, {n_tables} table(s); {so_hieu}; {ngay}")


if __name__ == "__main__":
    main()
