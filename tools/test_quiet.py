#!/usr/bin/env python3
"""./course execute saves timings only from a quiet machine: with two CPU burners started here it refuses, in one
line, before the lesson's kernel starts, and leaves the lesson's bytes as they were; with the burners stopped, the same
check calls the machine quiet. Run by ./course test (tools/notebooks.py), or alone: python3 tools/test_quiet.py."""
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import notebooks  # noqa: E402  (the guard itself, as ./course execute runs it)


def burners(n):
    return [subprocess.Popen(["sh", "-c", "while :; do :; done"]) for _ in range(n)]


def main():
    problems = []
    lesson = ROOT / "notebooks" / "05-grouped-convolution.ipynb"
    with tempfile.TemporaryDirectory() as tmp:
        root = pathlib.Path(tmp)
        (root / "notebooks").mkdir()
        (root / "lib").symlink_to(ROOT / "lib")
        copy = root / "notebooks" / lesson.name
        shutil.copy(lesson, copy)
        before = copy.read_bytes()
        spinning = burners(2)
        try:
            time.sleep(0.5)
            r = subprocess.run([sys.executable, str(ROOT / "tools" / "notebooks.py"), "execute", "--root", str(root)],
                               capture_output=True, text=True, timeout=300)
        finally:
            for p in spinning:
                p.kill()
                p.wait()
        out = (r.stdout + r.stderr).strip().splitlines()
        if r.returncode != 3:
            problems.append(f"execute on a busy machine exited {r.returncode}, not 3: {out}")
        if len(out) != 1 or "busy" not in out[0] or "./course execute 05-grouped-convolution" not in out[0]:
            problems.append(f"execute on a busy machine did not say so in one line with how to rerun: {out}")
        if copy.read_bytes() != before:
            problems.append("execute on a busy machine changed the lesson")
    # a run is judged by the timings its timing cells flag (one "⚠ name: not trusted" line each), nothing else
    flags_of = notebooks.nbformat.v4.new_notebook(cells=[
        notebooks.nbformat.v4.new_code_cell("t", metadata={"tags": ["timing"]}, outputs=[
            notebooks.nbformat.v4.new_output("stream", name="stdout",
                                             text="⚠ a: not trusted — busy\nTable\n⚠ b: not trusted — spread\n"),
            notebooks.nbformat.v4.new_output("execute_result", data={"text/plain": "⚠ c: a value, not a line"})]),
        notebooks.nbformat.v4.new_code_cell("u", outputs=[
            notebooks.nbformat.v4.new_output("stream", name="stdout", text="⚠ d: not trusted — busy\n")])])
    if notebooks.flagged(flags_of) != 2:
        problems.append(f"flagged timings counted {notebooks.flagged(flags_of)}, not 2 (the timing cell's two lines)")
    # the burners' last ticks are not this check's, nor the clock they left behind: two cores spun flat out leave the
    # VM's calibration kernel slow for a few seconds (measured: 1.96x drift one second after), so allow it to settle
    for _ in range(5):
        time.sleep(2)
        quiet, line = notebooks.quiet_machine(ROOT)
        if quiet:
            break
    if not quiet:
        problems.append(f"the quiet machine was called busy: {line}")
    for p in problems:
        print("quiet-machine guard: " + p)
    if not problems:
        print(f"quiet-machine guard: refuses with two burners running, leaves the lesson as it was; quiet without "
              f"them ({line}): ok")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
