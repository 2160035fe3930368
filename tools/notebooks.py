#!/usr/bin/env python3
"""Executes the course notebooks headlessly with the real course kernel.

    notebooks.py test     execute every notebook into build/notebooks/ and fail on any error output; check that the
                          committed notebooks carry outputs and that those equal a fresh run (outside cells tagged
                          "timing"), so what a reader sees is what the code computes
    notebooks.py execute  execute every notebook and save the outputs in place (run before committing a lesson); a
                          notebook with cells tagged "timing" is executed only on a quiet machine (effconv.bench.Quiet,
                          asked before and after it), so no saved timing is a busy machine's; a run whose timings
                          flag themselves is run again (EXECUTE_ATTEMPTS), the run with the fewest flags saved
    notebooks.py normalise  set every notebook's kernelspec and language_info to what the course kernel reports,
                          without executing anything (after a merge; execute does it too)

Notebooks run in one pass, one kernel each, in file order.
"""
import argparse
import copy
import inspect
import json
import pathlib
import os
import re
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

import nbformat
from jupyter_core.utils import run_sync
from nbclient import NotebookClient

CELL_TIMEOUT = 600


def peak_rss_mb(pid):
    """The kernel process's peak resident memory (VmHWM), in MB."""
    try:
        for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def execute(path, kernel, passes=1):
    """Runs a notebook in a fresh kernel; with passes=2 runs every cell a second time in the same kernel, as a
    student rerunning cells would. Returns the first pass, the second pass's outputs, and measurements."""
    nb = nbformat.read(path, as_version=4)
    stats = {"start": time.monotonic()}

    def cell_done(**_):
        # kernel start (the client asks for it) to the end of the first code cell
        stats.setdefault("first_result", time.monotonic() - stats["start"])
        # VmHWM is a high-water mark, so the reading after the last cell is the kernel's peak
        stats["rss"] = peak_rss_mb(client.km.provisioner.process.pid)

    # shutdown_kernel="immediate": JJava takes a minute to exit when asked, and the outputs are all in by then
    client = NotebookClient(nb, kernel_name=kernel, timeout=CELL_TIMEOUT, allow_errors=True, record_timing=False,
                            shutdown_kernel="immediate",
                            resources={"metadata": {"path": str(path.parent)}}, on_cell_executed=cell_done)
    second = None
    with client.setup_kernel():
        stats["metadata"] = kernel_metadata(client.kc, kernel)
        nb.metadata.update(copy.deepcopy(stats["metadata"]))
        for i, cell in enumerate(nb.cells):
            client.execute_cell(cell, i)
        stats["seconds"] = time.monotonic() - stats["start"]
        if passes == 2:
            again = copy.deepcopy(nb)
            # nbclient applies a display's updates (a training's progress) to its own notebook by cell and output
            # index: the second pass must update its copy, not overwrite the first pass's outputs
            client.nb = again
            client._display_id_map = {}
            for i, cell in enumerate(again.cells):
                client.execute_cell(cell, i)
            second = again
    return nb, second, stats


def kernel_metadata(kc, kernel):
    """The notebook metadata JupyterLab writes when it connects a lesson to the kernel: the kernelspec's name,
    display name and language, and the kernel_info reply's language_info. A lesson saved with exactly these opens
    unmodified (no "unsaved" mark, no autosave rewriting it)."""
    from jupyter_client.kernelspec import KernelSpecManager
    spec = KernelSpecManager().get_kernel_spec(kernel)
    reply = kc.kernel_info(reply=True, timeout=60)
    if inspect.isawaitable(reply):  # nbclient's client is asynchronous
        pending = reply

        async def wait():
            return await pending
        reply = run_sync(wait)()
    return {"kernelspec": {"display_name": spec.display_name, "language": spec.language, "name": kernel},
            "language_info": reply["content"]["language_info"]}


def metadata_problems(nb, expected):
    return [f"saved {key} {json.dumps(nb.metadata.get(key))} is not what the course kernel reports "
            f"({json.dumps(value)}): opening the lesson would modify it (run tools/notebooks.py normalise)"
            for key, value in expected.items() if nb.metadata.get(key) != value]


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


def kernel_survives(kernel, root):
    """A student's oversized layer is refused with a message, and the kernel answers the next cell."""
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("NdLayer.init(Conv2d.of(4096, 4096, 3), 0)"
                                  ".forward(Tensors.random(Shape.of(4096, 224), 0))"),
        nbformat.v4.new_code_cell("Summary.of(Conv2d.of(4096, 4096, 3), Shape.of(4096, 224)).totalParams()"),
        nbformat.v4.new_code_cell("1 + 1")])
    NotebookClient(nb, kernel_name=kernel, timeout=CELL_TIMEOUT, allow_errors=True, shutdown_kernel="immediate",
                   resources={"metadata": {"path": str(root)}}).execute()
    problems = []
    first = nb.cells[0].outputs
    if not (first and first[0].get("output_type") == "error" and "IllegalArgumentException" in first[0].get("evalue", "")
            and "not allowed" in first[0].get("evalue", "")):
        problems.append(f"the oversized layer was not refused with a clear message: {json.dumps(first)[:300]}")
    if nb.cells[1].outputs[0].get("data", {}).get("text/plain") != "150994944":
        problems.append("counting the oversized layer (no allocation) did not answer 150994944")
    if nb.cells[2].outputs[0].get("data", {}).get("text/plain") != "2":
        problems.append("the kernel did not answer the cell after the refusal")
    return problems


def errors(nb):
    """(cell index, message) of every error output, with the kernel's own message (javac's, the exception's)."""
    found = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                tb = "\n".join(out.get("traceback", []))
                tb = re.sub(r"\x1b\[[0-9;]*m", "", tb)
                found.append((i, f"{out.get('ename')}: {out.get('evalue')}\n{tb}".strip()))
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                found.append((i, "output on stderr: " + "".join(out.get("text", ""))[:500]))
    return found


PLOTLY_MIME = "application/vnd.plotly.v1+json"


def comparable(cell, images=False):
    """A cell's outputs as a reader sees them. Images only by kind unless asked: the same machine draws the same
    bytes, but fonts differ between machines, so committed charts are not compared pixel by pixel. A chart's plotly
    figure is JSON computed from the data alone, so it is compared exactly."""
    outs = copy.deepcopy(cell.get("outputs", []))
    for o in outs:
        o.pop("execution_count", None)
        for mime in list(o.get("data", {})):
            if mime.startswith("image/png") and not images:
                o["data"][mime] = "<png image>"
    return outs


def is_timing(cell):
    return "timing" in cell.get("metadata", {}).get("tags", [])


def tags(cell):
    return cell.get("metadata", {}).get("tags", [])


def is_cpu_digits(cell):
    """A cell tagged "cpu-digits" shows results of this CPU's arithmetic that a rerun elsewhere moves in their last
    digits but not in their form: a training run, whose losses and accuracies carry the order in which oneDNN's
    kernels add (picked by the CPU, split by the threads). It may print times too (then it is tagged "timing" as
    well)."""
    return "cpu-digits" in tags(cell)


def is_cpu_choice(cell):
    """A cell tagged "cpu-choice" shows what oneDNN chose for this CPU — its kernels' names, the reorders they ask
    for — and no computed result: the same on a machine with the same arithmetic, something else elsewhere."""
    return "cpu-choice" in tags(cell)


# A duration in seconds as the training display prints it ("…, 1.9 s", "1.6 s per epoch"): a cpu-digits cell's
# clock readings, the one part of it that a rerun on the same machine changes
SECONDS = re.compile(r"\b\d+(?:\.\d+)? s\b")
# Any number, for comparing a cpu-digits cell in form only: its words, lines and charts' structure, not its digits
NUMBER = re.compile(r"\d+(?:[.,]\d+)*(?:[eE][-+]?\d+)?")


def shown(cell, images=False, form=False):
    """What is compared of a cell, as text: its outputs (comparable), with a cpu-digits cell's clock readings masked,
    and with every number (and the padding of a text table's columns) masked when only its form is compared."""
    text = json.dumps(comparable(cell, images), ensure_ascii=False, sort_keys=True)
    if is_cpu_digits(cell):
        text = SECONDS.sub("‹seconds› s", text)
    # in form, a text table's padding goes too: a column is as wide as its longest number
    return re.sub(r" +", " ", NUMBER.sub("#", text)) if form else text


def compared(cell):
    """Whether a code cell's outputs are compared with another run's: every one but a timing cell's, and a
    cpu-digits cell's (minus its seconds) even where it also prints times."""
    return cell.cell_type == "code" and (is_cpu_digits(cell) or not is_timing(cell))


def difference(old, new, same_arithmetic, images=False):
    """None where two runs of a cell show the same, else (how it was compared, old text, new text). Where both runs
    had the same arithmetic (lib's effconv.nd.Arithmetic: oneDNN's kernel family and threads) every compared cell
    must be the same exactly; elsewhere a cpu-digits cell in form, a cpu-choice cell not at all, and every other
    cell exactly, on any CPU."""
    if is_cpu_choice(new) and not same_arithmetic:
        return None
    form = is_cpu_digits(new) and not same_arithmetic
    a, b = shown(old, images, form), shown(new, images, form)
    if a == b:
        return None
    return ("in form (numbers masked: another arithmetic)" if form else "exactly"), a, b


def around_difference(a, b, width=400):
    """The two texts from a little before the first character where they differ: what a reader needs to see."""
    k = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    start = max(0, k - width // 3)
    cut = lambda t: ("…" if start else "") + t[start:start + width] + ("…" if len(t) > start + width else "")
    return cut(a), cut(b)


def arithmetic(root, env=None):
    """This machine's arithmetic as a lesson kernel started with env would have it ("avx512_core, 2 threads"):
    effconv.nd.Arithmetic, run the way the kernel runs (lib/jvm/run sets the threads)."""
    lib = root / "lib"
    r = subprocess.run(["/bin/sh", str(lib / "jvm" / "run"), "java", "-Xmx64m", f"@{lib / 'target' / 'helper.args'}",
                        "effconv.nd.Arithmetic"], capture_output=True, text=True, env=env, timeout=120)
    if r.returncode != 0 or not r.stdout.strip():
        raise RuntimeError(f"effconv.nd.Arithmetic failed: {(r.stderr or r.stdout).strip()[:300]}")
    return r.stdout.strip().splitlines()[-1]


def saved_arithmetic(nb):
    return nb.metadata.get("effconv", {}).get("arithmetic")


def unsaved(nb):
    """Code cells committed without having been run."""
    return [i for i, c in enumerate(nb.cells)
            if c.cell_type == "code" and c.source.strip() and c.get("execution_count") is None]


def plotly_problems(nb):
    """Every chart output is one bundle — the plotly figure, its picture and a line of text — and the figure is one
    plotly.js 4 accepts: plotly.py's validators (generated from the schema of the plotly.js its JupyterLab extension
    bundles) take every property and value, and every title is an object ({"text": …}), as plotly.js 3 and 4 read."""
    import plotly.graph_objects as go
    problems = []

    def string_titles(node, where):
        found = []
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "title" and isinstance(value, str):
                    found.append(f"{where}.title")
                found += string_titles(value, f"{where}.{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                found += string_titles(value, f"{where}[{i}]")
        return found

    for i, cell in enumerate(nb.cells):
        for o in cell.get("outputs", []):
            figure = o.get("data", {}).get(PLOTLY_MIME)
            if figure is None:
                continue
            missing = [m for m in ("image/png", "text/plain") if m not in o["data"]]
            if missing:
                problems.append(f"cell {i}: a chart output without {', '.join(missing)}")
            if "text/html" in o["data"]:
                problems.append(f"cell {i}: a chart output still carries HTML")
            try:
                go.Figure(data=figure.get("data"), layout=figure.get("layout"))
            except ValueError as e:
                problems.append(f"cell {i}: plotly.js 4 would not take this figure: {str(e).strip().splitlines()[0]}")
            for where in string_titles(figure.get("layout", {}), "layout") + string_titles(figure.get("data", []), "data"):
                problems.append(f"cell {i}: {where} is a string; plotly.js 4 reads only {{\"text\": …}}")
    return problems


def saved_html_problems(path):
    """The committed notebook as a reader without a kernel sees it (GitHub, nbviewer, an HTML export): rendered to
    HTML by nbconvert and with every script removed, every chart must still be there as an embedded picture; no
    output may load anything from the internet; and every chart output must be a valid plotly bundle."""
    from nbconvert import HTMLExporter
    nb = nbformat.read(path, as_version=4)
    charts = sum("image/png" in o.get("data", {}) or PLOTLY_MIME in o.get("data", {})
                 for c in nb.cells for o in c.get("outputs", []))
    html, _ = HTMLExporter(template_name="lab").from_notebook_node(nb)
    html = re.sub(r"<script\b.*?</script>", "", html, flags=re.S | re.I)
    problems = []
    shown = len(re.findall(r'<img\b[^>]*\bsrc="data:image/png;base64,', html))
    if shown < charts:
        problems.append(f"saved as HTML without scripts it shows {shown} of {charts} charts")
    outputs = json.dumps([o for c in nb.cells for o in c.get("outputs", [])])
    for host in ("cdn.plot.ly", "cdn.jsdelivr", "unpkg.com", "cdnjs"):
        if host in outputs:
            problems.append(f"an output loads a script from {host}")
    return problems + plotly_problems(nb)


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


def first_helper_result(kernel, root, runs=3):
    """Seconds from asking for a kernel to the first helper result (an ND4J forward pass), the median of a few
    starts; the notebooks ran before, so caches are warm, as for a student's second lesson."""
    times = []
    for _ in range(runs):
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
            "NdLayer.init(Conv2d.of(3, 8, 3), 0).forward(Tensors.random(Shape.of(3, 32), 0)).length()")])
        marks = [time.monotonic()]
        NotebookClient(nb, kernel_name=kernel, timeout=CELL_TIMEOUT, shutdown_kernel="immediate",
                       resources={"metadata": {"path": str(root)}},
                       on_cell_executed=lambda **_: marks.append(time.monotonic())).execute()
        if nb.cells[0].outputs[0].get("data", {}).get("text/plain") != "7200":
            raise RuntimeError(f"the first-result probe gave {nb.cells[0].outputs}")
        times.append(marks[1] - marks[0])
    return sorted(times)[len(times) // 2]


def budgets(kernel, root, runs):
    """Prints the course budgets; returns (passed, failed) for the ones that fail the run."""
    jars = [root / "lib" / "target" / "effconv.jar", *sorted((root / "lib" / "target" / "deps").glob("*.jar"))]
    jar_mb = sum(j.stat().st_size for j in jars if j.exists()) / 1e6
    first = first_helper_result(kernel, root / "notebooks")
    course_s = sum(r["seconds"] for r in runs.values())
    slowest = max(runs, key=lambda n: runs[n]["seconds"])
    biggest = max(runs, key=lambda n: runs[n]["rss"])

    def line(what, value, budget, unit, fails):
        ok = value <= budget
        print(f"[budget] {what}: {value:.1f} {unit} (budget {budget} {unit}) "
              f"{'within' if ok else 'OVER' + ('' if fails else ' (times are reported, not failed on)')}", flush=True)
        return ok or not fails

    print("[course] budgets on this machine:", flush=True)
    results = [
        line(f"whole course executed headlessly ({len(runs)} lessons, one pass)", course_s, BUDGET_COURSE_S, "s", False),
        line(f"slowest lesson, restart and run all ({slowest})", runs[slowest]["seconds"], BUDGET_LESSON_S, "s", False),
        line("kernel start to first helper result (warm, median of 3)", first, BUDGET_FIRST_RESULT_S, "s", False),
        line(f"peak memory of a lesson's kernel ({biggest})", runs[biggest]["rss"], BUDGET_KERNEL_MB, "MB", True),
        line("jars the kernel loads (helper + dependencies)", jar_mb, BUDGET_JARS_MB, "MB", True),
    ]
    if len(runs) >= 2:
        pair, total = two_busy_kernels(runs)
        results.append(line(f"two busy lesson kernels together ({pair[0]} + {pair[1]}, the sum of their peaks)",
                            total, BUDGET_TWO_KERNELS_MB, "MB", True))
    return sum(results), len(results) - sum(results)


def unit_counts(folders):
    passed = failed = 0
    for f in [f for folder in folders for f in sorted(pathlib.Path(folder).glob("TEST-*.xml"))]:
        r = ET.parse(f).getroot()
        total = int(r.get("tests", 0))
        bad = int(r.get("failures", 0)) + int(r.get("errors", 0))
        skipped = int(r.get("skipped", 0))
        passed += total - bad - skipped
        failed += bad
    return passed, failed


def run_problems(committed, nb, second, path, stats, here):
    """What a test run finds wrong with one notebook beyond errors: unsaved or stale outputs, state between runs,
    metadata, saved HTML. here: this run's arithmetic, against the one the notebook was saved with."""
    problems = [f"cell {i}: committed without outputs (run ./course execute)" for i in unsaved(committed)]
    problems += metadata_problems(committed, stats["metadata"])
    for i, (one, two) in enumerate(zip(nb.cells, second.cells)):
        found = difference(one, two, True, images=True) if compared(one) else None
        if found:
            a, b = around_difference(found[1], found[2])
            problems.append(f"cell {i}: running the cells a second time in the same kernel gives different "
                            f"outputs (a cell depends on state it changes)\n"
                            f"  first:  {a}\n"
                            f"  second: {b}")
    problems += saved_html_problems(path)
    problems += stale_outputs(committed, nb, here)
    return problems


def stale_outputs(committed, nb, here, selection=None):
    """Cells whose committed outputs differ from a fresh run's, each with both texts. here: the fresh run's
    arithmetic; selection: the kernels the run was made with, where not this machine's own."""
    if len(committed.cells) != len(nb.cells):
        return ["cell count changed while executing"]
    same = here == saved_arithmetic(committed)
    problems = []
    for i, (old, new) in enumerate(zip(committed.cells, nb.cells)):
        found = difference(old, new, same) if compared(new) else None
        if found:
            how, a, b = found
            a, b = around_difference(a, b)
            advice = ("a value that another CPU's kernels change: state an agreement against a tolerance "
                      "(effconv.nd.Agreement) instead of a last digit, or see tools/portability.py for the tags"
                      if selection else "run ./course execute, or tag the cell 'timing' if it shows timings")
            problems.append(f"cell {i}: committed outputs differ from a fresh run{' under ' + selection if selection else ''}, "
                            f"compared {how} (saved with {saved_arithmetic(committed) or 'no arithmetic recorded'}, "
                            f"run with {here}): {advice}\n"
                            f"  committed: {a}\n"
                            f"  fresh:     {b}")
    return problems


def has_timing(nb):
    return any(is_timing(c) for c in nb.cells)


def quiet_machine(root):
    """(quiet, line): effconv.bench.Quiet's verdict on this machine now — the CPUs other processes use and the
    calibration kernel's stability — run with the course's threads, as the kernel computes."""
    lib = root / "lib"
    r = subprocess.run(["/bin/sh", str(lib / "jvm" / "run"), "java", "-Xmx256m", f"@{lib / 'target' / 'helper.args'}",
                        "effconv.bench.Quiet"], capture_output=True, text=True)
    line = (r.stdout.strip().splitlines() or [r.stderr.strip() or f"exit status {r.returncode}"])[-1]
    return r.returncode == 0, line


def refuse(path, when, line, names):
    print(f"[notebooks] {path.name}: not saved — the machine is busy {when} its timing cells ({line}); nothing of "
          f"its timings was kept. Stop other programs (see top), then rerun: ./course execute {' '.join(names)}",
          flush=True)


def run_book(path, mode, kernel, out_dir, here):
    """Executes one notebook: saved in place (execute), with the arithmetic it ran with (here), or checked against
    its committed outputs (test)."""
    committed = nbformat.read(path, as_version=4)
    nb, second, stats = execute(path, kernel, passes=2 if mode == "test" else 1)
    problems = [f"cell {i}: {m}" for i, m in errors(nb)]
    if mode == "execute":
        if not problems:
            nb.metadata["effconv"] = {"arithmetic": here}
            nbformat.write(nb, path)
    else:
        nbformat.write(nb, out_dir / path.name)
        problems += run_problems(committed, nb, second, path, stats, here)
    print(f"[notebooks] {path.name}: {'ok' if not problems else 'FAILED'} ({stats['seconds']:.1f} s; kernel start "
          f"to first result {stats.get('first_result', float('nan')):.1f} s; kernel peak memory "
          f"{stats.get('rss', float('nan')):.0f} MB)", flush=True)
    for p in problems:
        print("    " + p.replace("\n", "\n    "), flush=True)
    return problems, stats


def other_checks(root, kernel):
    """The launch files (environment.yml, binder/, requirements) agree with each other, no saved chart picture is cut,
    Binder's recipe installs a kernel that runs a lesson, the kernel speaks the protocol, JupyterLab serves the
    course, a browser shows it, and the course website builds with every page, picture and link and nothing
    fetched from the internet.
    Returns (passed, failed)."""
    from portability import DEFAULT_SELECTIONS  # it imports this module
    checks = [[sys.executable, str(root / "tools" / "test_setup_files.py")],
              # the saved chart pictures: nothing cut at their edges
              [sys.executable, str(root / "tools" / "test_pictures.py"), "--root", str(root)],
              [sys.executable, str(root / "tools" / "test_kernel_protocol.py"), "--kernel", kernel],
              # other CPUs' kernels, one selection at a time (one of them on one CPU, a hub's limit): every lesson's
              # outputs as committed (tools/portability.py says why these selections stand for other CPUs)
              *[[sys.executable, str(root / "tools" / "portability.py"), "--kernel", kernel, "--selection", s]
                for s in DEFAULT_SELECTIONS],
              # ./course execute refuses to save timings from a busy machine, and accepts a quiet one
              [sys.executable, str(root / "tools" / "test_quiet.py")],
              [sys.executable, str(root / "tools" / "test_binder_link.py")],
              # the course website (./course book): every lesson a page, links and pictures resolve, no remote fetch
              [sys.executable, str(root / "tools" / "test_book.py")],
              [sys.executable, str(root / "tools" / "test_lab_server.py")],
              ["bash", str(root / "tools" / "test_bench.sh")],
              ["bash", str(root / "tools" / "test_binder.sh")]]
    # a real browser where there is one (.ci/run installs it); CI must have it, so there it is never skipped
    if shutil.which("chromium") or os.environ.get("CI"):
        checks.append(["bash", str(root / "tools" / "test_browser.sh")])
    else:
        print("[course] browser test skipped: no chromium here (apt-get install chromium to run it)", flush=True)
    passed = failed = 0
    for check in checks:
        if subprocess.run(check).returncode == 0:
            passed += 1
        else:
            print(f"[course] FAILED: {' '.join(check)}", flush=True)
            failed += 1
    return passed, failed


def kernel_check(kernel, root):
    """The kernel survives an oversized layer. Returns (passed, failed)."""
    start = time.monotonic()
    problems = kernel_survives(kernel, root / "notebooks")
    print(f"[notebooks] the kernel survives an oversized layer: {'ok' if not problems else 'FAILED'} "
          f"({time.monotonic() - start:.1f} s)", flush=True)
    for p in problems:
        print("    " + p, flush=True)
    return (0, 1) if problems else (1, 0)


# Runs of a lesson with timing cells ./course execute makes at most while its timings come out flagged
EXECUTE_ATTEMPTS = 3


def flagged(nb):
    """How many timings the timing cells of an executed notebook printed as not trusted: effconv.bench.Bench prints
    one line per such timing, "⚠ name: not trusted — why" (a busy moment the guard before and after cannot see)."""
    return sum(line.startswith("⚠ ") for c in nb.cells if c.cell_type == "code" and is_timing(c)
               for o in c.get("outputs", []) if o.get("output_type") == "stream"
               for line in o.get("text", "").splitlines())


def execute_all(books, root, kernel, out_dir):
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
            problems, _ = run_book(path, "execute", kernel, out_dir, here)
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
    ap.add_argument("mode", choices=["test", "execute", "normalise"])
    ap.add_argument("--kernel", default="effconv")
    ap.add_argument("--root", default=".")
    ap.add_argument("--unit-reports", action="append", default=[],
                    help="a Maven module's surefire-reports folder, counted in the total (repeatable)")
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
    if a.mode == "execute":
        return execute_all(books, root, a.kernel, out_dir=root / "build" / "notebooks")
    out_dir = root / "build" / "notebooks"
    out_dir.mkdir(parents=True, exist_ok=True)
    here = arithmetic(root)
    print(f"[notebooks] this machine's arithmetic: {here} (where a lesson was saved with another, its cpu-digits "
          "cells are compared in form and its cpu-choice cells not at all)",
          flush=True)

    passed, failed = kernel_check(a.kernel, root) if a.mode == "test" else (0, 0)
    runs = {}
    for path in books:
        problems, runs[path.stem] = run_book(path, a.mode, a.kernel, out_dir, here)
        passed, failed = (passed, failed + 1) if problems else (passed + 1, failed)
    if a.mode == "test" and not a.only:
        bp, bf = budgets(a.kernel, root, runs)
        passed, failed = passed + bp, failed + bf
    if a.mode == "test":
        op, of = other_checks(root, a.kernel)
        up, uf = unit_counts(a.unit_reports)
        passed, failed = passed + op, failed + of
        print(f"[course] notebooks and setup files: {passed} passed, {failed} failed; unit tests: {up} passed, {uf} failed")
        print(f"tests: {passed + up} passed, {failed + uf} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
