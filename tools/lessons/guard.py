"""The quiet-machine guard: ./course execute saves a lesson's timings only from a quiet machine, and judges a run
by the timings it flags."""
import subprocess

from tools.lessons.rules import is_timing

# the guard's own wait: effconv.bench.Quiet reads the machine for a few seconds
QUIET_TIMEOUT_S = 300


def has_timing(nb):
    return any(is_timing(c) for c in nb.cells)


def quiet_machine(root):
    """(quiet, line): effconv.bench.Quiet's verdict on this machine now — the CPUs other processes use and the
    calibration kernel's stability — run with the course's threads, as the kernel computes."""
    lib = root / "lib"
    r = subprocess.run(["/bin/sh", str(lib / "jvm" / "run"), "java", "-Xmx256m", f"@{lib / 'target' / 'helper.args'}",
                        "effconv.bench.Quiet"], capture_output=True, text=True, timeout=QUIET_TIMEOUT_S)
    line = (r.stdout.strip().splitlines() or [r.stderr.strip() or f"exit status {r.returncode}"])[-1]
    return r.returncode == 0, line


def flagged(nb):
    """How many timings the timing cells of an executed notebook printed as not trusted: effconv.bench.Bench prints
    one line per such timing, "⚠ name: not trusted — why" (a busy moment the guard before and after cannot see)."""
    return sum(line.startswith("⚠ ") for c in nb.cells if c.cell_type == "code" and is_timing(c)
               for o in c.get("outputs", []) if o.get("output_type") == "stream"
               for line in o.get("text", "").splitlines())
