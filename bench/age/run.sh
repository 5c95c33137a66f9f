#!/usr/bin/env bash
# keyward age vs Debian's age on a 512 MiB file, encrypt and decrypt, side by side in one run.
# Needs: age (apt-get install -y age), python3. Usage: bench/age/run.sh [SIZE_MIB] [RUNS]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
size=${1:-512}
runs=${2:-5}
# tmpfs when it has room: the comparison is of the tools, not of the disk's writeback (age never fsyncs).
base=${KEYWARD_BENCH_DIR:-/dev/shm}
[ "$(df -Pm "$base" 2>/dev/null | awk 'NR==2 {print $4}')" -gt $((size * 4)) ] 2>/dev/null || base=/var/tmp
work=$(mktemp -d "$base/keyward-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

dotnet publish "$root/src/Keyward.Cli" -c Release -o "$work/bin" >/dev/null
kw="$work/bin/keyward"
age-keygen -o "$work/key.txt" 2>/dev/null
recipient=$(age-keygen -y "$work/key.txt")
head -c "$((size * 1024 * 1024))" /dev/urandom > "$work/plain"
age -r "$recipient" -o "$work/plain.age" "$work/plain"
cmp <("$kw" age decrypt -i "$work/key.txt" "$work/plain.age") "$work/plain"

echo "## machine"
echo "$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "dotnet $(dotnet --version), age $(age --version 2>&1 | head -1), work folder on $(df -P "$work" | awk 'NR==2 {print $1}')"
echo
# Same work on both sides: stdout redirected to a file (neither fsyncs).
echo "## encrypt ${size} MiB, stdout redirected to a file"
python3 "$root/bench/compare.py" --runs "$runs" \
  keyward "'$kw' age encrypt -r $recipient '$work/plain' > '$work/kw.age'" \
  age "age -r $recipient '$work/plain' > '$work/ref.age'"
echo
echo "## decrypt ${size} MiB, stdout redirected to a file"
python3 "$root/bench/compare.py" --runs "$runs" \
  keyward "'$kw' age decrypt -i '$work/key.txt' '$work/plain.age' > '$work/kw.out'" \
  age "age -d -i '$work/key.txt' '$work/plain.age' > '$work/ref.out'"
echo
# keyward -o is atomic: temporary file, fsync, rename. age -o writes in place without fsync.
echo "## encrypt ${size} MiB with -o (keyward: atomic with fsync; age: plain write)"
python3 "$root/bench/compare.py" --runs "$runs" \
  keyward "'$kw' age encrypt -r $recipient -o '$work/kw.age' '$work/plain'" \
  age "age -r $recipient -o '$work/ref.age' '$work/plain'"
echo
echo "## decrypt ${size} MiB with -o (keyward: atomic with fsync; age: plain write)"
python3 "$root/bench/compare.py" --runs "$runs" \
  keyward "'$kw' age decrypt -i '$work/key.txt' -o '$work/kw.out' '$work/plain.age'" \
  age "age -d -i '$work/key.txt' -o '$work/ref.out' '$work/plain.age'"
echo
echo "## keyward --version (start-up)"
python3 "$root/bench/compare.py" --runs 10 keyward "'$kw' --version >/dev/null" age "age --version >/dev/null"
