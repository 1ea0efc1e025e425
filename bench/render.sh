#!/usr/bin/env bash
# Benchmark: a whole `baocao render` process for each example (start-up, TOML,
# templates, layout, PDF, write), N runs each; prints median and min wall time,
# the stage split of one run (BAOCAO_TIMINGS) and the PDF size.
# Usage: bench/render.sh [runs]   (default 50)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-50}
cargo build --release --quiet
bin=./target/release/baocao
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "máy: $(nproc) lõi, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
for data in examples/*/*.toml; do
  grep -q '^mau *=' "$data" || continue
  name=$(basename "$(dirname "$data")")
  python3 - "$bin" "$data" "$out/$name.pdf" "$runs" <<'PY'
import statistics, subprocess, sys, time
bin, data, pdf, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
subprocess.run([bin, "render", data, "-o", pdf], check=True, capture_output=True)  # warm-up
times = []
for _ in range(runs):
    t = time.perf_counter()
    subprocess.run([bin, "render", data, "-o", pdf], check=True, capture_output=True)
    times.append((time.perf_counter() - t) * 1000)
print(f"{data}: median {statistics.median(times):.1f} ms, min {min(times):.1f} ms over {runs} runs")
PY
  BAOCAO_TIMINGS=1 "$bin" render "$data" -o "$out/$name.pdf" 2>&1 | sed 's/^/    /'
done
