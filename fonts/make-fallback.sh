#!/bin/sh
# Rebuilds fonts/DejaVuSans-Symbols.ttf, the fallback face for symbols Tinos
# lacks, from Debian's fonts-dejavu-core (2.37) with fontTools' pyftsubset
# (python3-fonttools 4.38). See fonts/README.md for what is kept and why.
set -eu
src=${1:-/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf}
out=$(dirname "$0")/DejaVuSans-Symbols.ttf
ranges="U+0020"                          # space (shaping hides ignorables with it)
ranges="$ranges,U+2150-218F"             # number forms: Ⅰ Ⅱ Ⅻ ⅓ ⅔
ranges="$ranges,U+2190-21FF"             # arrows: ← → ↑ ↓ ⇒ ⇔
ranges="$ranges,U+2200-22FF"             # mathematical operators: ∈ ∀ ⊂ ∅ ⋅
ranges="$ranges,U+2460-24FF"             # enclosed numbers: ① … ⑩ (all DejaVu has)
ranges="$ranges,U+2500-257F"             # box drawing
ranges="$ranges,U+25A0-25FF"             # geometric shapes: ■ □ ▶ ◆ ● ○
ranges="$ranges,U+2600-261F"             # misc symbols: ★ ☆ ☎ ☐ ☑ ☒ ☛ ☞
ranges="$ranges,U+2639-263B,U+2660-266F,U+26A0-26A1,U+26AA-26AB" # ☺ ♠ ♥ ⚠ ⚫
ranges="$ranges,U+2700-27BF"             # dingbats: ✓ ✔ ✗ ✘ ❖ ❶ ➀ ➔ ➢
ranges="$ranges,U+27F0-27FF"             # long arrows: ⟶ ⟹
ranges="$ranges,U+2B00-2BFF"             # misc symbols and arrows: ⬅ ⬆ ⬤
python3 -m fontTools.subset "$src" --unicodes="$ranges" --output-file="$out" \
  --no-hinting --layout-features='' --no-glyph-names \
  --name-IDs='0,1,2,3,4,5,6,13,14' --name-languages='*' \
  --drop-tables+=FFTM,MATH,kern,GPOS,GSUB,GDEF
