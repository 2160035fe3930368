"""./course execute saves timings only from a quiet machine: with two CPU burners started here it refuses, in one
line, before the lesson's kernel starts, and leaves the lesson's bytes as they were; with the burners stopped, the same
check calls the machine quiet (tools.lessons.guard, as ./course execute asks it). A run is judged by the timings its
timing cells flag, nothing else."""
import shutil
import subprocess
import sys
import time

import nbformat
import pytest

from tools.lessons.guard import flagged, quiet_machine

LESSON = "05-grouped-convolution.ipynb"


def burners(n):
    return [subprocess.Popen(["sh", "-c", "while :; do :; done"]) for _ in range(n)]


@pytest.mark.slow
def test_execute_refuses_a_busy_machine(root, helper_jar, tmp_path):
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "lib").symlink_to(root / "lib")
    copy = tmp_path / "notebooks" / LESSON
    shutil.copy(root / "notebooks" / LESSON, copy)
    before = copy.read_bytes()
    spinning = burners(2)
    try:
        time.sleep(0.5)
        r = subprocess.run([sys.executable, "-m", "tools.authoring.notebooks", "execute", "--root", str(tmp_path)],
                           capture_output=True, text=True, timeout=300, cwd=root)
    finally:
        for p in spinning:
            p.kill()
            p.wait(10)
    out = (r.stdout + r.stderr).strip().splitlines()
    assert r.returncode == 3, f"execute on a busy machine exited {r.returncode}, not 3: {out}"
    assert len(out) == 1 and "busy" in out[0] and "./course execute 05-grouped-convolution" in out[0], \
        f"execute on a busy machine did not say so in one line with how to rerun: {out}"
    assert copy.read_bytes() == before, "execute on a busy machine changed the lesson"


@pytest.mark.slow
def test_quiet_machine_is_called_quiet(root, helper_jar):
    # the burners' last ticks are not this check's, nor the clock they left behind: two cores spun flat out leave the
    # VM's calibration kernel slow for a few seconds (measured: 1.96x drift one second after), so allow it to settle
    for _ in range(5):
        time.sleep(2)
        quiet, line = quiet_machine(root)
        if quiet:
            break
    assert quiet, f"the quiet machine was called busy: {line}"


def test_flagged_counts_only_timing_cells_lines():
    """One "⚠ name: not trusted" line each in a timing cell's printed output; not a value, not another cell's."""
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("t", metadata={"tags": ["timing"]}, outputs=[
            nbformat.v4.new_output("stream", name="stdout",
                                   text="⚠ a: not trusted — busy\nTable\n⚠ b: not trusted — spread\n"),
            nbformat.v4.new_output("execute_result", data={"text/plain": "⚠ c: a value, not a line"})]),
        nbformat.v4.new_code_cell("u", outputs=[
            nbformat.v4.new_output("stream", name="stdout", text="⚠ d: not trusted — busy\n")])])
    assert flagged(nb) == 2, f"flagged timings counted {flagged(nb)}, not 2 (the timing cell's two lines)"
