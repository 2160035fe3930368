"""./course bench, briefly: the helper's suite on two cases and, where a Python with PyTorch is installed, the
PyTorch reference and the compare step too. Checks that the pieces run and agree on names and counts, not times."""
import json
import os
import re
import subprocess

import pytest


@pytest.mark.slow
def test_bench_quick(root, helper_jar):
    """The pieces run and agree on names and counts: every case in the table, PyTorch's own count of the MACs equal
    to the helper's, a training comparison for both tiny nets, and each result with its attempts and check."""
    out_dir = root / "build" / "bench-test"
    r = subprocess.run([str(root / "course"), "bench", "--quick", "--only", "pointwise", "--only", "grouped g=4",
                        "--only", "train step shufflenet-tiny g=4", "--only", "train step alexnet-tiny g=4"],
                       capture_output=True, text=True, timeout=1800, env=dict(os.environ, EFFCONV_BENCH_DIR=str(out_dir)))
    out = r.stdout
    assert r.returncode == 0, f"./course bench --quick: exit {r.returncode}: {r.stderr[-1000:]}"
    if "no PyTorch results" in out:
        assert re.search(r"^pointwise ", out, re.M), f"no result for pointwise:\n{out}"
        for net in ("shufflenet-tiny", "alexnet-tiny"):
            assert re.search(rf"^train step {net} g=4 ", out, re.M), f"no training case for {net}:\n{out}"
        return
    assert re.search(r"^pointwise .* 28,900,000 ", out, re.M) and re.search(r"^grouped g=4 .* 111,974,400 ", out, re.M), \
        f"the compare table lacks a case:\n{out}"
    assert "PyTorch counts" not in out, f"PyTorch counts other MACs:\n{out}"
    for net in ("shufflenet-tiny", "alexnet-tiny"):
        assert re.search(rf"^Training, one epoch of the {net} .* helper .* s, PyTorch .* s", out, re.M) and \
            f"train step {net} g=4: helper / PyTorch eager = " in out, f"no training comparison for {net}:\n{out}"
    # each side says how many times it measured a case (again while the machine was busy, 3 at most) and what it doubts
    for side in ("helper", "pytorch"):
        for entry in json.loads((out_dir / f"{side}.json").read_text()):
            if entry["name"] != "machine":
                assert 1 <= entry["attempts"] <= 3 and isinstance(entry["check"], str), \
                    f"{side}: a result lacks its attempts or check: {entry}"
