"""The course on other CPUs, checked on this one: every lesson is executed under kernel selections that stand for
other processors, and each run's outputs must equal the committed ones — timing cells excepted, and where the
selection's arithmetic (oneDNN's kernel family and threads) is not the one a lesson was saved with, its cpu-digits
cells (training runs) compared in form and its cpu-choice cells (oneDNN's kernel names) not at all. The tests
(tools/tests/test_portability.py, marker `portability`) run DEFAULT_SELECTIONS, or the ones given:

    .venv/bin/python -m pytest -m portability                                  the default selections, every lesson
    .venv/bin/python -m pytest -m portability --selection=coretype=Zen,isa=AVX2 --lesson=01 --lesson=15
                                                                               one selection, two lessons

A selection names what a kernel library picks by CPU:
- coretype=NAME  OpenBLAS's kernels (OPENBLAS_CORETYPE), which ND4J's reference convolutions and matrix products run;
- isa=NAME       the most oneDNN may use (ONEDNN_MAX_CPU_ISA), which the fused and training engines and ND4J's own
                 oneDNN calls run;
- cpus=N         the CPUs the kernel may use (as a hub's CPU limit or taskset gives it): its threads follow them.

A CPU that lacks what a selection needs skips it with one line; an unknown name is refused with one line naming it
and what is accepted.
"""
import contextlib
import dataclasses
import os
import pathlib

from jupyter_client.manager import start_new_kernel

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
# What ./course test runs, besides this machine's own kernels (tools/tests/test_lessons.py). Why these stand for other CPUs:
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

    @contextlib.contextmanager
    def entered(self):
        """This process (and the kernels it starts meanwhile) set to the selection — environment and CPU affinity —
        and set back as it was after."""
        environ, affinity = dict(os.environ), os.sched_getaffinity(0)
        try:
            if self.coretype:
                os.environ["OPENBLAS_CORETYPE"] = self.coretype
            if self.isa:
                # oneDNN 2.5 reads either name; ND4J's own, older oneDNN only the first one
                os.environ["DNNL_MAX_CPU_ISA"] = os.environ["ONEDNN_MAX_CPU_ISA"] = self.isa
            if self.cpus:
                os.sched_setaffinity(0, sorted(affinity)[:self.cpus])
                os.environ.pop("OMP_NUM_THREADS", None)  # lib/jvm/run sets it from the CPUs the kernel may use
            yield self
        finally:
            os.environ.clear()
            os.environ.update(environ)
            os.sched_setaffinity(0, affinity)


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
