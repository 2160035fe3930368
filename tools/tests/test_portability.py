"""The course on other CPUs, checked on this one (tools.lessons.portability): every lesson executed once under each
selection, its outputs equal to the committed ones (tools.lessons.rules.stale_outputs, with the selection named);
a selection this CPU cannot stand for is skipped with the reason."""
import os

import pytest

from tools.lessons.execution import arithmetic, errors
from tools.lessons.portability import cpu_flags, threads_seen
from tools.lessons.rules import stale_outputs

pytestmark = pytest.mark.portability


def runnable(selection):
    why = selection.missing(cpu_flags(), os.sched_getaffinity(0))
    if why:
        pytest.skip(f"{selection.label()}: {why}")


@pytest.fixture(scope="session")
def arithmetic_under():
    """The arithmetic a kernel has under each selection (effconv.runtime.Arithmetic, run under it), once each."""
    found = {}

    def under(selection, root):
        if selection not in found:
            with selection.entered():
                found[selection] = arithmetic(root)
        return found[selection]
    return under


def test_threads_follow_cpus(cpus_selection, kernel):
    """A kernel limited to N CPUs computes with N threads: OMP_NUM_THREADS, the JVM's CPUs and ND4J's threads."""
    runnable(cpus_selection)
    with cpus_selection.entered():
        seen = threads_seen(kernel)
    want = " ".join([str(cpus_selection.cpus)] * 3)
    assert seen == want, (f"{cpus_selection.label()}: the kernel computes with OMP_NUM_THREADS, CPUs, ND4J threads = "
                          f"{seen}, expected {want}")


def test_portable(selection, lesson, portability_runs, arithmetic_under, root):
    runnable(selection)
    here = arithmetic_under(selection, root)
    run = portability_runs(selection).get(lesson, entered=selection.entered)
    found = [f"cell {i}: {m.splitlines()[0][:300]}" for i, m in errors(run.nb)]
    found += stale_outputs(run.committed, run.nb, here, selection.label())
    assert not found, (f"{lesson.stem} under {selection.label()} ({here}):\n"
                       + "\n".join("    " + p.replace("\n", "\n    ") for p in found))
