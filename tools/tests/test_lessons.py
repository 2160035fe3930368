"""Every lesson executed with the course kernel, twice in one kernel (tools.lessons.execution), judged by the rules of
tools.lessons.rules; the kernel surviving an oversized layer; the course's budgets."""
import nbformat
import pytest
from nbclient import NotebookClient

from tools.lessons import budgets
from tools.lessons.execution import CELL_TIMEOUT, errors
from tools.lessons.rules import run_problems


def test_kernel_survives_oversized_layer(kernel, root):
    """A student's oversized layer is refused with a message, and the kernel answers the next cell."""
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("NdLayer.init(Conv2d.of(4096, 4096, 3), 0)"
                                  ".forward(Tensors.random(Shape.of(4096, 224), 0))"),
        nbformat.v4.new_code_cell("Summary.of(Conv2d.of(4096, 4096, 3), Shape.of(4096, 224)).totalParams()"),
        nbformat.v4.new_code_cell("1 + 1")])
    NotebookClient(nb, kernel_name=kernel, timeout=CELL_TIMEOUT, allow_errors=True, shutdown_kernel="immediate",
                   resources={"metadata": {"path": str(root / "notebooks")}}).execute()
    first = nb.cells[0].outputs
    assert (first and first[0].get("output_type") == "error"
            and "IllegalArgumentException" in first[0].get("evalue", "")
            and "not allowed" in first[0].get("evalue", "")), \
        f"the oversized layer was not refused with a clear message: {str(first)[:300]}"
    counted = nb.cells[1].outputs[0].get("data", {}).get("text/plain") if nb.cells[1].outputs else None
    assert counted == "150994944", f"counting the oversized layer (no allocation) answered {counted!r}"
    after = nb.cells[2].outputs[0].get("data", {}).get("text/plain") if nb.cells[2].outputs else None
    assert after == "2", f"the kernel did not answer the cell after the refusal: {nb.cells[2].outputs}"


@pytest.mark.slow
def test_lesson(lesson, lesson_runs, arithmetic_here):
    """No error output and nothing on stderr; outputs saved; metadata as the kernel reports it; a second pass in the
    same kernel shows the same; the saved lesson shows its charts without a kernel; the committed outputs equal this
    run's (tools.lessons.rules.run_problems)."""
    run = lesson_runs.get(lesson)
    problems = [f"cell {i}: {m}" for i, m in errors(run.nb)]
    problems += run_problems(run.committed, run.nb, run.second, lesson, run.stats, arithmetic_here)
    assert not problems, f"{lesson.name}:\n" + "\n".join("    " + p.replace("\n", "\n    ") for p in problems)


# --- budgets: what fails the run is a test; times are reported after the tests (conftest) ---------------------------

def every_lesson(lesson_runs):
    """Every lesson's run, or a skip where --lesson chose a part of the course (the budgets are the whole course's)."""
    if not lesson_runs.whole_course():
        pytest.skip(f"the budgets are the whole course's: --lesson chose {len(lesson_runs.selected)} of "
                    f"{len(lesson_runs.course)} lessons")
    return {name: run.stats for name, run in lesson_runs.all().items()}


@pytest.mark.slow
def test_kernel_peak_memory(lesson_runs, report):
    stats = every_lesson(lesson_runs)
    biggest = max(stats, key=lambda n: stats[n]["rss"])
    peak = stats[biggest]["rss"]
    report("budgets on this machine", budgets.budget_line(f"peak memory of a lesson's kernel ({biggest})", peak,
                                                          budgets.BUDGET_KERNEL_MB, "MB", True))
    assert peak <= budgets.BUDGET_KERNEL_MB, \
        f"{biggest}: its kernel peaked at {peak:.0f} MB, over the budget of {budgets.BUDGET_KERNEL_MB} MB"


@pytest.mark.slow
def test_two_busy_kernels(lesson_runs, report):
    stats = every_lesson(lesson_runs)
    (a, b), total = budgets.two_busy_kernels(stats)
    report("budgets on this machine", budgets.budget_line(
        f"two busy lesson kernels together ({a} + {b}, the sum of their peaks)", total,
        budgets.BUDGET_TWO_KERNELS_MB, "MB", True))
    assert total <= budgets.BUDGET_TWO_KERNELS_MB, \
        f"{a} + {b}: their kernels' peaks add up to {total:.0f} MB, over the budget of " \
        f"{budgets.BUDGET_TWO_KERNELS_MB} MB (Binder's memory, for a student with two lessons open)"


def test_jars(root, helper_jar, report):
    size = budgets.jars_mb(root)
    report("budgets on this machine", budgets.budget_line("jars the kernel loads (helper + dependencies)", size,
                                                          budgets.BUDGET_JARS_MB, "MB", True))
    assert size <= budgets.BUDGET_JARS_MB, \
        f"the jars the kernel loads take {size:.1f} MB, over the budget of {budgets.BUDGET_JARS_MB} MB"


@pytest.mark.slow
def test_first_helper_result(kernel, root, report):
    """The first helper result in a fresh kernel is right; its time (the median of 3 starts, after the lessons ran,
    so caches are warm) is reported against its budget, not failed on."""
    found = budgets.first_helper_results(kernel, root / "notebooks")
    report("budgets on this machine", budgets.budget_line(
        "kernel start to first helper result (warm, median of 3)", budgets.median([t for t, _ in found]),
        budgets.BUDGET_FIRST_RESULT_S, "s", False))
    assert [answer for _, answer in found] == ["7200"] * len(found), f"the first-result probe answered {found}"
