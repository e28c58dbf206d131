#!/usr/bin/env bash
# Builds the libFuzzer targets with clang, ASan and UBSan (build-fuzz), then runs each for a
# bounded time on a scratch copy of its committed corpus in fuzz/corpus/, so a run never adds
# files to the repository: fuzz/run.sh [seconds per target, default 30].
# Any crash, leak or timeout fails the run and prints the reproducer's path; replay one with
# build-fuzz/fuzz/fuzz_<target> <reproducer>.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-30}
build=${CACHET_FUZZ_BUILD_DIR:-build-fuzz}
artifacts="$PWD/$build/fuzz-artifacts"
work=$(mktemp -d /tmp/cachet-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT

setup() {  # setup DIR [meson options...], as in tests/run.sh
  local dir=$1
  shift
  [ -f "$dir/build.ninja" ] || CXX=${CACHET_FUZZ_CXX:-clang++-19} meson setup "$dir" "$@"
  meson configure "$dir" "$@" >/dev/null
  ninja -C "$dir" -j "${CACHET_FUZZ_JOBS:-2}"
}
setup "$build" -Dfuzz=true -Dtests=disabled -Dexamples=disabled -Dbench=false -Db_sanitize=address,undefined -Db_lundef=false \
  -Dcpp_args=-g1  # line tables only: what a report needs, at two thirds of the compile time

export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
failed=0
for target in key_encoding url struct_codec memory_model; do
  mkdir -p "$work/$target" "$artifacts/$target"
  cp fuzz/corpus/"$target"/* "$work/$target/"
  log="$work/$target.log"
  if "$build/fuzz/fuzz_$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$artifacts/$target/" "$work/$target" >"$log" 2>&1; then
    # libFuzzer's last status line: runs, coverage, features, corpus, speed.
    summary=$(grep -a -E '^#[0-9]+' "$log" | tail -n 1 | sed -E 's/^#([0-9]+)[[:space:]]+[A-Z]+[[:space:]]+/\1 runs, /')
    echo "fuzz $target: ok after ${seconds}s: $summary"
  else
    failed=1
    echo "fuzz $target: FAILED" >&2
    tail -n 80 "$log" >&2
    reproducers=$(grep -a -o 'Test unit written to [^ ]*' "$log" | sed 's/Test unit written to //' || true)
    echo "fuzz $target: reproducer: ${reproducers:-none written (see the log above)}" >&2
  fi
done
exit "$failed"
