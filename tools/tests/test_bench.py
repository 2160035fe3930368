"""./course bench: which flags each side gets (bench/flags.py), checked without timing anything — each documented
flag passed to the dispatch, and each side made to parse what it gets, never run: the helper's picocli declaration
(effconv.cli.BenchCommand, parsed by tools/tests/BenchFlags.java) and PyTorch's twin's argparse parser (which needs
no PyTorch) — and, briefly, the suite itself: the helper's on two cases and, where a Python with PyTorch is
installed, PyTorch's and the compare step too (names and counts, not times)."""
import contextlib
import io
import json
import os
import re
import subprocess

import pytest

from bench import flags
from bench.pytorch_bench import parser as torch_parser

# every flag BenchCommand documents (./course bench --help), each with a value where it takes one
DOCUMENTED = {"--quick": [], "--only": ["grouped g=4"], "--json": [], "--no-fused": [], "--no-torch": [],
              "--out": ["build/bench-flags.json"], "--help": [], "-h": []}
# the course script's own --out FILE, after the user's flags, for each side when both run
HELPER_OUT, TORCH_OUT = ["--out", "build/bench/helper.json"], ["--out", "build/bench/pytorch.json"]


def typed(flag):
    """The ways a user types the flag: with its value as the next word, and after '='."""
    value = DOCUMENTED[flag]
    return [[flag, *value]] + ([[f"{flag}={value[0]}"]] if value else [])


def helper_share(args):
    """What the helper gets: every flag as typed, and its own --out FILE after them when PyTorch's side runs too."""
    return args if flags.alone(args) else [*args, *HELPER_OUT]


def course_bench(root, *args, timeout=180):
    return subprocess.run([str(root / "course"), "bench", *args], capture_output=True, text=True, timeout=timeout)


def torch_refusal(args):
    """None when PyTorch's twin's parser accepts args, else its message."""
    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            torch_parser().parse_args(args)
    except SystemExit as e:
        return err.getvalue().strip() or f"exit {e.code}"
    return None


@pytest.fixture(scope="module")
def helper_verdicts(root, helper_jar):
    """{argument list: "accepted" or "refused: why"} from BenchCommand's own parser, for every list the tests ask."""
    asked = [helper_share(args) for flag in DOCUMENTED for args in typed(flag)] + [["--no-such-flag"]]
    r = subprocess.run(["java", f"@{root / 'lib' / 'target' / 'helper.args'}",
                        str(root / "tools" / "tests" / "BenchFlags.java")],
                       input="".join("\t".join(a) + "\n" for a in asked), capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, f"BenchFlags.java: exit {r.returncode}: {r.stderr[-1000:]}"
    verdicts = r.stdout.splitlines()
    assert len(verdicts) == len(asked), f"BenchFlags.java answered {len(verdicts)} of {len(asked)}: {r.stdout}"
    return {tuple(a): v for a, v in zip(asked, verdicts)}


def test_documented_flags_are_the_helpers(root, helper_jar):
    """DOCUMENTED is what ./course bench --help lists: a flag added to BenchCommand must be given a side here."""
    r = course_bench(root, "--help")
    assert r.returncode == 0, f"./course bench --help: exit {r.returncode}: {r.stderr}"
    listed = set(re.findall(r"(?<![\w-])(--[a-z][\w-]*|-h)\b", r.stdout))
    assert listed == set(DOCUMENTED), \
        f"./course bench --help lists {sorted(listed)}; this test knows {sorted(DOCUMENTED)}"


@pytest.mark.parametrize("flag", DOCUMENTED)
def test_dispatch(flag, helper_verdicts):
    """Both sides accept what the dispatch gives them for the flag, typed either way."""
    for args in typed(flag):
        helper = helper_share(args)
        assert helper_verdicts[tuple(helper)] == "accepted", \
            f"the helper, given {helper} for {args}: {helper_verdicts[tuple(helper)]}"
        if flags.alone(args):
            assert flag in ("--json", "--no-torch", "--help", "-h"), f"{args} ran the helper alone"
            continue
        torch = [*flags.torch_args(args), *TORCH_OUT]
        refused = torch_refusal(torch)
        assert refused is None, f"PyTorch's side, given {torch} for {args}: {refused}"


def test_torch_side_gets_what_chooses_the_cases():
    args = ["--quick", "--no-fused", "--only", "grouped g=4", "--only=pointwise", "--out", "x.json"]
    assert flags.torch_args(args) == ["--quick", "--only", "grouped g=4", "--only=pointwise"]
    assert not flags.alone(args) and flags.alone([*args, "--json"])
    assert not flags.alone(["--only", "--json"]), "a case named --json is --only's value, not the flag"


def test_torch_share_survives_the_shell(root):
    """The course script reads PyTorch's share as NUL-separated words, so a case name with spaces stays one word."""
    r = subprocess.run(["python3", "-m", "bench.flags", "torch", "--no-fused", "--only", "grouped g=4", "--quick"],
                       capture_output=True, text=True, cwd=root, timeout=60)
    assert r.returncode == 0 and r.stdout.split("\0")[:-1] == ["--only", "grouped g=4", "--quick"], r


def test_parsers_refuse_what_they_do_not_know(helper_verdicts):
    """What the dispatch test relies on: each side's parser refuses a flag it does not take."""
    assert helper_verdicts[("--no-such-flag",)].startswith("refused:"), helper_verdicts[("--no-such-flag",)]
    refused = torch_refusal(["--no-fused"])
    assert refused and "--no-fused" in refused, f"PyTorch's side took --no-fused: {refused}"


def test_help_with_a_helper_only_flag(root, helper_jar):
    """./course bench --no-fused --help: the helper's help, not PyTorch's refusal (the README's flags, documented)."""
    r = course_bench(root, "--no-fused", "--help")
    assert r.returncode == 0 and "Usage: ./course bench" in r.stdout and "--no-fused" in r.stdout, \
        f"exit {r.returncode}: {r.stdout[:300]}{r.stderr[:300]}"


@pytest.mark.slow
def test_bench_quick(root, helper_jar):
    """The pieces run and agree on names and counts: every case in the table, PyTorch's own count of the MACs equal
    to the helper's, a training comparison for both tiny nets, and each result with its attempts and check."""
    out_dir = root / "build" / "bench-test"
    r = subprocess.run([str(root / "course"), "bench", "--quick", "--only", "pointwise", "--only", "grouped g=4",
                        "--only", "train step shufflenet-tiny g=4", "--only", "train step alexnet-tiny g=4"],
                       capture_output=True, text=True, timeout=1800,
                       env=dict(os.environ, EFFCONV_BENCH_DIR=str(out_dir)))
    out = r.stdout
    assert r.returncode == 0, f"./course bench --quick: exit {r.returncode}: {r.stderr[-1000:]}"
    if "no PyTorch results" in out:
        assert re.search(r"^pointwise ", out, re.M), f"no result for pointwise:\n{out}"
        for net in ("shufflenet-tiny", "alexnet-tiny"):
            assert re.search(rf"^train step {net} g=4 ", out, re.M), f"no training case for {net}:\n{out}"
        return
    assert re.search(r"^pointwise .* 28,900,000 ", out, re.M) and \
        re.search(r"^grouped g=4 .* 111,974,400 ", out, re.M), f"the compare table lacks a case:\n{out}"
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
