"""Executes the course's lessons with the real course kernel and saves their outputs (for authors, before a commit).

    python -m tools.authoring.notebooks execute [LESSON...]   (./course execute) execute every lesson (or those named)
                          and save the outputs in place; a lesson with cells tagged "timing" is executed only on a
                          quiet machine (effconv.bench.Quiet, asked before and after it), so no saved timing is a busy
                          machine's; a run whose timings flag themselves is run again (EXECUTE_ATTEMPTS), the run with
                          the fewest flags saved
    python -m tools.authoring.notebooks normalise   set every lesson's kernelspec and language_info to what the course
                          kernel reports, without executing anything (after a merge; execute does it too)

Lessons run in one pass, one kernel each, in file order. Checking them is the test suite's (tools/tests/, run by
./course test): the same execution and rules (tools.lessons).
"""
import argparse
import copy
import pathlib
import sys

import nbformat

from tools.lessons.execution import arithmetic, errors, execute, kernel_metadata
from tools.lessons.guard import flagged, has_timing, quiet_machine
from tools.lessons.rules import metadata_problems


def normalise(kernel, books):
    """Rewrites only the metadata of each notebook to kernel_metadata (one kernel started for all)."""
    from jupyter_client.manager import start_new_kernel
    km, kc = start_new_kernel(kernel_name=kernel)
    try:
        expected = kernel_metadata(kc, kernel)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    for path in books:
        nb = nbformat.read(path, as_version=4)
        if metadata_problems(nb, expected):
            nb.metadata.update(copy.deepcopy(expected))
            nbformat.write(nb, path)
            print(f"[notebooks] {path.name}: metadata set to the course kernel's", flush=True)
    return 0


def refuse(path, when, line, names):
    print(f"[notebooks] {path.name}: not saved — the machine is busy {when} its timing cells ({line}); nothing of "
          f"its timings was kept. Stop other programs (see top), then rerun: ./course execute {' '.join(names)}",
          flush=True)


def run_book(path, kernel, here):
    """Executes one lesson and saves it in place, with the arithmetic it ran with (here), unless a cell failed."""
    nb, _, stats = execute(path, kernel)
    problems = [f"cell {i}: {m}" for i, m in errors(nb)]
    if not problems:
        nb.metadata["effconv"] = {"arithmetic": here}
        nbformat.write(nb, path)
    print(f"[notebooks] {path.name}: {'ok' if not problems else 'FAILED'} ({stats['seconds']:.1f} s; kernel start "
          f"to first result {stats.get('first_result', float('nan')):.1f} s; kernel peak memory "
          f"{stats.get('rss', float('nan')):.0f} MB)", flush=True)
    for p in problems:
        print("    " + p.replace("\n", "\n    "), flush=True)
    return problems, stats


# Runs of a lesson with timing cells ./course execute makes at most while its timings come out flagged
EXECUTE_ATTEMPTS = 3


def execute_all(books, root, kernel):
    """Saves each notebook's fresh outputs; one with timing cells only while the machine is quiet before and after
    it. On a busy machine it stops with one line and leaves the notebook as it was (exit 3). A run whose timing
    cells flag a timing (a slow phase of a shared host between the two checks) is run again, up to EXECUTE_ATTEMPTS
    runs in all, and the run with the fewest flagged timings is saved: chosen by the timings' own doubts, never by
    their values."""
    failed = 0
    here = arithmetic(root)
    for i, path in enumerate(books):
        timed = has_timing(nbformat.read(path, as_version=4))
        rest = [b.stem for b in books[i:]]
        if timed:
            quiet, line = quiet_machine(root)
            if not quiet:
                refuse(path, "before", line, rest)
                return 3
        original = path.read_bytes()
        best = None  # (flagged timings, the notebook's bytes, the guard's line)
        for attempt in range(1, (EXECUTE_ATTEMPTS if timed else 1) + 1):
            problems, _ = run_book(path, kernel, here)
            if problems:
                path.write_bytes(original)
                failed += 1
                best = None
                break
            if not timed:
                break
            quiet, line = quiet_machine(root)
            if not quiet:
                if best is None:
                    path.write_bytes(original)
                    refuse(path, "after", line, rest)
                    return 3
                break  # a busy machine now: the quiet runs before it stand
            flags = flagged(nbformat.read(path, as_version=4))
            if best is None or flags < best[0]:
                best = (flags, path.read_bytes(), line)
            if flags == 0 or attempt == EXECUTE_ATTEMPTS:
                break
            print(f"[notebooks] {path.name}: {flags} timing(s) flagged ⚠ in run {attempt}; running it again (at most "
                  f"{EXECUTE_ATTEMPTS} runs, the one with the fewest flagged timings saved)", flush=True)
        if best is not None:
            path.write_bytes(best[1])
            print(f"[notebooks] {path.name}: timings saved on a quiet machine ({best[2]}); "
                  f"{best[0]} timing(s) flagged ⚠", flush=True)
    return 1 if failed else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["execute", "normalise"])
    ap.add_argument("--kernel", default="effconv")
    ap.add_argument("--root", default=".")
    ap.add_argument("only", nargs="*", help="notebook names to run (default: all)")
    a = ap.parse_intermixed_args()

    root = pathlib.Path(a.root).resolve()
    books = sorted((root / "notebooks").glob("*.ipynb"))
    if a.only:
        books = [b for b in books if any(o in b.name for o in a.only)]
    if not books:
        print("no notebooks found", file=sys.stderr)
        return 1
    if a.mode == "normalise":
        return normalise(a.kernel, books)
    return execute_all(books, root, a.kernel)


if __name__ == "__main__":
    sys.exit(main())
