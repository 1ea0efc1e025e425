#!/usr/bin/env python3
"""Measure baocao, Typst and WeasyPrint on the same report; print the table.

Run by bench/compare.sh inside its venv (it needs typst, weasyprint, pypdf):
    bench.py RUNS BAOCAO DATA.toml FONTS_DIR WORK_DIR
WORK_DIR holds report.typ and report.html from convert.py.

Processes: wall time by perf_counter around a plain spawn (N runs, after one
warm-up), peak memory by `/usr/bin/time -f %M` (separate runs, median).
In-process: one Python process, a warm-up call, then N timed calls; peak memory
is that process's ru_maxrss (interpreter and libraries included).
Side by side: baocao's process and Typst's in-process compile in turns, 2N rounds,
in this process (the target "no slower than Typst in-process" is judged on it).

Typst memoizes (comemo) across compiles in one process: compiling the very same
document again reuses nearly all of the last compile's layout and PDF pieces. A
report is rarely compiled twice unchanged, so the side-by-side and batch runs
also time Typst on the same document with a new figure each call (the party
membership count, as the baocao batch varies it per unit): "new figures".
"""
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time

RUNS, BAOCAO, DATA, FONTS, WORK = sys.argv[1:6]
RUNS = int(RUNS)
MEM_RUNS = 3
BATCH_UNITS = 1000
BATCH_RUNS = int(os.environ.get("BATCH_RUNS", "3"))
TYPST_BATCH_BUDGET_S = 60.0
PY = sys.executable
TYP = os.path.join(WORK, "report.typ")
# The figure changed per call in the "new figures" runs, as Typst source.
FIGURE = "3\\.152 đảng viên"
HTML = os.path.join(WORK, "report.html")
GNU_TIME = "/usr/bin/time"
SHM = os.environ.get("BENCH_SHM") or None  # a scratch folder on tmpfs, if any (compare.sh)


def say(msg):
    print(msg, file=sys.stderr, flush=True)


def pages(pdf):
    from pypdf import PdfReader
    return len(PdfReader(pdf).pages)


def text_of(pdf):
    from pypdf import PdfReader
    return " ".join(p.extract_text() or "" for p in PdfReader(pdf).pages)


def words(pdf):
    """Words of the PDF's text, for a same-content check."""
    return re.findall(r"\w+", text_of(pdf))


def run_quiet(cmd, **kw):
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw)
    if r.returncode != 0:
        sys.exit(f"failed ({r.returncode}): {' '.join(cmd)}\n{r.stderr.decode(errors='replace')}")


def peak_kb(cmd):
    """Peak RSS (KB) of `cmd` by GNU time, median of MEM_RUNS runs."""
    out = []
    for _ in range(MEM_RUNS):
        f = os.path.join(WORK, "time.out")
        run_quiet([GNU_TIME, "-f", "%M", "-o", f] + cmd)
        out.append(int(open(f).read().strip().splitlines()[-1]))
    return statistics.median(out)


def timed_spawn(cmd):
    """Wall ms and CPU ms (user + system, from the child's rusage) of one run."""
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    wall = (time.perf_counter() - t) * 1000
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        sys.exit(f"failed ({p.returncode}): {' '.join(cmd)}")
    return wall, (ru.ru_utime + ru.ru_stime) * 1000


def process_rows(specs):
    """Time several commands round-robin (run i of each, then run i+1 …), so a
    burst of other work on the machine hits every tool alike."""
    for tool, mode, cmd, pdf in specs:
        run_quiet(cmd)  # warm-up (page cache, byte-compiled modules)
    say(f"  processes: {', '.join(f'{t} ({m})' for t, m, _, _ in specs)}: {RUNS} rounds …")
    times = [[] for _ in specs]
    cpus = [[] for _ in specs]
    for _ in range(RUNS):
        for k, (_, _, cmd, _) in enumerate(specs):
            wall, cpu = timed_spawn(cmd)
            times[k].append(wall)
            cpus[k].append(cpu)
    rows = []
    for (tool, mode, cmd, pdf), ts, cs in zip(specs, times, cpus):
        rows.append(dict(tool=tool, mode=mode, ms=statistics.median(ts), ms_min=min(ts),
                         cpu=statistics.median(cs),
                         mb=peak_kb(cmd) / 1024, kb=os.path.getsize(pdf) / 1024,
                         pages=pages(pdf), pdf=pdf))
    return rows


INPROC = r'''
import json, resource, statistics, sys, time
kind, n, src, out, fonts = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
if kind == "typst":
    import typst
    def once():
        typst.compile(src, output=out, font_paths=[fonts], ignore_system_fonts=True)
elif kind == "typst-varied":
    import os, typst
    FIGURE = sys.argv[6]
    text = open(src, encoding="utf-8").read()
    assert FIGURE in text, f"{FIGURE!r} not in {src}"
    varied = os.path.join(os.path.dirname(src), "varied.typ")
    calls = [0]
    def once():
        calls[0] += 1
        n = 1000 + calls[0]
        with open(varied, "w", encoding="utf-8") as f:
            f.write(text.replace(FIGURE, f"{n // 1000}\\.{n % 1000:03d} đảng viên"))
        typst.compile(varied, output=out, font_paths=[fonts], ignore_system_fonts=True)
else:
    import logging
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    from weasyprint import HTML
    def once():
        HTML(filename=src).write_pdf(out)
t = time.perf_counter(); once(); first = (time.perf_counter() - t) * 1000
ts, cs = [], []
for _ in range(n):
    c = time.process_time(); t = time.perf_counter(); once()
    ts.append((time.perf_counter() - t) * 1000); cs.append((time.process_time() - c) * 1000)
print(json.dumps(dict(first=first, median=statistics.median(ts), min=min(ts), total=sum(ts),
                      cpu=statistics.median(cs), cpu_total=sum(cs),
                      maxrss_kb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)))
'''


def inproc(kind, n, src, out):
    r = subprocess.run([PY, "-c", INPROC, kind, str(n), src, out, FONTS, FIGURE],
                       capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"in-process {kind} failed:\n{r.stderr}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def inproc_row(tool, kind, src, pdf):
    say(f"  {tool}, in-process: {RUNS} calls …")
    j = inproc(kind, RUNS, src, pdf)
    return dict(tool=tool, mode="in-process", ms=j["median"], ms_min=j["min"], first=j["first"], cpu=j["cpu"],
                mb=j["maxrss_kb"] / 1024, kb=os.path.getsize(pdf) / 1024, pages=pages(pdf), pdf=pdf)


def side_by_side(cmd, n):
    """baocao as a process and Typst's in-process compile (as in the in-process
    row: a fresh compiler per call, in this already running Python), the same
    document and then with a new figure, taken in turns, round after round, so
    that all meet the same moments of a shared machine. Returns (baocao ms list,
    Typst same-document ms list, Typst new-figures ms list)."""
    import typst
    out = os.path.join(WORK, "typst-side.pdf")
    text = open(TYP, encoding="utf-8").read()
    assert FIGURE in text, f"{FIGURE!r} not in {TYP}"
    varied = os.path.join(WORK, "side-varied.typ")

    def once(src):
        start = time.perf_counter()
        typst.compile(src, output=out, font_paths=[FONTS], ignore_system_fonts=True)
        return (time.perf_counter() - start) * 1000
    once(TYP)  # warm-up (first call loads the fonts)
    run_quiet(cmd)
    say(f"  side by side: baocao (process) and Typst (in-process, same and new figures) in turns, {n} rounds …")
    b, t, v = [], [], []
    for i in range(n):
        b.append(timed_spawn(cmd)[0])
        t.append(once(TYP))
        m = 2000 + i
        with open(varied, "w", encoding="utf-8") as f:
            f.write(text.replace(FIGURE, f"{m // 1000}\\.{m % 1000:03d} đảng viên"))
        v.append(once(varied))
    return b, t, v


def batch_data(dirname):
    """A copy of the example with BATCH_UNITS `[[don_vi]]` units, numbers varied."""
    os.makedirs(dirname, exist_ok=True)
    src_dir = os.path.dirname(os.path.abspath(DATA))
    text = open(DATA, encoding="utf-8").read()
    m = re.search(r'(?m)^mau\s*=\s*"([^"]+)"', text)
    if not m:
        sys.exit(f"{DATA}: no `mau = \"…\"` line")
    tpl = m.group(1)
    # The template and its partials (every *.hbs beside it).
    for f in os.listdir(src_dir):
        if f.endswith(".hbs"):
            shutil.copy(os.path.join(src_dir, f), dirname)
    units = []
    for i in range(1, BATCH_UNITS + 1):
        units.append(
            f'\n[[don_vi]]\nten_tep = "don-vi-{i:04d}"\n'
            f"dang_bo = {{ dang_vien = {3000 + i} }}\n"
            f"thuong_mai = {{ ban_le = {{ thuc_hien = {3000 + i % 500} }} }}\n"
            f"ngan_sach = {{ thu = {{ thuc_hien = {150 + (i % 97) / 10} }} }}\n")
    path = os.path.join(dirname, "data.toml")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text + "".join(units))
    assert os.path.exists(os.path.join(dirname, tpl))
    return path


def baocao_batch(out_root=None, runs=BATCH_RUNS, label=""):
    d = os.path.join(WORK, "batch")
    data = os.path.join(d, "data.toml")
    if not os.path.exists(data):
        data = batch_data(d)
    out = os.path.join(out_root or d, "out")
    say(f"  baocao, batch of {BATCH_UNITS} units in one process{label}: {runs} run(s) …")
    walls, mems, cpus = [], [], []
    for _ in range(runs):
        shutil.rmtree(out, ignore_errors=True)
        f = os.path.join(WORK, "time.out")
        t = time.perf_counter()
        run_quiet([GNU_TIME, "-f", "%M %U %S", "-o", f, BAOCAO, "render", data, "-o", out + "/"])
        walls.append(time.perf_counter() - t)
        m, u, s_ = open(f).read().strip().splitlines()[-1].split()
        mems.append(int(m))
        cpus.append(float(u) + float(s_))
    pdfs = sorted(p for p in os.listdir(out) if p.endswith(".pdf"))
    if len(pdfs) != BATCH_UNITS:
        sys.exit(f"baocao batch: expected {BATCH_UNITS} PDFs in {out}, found {len(pdfs)}")
    # The units really differ: unit 7 has 3007 party members (printed "3.007").
    t7 = text_of(os.path.join(out, "don-vi-0007.pdf"))
    if "3.007 đảng viên" not in t7:
        sys.exit("baocao batch: don-vi-0007.pdf does not show its own number (3.007 đảng viên)")
    sizes = [os.path.getsize(os.path.join(out, p)) for p in pdfs]
    wall = statistics.median(walls)
    first_pages = pages(os.path.join(out, pdfs[0]))
    shutil.rmtree(out, ignore_errors=True)
    return dict(tool="baocao", mode=f"batch, {BATCH_UNITS} units, 1 process{label}", total_s=wall,
                walls=walls, mb=statistics.median(mems) / 1024, per_ms=wall * 1000 / BATCH_UNITS,
                cpu_s=statistics.median(cpus),
                kb=statistics.median(sizes) / 1024, pages=first_pages, n=BATCH_UNITS)


def typst_batch(per_call_ms, varied=False):
    n = BATCH_UNITS
    est = per_call_ms * n / 1000
    if est > TYPST_BATCH_BUDGET_S:
        n = max(50, int(TYPST_BATCH_BUDGET_S * 1000 / per_call_ms))
    what = "a new figure each call" if varied else "same report"
    say(f"  Typst, {what}, compiled {n}× in one process …")
    pdf = os.path.join(WORK, "typst-batch.pdf")
    j = inproc("typst-varied" if varied else "typst", n, TYP, pdf)
    total = (j["first"] + j["total"]) / 1000  # every call, the first included
    scaled = total * BATCH_UNITS / (n + 1)
    cpu_s = (j["cpu_total"] + j["cpu"]) / 1000 * BATCH_UNITS / (n + 1)  # first call's CPU ≈ a median call
    return dict(tool="Typst", mode=f"in-process, {BATCH_UNITS}× {'new figures' if varied else 'same report'}"
                + ("" if n + 1 >= BATCH_UNITS else f" (ran {n + 1}, scaled)"),
                total_s=scaled, cpu_s=cpu_s, mb=j["maxrss_kb"] / 1024, per_ms=scaled * 1000 / BATCH_UNITS,
                kb=os.path.getsize(pdf) / 1024, pages=pages(pdf), n=n + 1)


def machine():
    cpu = "?"
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = "?"
    for line in open("/proc/meminfo"):
        if line.startswith("MemTotal"):
            mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    osname = "?"
    if os.path.exists("/etc/os-release"):
        for line in open("/etc/os-release"):
            if line.startswith("PRETTY_NAME="):
                osname = line.split("=", 1)[1].strip().strip('"')
    return cpu, mem, osname


def versions():
    import typst
    import weasyprint
    from importlib.metadata import version
    tv = json.loads(typst.query(b"#metadata(str(sys.version)) <v>", "<v>", field="value"))[0]
    bv = subprocess.run([BAOCAO, "--version"], capture_output=True, text=True).stdout.strip()
    return f"{bv}; Typst {tv} (PyPI typst {version('typst')}); WeasyPrint {weasyprint.__version__}; Python {platform.python_version()}"


def main():
    cpu, mem, osname = machine()
    load0 = os.getloadavg()[0]
    say(f"measuring ({RUNS} runs each) …")
    pdf_b = os.path.join(WORK, "baocao.pdf")
    pdf_t = os.path.join(WORK, "typst.pdf")
    pdf_w = os.path.join(WORK, "weasyprint.pdf")
    typst_cmd = [PY, "-c", "import sys, typst; typst.compile(sys.argv[1], output=sys.argv[2], "
                 "font_paths=[sys.argv[3]], ignore_system_fonts=True)", TYP, pdf_t, FONTS]
    weasy_cmd = [PY, "-m", "weasyprint", "-q", HTML, pdf_w]
    specs = [
        ("baocao", "process", [BAOCAO, "render", DATA, "-o", pdf_b], pdf_b),
        ("Typst", "process (Python binding)", typst_cmd, pdf_t),
        ("WeasyPrint", "process", weasy_cmd, pdf_w),
    ]
    # baocao writes each PDF to a temporary file and renames it into place: the
    # same run with its output on tmpfs shows what the disk costs.
    if SHM:
        pdf_s = os.path.join(SHM, "baocao.pdf")
        specs.append(("baocao", "process, -o on tmpfs", [BAOCAO, "render", DATA, "-o", pdf_s], pdf_s))
    prow = process_rows(specs)
    side_b, side_t, side_v = side_by_side(specs[0][2], 2 * RUNS)
    rows = [prow[0], prow[1], inproc_row("Typst", "typst", TYP, pdf_t),
            prow[2], inproc_row("WeasyPrint", "weasyprint", HTML, pdf_w)] + prow[3:]
    # Untagged Typst PDF size, for reference (Typst tags PDFs by default).
    import typst
    untagged = len(typst.compile(TYP, font_paths=[FONTS], ignore_system_fonts=True, pdf_tags=False)) / 1024
    typst_in = rows[2]
    batch = [baocao_batch()]
    if SHM:
        batch.append(baocao_batch(SHM, 1, ", -o on tmpfs"))
    batch.append(typst_batch(typst_in["ms"]))
    batch.append(typst_batch(statistics.median(side_v), varied=True))
    load1 = os.getloadavg()[0]

    base = rows[0]
    print()
    print(f"Machine: {os.cpu_count()} cores (nproc {subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()}), "
          f"{cpu}, {mem} RAM, {osname}, Linux {platform.release()}")
    print(f"Versions: {versions()}")
    print(f"Load average (1 min) before/after: {load0:.2f} / {load1:.2f}"
          + ("   ← other work was running: times are noisy" if max(load0, load1) > 0.5 else ""))
    print(f"Report: {DATA} ({RUNS} runs per row; median wall time)")
    print()
    hdr = f"{'tool':<11} {'mode':<26} {'median ms':>10} {'min ms':>8} {'CPU ms':>7} {'peak MB':>8} {'PDF KB':>7} {'pages':>5} {'time ×':>7} {'size ×':>7}"
    print(hdr)
    print("-" * len(hdr))
    for r in rows:
        print(f"{r['tool']:<11} {r['mode']:<26} {r['ms']:>10.1f} {r['ms_min']:>8.1f} {r['cpu']:>7.1f} {r['mb']:>8.1f} "
              f"{r['kb']:>7.1f} {r['pages']:>5} {r['ms'] / base['ms']:>7.2f} {r['kb'] / base['kb']:>7.2f}")
    print()
    hdr2 = f"{'tool':<11} {'batch':<46} {'total s':>8} {'ms/report':>10} {'CPU s':>7} {'peak MB':>8} {'PDF KB':>7} {'pages':>5} {'time ×':>7}"
    print(hdr2)
    print("-" * len(hdr2))
    bb = batch[0]
    for r in batch:
        print(f"{r['tool']:<11} {r['mode']:<46} {r['total_s']:>8.2f} {r['per_ms']:>10.2f} {r['cpu_s']:>7.2f} {r['mb']:>8.1f} "
              f"{r['kb']:>7.1f} {r['pages']:>5} {r['total_s'] / bb['total_s']:>7.2f}")
    print()
    print("time × / size × = that row's median time / PDF size over baocao's (process row, or batch row);"
          " KB and MB are 1024-based;\nCPU ms, CPU s = median user + system time per run (processes: the child's rusage;"
          " in-process: process_time around the call; all threads).")
    print(f"In-process rows: first call (not counted) Typst {rows[2]['first']:.1f} ms, "
          f"WeasyPrint {rows[4]['first']:.1f} ms; peak MB there is the whole Python process.")
    print(f"baocao batch runs (s): {', '.join(f'{w:.2f}' for w in bb['walls'])}; PDF KB is the median unit's.")
    print(f"Typst PDF without tags (pdf_tags=False): {untagged:.1f} KB.")
    sb, st, sv = statistics.median(side_b), statistics.median(side_t), statistics.median(side_v)
    print(f"Side by side ({len(side_b)} rounds, in turns): baocao process median {sb:.1f} ms (min {min(side_b):.1f}), "
          f"Typst in-process median {st:.1f} ms (min {min(side_t):.1f}), ratio {sb / st:.2f}; "
          f"Typst in-process with a new figure median {sv:.1f} ms (min {min(side_v):.1f}), ratio {sb / sv:.2f}")
    # Same content check: words of each PDF's text.
    wb, wt, ww = (words(p) for p in (pdf_b, pdf_t, pdf_w))
    print(f"Text check (words in the PDF's text, pypdf): baocao {len(wb)}, Typst {len(wt)}, WeasyPrint {len(ww)}")
    print()
    typ_in = rows[2]["ms"]
    wsize = rows[3]["kb"]
    checks = [
        (f"one report as a process ≤ Typst in-process compile of the same document (side by side, in turns)", sb <= st,
         f"{sb:.1f} vs {st:.1f} ms (rows above, measured apart: {base['ms']:.1f} vs {typ_in:.1f} ms)"),
        (f"one report as a process ≤ Typst in-process compile with a new figure (side by side, in turns)", sb <= sv,
         f"{sb:.1f} vs {sv:.1f} ms"),
        (f"batch of {BATCH_UNITS} ≤ 2 s", bb["total_s"] <= 2, f"{bb['total_s']:.2f} s"),
        (f"batch peak memory ≤ 200 MB", bb["mb"] <= 200, f"{bb['mb']:.1f} MB"),
        (f"PDF ≤ 48 KB (tagged PDF/A-2a + PDF/UA-1)", base["kb"] <= 48, f"{base['kb']:.1f} KB"),
        (f"PDF size ≤ WeasyPrint's (untagged)", base["kb"] <= wsize, f"{base['kb']:.1f} vs {wsize:.1f} KB"),
    ]
    print("Targets (issues 7 and 16):")
    for name, ok, val in checks:
        print(f"  [{'met' if ok else 'NOT met'}] {name}: {val}")


if __name__ == "__main__":
    main()
