#!/usr/bin/env python3
"""The course's benchmark suite in PyTorch (CPU), the reference that ./course bench compares the helper with.

Same cases, same names, same shapes and the same harness as effconv.BenchSuite / effconv.Bench: warm-up, then
repeated timed runs; median and 10th/90th percentiles in milliseconds; batch 1; inference (no autograd). Each case
is timed in PyTorch's three CPU inference modes ("mode" in the JSON): eager on NCHW tensors, eager with model and
input in channels_last, and torch.jit.optimize_for_inference (traced, frozen, oneDNN-fused: PyTorch's fastest mode
here). Threads are set explicitly (--threads, default OMP_NUM_THREADS or every CPU): this PyTorch build starts
with one thread otherwise.
Needs PyTorch (Debian: apt-get install python3-torch). The networks are the course's PyTorch twins (bench/twins.py,
which the golden files are made with too). Run by ./course bench (which passes on --quick and --only: bench/flags.py),
or by hand from the course folder:

    python3 -m bench.pytorch_bench [--quick] [--only NAME] [--threads N] [--out FILE]    # prints the JSON list

Multiply-adds are counted here independently (forward hooks on every Conv2d and Linear), so the compare step
also cross-checks the Java cost model.
"""
import argparse
import json
import os
import sys
import time

try:
    import torch
    from torch import nn

    from bench.twins import Shuffle, alexnet_tiny, mobilenet_v1, mobilenet_v2, shufflenet_tiny, shufflenet_v1
except ModuleNotFoundError as e:  # the flags are still parsed, and --help shown, without PyTorch (tools/tests)
    if e.name != "torch":
        raise
    torch = nn = None


def seed_layers():
    x = (1, 100, 17, 17)
    return [
        ("standard K=3", nn.Conv2d(100, 1000, 3, bias=False), x),
        ("standard K=7", nn.Conv2d(100, 1000, 7, bias=False), x),
        ("depthwise K=3", nn.Conv2d(100, 100, 3, groups=100, bias=False), x),
        ("pointwise", nn.Conv2d(100, 1000, 1, bias=False), x),
        ("separable K=3", nn.Sequential(nn.Conv2d(100, 100, 3, groups=100, bias=False),
                                        nn.Conv2d(100, 1000, 1, bias=False)), x),
    ]


TRAINING = "train step shufflenet-tiny g=4"
TRAINING_ALEXNET = "train step alexnet-tiny g=4"
TRAININGS = {TRAINING: lambda: shufflenet_tiny(4), TRAINING_ALEXNET: lambda: alexnet_tiny(4)}
BATCH = 64


def fashion_batch():
    """The first 64 training images of the course's Fashion-MNIST subset, standardised as the helper does."""
    import gzip
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "fashion-mnist")
    with gzip.open(os.path.join(root, "train-images-idx3-ubyte.gz")) as f:
        pixels = f.read()[16:16 + BATCH * 784]
    with gzip.open(os.path.join(root, "train-labels-idx1-ubyte.gz")) as f:
        labels = f.read()[8:8 + BATCH]
    x = (torch.tensor(list(pixels), dtype=torch.float32) / 255 - 0.286) / 0.353
    return x.reshape(BATCH, 1, 28, 28), torch.tensor(list(labels), dtype=torch.long)


def training_step(name):
    """One Adam step (learning rate 0.002) on one batch, as the helper's training case of that name times it."""
    model = TRAININGS[name]()
    model.train()
    opt = torch.optim.Adam(model.parameters(), 2e-3)
    x, y = fashion_batch()

    def step():
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model, step


def cases():
    out = seed_layers()
    for g in (1, 2, 4, 8, 16, 32):
        out.append((f"grouped g={g}", nn.Conv2d(96, 256, 5, padding=2, groups=g, bias=False), (1, 96, 27, 27)))
    out.append(("shuffle g=3", Shuffle(3), (1, 240, 28, 28)))
    out.append(("mobilenet-v1", mobilenet_v1(), (1, 3, 224, 224)))
    out.append(("shufflenet-v1 g=3", shufflenet_v1(3), (1, 3, 224, 224)))
    out.append(("mobilenet-v2", mobilenet_v2(), (1, 3, 224, 224)))
    return out


def count_macs(model, x):
    """Multiply-adds of every Conv2d and Linear, as the papers (and effconv's default Counting) count them."""
    total = [0]

    def conv_hook(m, inp, out):
        total[0] += out.numel() * (m.in_channels // m.groups) * m.kernel_size[0] * m.kernel_size[1]

    def linear_hook(m, inp, out):
        total[0] += m.in_features * m.out_features

    hooks = [m.register_forward_hook(conv_hook) for m in model.modules() if isinstance(m, nn.Conv2d)]
    hooks += [m.register_forward_hook(linear_hook) for m in model.modules() if isinstance(m, nn.Linear)]
    with torch.no_grad():
        model(x)
    for h in hooks:
        h.remove()
    return total[0]


def percentile(sorted_times, p):
    """Linear interpolation between closest ranks, as effconv.Bench does."""
    pos = p / 100 * (len(sorted_times) - 1)
    i = int(pos)
    j = min(len(sorted_times) - 1, i + 1)
    return sorted_times[i] + (sorted_times[j] - sorted_times[i]) * (pos - i)


# When a measurement is taken again, as effconv.bench.Bench decides it (CALIBRATION_LIMIT, OTHER_CPUS_LIMIT, ATTEMPTS)
BUSY_CALIBRATION = 1.5
BUSY_OTHER_CPUS = 0.3
ATTEMPTS = 3


class Calibration:
    """A fixed kernel timed before and after every measurement, as the helper's effconv.bench.Calibration: when it
    runs slower than its best median in this process, something else was using the CPUs. A 3x3 convolution (64
    channels, 28x28: 29 million multiply-adds, a few tenths of a millisecond) on PyTorch's threads, not the helper's
    matrix product: this PyTorch's matrix product may use a generic BLAS, far slower, its convolutions use oneDNN."""

    def __init__(self):
        self.x, self.w = torch.rand(1, 64, 28, 28), torch.rand(64, 64, 3, 3)
        self.best = float("inf")
        for _ in range(30):  # the first runs pay for loading and for oneDNN's just-in-time code
            self.run()
        self.read(60)

    def run(self):
        with torch.no_grad():
            nn.functional.conv2d(self.x, self.w, padding=1)

    def read(self, runs=21):
        """The median of a few runs, in ms; the best median is updated with it."""
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            self.run()
            times.append((time.perf_counter() - t0) * 1e3)
        median = percentile(sorted(times), 50)
        self.best = min(self.best, median)
        return median

    def slowdown(self):
        return self.read() / self.best


def time_once(run, warmup, measure, calibration):
    """At least 3 warm-up runs and 5 timed runs, like effconv.Bench.time, with what was read around them."""
    end = time.perf_counter() + warmup
    i = 0
    while i < 3 or time.perf_counter() < end:
        run()
        i += 1
    before = calibration.slowdown()
    start = cpu_counters()
    times = []
    end = time.perf_counter() + measure
    while len(times) < 1000 and (len(times) < 5 or time.perf_counter() < end):
        t0 = time.perf_counter()
        run()
        times.append((time.perf_counter() - t0) * 1e3)
    other = other_cpus(start, cpu_counters())
    slow = max(before, calibration.slowdown())
    times.sort()
    doubts = []
    if other is not None and other > BUSY_OTHER_CPUS:
        doubts.append(f"other processes used {other:.1f} CPUs meanwhile")
    if slow > BUSY_CALIBRATION:
        doubts.append(f"the calibration kernel ran {slow:.1f}\u00d7 slower than its best (machine busy)")
    return {"median_ms": percentile(times, 50), "p10_ms": percentile(times, 10), "p90_ms": percentile(times, 90),
            "calibration": round(slow, 3), "check": "; ".join(doubts) or "ok", "busy": bool(doubts)}


def time_it(run, warmup, measure, calibration):
    """time_once, taken again while the machine was busy, up to ATTEMPTS in all, the calmest kept (not busy if any,
    else the lowest calibration reading; never chosen by the case's own time), as effconv.Bench.timeCalm does."""
    taken = [time_once(run, warmup, measure, calibration)]
    while taken[-1]["busy"] and len(taken) < ATTEMPTS:
        taken.append(time_once(run, warmup, measure, calibration))
    best = dict(min(taken, key=lambda t: (t["busy"], t["calibration"])), attempts=len(taken))
    del best["busy"]
    return best


MODES = ("eager", "channels_last", "optimize_for_inference")


def modes(model, x):
    """The case's runnable in each mode, with its largest difference from eager (the modes must agree)."""
    import copy
    out = {"eager": (lambda: model(x), 0.0)}
    with torch.inference_mode():
        ref = model(x)
    cl = copy.deepcopy(model).to(memory_format=torch.channels_last)
    xcl = x.contiguous(memory_format=torch.channels_last)
    with torch.inference_mode():
        out["channels_last"] = (lambda: cl(xcl), (cl(xcl) - ref).abs().max().item())
    with torch.no_grad():
        # traced, not scripted: the course's small modules (shuffle, units) need no TorchScript annotations
        ofi = torch.jit.optimize_for_inference(torch.jit.trace(copy.deepcopy(model), x))
        out["optimize_for_inference"] = (lambda: ofi(x), (ofi(x) - ref).abs().max().item())
    return out


def cpu_counters():
    """(machine busy ticks, all ticks, this process's ticks, CPUs) from /proc: the same reading as the helper's
    effconv.bench.Load, so both sides say how much CPU *other* processes took while they measured."""
    try:
        with open("/proc/stat") as f:
            lines = f.read().splitlines()
        v = [int(x) for x in lines[0].split()[1:9]]
        cpus = sum(1 for l in lines if l.startswith("cpu") and l[3:4].isdigit())
        with open("/proc/self/stat") as f:
            own = f.read().rsplit(")", 1)[1].split()
        return sum(v) - v[3] - v[4], sum(v), sum(int(x) for x in own[11:15]), max(1, cpus)
    except (OSError, ValueError, IndexError):
        return None


def other_cpus(start, end):
    """CPUs' worth of time other processes took between two cpu_counters() readings (None where unknown)."""
    if not start or not end or end[1] - start[1] < 20:
        return None
    return max(0.0, (end[0] - start[0] - (end[2] - start[2])) / (end[1] - start[1]) * end[3])


def parser():
    ap = argparse.ArgumentParser(prog="bench/pytorch_bench.py", description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="short warm-up and measuring, to smoke-test")
    ap.add_argument("--threads", type=int, default=int(os.environ.get("OMP_NUM_THREADS", os.cpu_count() or 1)))
    ap.add_argument("--only", action="append", default=[], help="run only this case (repeatable)")
    ap.add_argument("--out", help="also write the JSON list here")
    return ap


def main(argv=None):
    a = parser().parse_args(argv)
    if torch is None:
        sys.exit("bench/pytorch_bench.py: this Python has no PyTorch (Debian: apt-get install python3-torch)")
    torch.manual_seed(0)
    torch.set_num_threads(a.threads)
    warmup, measure = (0.05, 0.1) if a.quick else (0.5, 1.5)
    start = cpu_counters()
    calibration = Calibration()
    results = []
    n = 1024
    m1, m2, out = torch.rand(n, n), torch.rand(n, n), torch.empty(n, n)
    results.append({"name": "matmul 1024", "mode": "eager", "threads": a.threads, "macs": n ** 3,
                    **time_it(lambda: torch.mm(m1, m2, out=out), warmup, measure, calibration)})
    for name, model, shape in cases():
        if a.only and name not in a.only:
            continue
        model.eval()
        x = torch.rand(*shape)
        macs = count_macs(model, x)
        for mode, (run, diff) in modes(model, x).items():
            if diff > 1e-3:
                sys.exit(f"{name}: {mode} differs from eager by {diff} (expected the same outputs)")
            with torch.no_grad():
                timed = time_it(run, warmup, measure, calibration)
            results.append({"name": name, "mode": mode, "threads": a.threads, "macs": macs, **timed})
            print(".", end="", file=sys.stderr, flush=True)
    for name in TRAININGS:
        if a.only and name not in a.only:
            continue
        model, step = training_step(name)
        macs = count_macs(model.eval(), torch.rand(1, 1, 28, 28)) * BATCH
        model.train()
        results.append({"name": name, "mode": "train", "threads": a.threads, "macs": macs,
                        **time_it(step, warmup, measure, calibration)})
    print(file=sys.stderr)
    other = other_cpus(start, cpu_counters())
    if other is not None:
        results.append({"name": "machine", "mode": "machine", "other_cpus": round(other, 2)})
    text = json.dumps(results, indent=1)
    if a.out:
        os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
        with open(a.out, "w") as f:
            f.write(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
