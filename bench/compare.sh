#!/usr/bin/env bash
# Benchmark: the same report (examples/bac-kan-2021, with its table) made by
# baocao, by Typst (PyPI `typst`) and by WeasyPrint (PyPI `weasyprint`).
#
# The Typst and HTML versions are converted from baocao's own output
# (`--emit markup` for the body, baocao's helpers for the number and the date line)
# by bench/compare/convert.py, in the same layout: A4, margins 20/20/30/15 mm,
# Tinos from fonts/, 14 pt on 18 pt lines, the header block, title, ruled table,
# signature and recipients, page numbers from page 2.
#
# Prints, for each tool and mode, the median wall time, peak memory, PDF size and
# page count and the ratios to baocao; then baocao's process and Typst's
# in-process compile side by side (taken in turns, 2×runs rounds, so that both
# meet the same moments of a shared machine: the target is judged on these);
# then a batch of 1,000 unit reports ([[don_vi]]) in one baocao process against
# 1,000 Typst compiles in one process; then the machine and whether the
# targets of issues 7 and 16 are met. Typst is also timed with a new figure each
# call: it memoizes across compiles in one process, so compiling the very same
# document again mostly reuses the last result.
#
# Installs what it needs: a venv in target/bench-venv with typst, weasyprint,
# markdown-it-py, pypdf; as root, also the Debian packages WeasyPrint needs (Pango,
# HarfBuzz subsetting) and GNU time, if missing. Not root: says what to install.
#
# Usage: bench/compare.sh [runs]   (default 20; BATCH_RUNS=3 batch runs)
# BAOCAO_BIN=path measures that build of baocao instead of this tree's (for
# before/after numbers on the same machine).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-20}
if ! [[ $runs =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: bench/compare.sh [runs]   (runs: a positive whole number, default 20)" >&2
  exit 2
fi
data=examples/bac-kan-2021/bao-cao.toml
venv=target/bench-venv
py=$venv/bin/python
is_root=false
[ "$(id -u)" = 0 ] && is_root=true

log() { printf '%s\n' "$*" >&2; }
apt_updated=false
apt_install() {  # apt_install PACKAGE… — as root only; otherwise say what is missing
  if ! $is_root; then
    log "missing system packages; as root run: apt-get install -y $*"
    exit 1
  fi
  log "installing Debian packages: $*"
  if ! $apt_updated; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    apt_updated=true
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if [ -z "${BAOCAO_BIN:-}" ]; then
  log "building baocao (release) …"
  cargo build --release --quiet
fi

# GNU time for the peak memory of processes.
if ! /usr/bin/time -f %M true >/dev/null 2>&1; then
  apt_install time
fi

# Python venv with the other tools.
if [ ! -x "$py" ]; then
  log "creating $venv …"
  if ! python3 -m venv "$venv" 2>/dev/null; then
    rm -rf "$venv"
    apt_install python3-venv
    python3 -m venv "$venv"
  fi
fi
if ! "$py" -c 'import importlib.util as u, sys; sys.exit(any(u.find_spec(m) is None for m in ("typst", "weasyprint", "markdown_it", "pypdf", "fontTools")))'; then
  log "installing typst, weasyprint, markdown-it-py, pypdf into $venv …"
  "$py" -m pip install --quiet --disable-pip-version-check typst weasyprint markdown-it-py pypdf
fi
# WeasyPrint needs Pango; without HarfBuzz's subsetter it falls back to a slower
# fontTools path (and warns), so give it the setup it recommends.
if ! "$py" -c 'import weasyprint' >/dev/null 2>&1; then
  apt_install libpango-1.0-0 libpangoft2-1.0-0
  "$py" -c 'import weasyprint' >/dev/null || { log "WeasyPrint still does not load"; exit 1; }
fi
if ! "$py" -c 'import ctypes.util, sys; sys.exit(ctypes.util.find_library("harfbuzz-subset") is None)'; then
  if $is_root; then
    apt_install libharfbuzz-subset0
  else
    log "note: libharfbuzz-subset0 is missing: WeasyPrint will subset fonts with fontTools (slower)"
  fi
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/baocao-compare.XXXXXX")
shm=
trap 'rm -rf "$work" ${shm:+"$shm"}' EXIT
# A scratch folder on tmpfs too: extra baocao rows with the output there show what
# writing to the disk costs (temporary file + rename per PDF).
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
  shm=$(mktemp -d /dev/shm/baocao-compare.XXXXXX)
fi

# Measure a copy: another build in this tree must not swap the binary mid-run.
bin=$work/baocao
cp "${BAOCAO_BIN:-target/release/baocao}" "$bin"

log "converting the report for Typst and WeasyPrint …"
"$py" bench/compare/convert.py "$bin" "$data" fonts "$work" >&2
# Fail early if the converted Typst document does not build.
"$py" -c 'import sys, typst; typst.compile(sys.argv[1], font_paths=[sys.argv[2]], ignore_system_fonts=True)' \
  "$work/report.typ" "$PWD/fonts"

BENCH_SHM=$shm "$py" bench/compare/bench.py "$runs" "$bin" "$data" "$PWD/fonts" "$work"
