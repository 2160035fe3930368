"""Lesson 1 in JupyterLab in headless Chromium (Debian's; playwright-core drives it, no browser download): in an
untrusted copy and a trusted one, the saved charts show on open and plotly's own renderer (the jupyterlab-plotly
extension) draws them — hover shows values, a drag zooms; Run All works with the course kernel, tables and charts
are drawn, no cell fails, nothing loads from outside the local server (tools/browser-test/browser.js). Lesson 18's
trainings each show one progress display that advances in place and ends done (progress.js). The screenshots are
left in build/browser/ as test artifacts."""
import json
import os
import shutil
import subprocess

import nbformat
import pytest
from nbclient import NotebookClient

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# a chart of each kind the lessons draw, executed with the course kernel and saved without trusting it
CHARTS = [
    'new Figure(Plot.layout("Lines on log axes", Plot.logAxis("x"), Plot.logAxis("y")),\n'
    '    Plot.line("measured", new double[] {1, 10, 100}, new double[] {2, 150, 9000}),\n'
    '    Plot.dashed("formula", new double[] {1, 10, 100}, new double[] {1, 100, 10000}))',
    'new Figure(Plot.layout("Grouped bars", "kind", "share, %"),\n'
    '    Plot.bars("params", new String[] {"1×1", "3×3"}, new double[] {70, 30}),\n'
    '    Plot.bars("MACs", new String[] {"1×1", "3×3"}, new double[] {90, 10}))',
    'Plot.row("Heatmap panels", Plot.heatmap("a", "input", "output", new double[][] {{1, 0}, {0, 1}}),\n'
    '    Plot.heatmap("b", "input", "output", new double[][] {{0, 1}, {1, 0}}))',
]


@pytest.fixture(scope="module")
def lab(root, kernel, lab_server):
    """JupyterLab serving build/browser/: lesson 1 trusted (in a signature database of the test's own), an untrusted
    copy of it, the charts notebook, and lesson 18 — copies: the browser's runs must not touch the lessons."""
    tests = root / "tools" / "browser-test"
    npm = subprocess.run(["npm", "ci", "--silent", "--no-audit", "--no-fund"], cwd=tests, capture_output=True,
                         text=True, timeout=600)
    assert npm.returncode == 0, f"npm could not install playwright-core: {npm.stderr[-500:]}"
    work = root / "build" / "browser"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    for name in ("01-standard-vs-separable.ipynb", "18-does-the-shuffle-help.ipynb"):
        shutil.copy(root / "notebooks" / name, work / name)
    # an untrusted copy (set-up trusts nothing, and its changed metadata would break any signature) and the lesson
    # itself trusted here: the charts must not depend on either
    nb = json.loads((work / "01-standard-vs-separable.ipynb").read_text())
    nb["metadata"]["effconv_copy"] = "untrusted"
    (work / "01-untrusted.ipynb").write_text(json.dumps(nb, indent=1))
    env = dict(os.environ, JUPYTER_DATA_DIR=str(work / "jupyter-data"))  # the trust database, not the user's home
    trust = subprocess.run([str(root / ".venv" / "bin" / "jupyter"), "trust",
                            str(work / "01-standard-vs-separable.ipynb")], capture_output=True, text=True, env=env,
                           timeout=120)
    assert trust.returncode == 0, f"jupyter trust failed: {trust.stderr}"
    charts = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CHARTS])
    charts.metadata["kernelspec"] = {"name": kernel, "display_name": "Java — Efficient Convolutions",
                                     "language": "java"}
    NotebookClient(charts, kernel_name=kernel, timeout=120, shutdown_kernel="immediate").execute()
    nbformat.write(charts, work / "charts.ipynb")
    return lab_server(work, app="lab", env=env, extra=[f"--MappingKernelManager.default_kernel_name={kernel}"])


def node(root, script, *args):
    r = subprocess.run(["node", str(root / "tools" / "browser-test" / script), *args], capture_output=True, text=True,
                       timeout=900)
    return r.returncode, (r.stdout + r.stderr).strip()


def test_lesson_and_charts_in_jupyterlab(root, lab):
    page = lambda name: lab.url(f"/lab/tree/{name}?token={lab.token}")
    rc, out = node(root, "browser.js", page("01-untrusted.ipynb"), page("01-standard-vs-separable.ipynb"),
                   str(lab.folder / "lesson-01.png"), page("charts.ipynb"), str(lab.folder / "charts.png"))
    assert rc == 0, out[-3000:]


def test_training_progress_in_jupyterlab(root, lab):
    rc, out = node(root, "progress.js", lab.url(f"/lab/tree/18-does-the-shuffle-help.ipynb?token={lab.token}"),
                   str(lab.folder / "lesson-16-training.png"))
    assert rc == 0, out[-3000:]
