#!/usr/bin/env bash
# Kill a render at random moments (SIGKILL) while it replaces an existing PDF, 50
# times (or $1): every time, the output must be either the old file, byte for byte,
# or the complete new one (renders are deterministic, so "complete" means equal to a
# reference render). Exit 0 only if all rounds hold.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-50}
cargo build --release --quiet
bin=$PWD/target/release/baocao
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A report big enough to take a while (a 1,500-row table), and a small one.
python3 - "$work" <<'PY'
import os, sys
w = sys.argv[1]
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

| TT | Thôn | Số hộ |
|:-:|---|--:|
{{#each thon}}
| {{cong @index 1}} | {{ten}} | {{so so_ho}} |
{{/each}}
'''
for name, n in [("lon", 1500), ("nho", 3)]:
    d = os.path.join(w, name); os.makedirs(d)
    rows = "\n".join(f'[[thon]]\nten = "Thôn {i}"\nso_ho = {400 + i % 300}' for i in range(1, n + 1))
    open(os.path.join(d, "d.toml"), "w").write(head + rows + "\n")
    open(os.path.join(d, "m.md.hbs"), "w").write(tpl)
PY
"$bin" render "$work/nho/d.toml" -o "$work/old.pdf" 2>/dev/null
"$bin" render "$work/lon/d.toml" -o "$work/new.pdf" 2>/dev/null
# Kill anywhere in a render's lifetime: a random moment within 1.5× its measured
# duration (start-up to after the rename, over an existing file as below).
mkdir -p "$work/timing"
cp "$work/old.pdf" "$work/timing/bao-cao.pdf"
t0=$(date +%s%N)
"$bin" render "$work/lon/d.toml" -o "$work/timing/bao-cao.pdf" 2>/dev/null
window_us=$(( ($(date +%s%N) - t0) * 15 / 10 / 1000 ))
[ "$window_us" -lt 5000 ] && window_us=5000
old=$(sha256sum < "$work/old.pdf")
new=$(sha256sum < "$work/new.pdf")
out=$work/out/bao-cao.pdf
mkdir -p "$work/out"
kept=0 replaced=0
for i in $(seq 1 "$rounds"); do
  cp "$work/old.pdf" "$out"
  "$bin" render "$work/lon/d.toml" -o "$out" 2>/dev/null &
  pid=$!
  delay_us=$(( (RANDOM * 32768 + RANDOM) % window_us ))
  sleep "$((delay_us / 1000000)).$(printf '%06d' $((delay_us % 1000000)))"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  got=$(sha256sum < "$out")
  if [ "$got" = "$old" ]; then
    kept=$((kept + 1))
  elif [ "$got" = "$new" ]; then
    replaced=$((replaced + 1))
  else
    echo "vòng $i: tệp đầu ra hỏng (không phải tệp cũ, cũng không phải tệp mới hoàn chỉnh)" >&2
    exit 1
  fi
done
leftovers=$(find "$work/out" -name '.*.tmp' | wc -l)
echo "$rounds lần SIGKILL: $kept lần giữ nguyên tệp cũ, $replaced lần có tệp mới hoàn chỉnh, 0 lần hỏng ($leftovers tệp tạm còn sót do bị giết giữa chừng, tệp chính không bị ảnh hưởng)"
