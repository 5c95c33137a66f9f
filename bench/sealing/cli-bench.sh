#!/usr/bin/env bash
# End-to-end `keyward seal` / `keyward unseal` timings over generated Secrets (Release build, RSA-2048 and RSA-4096).
# Run from the repository root under the build lock: flock /tmp/build.lock bench/sealing/cli-bench.sh
set -euo pipefail
dotnet build -c Release src/Keyward.Cli -v q -nologo >/dev/null
bin=$(find src/Keyward.Cli/bin/Release -name keyward -type f | head -1)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
python3 - "$work" <<'PY'
import base64, os, sys
w = sys.argv[1]
def secret(i, keys):
    data = "".join(f"  key-{k}: {base64.b64encode(os.urandom(32)).decode()}\n" for k in range(keys))
    return f"---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: secret-{i}\n  namespace: bench\ntype: Opaque\ndata:\n{data}"
open(f"{w}/one-100.yaml", "w").write(secret(0, 100))
open(f"{w}/many-1000.yaml", "w").write("".join(secret(i, 3) for i in range(1000)))
PY
for bits in 2048 4096; do
  openssl req -x509 -newkey rsa:$bits -nodes -keyout "$work/key-$bits.pem" -subj /CN=sealed-secret -days 3650 -out "$work/cert-$bits.pem" 2>/dev/null
  for input in one-100 many-1000; do
    best=""
    for run in 1 2 3; do
      start=$(date +%s.%N)
      "$bin" seal --cert "$work/cert-$bits.pem" -o "$work/$input.sealed.yaml" "$work/$input.yaml"
      t=$(echo "$(date +%s.%N) - $start" | bc)
      if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then best=$t; fi
    done
    start=$(date +%s.%N)
    "$bin" unseal --key "$work/key-$bits.pem" -o "$work/$input.plain.yaml" "$work/$input.sealed.yaml"
    u=$(echo "$(date +%s.%N) - $start" | bc)
    printf 'RSA-%s %-10s seal best of 3: %.2f s   unseal: %.2f s   sealed size: %s bytes\n' "$bits" "$input" "$best" "$u" "$(stat -c %s "$work/$input.sealed.yaml")"
  done
done
