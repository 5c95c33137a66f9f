#!/bin/bash
# keyward audit benchmark: 10,000 objects (~20 MB YAML), 1,000 commits, and the credential patterns side by side
# with ripgrep. Run from the repository root under the build lock:
#   flock /tmp/build.lock bash bench/audit/run.sh [WORK_DIR]
set -euo pipefail
WORK=${1:-/tmp/keyward-audit-bench}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$WORK"
if [ ! -d "$WORK/repo" ]; then python3 "$ROOT/bench/audit/generate.py" "$WORK"; fi
dotnet publish "$ROOT/src/Keyward.Cli" -c Release -o "$WORK/bin" -v quiet -nologo > /dev/null
KW="$WORK/bin/keyward"
MB=$(du -sm --apparent-size "$WORK/repo" | cut -f1)
BYTES=$(du -sb --apparent-size "$WORK/repo" | cut -f1)
echo "input: $(find "$WORK/repo" -name '*.yaml' | wc -l) files, $BYTES bytes"

measure() { # label, command...
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$WORK/time.txt" "$@" > "$WORK/out.txt" 2> "$WORK/err.txt" || true
  read -r secs kb < "$WORK/time.txt"
  printf '%-44s %7.2f s  %7.1f MB/s  peak %6.0f MB\n' "$label" "$secs" "$(echo "$BYTES / 1048576 / $secs" | bc -l)" "$(echo "$kb / 1024" | bc -l)"
}

"$KW" audit --rules --format patterns | sed 's#\\/#/#g' > "$WORK/patterns.txt"
for run in 1 2 3; do
  measure "keyward audit (all rules), run $run" "$KW" audit "$WORK/repo" --fail-on none --format json -o "$WORK/report.json"
done
tail -1 "$WORK/err.txt"
# The goal is per core: the same run pinned to one CPU, with --debug's breakdown (read, audit, report, GC).
for run in 1 2 3; do
  measure "keyward audit on one core (taskset), run $run" taskset -c 0 "$KW" audit "$WORK/repo" --fail-on none --format json -o "$WORK/report.json" --debug
  tail -1 "$WORK/err.txt"
done
# Parsing and rules inside one process, cold then warm, and Keyward's YAML reader against YamlDotNet's.
taskset -c 0 dotnet run -c Release --project "$ROOT/bench/audit/Profile" -- "$WORK/repo"
for run in 1 2; do
  measure "keyward audit credential rules only, run $run" "$KW" audit "$WORK/repo" --category credentials --category cloud-credentials --fail-on none --format json -o "$WORK/cred.json"
done
# ripgrep with the same regexes (one run each: with the generic pattern it takes a minute).
measure "rg -j1 same patterns" rg -j1 --no-config -c -f "$WORK/patterns.txt" "$WORK/repo"
measure "rg (all cores) same patterns" rg --no-config -c -f "$WORK/patterns.txt" "$WORK/repo"
# ripgrep with only the literal-prefixed patterns (no generic, OVH, AWS-secret, URL): what rg is fast at.
grep -v -e '^(?i)\[' -e 'application' -e 'consumer' -e '^(?i)aws' -e '://\[' "$WORK/patterns.txt" > "$WORK/specific.txt"
measure "rg -j1 specific patterns only" rg -j1 --no-config -c -f "$WORK/specific.txt" "$WORK/repo"
measure "keyward credential rules minus generic/url" "$KW" audit "$WORK/repo" --rule KW201 --rule KW202 --rule KW205 --rule KW206 --rule KW207 --rule KW208 --rule KW209 --rule KW210 --fail-on none --format json -o "$WORK/spec.json"
HB=$(git -C "$WORK/history" log -p --reverse --format=%H | wc -c)
for run in 1 2; do
  /usr/bin/time -f "%e %M" -o "$WORK/time.txt" "$KW" audit "$WORK/history" --git --fail-on none --format json -o "$WORK/git.json" 2> "$WORK/err.txt" || true
  read -r secs kb < "$WORK/time.txt"
  printf '%-44s %7.2f s  %7.1f MB/s of git log -p  peak %6.0f MB\n' "keyward audit --git (1,000 commits), run $run" "$secs" "$(echo "$HB / 1048576 / $secs" | bc -l)" "$(echo "$kb / 1024" | bc -l)"
done
tail -1 "$WORK/err.txt"
