#!/usr/bin/env bash
# ./course bench, briefly: the helper's suite on two cases and, where a Python with PyTorch is installed, the
# PyTorch reference and the compare step too. Checks that the pieces run and agree on names and counts, not times.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out=$(EFFCONV_BENCH_DIR="$root/build/bench-test" "$root/course" bench --quick --only pointwise --only "grouped g=4" \
  --only "train step shufflenet-tiny g=4" --only "train step alexnet-tiny g=4" 2>/dev/null)
if ! grep -q "no PyTorch results" <<<"$out"; then
  # both sides ran: every case in the table, and PyTorch's own count of the MACs equals the helper's
  grep -q "^pointwise .* 28,900,000 " <<<"$out" && grep -q "^grouped g=4 .* 111,974,400 " <<<"$out" \
    || { echo "bench: the compare table lacks a case:"; echo "$out"; exit 1; }
  ! grep -q "PyTorch counts" <<<"$out" || { echo "bench: PyTorch counts other MACs:"; echo "$out"; exit 1; }
  for net in shufflenet-tiny alexnet-tiny; do
    grep -q "^Training, one epoch of the $net .* helper .* s, PyTorch .* s" <<<"$out" \
      && grep -q "train step $net g=4: helper / PyTorch eager = " <<<"$out" \
      || { echo "bench: no training comparison for $net:"; echo "$out"; exit 1; }
  done
  # each side says how many times it measured a case (again while the machine was busy, 3 at most) and what it doubts
  python3 - "$root/build/bench-test" <<'PY' || { echo "bench: a result lacks its attempts or check:"; echo "$out"; exit 1; }
import json, sys
for side in ("helper", "pytorch"):
    for r in json.load(open(f"{sys.argv[1]}/{side}.json")):
        if r["name"] != "machine":
            assert 1 <= r["attempts"] <= 3 and isinstance(r["check"], str), (side, r)
PY
  echo "bench: helper and PyTorch suites ran, compare table and goals printed: ok"
else
  grep -q "^pointwise " <<<"$out" || { echo "bench: no result for pointwise:"; echo "$out"; exit 1; }
  for net in shufflenet-tiny alexnet-tiny; do
    grep -q "^train step $net g=4 " <<<"$out" || { echo "bench: no training case for $net:"; echo "$out"; exit 1; }
  done
  echo "bench: helper suite ran (no Python with PyTorch here, so no comparison): ok"
fi
