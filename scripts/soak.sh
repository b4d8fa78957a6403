#!/usr/bin/env bash
# Soak: the demo as an operator runs it (the console in a real window under
# Xvfb, the camera and world simulators, detection, recording, the journal)
# for N minutes, sampling the console every minute: resident memory, open
# files, threads, the journal's and the recordings' size. At the end: a
# table, the slope of each after warm-up (least squares, per hour), and one
# JSON object as the last line.
#
#   scripts/soak.sh [--minutes 60] [--warmup-minutes 35] [--every-s 60]
#
# Warm-up defaults to a little over the demo's 30-minute recording
# retention, after which the recordings should stop growing; the journal
# keeps every event (no retention), so it grows with the city's traffic.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
minutes=60
warmup=""
every=60
while (( $# )); do
  case "$1" in
    --minutes) minutes="$2"; shift ;;
    --warmup-minutes) warmup="$2"; shift ;;
    --every-s) every="$2"; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
warmup="${warmup:-$(( minutes > 40 ? 35 : minutes / 3 ))}"

scripts/setup.sh --test
cargo build --locked -p watchfloor --bin watchfloor
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"
chmod 700 "$XDG_RUNTIME_DIR"
[[ -n "${WGPU_BACKEND-unset}" ]] || unset WGPU_BACKEND

out="$root/target/soak"
mkdir -p "$out"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
csv="$out/soak-$stamp.csv"
log="$out/soak-$stamp.log"
journal="$HOME/.local/share/watchfloor/demo-journal"
recordings="$HOME/.cache/watchfloor/demo-recordings"
config="$(mktemp -d)"

xvfb-run -a -s "-screen 0 1920x1080x24" \
  target/debug/watchfloor --demo --role dispatcher --config-dir "$config" \
  --audit "$config/audit" >"$log" 2>&1 &
runner=$!
cleanup() {
  pkill -TERM -P "$runner" 2>/dev/null || true
  sleep 2
  pkill -TERM -f "^target/debug/watchfloor --demo --role dispatcher --config-dir $config" 2>/dev/null || true
  sleep 3
  pkill -KILL -f "^target/debug/watchfloor --demo --role dispatcher --config-dir $config" 2>/dev/null || true
  wait "$runner" 2>/dev/null || true
  rm -rf "$config"
}
trap cleanup EXIT

# The console process itself (xvfb-run is a shell script whose own command
# line holds the console's too: match from the start).
pid=""
for _ in $(seq 1 120); do
  pid="$(pgrep -f "^target/debug/watchfloor --demo --role dispatcher --config-dir $config" | head -n1 || true)"
  [[ -n "$pid" ]] && break
  sleep 1
done
[[ -n "$pid" ]] || { echo "[soak] the console did not start (see $log)" >&2; exit 1; }
echo "[soak] console pid $pid; sampling every ${every} s for ${minutes} min into $csv" >&2

echo "minute,rss_kib,fds,threads,journal_bytes,recordings_bytes" >"$csv"
end=$(( $(date +%s) + minutes * 60 ))
start=$(date +%s)
while :; do
  kill -0 "$pid" 2>/dev/null || { echo "[soak] the console exited early (see $log)" >&2; exit 1; }
  now=$(date +%s)
  minute=$(( (now - start) / 60 ))
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  threads=$(awk '/Threads/ {print $2}' "/proc/$pid/status")
  fds=$(ls "/proc/$pid/fd" | wc -l)
  jbytes=$(du -sb "$journal" 2>/dev/null | cut -f1 || echo 0)
  rbytes=$(du -sb "$recordings" 2>/dev/null | cut -f1 || echo 0)
  echo "$minute,$rss,$fds,$threads,${jbytes:-0},${rbytes:-0}" >>"$csv"
  (( now >= end )) && break
  sleep "$every"
done

# What the journal kept over the soak: its events exported (no video). Sled
# locks the journal while the console runs, so the console stops first.
cleanup
trap - EXIT
events="$out/soak-$stamp-events"
rm -rf "$events"
target/debug/watchfloor --log-level warn export --journal "$journal" \
  --from "$(date -u -d "@$start" +%Y-%m-%dT%H:%M:%SZ)" --recordings /nonexistent \
  --out "$events" --audit "$out/soak-$stamp-audit" >/dev/null 2>&1 || true

python3 - "$csv" "$warmup" "$minutes" "$events/events.jsonl" <<'EOF'
import csv, json, sys
path, warmup, minutes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
try:
    at = sorted(json.loads(l)["envelope"]["at"] for l in open(sys.argv[4]))
except OSError:
    at = []
rows = [{k: int(v) for k, v in r.items()} for r in csv.DictReader(open(path))]
print("| minute | RSS (MiB) | open fds | threads | journal (MiB) | recordings (MiB) |")
print("| --- | --- | --- | --- | --- | --- |")
for r in rows:
    print(f"| {r['minute']} | {r['rss_kib']/1024:.0f} | {r['fds']} | {r['threads']} | "
          f"{r['journal_bytes']/2**20:.1f} | {r['recordings_bytes']/2**20:.0f} |")
late = [r for r in rows if r["minute"] >= warmup] or rows
def slope(key, scale):
    xs = [r["minute"] / 60 for r in late]
    ys = [r[key] / scale for r in late]
    n = len(xs)
    if n < 2:
        return 0.0
    mx, my = sum(xs) / n, sum(ys) / n
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / den if den else 0.0
result = {
    "minutes": minutes,
    "warmup_minutes": warmup,
    "samples": len(rows),
    "rss_mib_per_h": round(slope("rss_kib", 1024), 2),
    "fds_per_h": round(slope("fds", 1), 2),
    "threads_per_h": round(slope("threads", 1), 2),
    "journal_mib_per_h": round(slope("journal_bytes", 2**20), 2),
    "recordings_mib_per_h": round(slope("recordings_bytes", 2**20), 2),
    "rss_mib_last": round(rows[-1]["rss_kib"] / 1024, 1),
    "fds_last": rows[-1]["fds"],
    "threads_last": rows[-1]["threads"],
    "journal_events": len(at),
    "journal_longest_gap_s": round(max((b - a for a, b in zip(at, at[1:])), default=0) / 1e6, 1),
}
print(f"\nafter {warmup} min of warm-up, per hour: RSS {result['rss_mib_per_h']} MiB, "
      f"fds {result['fds_per_h']}, threads {result['threads_per_h']}, "
      f"journal {result['journal_mib_per_h']} MiB, recordings {result['recordings_mib_per_h']} MiB; "
      f"the journal kept {result['journal_events']} events, longest gap {result['journal_longest_gap_s']} s")
print(json.dumps(result))
EOF
