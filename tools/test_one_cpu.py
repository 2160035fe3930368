#!/usr/bin/env python3
"""The course on one CPU, as a hub or container with a CPU limit of 1 gives it (issue: threads from the container).
Run by ./course test.

This process pins itself to one CPU (the affinity mask, as taskset does; the kernel it starts inherits it), with
OMP_NUM_THREADS unset, and checks that
- the kernel's ND4J and oneDNN threads follow the CPUs it may use: lib/jvm/run sets OMP_NUM_THREADS to the JVM's
  availableProcessors at kernel start, and ND4J's thread pools are sized from it (nothing baked in at install);
- every lesson still runs to the end without an error output, only slower (the times are printed).
"""
import argparse
import os
import pathlib
import sys
import time

from jupyter_client.manager import start_new_kernel

root = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(root / "tools"))
from notebooks import errors, execute  # noqa: E402

PROBE = ('System.getenv("OMP_NUM_THREADS") + " " + Runtime.getRuntime().availableProcessors() + " "'
         ' + org.nd4j.linalg.factory.Nd4j.getEnvironment().maxThreads()')


def threads_seen(kernel):
    """(OMP_NUM_THREADS, availableProcessors, ND4J's maxThreads) as the kernel sees them."""
    km, kc = start_new_kernel(kernel_name=kernel)
    try:
        results = []
        kc.execute_interactive(PROBE, timeout=120, output_hook=lambda m: results.append(m) if m["msg_type"] ==
                               "execute_result" else None)
        return results[0]["content"]["data"]["text/plain"].strip('"') if results else "no result"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", default="effconv")
    ap.add_argument("lessons", nargs="*", help="lesson names (default: every lesson)")
    a = ap.parse_args()
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    os.environ.pop("OMP_NUM_THREADS", None)
    problems = []

    seen = threads_seen(a.kernel)
    if seen != "1 1 1":
        problems.append(f"on one CPU the kernel computes with OMP_NUM_THREADS, CPUs, ND4J threads = {seen}, "
                        "expected 1 1 1")
    print(f"one CPU: the kernel's OMP_NUM_THREADS, CPUs and ND4J threads: {seen}", flush=True)

    books = sorted((root / "notebooks").glob("*.ipynb"))
    if a.lessons:
        books = [b for b in books if b.stem in a.lessons or b.name in a.lessons]
    start = time.monotonic()
    times = []
    for path in books:
        nb, _, stats = execute(path, a.kernel)
        times.append(f"{path.stem[:2]} {stats['seconds']:.0f} s")
        problems += [f"{path.name} cell {i}: {m.splitlines()[0][:200]}" for i, m in errors(nb)]
    print(f"one CPU: {len(books)} lessons ran in {time.monotonic() - start:.0f} s ({', '.join(times)})", flush=True)
    for p in problems:
        print("one CPU: " + p)
    print(f"one CPU: threads from the CPUs the kernel may use, every lesson runs: {'FAILED' if problems else 'ok'}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
