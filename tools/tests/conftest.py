"""The course's tests outside Maven: options, fixtures, what a marker needs, and the report printed after the tests.

Options (also after `./course test ... --`), each with '=' (or after a test path): before this file is loaded,
pytest would take a separate value for a path and never load it:
  --lesson=NAME      execute only the lessons whose file name contains NAME (repeatable; `./course test 01 15` gives
                     --lesson=01 --lesson=15); the checks of saved files always cover every lesson
  --selection=SPEC   the portability selections (repeatable; default: tools.lessons.portability.DEFAULT_SELECTIONS)
  --kernel=NAME      the kernelspec the tests start (default: effconv, the course kernel ./course setup installs)

Markers (pyproject.toml registers them; --strict-markers refuses any other):
  slow         minutes, or work that loads the machine: every lesson executed, the book built, the bench, Binder's
               recipe, the quiet-machine guard
  portability  every lesson executed again under kernel selections that stand for other CPUs
  browser      needs Debian's chromium: skipped without it, failed without it under CI (CI installs it)
  hub          a real JupyterHub with students (.venv-hub, which ./course test installs)
  root         needs root (it adds Unix users): skipped otherwise
"""
import dataclasses
import os
import pathlib
import shutil
import sys

import nbformat
import pytest

from tools.lessons import budgets, claims
from tools.lessons.execution import arithmetic, execute, kernel_metadata
from tools.lessons.portability import DEFAULT_SELECTIONS, Refused, Selection
from tools.tests.markers import unmet
from tools.tests.servers import LabServer

ROOT = pathlib.Path(__file__).resolve().parents[2]
LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))
REPORT = pytest.StashKey[dict]()
RUNS = pytest.StashKey[object]()


def pytest_addoption(parser):
    group = parser.getgroup("course")
    group.addoption("--lesson", action="append", default=[], metavar="NAME",
                    help="execute only the lessons whose file name contains NAME (repeatable; default: every lesson)")
    group.addoption("--selection", action="append", default=[], metavar="SPEC",
                    help="a portability selection, coretype=NAME,isa=NAME,cpus=N (repeatable; default: "
                         + "; ".join(DEFAULT_SELECTIONS) + ")")
    group.addoption("--kernel", default="effconv", help="the kernelspec the tests start (default: effconv)")


def selected_lessons(config):
    """The lessons --lesson names (a part of the file name, as ./course execute takes them), or every lesson."""
    names = config.getoption("lesson")
    if not names:
        return LESSONS
    chosen = [b for b in LESSONS if any(n in b.name for n in names)]
    if not chosen:
        raise pytest.UsageError(f"--lesson {' '.join(names)}: no lesson's file name contains it: give a part of one "
                                f"of {', '.join(b.stem for b in LESSONS)}")
    return chosen


def selections(config):
    try:
        return [Selection.parse(s) for s in config.getoption("selection") or DEFAULT_SELECTIONS]
    except Refused as e:
        raise pytest.UsageError(str(e)) from None


def pytest_configure(config):
    config.stash[REPORT] = {}
    # refuse a bad --lesson or --selection before anything runs, with the one-line message
    selected_lessons(config)
    selections(config)


def pytest_generate_tests(metafunc):
    """lesson: the lessons executed (--lesson); saved_lesson: every lesson's saved file; selection: the portability
    selections; cpus_selection: those of them that limit the CPUs."""
    config = metafunc.config
    if "selection" in metafunc.fixturenames:
        chosen = selections(config)
        metafunc.parametrize("selection", chosen, ids=[s.spec() for s in chosen])
    if "cpus_selection" in metafunc.fixturenames:
        chosen = [s for s in selections(config) if s.cpus]
        metafunc.parametrize("cpus_selection", chosen, ids=[s.spec() for s in chosen])
    if "lesson" in metafunc.fixturenames:
        chosen = selected_lessons(config)
        metafunc.parametrize("lesson", chosen, ids=[b.stem for b in chosen])
    if "saved_lesson" in metafunc.fixturenames:
        metafunc.parametrize("saved_lesson", LESSONS, ids=[b.stem for b in LESSONS])


def pytest_collection_modifyitems(config, items):
    """A test parametrised over nothing here (no --selection limits the CPUs) is left out, not counted as skipped."""
    empty = [item for item in items if any(str(m.kwargs.get("reason", "")).startswith("got empty parameter set")
                                           for m in item.iter_markers("skip"))]
    if empty:
        config.hook.pytest_deselected(items=empty)
        items[:] = [item for item in items if item not in empty]


# --- what a marker needs ---------------------------------------------------------------------------------------------

@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    found = unmet({m.name for m in item.iter_markers()}, os.geteuid(), shutil.which("chromium"),
                  bool(os.environ.get("CI")))
    if found:
        outcome, why = found
        (pytest.skip if outcome == "skip" else pytest.fail)(why)


def pytest_report_collectionfinish(config, start_path, items):
    """With --collect-only, every test's id and its markers (a marker of the module or class included)."""
    if not config.option.collectonly:
        return []
    marked = lambda item: sorted({m.name for m in item.iter_markers()} - {"parametrize"})
    return [f"{item.nodeid}  [{', '.join(marked(item)) or 'no marker'}]" for item in items]


# --- the report after the tests --------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def report(pytestconfig):
    """Lines for the report printed after the tests, by section (what is measured, not checked: memory, times)."""
    def add(section, line):
        pytestconfig.stash[REPORT].setdefault(section, []).append(line)
    return add


def pytest_terminal_summary(terminalreporter, config):
    sections = config.stash.get(REPORT, {})
    runs = config.stash.get(RUNS, None)
    if runs is not None and runs.done:
        sections.setdefault("lessons executed (two passes in one kernel)", []).extend(
            f"{name}: {s['seconds']:.1f} s; kernel start to first result {s.get('first_result', float('nan')):.1f} s; "
            f"kernel peak memory {s.get('rss', float('nan')):.0f} MB" for name, s in runs.stats().items())
        if runs.complete():
            stats = runs.stats()
            slowest = max(stats, key=lambda n: stats[n]["seconds"])
            sections.setdefault("budgets on this machine", [])[:0] = [
                budgets.budget_line(f"whole course executed headlessly ({len(stats)} lessons, one pass)",
                                    sum(s["seconds"] for s in stats.values()), budgets.BUDGET_COURSE_S, "s", False),
                budgets.budget_line(f"slowest lesson, restart and run all ({slowest})", stats[slowest]["seconds"],
                                    budgets.BUDGET_LESSON_S, "s", False)]
    for section, lines in sections.items():
        terminalreporter.write_sep("-", section)
        for line in lines:
            terminalreporter.write_line(line)


# --- fixtures: the jar, the kernel, the lessons' runs ----------------------------------------------------------------

@pytest.fixture(scope="session")
def root():
    return ROOT


@pytest.fixture(scope="session")
def helper_jar():
    """The helper jar ./course setup built, with the classpath file every course JVM reads."""
    jar, args = ROOT / "lib" / "target" / "effconv.jar", ROOT / "lib" / "target" / "helper.args"
    if not (jar.is_file() and args.is_file()):
        pytest.fail(f"the helper jar is not built ({jar}, {args}): run ./course setup")
    return jar


@pytest.fixture(scope="session")
def kernel(pytestconfig, helper_jar):
    """The installed course kernel's name (--kernel)."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
    name = pytestconfig.getoption("kernel")
    try:
        KernelSpecManager().get_kernel_spec(name)
    except NoSuchKernel:
        pytest.fail(f"the kernelspec {name!r} is not installed for {sys.executable}: run ./course setup")
    return name


@pytest.fixture(scope="session")
def course_kernel_metadata(kernel):
    """What JupyterLab writes into a lesson on connecting it to the kernel (one kernel started for it)."""
    from jupyter_client.manager import start_new_kernel
    km, kc = start_new_kernel(kernel_name=kernel, startup_timeout=120)
    try:
        return kernel_metadata(kc, kernel)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


@pytest.fixture(scope="session")
def arithmetic_here(helper_jar, report):
    """This machine's arithmetic, as a lesson kernel has it (effconv.runtime.Arithmetic)."""
    here = arithmetic(ROOT)
    report("lessons executed (two passes in one kernel)",
           f"this machine's arithmetic: {here} (where a lesson was saved with another, its cpu-digits cells are "
           "compared in form and its cpu-choice cells not at all)")
    return here


@dataclasses.dataclass
class Run:
    committed: object  # the lesson as committed
    nb: object  # the first pass
    second: object  # the second pass in the same kernel (None for a single pass)
    stats: dict


class Runs:
    """Each lesson executed once per session, when a test first asks for it; a failed execution is kept and raised
    again, never repeated."""

    def __init__(self, kernel, out_dir, passes, selected):
        self.kernel, self.out_dir, self.passes, self.selected = kernel, out_dir, passes, selected
        self.course = LESSONS
        self.done = {}

    def whole_course(self):
        """Every lesson of the course is selected."""
        return self.selected == self.course

    def get(self, path, entered=None):
        if path not in self.done:
            try:
                committed = nbformat.read(path, as_version=4)
                if entered is None:
                    # after the two passes, the worked solutions' answers through the lesson's own check cell
                    sol, _ = claims.solutions(path)
                    after = [sol.answered] if sol and self.passes == 2 else []
                    nb, second, stats = execute(path, self.kernel, passes=self.passes, after=after)
                else:
                    with entered():
                        nb, second, stats = execute(path, self.kernel, passes=self.passes)
                self.out_dir.mkdir(parents=True, exist_ok=True)
                nbformat.write(nb, self.out_dir / path.name)
                self.done[path] = Run(committed, nb, second, stats)
            except Exception as e:  # noqa: BLE001 (kept to be raised for every test that asks)
                self.done[path] = e
        found = self.done[path]
        if isinstance(found, Exception):
            raise found
        return found

    def all(self):
        return {p.stem: self.get(p) for p in self.selected}

    def stats(self):
        return {p.stem: r.stats for p, r in self.done.items() if isinstance(r, Run)}

    def complete(self):
        """Every lesson of the course ran (the budgets are the whole course's)."""
        return len(self.stats()) == len(self.course)


@pytest.fixture(scope="session")
def lesson_runs(pytestconfig, kernel):
    """The lessons executed with the course kernel, twice in one kernel (as a student rerunning cells would), each
    once per session; the first pass is saved to build/notebooks/."""
    runs = Runs(kernel, ROOT / "build" / "notebooks", 2, selected_lessons(pytestconfig))
    pytestconfig.stash[RUNS] = runs
    return runs


@pytest.fixture(scope="session")
def portability_runs(pytestconfig, kernel):
    """The lessons executed once under each selection (its environment and CPUs entered for the execution only),
    each once per session; saved to build/portability/<selection>/."""
    made = {}

    def runs(selection):
        if selection not in made:
            made[selection] = Runs(kernel, ROOT / "build" / "portability" /
                                   selection.spec().replace(",", "_").replace("=", "-"), 1,
                                   selected_lessons(pytestconfig))
        return made[selection]
    return runs


@pytest.fixture(scope="module")
def lab_server():
    """Starts Jupyter servers (LabServer's arguments); each is stopped when the test module ends."""
    started = []

    def start(folder, **kw):
        server = LabServer(folder, **kw)
        started.append(server)
        return server
    yield start
    for server in started:
        server.close()
