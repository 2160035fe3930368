#!/usr/bin/env python3
"""The course on other CPUs, checked on this one: every lesson is executed under kernel selections that stand for
other processors, and each run's outputs must equal the committed ones — timing cells excepted, and where the
selection's arithmetic (oneDNN's kernel family and threads) is not the one a lesson was saved with, its cpu-digits
cells (training runs) compared in form and its cpu-choice cells (oneDNN's kernel names) not at all. Run by
./course test, or alone:

    python3 tools/portability.py                      the default selections, every lesson
    python3 tools/portability.py --selection coretype=Zen,isa=AVX2 01 15
                                                      one selection, two lessons

A selection names what a kernel library picks by CPU:
- coretype=NAME  OpenBLAS's kernels (OPENBLAS_CORETYPE), which ND4J's reference convolutions and matrix products run;
- isa=NAME       the most oneDNN may use (ONEDNN_MAX_CPU_ISA), which the fused and training engines and ND4J's own
                 oneDNN calls run;
- cpus=N         the CPUs the kernel may use (as a hub's CPU limit or taskset gives it): its threads follow them.

A CPU that lacks what a selection needs skips it with one line; an unknown name is refused with one line naming it
and what is accepted.
"""
import argparse
import dataclasses
import os
import pathlib
import subprocess
import sys
import time

import nbformat
from jupyter_client.manager import start_new_kernel

root = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(root / "tools"))
from notebooks import arithmetic, errors, execute, stale_outputs  # noqa: E402

# OpenBLAS 0.3.19 (ND4J 1.0.0-M2.1's, built for every x86-64 core): the core types it accepts there, each with the CPU
# flags (/proc/cpuinfo) its kernels execute
CORETYPES = {
    "Prescott": {"pni"}, "Core2": {"ssse3"}, "Penryn": {"ssse3"}, "Dunnington": {"ssse3"}, "Nehalem": {"sse4_2"},
    "Atom": {"ssse3"}, "Nano": {"ssse3"}, "Opteron": {"sse2"}, "Opteron_SSE3": {"pni"}, "Barcelona": {"sse4a"},
    "Bobcat": {"ssse3", "sse4a"}, "Sandybridge": {"avx"}, "Bulldozer": {"avx", "fma4"},
    "Piledriver": {"avx", "fma4", "fma"}, "Steamroller": {"avx", "fma4", "fma"}, "Excavator": {"avx2", "fma4", "fma"},
    "Haswell": {"avx2", "fma"}, "Zen": {"avx2", "fma"},
    "SkylakeX": {"avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"},
    "Cooperlake": {"avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl", "avx512_bf16"},
}
AVX512 = {"avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"}
# oneDNN 2.5's ISA caps (the fused and training engines' oneDNN; ND4J's own reads the same variable) and their flags
ISAS = {
    "SSE41": {"sse4_1"}, "AVX": {"avx"}, "AVX2": {"avx2", "fma"}, "AVX2_VNNI": {"avx2", "fma", "avx_vnni"},
    "AVX512_CORE": AVX512, "AVX512_CORE_VNNI": AVX512 | {"avx512_vnni"},
    "AVX512_CORE_BF16": AVX512 | {"avx512_vnni", "avx512_bf16"},
    "AVX512_CORE_AMX": AVX512 | {"avx512_vnni", "avx512_bf16", "amx_tile", "amx_bf16", "amx_int8"},
    "ALL": set(),
}
# What ./course test runs, besides this machine's own kernels (the notebook test). Why these stand for other CPUs:
# - Haswell + AVX2: OpenBLAS's AVX2 kernels (also what it runs on AMD Zen 1-4) and oneDNN's AVX2 kernels: every
#   CPU without AVX-512 since 2013 — Intel's laptops and desktops since Alder Lake among them — and AMD Zen 1-3;
# - SkylakeX + AVX512_CORE on one CPU: OpenBLAS's AVX-512 kernels and oneDNN's AVX-512 ones, as Intel's Xeons since
#   Skylake-SP and AMD Zen 4-5 run them, with one thread (a hub's CPU limit): threads split sums differently.
DEFAULT_SELECTIONS = ["coretype=Haswell,isa=AVX2", "coretype=SkylakeX,isa=AVX512_CORE,cpus=1"]

THREADS_PROBE = ('System.getenv("OMP_NUM_THREADS") + " " + Runtime.getRuntime().availableProcessors() + " "'
                 ' + org.nd4j.linalg.factory.Nd4j.getEnvironment().maxThreads()')


class Refused(Exception):
    """A selection this script does not accept: the message names the part as typed and what is accepted."""


@dataclasses.dataclass(frozen=True)
class Selection:
    coretype: str | None = None
    isa: str | None = None
    cpus: int | None = None

    @staticmethod
    def parse(spec):
        found = {}
        for part in filter(None, (p.strip() for p in spec.split(","))):
            key, eq, value = part.partition("=")
            if not eq or key not in ("coretype", "isa", "cpus") or not value:
                raise Refused(f"--selection {spec}: '{part}' is not allowed: give coretype=NAME, isa=NAME or cpus=N, "
                              "joined by commas")
            if key == "coretype" and value not in CORETYPES:
                raise Refused(f"--selection {spec}: coretype={value} is not an OpenBLAS core type this OpenBLAS "
                              f"accepts: {', '.join(CORETYPES)}")
            if key == "isa" and value.upper() not in ISAS:
                raise Refused(f"--selection {spec}: isa={value} is not a oneDNN ISA cap: {', '.join(ISAS)}")
            if key == "cpus" and not (value.isdigit() and int(value) >= 1):
                raise Refused(f"--selection {spec}: cpus={value} is not allowed: a whole number, 1 or more")
            found[key] = int(value) if key == "cpus" else value.upper() if key == "isa" else value
        if not found:
            raise Refused(f"--selection '{spec}' is empty: give coretype=NAME, isa=NAME or cpus=N")
        return Selection(**found)

    def spec(self):
        """The selection as --selection takes it."""
        return ",".join(f"{k}={v}" for k, v in dataclasses.asdict(self).items() if v is not None)

    def label(self):
        parts = [f"OPENBLAS_CORETYPE={self.coretype}"] if self.coretype else []
        parts += [f"ONEDNN_MAX_CPU_ISA={self.isa}"] if self.isa else []
        parts += [f"{self.cpus} CPU{'s' if self.cpus > 1 else ''}"] if self.cpus else []
        return ", ".join(parts)

    def missing(self, flags, cpus):
        """Why this CPU cannot stand for the selection, or None."""
        if self.coretype and not CORETYPES[self.coretype] <= flags:
            return (f"this CPU lacks {', '.join(sorted(CORETYPES[self.coretype] - flags))}, which OpenBLAS's "
                    f"{self.coretype} kernels execute")
        if self.isa and not ISAS[self.isa] <= flags:
            return f"this CPU lacks {', '.join(sorted(ISAS[self.isa] - flags))}, which oneDNN's {self.isa} kernels need"
        if self.cpus and self.cpus > len(cpus):
            return f"this process may use {len(cpus)} CPU{'s' if len(cpus) > 1 else ''}, fewer than {self.cpus}"
        return None

    def enter(self):
        """Sets this process (and the kernels it starts) to the selection: environment and CPU affinity."""
        if self.coretype:
            os.environ["OPENBLAS_CORETYPE"] = self.coretype
        if self.isa:
            # oneDNN 2.5 reads either name; ND4J's own, older oneDNN only the first one
            os.environ["DNNL_MAX_CPU_ISA"] = os.environ["ONEDNN_MAX_CPU_ISA"] = self.isa
        if self.cpus:
            os.sched_setaffinity(0, sorted(os.sched_getaffinity(0))[:self.cpus])
            os.environ.pop("OMP_NUM_THREADS", None)  # lib/jvm/run sets it from the CPUs the kernel may use


def cpu_flags():
    for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("flags"):
            return set(line.partition(":")[2].split())
    return set()


def threads_seen(kernel):
    """(OMP_NUM_THREADS, availableProcessors, ND4J's maxThreads) as a kernel started now sees them."""
    km, kc = start_new_kernel(kernel_name=kernel)
    try:
        results = []
        kc.execute_interactive(THREADS_PROBE, timeout=120, output_hook=lambda m: results.append(m) if m["msg_type"] ==
                               "execute_result" else None)
        return results[0]["content"]["data"]["text/plain"].strip('"') if results else "no result"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def run(selection, kernel, books, out_dir):
    """Executes the lessons under the selection (in this process, which it changes) and returns the problems."""
    selection.enter()
    label = selection.label()
    problems = []
    if selection.cpus:
        seen = threads_seen(kernel)
        want = " ".join([str(selection.cpus)] * 3)
        if seen != want:
            problems.append(f"the kernel computes with OMP_NUM_THREADS, CPUs, ND4J threads = {seen}, expected {want}")
    here = arithmetic(root)
    out_dir.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    for path in books:
        committed = nbformat.read(path, as_version=4)
        nb, _, _ = execute(path, kernel)
        nbformat.write(nb, out_dir / path.name)
        found = [f"cell {i}: {m.splitlines()[0][:300]}" for i, m in errors(nb)]
        found += stale_outputs(committed, nb, here, label)
        problems += [f"{path.stem} {p}" for p in found]
    print(f"[portability] {label} ({here}): {len(books)} lessons in {time.monotonic() - start:.0f} s: "
          f"{'FAILED' if problems else 'ok'}", flush=True)
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--kernel", default="effconv")
    ap.add_argument("--selection", action="append", help="coretype=NAME,isa=NAME,cpus=N (repeatable; default: "
                    + "; ".join(DEFAULT_SELECTIONS) + ")")
    ap.add_argument("lessons", nargs="*", help="lesson numbers or names (default: every lesson)")
    a = ap.parse_args()
    try:
        selections = [Selection.parse(s) for s in (a.selection or DEFAULT_SELECTIONS)]
    except Refused as e:
        print(f"portability.py: {e}", file=sys.stderr)
        return 2
    books = sorted((root / "notebooks").glob("*.ipynb"))
    if a.lessons:
        books = [b for b in books if any(b.name.startswith(x) or b.stem == x for x in a.lessons)]
        if not books:
            print(f"portability.py: no lesson matches {' '.join(a.lessons)}", file=sys.stderr)
            return 2
    flags, cpus = cpu_flags(), os.sched_getaffinity(0)
    failed = 0
    for s in selections:
        why = s.missing(flags, cpus)
        if why:
            print(f"[portability] {s.label()}: skipped — {why}", flush=True)
            continue
        # each selection in a process of its own: its environment and CPU affinity end with it
        child = subprocess.run([sys.executable, __file__, "--run", s.spec(), "--kernel", a.kernel]
                               + [b.name for b in books])
        failed += child.returncode != 0
    return 1 if failed else 0


def child():
    ap = argparse.ArgumentParser()
    ap.add_argument("--run", required=True)
    ap.add_argument("--kernel", default="effconv")
    ap.add_argument("books", nargs="+")
    a = ap.parse_args()
    selection = Selection.parse(a.run)
    problems = run(selection, a.kernel, [root / "notebooks" / b for b in a.books],
                   root / "build" / "portability" / a.run.replace(",", "_").replace("=", "-"))
    for p in problems:
        print("    " + p.replace("\n", "\n    "), flush=True)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(child() if "--run" in sys.argv else main())
