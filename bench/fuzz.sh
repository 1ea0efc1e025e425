#!/usr/bin/env bash
# Fuzz benchmark (issue 6): the cargo-fuzz targets in fuzz/ feed data + template +
# markup through the whole pipeline to PDF for SECONDS (default 600) and fail on any
# crash (panic, abort, stack overflow, memory error), hang (-timeout) or OOM.
#
#   render  data file (valid header + fuzzed data, or a whole fuzzed file) +
#           template + user profile + partial → PDF   (fuzz/fuzz_targets/render.rs)
#   markup  fuzzed body text, Handlebars braces broken → PDF (fuzz/fuzz_targets/markup.rs)
#
# Usage: bench/fuzz.sh [SECONDS]
#   With as many cores as targets, the targets run side by side, each for SECONDS;
#   otherwise one after another, each for its share. Each run starts from the seed
#   corpus fuzz/seeds/<target> (examples, hand-made cases and the inputs of crashes
#   found before, regress-*), so runs are comparable; what it finds is added to
#   fuzz/corpus/<target>. Every seed is first replayed once on its own (a failing
#   seed is a finding). Wall time ≈ SECONDS + build + seed replay.
# Environment:
#   FUZZ_TARGETS    targets to run (default: "render markup")
#   FUZZ_SANITIZER  address (default; falls back to none if it does not build) | none
#   FUZZ_MODE       fork (default: libFuzzer -fork=1, keeps going after a finding and
#                   collects them all) | plain (stops at the first finding)
#   FUZZ_CORPUS     fresh (default: start from the seeds) | keep (also start from
#                   fuzz/corpus/<target>; replaying a big corpus takes minutes, and
#                   fork mode silently drops corpus entries that crash)
#   FUZZ_TIMEOUT    seconds one input may take before it counts as a hang (default 10)
#   FUZZ_RSS_MB     memory limit in MB (default 2048)
#
# Needs a Rust toolchain (installed with rustup if missing) and a C++ compiler for
# libFuzzer (build-essential installed with apt-get if missing). cargo-fuzz passes
# nightly -Z flags; on a stable toolchain RUSTC_BOOTSTRAP=1 lets rustc accept them.
# Findings go to fuzz/artifacts/<target>/; each is replayed once for its message.
# Reproduce one with: fuzz/target/<host>/release/<target> <artifact>
# Exit status: 0 when no target found anything, 1 otherwise (2: bad usage).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-600}
read -r -a targets <<<"${FUZZ_TARGETS:-render markup}"
sanitizer=${FUZZ_SANITIZER:-address}
mode=${FUZZ_MODE:-fork}
corpus_mode=${FUZZ_CORPUS:-fresh}
timeout=${FUZZ_TIMEOUT:-10}
rss_mb=${FUZZ_RSS_MB:-2048}
case $secs in '' | *[!0-9]*) echo "usage: bench/fuzz.sh [seconds]" >&2; exit 2 ;; esac

# --- tools -------------------------------------------------------------------------
export PATH="$HOME/.cargo/bin:$PATH"
if ! command -v cargo >/dev/null; then
  echo "== installing Rust (rustup, stable)"
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
fi
if ! command -v c++ >/dev/null && ! command -v clang++ >/dev/null; then
  if command -v apt-get >/dev/null; then
    echo "== installing a C++ compiler (build-essential) for libFuzzer"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq build-essential >/dev/null
  else
    echo "warning: no C++ compiler found; libfuzzer-sys will not build" >&2
  fi
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "== installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi
export RUSTC_BOOTSTRAP=1
export RUST_BACKTRACE=1
host=$(rustc -vV | sed -n 's/^host: //p')

# --- build -------------------------------------------------------------------------
# Release optimisations plus debug assertions and overflow checks (-a): an integer
# overflow shows up as a panic instead of wrapping silently.
echo "== $(cargo --version), $(cargo fuzz --version), sanitizer $sanitizer"
for t in "${targets[@]}"; do
  if ! (cargo fuzz build -O -a -s "$sanitizer" "$t" 2>&1 | tail -3; exit "${PIPESTATUS[0]}"); then
    if [ "$sanitizer" = address ]; then
      echo "== AddressSanitizer build failed; building without a sanitizer"
      sanitizer=none
      (cargo fuzz build -O -a -s none "$t" 2>&1 | tail -3; exit "${PIPESTATUS[0]}")
    else
      exit 1
    fi
  fi
done

# --- run ---------------------------------------------------------------------------
cores=$(nproc 2>/dev/null || echo 1)
if [ "$cores" -ge "${#targets[@]}" ]; then
  parallel=1; each=$secs
else
  parallel=0; each=$(( secs / ${#targets[@]} )); [ "$each" -ge 1 ] || each=1
fi
run_dir=$(mktemp -d "${TMPDIR:-/tmp}/baocao-fuzz-run.XXXXXX")
mkdir -p "$run_dir/tmp"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$run_dir/tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mode_flags=()
[ "$mode" = fork ] && mode_flags=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)

start_target() {
  local t=$1 bin=fuzz/target/$host/release/$1
  local dirs=("$run_dir/corpus/$t" "$run_dir/seeds/$t")
  [ "$corpus_mode" = keep ] && dirs+=("fuzz/corpus/$t")
  mkdir -p "$run_dir/corpus/$t" "$run_dir/artifacts/$t" "fuzz/corpus/$t" "fuzz/artifacts/$t"
  echo "== $t: ${each}s, $mode mode, -timeout=$timeout -rss_limit_mb=$rss_mb (log: $run_dir/$t.log)"
  # Each fuzz process writes its report folder under TMPDIR (fuzz_targets/common.rs).
  TMPDIR=$run_dir/tmp "$bin" -artifact_prefix="$run_dir/artifacts/$t/" -max_total_time="$each" \
    -timeout="$timeout" -rss_limit_mb="$rss_mb" -dict=fuzz/baocao.dict -print_final_stats=1 \
    "${mode_flags[@]}" "${dirs[@]}" >"$run_dir/$t.log" 2>&1 &
  pids+=($!)
}

# Replay every seed once: fork mode's first merge of the seeds would drop a crashing
# seed without a word, and the seeds hold the inputs of crashes found before. Only
# the seeds that pass go on to the fuzzer (plain mode would stop at a failing one).
replay_seeds() {
  local t=$1 bin=fuzz/target/$host/release/$1 f log kind bad=0
  mkdir -p "$run_dir/artifacts/$t" "$run_dir/seeds/$t"
  for f in "fuzz/seeds/$t"/*; do
    log=$run_dir/seed-$t-$(basename "$f").log
    if TMPDIR=$run_dir/tmp timeout $((timeout + 30)) "$bin" -timeout="$timeout" \
      -rss_limit_mb="$rss_mb" "$f" >"$log" 2>&1; then
      rm -f "$log"
      cp "$f" "$run_dir/seeds/$t/"
    else
      kind=crash
      grep -q 'ERROR: libFuzzer: timeout' "$log" && kind=timeout
      grep -q 'ERROR: libFuzzer: out-of-memory' "$log" && kind=oom
      cp "$f" "$run_dir/artifacts/$t/$kind-$(sha1sum <"$f" | cut -c1-40)"
      bad=$((bad + 1))
    fi
  done
  echo "== $t: replayed $(find "fuzz/seeds/$t" -type f | wc -l) seeds, $bad failed"
}
for t in "${targets[@]}"; do replay_seeds "$t"; done

declare -A rc
i=0
if [ "$parallel" = 1 ]; then
  for t in "${targets[@]}"; do start_target "$t"; done
  for t in "${targets[@]}"; do
    if wait "${pids[$i]}"; then rc[$t]=0; else rc[$t]=$?; fi
    i=$((i + 1))
  done
else
  for t in "${targets[@]}"; do
    start_target "$t"
    if wait "${pids[$i]}"; then rc[$t]=0; else rc[$t]=$?; fi
    i=$((i + 1))
  done
fi
# Keep what was found: new corpus entries and findings (named by their SHA-1).
for t in "${targets[@]}"; do
  cp -n "$run_dir/corpus/$t/"* "fuzz/corpus/$t/" 2>/dev/null || true
  cp "$run_dir/artifacts/$t/"* "fuzz/artifacts/$t/" 2>/dev/null || true
done

# --- summary -----------------------------------------------------------------------
# Fork mode prints "#N: cov: C ft: F corp: K exec/s: E oom/timeout/crash: o/t/c time: Ts"
# (N counts the fuzzing jobs' runs, not the first replay of the seeds); plain mode
# prints "#N <event> cov: C ft: F corp: K/…" and "Done N runs in S second(s)".
field() { sed -n "s/.*$1 \\([0-9]*\\).*/\\1/p" <<<"$2"; }
echo
echo "== summary ($(date -u +%FT%TZ), $cores cores, sanitizer $sanitizer, $mode mode, $corpus_mode corpus)"
failed=0
for t in "${targets[@]}"; do
  log=$run_dir/$t.log
  bin=fuzz/target/$host/release/$t
  last=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -1 || true)
  done_line=$(grep -E '^Done [0-9]+ runs in' "$log" | tail -1 || true)
  if [ -n "$done_line" ]; then
    runs=$(field Done "$done_line"); took=$(field in "$done_line")
  else
    runs=$(sed -n 's/^#\([0-9]*\).*/\1/p' <<<"$last"); took=$(field time: "$last")
  fi
  [ -n "$took" ] && [ "$took" -gt 0 ] || took=$each
  rate=$(( ${runs:-0} / took ))
  mapfile -t found < <(find "fuzz/artifacts/$t" -type f \( -name 'crash-*' -o -name 'timeout-*' \
    -o -name 'oom-*' -o -name 'leak-*' \) -exec sh -c 'test -e "$1/$(basename "$2")"' _ "$run_dir/artifacts/$t" {} \; -print | sort)
  printf '%-7s runs %s in %ss (%s exec/s), cov %s, ft %s, corpus %s, exit %s, findings %s\n' \
    "$t" "${runs:-?}" "$took" "$rate" "$(field cov: "$last")" "$(field ft: "$last")" \
    "$(field corp: "$last")" "${rc[$t]}" "${#found[@]}"
  n=0
  for f in "${found[@]}"; do
    n=$((n + 1))
    seed=$(for g in "fuzz/seeds/$t"/*; do if cmp -s "$f" "$g"; then echo ", seed $(basename "$g")"; fi; done | head -1)
    echo "   $f ($(wc -c <"$f") bytes$seed)"
    echo "     reproduce: $bin $f"
    [ "$n" -le 20 ] || continue
    # Replay it once for its message: panic, stack overflow, sanitizer report, timeout.
    replay=$run_dir/replay-$(basename "$f").log
    TMPDIR=$run_dir/tmp timeout $((timeout + 30)) "$bin" -timeout="$timeout" \
      -rss_limit_mb="$rss_mb" "$f" >"$replay" 2>&1 || true
    {
      grep -E "panicked at|has overflowed its stack|ERROR: (libFuzzer|AddressSanitizer|LeakSanitizer)|SUMMARY: " "$replay" | head -3
      grep -A1 "panicked at" "$replay" | grep -v -E 'panicked at|^--$' | head -1
      # A stack overflow: the frames that repeat most are the recursion.
      if grep -q -E 'stack-overflow|overflowed its stack' "$replay"; then
        grep -E '^ +#[0-9]+ 0x[0-9a-f]+ in ' "$replay" | sed -E 's/^ +#[0-9]+ 0x[0-9a-f]+ in //' \
          | sort | uniq -c | sort -rn | head -3 | sed -E 's/^ *[0-9]+ /recursion: /'
      fi
    } 2>/dev/null | cut -c1-220 | sed 's/^/     | /' || true
  done
  if [ "${#found[@]}" -gt 0 ]; then
    failed=1
  elif [ "${rc[$t]}" != 0 ] || [ -z "$last" ]; then
    echo "   the fuzzer did not run to the end; last lines of $log:"
    tail -15 "$log" | sed 's/^/     /'
    failed=1
  fi
done
# Logs stay when something was found; the temporary report folders always go.
if [ "$failed" = 0 ]; then
  echo "no crash, hang or OOM"
  rm -rf "$run_dir"
else
  echo "logs: $run_dir"
fi
exit "$failed"
