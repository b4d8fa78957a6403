#!/usr/bin/env bash
# Coverage-guided fuzzing of every parser that takes outside bytes
# (cargo-fuzz / libFuzzer), on the stable toolchain (RUSTC_BOOTSTRAP lets it
# take the sanitizer flags).
#
#   scripts/fuzz.sh --smoke            each target for a few seconds on its seeds (CI)
#   scripts/fuzz.sh --seconds 1800     each target for 30 min (RELIABILITY.md)
#   scripts/fuzz.sh --seconds 600 --runs 10000000   each up to 10 M executions or 10 min
#   scripts/fuzz.sh --seconds 600 cot_xml mavlink_datagram
#
# Corpora grow under <crate>/fuzz/corpus/<target> (ignored by git), seeded
# from <crate>/fuzz/seeds/<target> (real samples, committed); crashes land
# in <crate>/fuzz/artifacts/<target>. A summary line per target goes to
# stdout and to target/fuzz-summary.txt.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds=5
runs=-1
only=()
while (( $# )); do
  case "$1" in
    --smoke) seconds=5 ;;
    --seconds) seconds="$2"; shift ;;
    --runs) runs="$2"; shift ;;
    *) only+=("$1") ;;
  esac
  shift
done

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "[fuzz] installing cargo-fuzz from crates.io (one-time)" >&2
  cargo install --locked cargo-fuzz
fi
export RUSTC_BOOTSTRAP=1
summary="$root/target/fuzz-summary.txt"
mkdir -p "$root/target"
: > "$summary"
for crate in layers media app/console; do
  dir="$root/$crate/fuzz"
  [[ -d "$dir" ]] || continue
  (cd "$dir" && cargo fuzz build -O 2>&1 | tail -n 2)
  for target in $(cd "$dir" && cargo fuzz list); do
    if (( ${#only[@]} )) && [[ ! " ${only[*]} " == *" $target "* ]]; then
      continue
    fi
    corpus="$dir/corpus/$target"
    mkdir -p "$corpus" "$dir/artifacts/$target"
    log="$root/target/fuzz-$target.log"
    set +e
    (cd "$dir" && cargo fuzz run -O "$target" "$corpus" "$dir/seeds/$target" -- \
        -max_total_time="$seconds" -runs="$runs" -print_final_stats=1 -rss_limit_mb=4096 -timeout=10 \
        >"$log" 2>&1)
    rc=$?
    set -e
    executed=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -n1)
    took=$(grep -o 'Done [0-9]* runs in [0-9]* second' "$log" | grep -oE '[0-9]+ second' | grep -oE '[0-9]+' | tail -n1)
    cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -n1 | grep -oE '[0-9]+')
    crashes=$(find "$dir/artifacts/$target" -type f | wc -l)
    line="fuzz $target: ${executed:-0} executions, coverage ${cov:-0} edges, ${crashes} crash files, ${took:-$seconds} s, exit $rc"
    echo "$line" | tee -a "$summary"
    if (( rc != 0 )); then
      tail -n 40 "$log" >&2
      exit 1
    fi
  done
done
