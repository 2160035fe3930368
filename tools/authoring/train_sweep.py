#!/usr/bin/env python3
"""Makes the training lessons' committed results: runs `./course train --json` over a sweep and writes one CSV row
per run to data/training-<net>.csv, each row with the exact command that made it.

    python3 -m tools.authoring.train_sweep shufflenet  # tiny ShuffleNets, g = 1, 2, 3, 4, 8, 24, with and without shuffle
    python3 -m tools.authoring.train_sweep alexnet     # tiny AlexNets, g = 1, 2, 4, 8: fixed width, width-matched, no BN
    python3 -m tools.authoring.train_sweep schedule    # tiny AlexNets g = 1 and 4: learning rate constant or decayed
    python3 -m tools.authoring.train_sweep halves      # tiny ShuffleNets fed the picture's halves apart, g = 2 and 4

Five seeds each (enough for a paired standard error), six epochs on all 12,000 training images, tested on all
10,000 test images after every epoch (the row's test_curve). The AlexNet sweep decays the learning rate over the
last 2 epochs (`--decay 2`): the schedule sweep measured that a constant rate leaves its seeds scattered. Rows
already in the file are kept (the sweep resumes); a row is written as soon as its run ends. `--part K/N` runs every N-th run from the K-th, so N processes (one per
CPU, e.g. under taskset) share a sweep; each merges its rows into the one file under a lock.
The whole sweep runs one build of the helper jar and its dependencies (copied to build/sweep/ at the start, after
`./course setup`), so editing or rebuilding lib/ while it runs changes nothing; each run is the JVM `./course train`
starts.
"""
import csv
import fcntl
import json
import os
import pathlib
import shutil
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
SEEDS = (1, 2, 3, 4, 5)
EPOCHS = 6
ALEXNET_DECAY = 2
FILES = {"shufflenet": "training-shufflenet-tiny.csv", "alexnet": "training-alexnet-tiny.csv",
         "schedule": "training-alexnet-schedule.csv", "halves": "training-shufflenet-halves.csv"}
COLUMNS = ["net", "groups", "shuffle", "bn", "width_match", "halves", "width", "seed", "epochs", "decay",
           "train_images", "test_images",
           "params", "macs", "test_accuracy", "test_curve", "seconds_per_epoch", "threads", "corr_layer", "corr_groups", "corr_within",
           "corr_between", "dead_channels", "relu_channels", "pruned_accuracy", "pruned_params", "pruned_macs",
           "command"]


def configs(net):
    if net == "shufflenet":
        yield ["--net", "shufflenet-tiny", "--groups", "1"]
        for g in (2, 3, 4, 8, 24):
            yield ["--net", "shufflenet-tiny", "--groups", str(g)]
            yield ["--net", "shufflenet-tiny", "--groups", str(g), "--no-shuffle"]
    elif net == "alexnet":
        for g in (1, 2, 4, 8):
            yield ["--net", "alexnet-tiny", "--groups", str(g)]
            if g > 1:
                yield ["--net", "alexnet-tiny", "--groups", str(g), "--width-match"]
            yield ["--net", "alexnet-tiny", "--groups", str(g), "--no-bn"]
    elif net == "schedule":
        for g in (1, 4):
            yield ["--net", "alexnet-tiny", "--groups", str(g)]
    elif net == "halves":
        for g in (2, 4):
            yield ["--net", "shufflenet-tiny", "--groups", str(g), "--halves"]
            yield ["--net", "shufflenet-tiny", "--groups", str(g), "--no-shuffle", "--halves"]


def decays(net):
    """The learning-rate decays (epochs) each configuration runs with, in the order --decay takes in a command."""
    return {"alexnet": (ALEXNET_DECAY,), "schedule": (0, 2, 6)}.get(net, (0,))


def main():
    net = sys.argv[1] if len(sys.argv) > 1 else ""
    part, parts = 0, 1
    if len(sys.argv) > 3 and sys.argv[2] == "--part":
        try:
            part, parts = (int(x) for x in sys.argv[3].split("/"))
            assert 0 <= part < parts
        except (ValueError, AssertionError):
            sys.exit(f"train_sweep: --part {sys.argv[3]} is not allowed: give K/N with 0 <= K < N, e.g. 0/2")
    if net not in FILES:
        sys.exit(f"train_sweep: net {net} is not allowed: choose one of {', '.join(FILES)}")
    out = ROOT / "data" / FILES[net]
    rows = read(out)
    subprocess.run([str(ROOT / "course"), "setup"], check=True, stdout=subprocess.DEVNULL)
    jar = ROOT / "build" / "sweep" / f"effconv-{net}-{part}.jar"  # a copy per part: parts start at different times
    deps = ROOT / "build" / "sweep" / f"deps-{net}-{part}"
    jar.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "lib" / "target" / "effconv.jar", jar)
    # a rebuild empties lib/target/deps first: a run starting then would find no classes
    shutil.rmtree(deps, ignore_errors=True)
    shutil.copytree(ROOT / "lib" / "target" / "deps", deps)
    # ./course train's JVM options (lib/jvm/tool.args), on a copy of the jar so a rebuild during a long sweep does
    # not change the code under it; threads as lib/jvm/run sets them (the CPUs this process may use), as before
    java = ["/bin/sh", str(ROOT / "lib" / "jvm" / "run"), "java", f"@{ROOT / 'lib' / 'jvm' / 'tool.args'}", "-cp",
            f"{jar}:{deps}/*", "effconv.cli.TrainCommand"]
    env = dict(os.environ, EFFCONV_HOME=str(ROOT))
    plan = [cfg + ["--epochs", str(EPOCHS)] + (["--decay", str(d)] if d else []) + ["--seed", str(seed)]
            for d in decays(net) for cfg in configs(net) for seed in SEEDS]
    for i, args in enumerate(plan):
        if i % parts != part or any(c.split()[2:] == args for c in rows):
            continue
        result = subprocess.run([*java, *args, "--json"], capture_output=True, text=True, env=env)
        if result.returncode != 0:
            sys.exit(f"train_sweep: {' '.join(args)} failed:\n{result.stderr}")
        row = json.loads(result.stdout, parse_float=str)  # figures keep the digits ./course train printed
        rows[row["command"]] = {k: ("" if row[k] is None else str(row[k]).lower() if isinstance(row[k], bool)
                                    else str(row[k])) for k in COLUMNS}
        print(f"{row['command']}: {float(row['test_accuracy']):.4f}", flush=True)
        rows = merge(out, rows, plan)


def read(path):
    if not path.exists():
        return {}
    with open(path, newline="") as f:
        return {r["command"]: r for r in csv.DictReader(f)}


def merge(path, rows, plan):
    """Writes every finished run of the plan, in the plan's order: this process's and those another part wrote
    meanwhile (read again under a lock, so parts never lose each other's rows). Returns them all."""
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        merged = {**read(path), **rows}
        ordered = [r for args in plan for c, r in merged.items() if c.split()[2:] == args]
        with open(path, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
            w.writeheader()
            w.writerows(ordered)
        return {r["command"]: r for r in ordered}


if __name__ == "__main__":
    main()
