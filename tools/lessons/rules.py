"""The rules by which a lesson's outputs are judged: compared with a second run in the same kernel, with the
committed ones (exactly, in form, or not at all, by the cell's tags and the arithmetic it ran with), and what a
saved lesson must carry (outputs, the kernel's metadata, charts a reader without a kernel sees)."""
import copy
import json
import re

import nbformat

def metadata_problems(nb, expected):
    return [f"saved {key} {json.dumps(nb.metadata.get(key))} is not what the course kernel reports "
            f"({json.dumps(value)}): opening the lesson would modify it "
            "(run .venv/bin/python -m tools.authoring.notebooks normalise)"
            for key, value in expected.items() if nb.metadata.get(key) != value]


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
    had the same arithmetic (lib's effconv.runtime.Arithmetic: oneDNN's kernel family and threads) every compared cell
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
                      "(effconv.nd.Agreement) instead of a last digit, or see tools/lessons/portability.py for the tags"
                      if selection else "run ./course execute, or tag the cell 'timing' if it shows timings")
            problems.append(f"cell {i}: committed outputs differ from a fresh run{' under ' + selection if selection else ''}, "
                            f"compared {how} (saved with {saved_arithmetic(committed) or 'no arithmetic recorded'}, "
                            f"run with {here}): {advice}\n"
                            f"  committed: {a}\n"
                            f"  fresh:     {b}")
    return problems
