"""The course's budgets: what ./course test reports, and fails on where a budget is a property of the course."""
import time

import nbformat
from nbclient import NotebookClient

from tools.lessons.execution import CELL_TIMEOUT

# The course's budgets on the 2-core machine it targets (issue #7 and #8). Times are reported, never failed on:
# they vary with the machine and its load. Memory and download size are properties of the course: over budget fails.
BUDGET_COURSE_S = 300
BUDGET_LESSON_S = 30
BUDGET_FIRST_RESULT_S = 3.0
BUDGET_KERNEL_MB = 1200
BUDGET_JARS_MB = 250
# Binder's 2 GB and a class hub's per-student limit hold a student's two open lessons (issue #27): the heaviest two
# lessons' kernels together, each at its peak
BUDGET_TWO_KERNELS_MB = 2048


def two_busy_kernels(runs):
    """The heaviest two lessons and the sum of their kernels' peaks (VmHWM): an upper bound on the two kernels busy
    at once, since their peaks need not coincide and pages the two JVMs share (the CDS archive, libraries) are
    counted twice."""
    a, b = sorted(runs, key=lambda n: runs[n]["rss"], reverse=True)[:2]
    return (a, b), runs[a]["rss"] + runs[b]["rss"]


def first_helper_results(kernel, root, runs=3):
    """(seconds, answer) of a few starts: from asking for a kernel to the first helper result (an ND4J forward pass,
    which answers 7200); run after the notebooks, caches are warm, as for a student's second lesson. The budget is
    the median time."""
    found = []
    for _ in range(runs):
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
            "NdLayer.init(Conv2d.of(3, 8, 3), 0).forward(Tensors.random(Shape.of(3, 32), 0)).length()")])
        marks = [time.monotonic()]
        NotebookClient(nb, kernel_name=kernel, timeout=CELL_TIMEOUT, shutdown_kernel="immediate",
                       resources={"metadata": {"path": str(root)}},
                       on_cell_executed=lambda **_: marks.append(time.monotonic())).execute()
        outputs = nb.cells[0].outputs
        found.append((marks[-1] - marks[0], outputs[0].get("data", {}).get("text/plain") if outputs else None))
    return found


def median(values):
    return sorted(values)[len(values) // 2]


def jars_mb(root):
    """The jars the kernel loads (the helper and its dependencies), in MB."""
    jars = [root / "lib" / "target" / "effconv.jar", *sorted((root / "lib" / "target" / "deps").glob("*.jar"))]
    return sum(j.stat().st_size for j in jars if j.exists()) / 1e6


def budget_line(what, value, budget, unit, fails):
    """A budget as ./course test prints it: within, or over (and whether that fails the run)."""
    ok = value <= budget
    return (f"[budget] {what}: {value:.1f} {unit} (budget {budget} {unit}) "
            f"{'within' if ok else 'OVER' + ('' if fails else ' (times are reported, not failed on)')}")
