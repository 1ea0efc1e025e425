#!/usr/bin/env bash
# Benchmark: tables of 1, 50, 500 and 2,000 rows (a whole `baocao render` process
# each, median of N runs), to show time grows linearly with rows.
# Usage: bench/tables.sh [runs]   (default 10; BAOCAO_BIN=path measures that build)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
if [ -z "${BAOCAO_BIN:-}" ]; then cargo build --release --quiet; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work" "$runs" "${BAOCAO_BIN:-$PWD/target/release/baocao}" <<'PY'
import os, statistics, subprocess, sys, time
work, runs, bin = sys.argv[1], int(sys.argv[2]), sys.argv[3]
head = '''mau = "m.md.hbs"
[van_ban]
the_thuc = "nha-nuoc"
co_quan_cap_tren = "ỦY BAN NHÂN DÂN TỈNH X"
co_quan = "ỦY BAN NHÂN DÂN XÃ Y"
so = 7
ky_hieu = "BC-UBND"
dia_danh = "Y"
ngay = 2025-12-01
trich_yeu = "số liệu theo thôn"
[ky]
chuc_vu = "CHỦ TỊCH"
ho_ten = "Nguyễn Văn A"
'''
tpl = '''# I. SỐ LIỆU

| TT | Thôn | Số hộ | Dự toán | Thực hiện | Tỷ lệ (%) |
|:-:|---|--:|--:|--:|--:|
{{#each thon}}
| {{cong @index 1}} | {{ten}} | {{so so_ho}} | {{so du_toan}} | {{so thuc_hien}} | {{phan_tram thuc_hien du_toan dau=false}} |
{{/each}}
'''
print(f"{'hàng':>6} {'trang':>6} {'trung vị':>10} {'ms/hàng':>8}")
for n in [1, 50, 500, 2000]:
    d = os.path.join(work, str(n)); os.makedirs(d)
    rows = "\n".join(f'[[thon]]\nten = "Thôn {i}"\nso_ho = {400 + i % 300}\ndu_toan = {1000 + i * 7 % 500}.5\nthuc_hien = {990 + i * 11 % 530}.25' for i in range(1, n + 1))
    open(os.path.join(d, "d.toml"), "w").write(head + rows + "\n")
    open(os.path.join(d, "m.md.hbs"), "w").write(tpl)
    args = [bin, "render", os.path.join(d, "d.toml"), "-o", os.path.join(d, "o.pdf")]
    subprocess.run(args, check=True, capture_output=True)
    ts = []
    for _ in range(runs):
        t = time.perf_counter(); subprocess.run(args, check=True, capture_output=True); ts.append(time.perf_counter() - t)
    pages = subprocess.run(["pdfinfo", os.path.join(d, "o.pdf")], capture_output=True, text=True).stdout
    pages = next((l.split()[-1] for l in pages.splitlines() if l.startswith("Pages:")), "?")
    med = statistics.median(ts) * 1000
    print(f"{n:>6} {pages:>6} {med:>8.1f} ms {med / n:>8.3f}")
PY
