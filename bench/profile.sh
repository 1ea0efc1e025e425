#!/usr/bin/env bash
# Profile of the hot path: where a cold `baocao render` of one report spends its
# instructions, by stage, counted by valgrind's callgrind (exact and repeatable,
# unlike wall time on a shared machine; it does not see the kernel (exec, page
# faults, the file write), waiting, or
# the second core). Builds the `profiling` profile (release code with line
# tables) and renders with -j1 so that every stage runs on one thread.
#
# Usage: bench/profile.sh [DATA.toml]   (default: the Bắc Kạn example)
#   Leaves the full profile in target/profile/callgrind.out for callgrind_annotate
#   or kcachegrind.
# Needs valgrind (installed with apt-get when run as root, else says so).
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-examples/bac-kan-2021/bao-cao.toml}
if ! command -v valgrind >/dev/null || ! command -v callgrind_annotate >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind >/dev/null
  else
    echo "cần valgrind: apt-get install -y valgrind" >&2
    exit 1
  fi
fi
cargo build --profile profiling --quiet
mkdir -p target/profile
out=target/profile/callgrind.out
valgrind --tool=callgrind --callgrind-out-file="$out" \
  target/profiling/baocao render "$data" -o target/profile/out.pdf -j1 >/dev/null 2>&1
callgrind_annotate --inclusive=yes --threshold=100 "$out" 2>/dev/null | python3 -c '
import re, sys
total = None
incl = {}
for line in sys.stdin:
    m = re.match(r"\s*([\d,]+) \(\s*[\d.]+%\)\s+(\S.*)$", line)
    if not m:
        continue
    n = int(m.group(1).replace(",", ""))
    what = m.group(2)
    if "PROGRAM TOTALS" in what:
        total = n
        continue
    fn = what.split(":", 1)[-1].split(" [")[0]
    incl[fn] = max(incl.get(fn, 0), n)
stages = [
    ("cả tiến trình", None),
    ("  đọc dữ liệu TOML (kể cả [[don_vi]])", "baocao::input::load_units"),
    ("  thể thức (profile)", "baocao::profile::resolve"),
    ("  dịch mẫu Handlebars", "baocao::template::compile::compile"),
    ("  điền mẫu", "baocao::template::Engine::render"),
    ("  markup → khối", "baocao::markup::parse"),
    ("  dàn trang (cả định hình chữ)", "baocao::layout::layout"),
    ("    định hình chữ (rustybuzz)", "baocao::layout::shape::shape_with"),
    ("    ngắt dòng Knuth–Plass", "baocao::layout::linebreak::break_lines_with"),
    ("  PDF", "baocao::pdf::write"),
    ("    tập con phông (subsetter)", "subsetter::subset"),
    ("    bỏ hinting", "baocao::fonts::unhint::strip"),
    ("    nén deflate", "zlib_rs::deflate::deflate"),
    ("    nội dung trang", "baocao::pdf::page_content"),
    ("  ghi tệp", "baocao::cli::write::write_atomic"),
]
print("%-40s %12s %7s" % ("bước", "lệnh máy", "phần"))
for name, fn in stages:
    n = total if fn is None else incl.get(fn)
    if n is None:
        print("%-40s %12s" % (name, "(gộp vào bước trên khi được nội tuyến)"))
        continue
    print(f"{name:40} {n:>12,} {100 * n / total:>6.1f}%".replace(",", "."))
'
echo "(hồ sơ đầy đủ: $out)"
