#!/usr/bin/env bash
# Benchmark: reports of about 10, 100 and 300 pages of justified text with headings
# and a table every few pages (a whole `baocao render` process each, median of N
# runs), to show time grows linearly with pages.
# Usage: bench/pages.sh [runs]   (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
cargo build --release --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work" "$runs" "$PWD/target/release/baocao" "$PWD/examples/bac-kan-2021" <<'PY'
import os, re, shutil, statistics, subprocess, sys, time
work, runs, bin, ex = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
data = open(os.path.join(ex, "bao-cao.toml")).read()
body = subprocess.run([bin, "render", os.path.join(ex, "bao-cao.toml"), "--emit", "markup"], capture_output=True, text=True, check=True).stdout
# The example's body (about 4 pages) repeated; its markup has no braces left.
body = body.replace("{", "{ ").replace("}", " }")
print(f"{'trang':>6} {'trung vị':>10} {'ms/trang':>9}")
for reps in [3, 25, 75]:
    d = os.path.join(work, str(reps)); os.makedirs(d)
    open(os.path.join(d, "bao-cao.toml"), "w").write(data)
    open(os.path.join(d, "bao-cao.md.hbs"), "w").write("\n\n".join([body] * reps))
    args = [bin, "render", os.path.join(d, "bao-cao.toml"), "-o", os.path.join(d, "o.pdf")]
    subprocess.run(args, check=True, capture_output=True)
    ts = []
    for _ in range(runs):
        t = time.perf_counter(); subprocess.run(args, check=True, capture_output=True); ts.append(time.perf_counter() - t)
    info = subprocess.run(["pdfinfo", os.path.join(d, "o.pdf")], capture_output=True, text=True).stdout
    pages = int(next(l.split()[-1] for l in info.splitlines() if l.startswith("Pages:")))
    med = statistics.median(ts) * 1000
    print(f"{pages:>6} {med:>8.1f} ms {med / pages:>8.2f}")
PY
