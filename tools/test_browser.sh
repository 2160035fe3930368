#!/usr/bin/env bash
# Lesson 1 in JupyterLab in headless Chromium (Debian's; playwright-core drives it, no browser download): in an
# untrusted copy and a trusted one, the saved charts show on open and plotly's own renderer (the jupyterlab-plotly
# extension) draws them — hover shows values, a drag zooms; Run All works with the course kernel, tables and charts
# are drawn, no cell fails, nothing loads from outside the local server. The screenshots are left in build/browser/
# as test artifacts.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
command -v chromium >/dev/null || { echo "browser test: Debian's chromium is not installed (apt-get install chromium)"; exit 1; }
(cd "$root/tools/browser-test" && npm ci --silent --no-audit --no-fund >/dev/null 2>&1) \
  || { echo "browser test: npm could not install playwright-core"; exit 1; }
work="$root/build/browser"
rm -rf "$work" && mkdir -p "$work"
cp "$root/notebooks/01-standard-vs-separable.ipynb" "$work/"   # a copy: the browser's run must not touch the lesson
cp "$root/notebooks/18-does-the-shuffle-help.ipynb" "$work/"    # live training: its progress display
# an untrusted copy (set-up trusts nothing, and its changed metadata would break any signature) and the lesson itself
# trusted here, in a signature database of the test's own: the charts must not depend on either
"$root/.venv/bin/python" - "$work" <<'PY'
import json, pathlib, sys
work = pathlib.Path(sys.argv[1])
nb = json.loads((work / "01-standard-vs-separable.ipynb").read_text())
nb["metadata"]["effconv_copy"] = "untrusted"
(work / "01-untrusted.ipynb").write_text(json.dumps(nb, indent=1))
PY
export JUPYTER_DATA_DIR="$work/jupyter-data"   # the trust database lives here, not in the user's home
"$root/.venv/bin/jupyter" trust "$work/01-standard-vs-separable.ipynb" >/dev/null
# a chart of each kind the lessons draw, executed with the course kernel and saved without trusting it
"$root/.venv/bin/python" - "$work" <<'PY'
import pathlib, sys
import nbformat
from nbclient import NotebookClient
work = pathlib.Path(sys.argv[1])
cells = [
    'new Figure(Plot.layout("Lines on log axes", Plot.logAxis("x"), Plot.logAxis("y")),\n'
    '    Plot.line("measured", new double[] {1, 10, 100}, new double[] {2, 150, 9000}),\n'
    '    Plot.dashed("formula", new double[] {1, 10, 100}, new double[] {1, 100, 10000}))',
    'new Figure(Plot.layout("Grouped bars", "kind", "share, %"),\n'
    '    Plot.bars("params", new String[] {"1×1", "3×3"}, new double[] {70, 30}),\n'
    '    Plot.bars("MACs", new String[] {"1×1", "3×3"}, new double[] {90, 10}))',
    'Plot.row("Heatmap panels", Plot.heatmap("a", "input", "output", new double[][] {{1, 0}, {0, 1}}),\n'
    '    Plot.heatmap("b", "input", "output", new double[][] {{0, 1}, {1, 0}}))',
]
nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
nb.metadata["kernelspec"] = {"name": "effconv", "display_name": "Java — Efficient Convolutions", "language": "java"}
NotebookClient(nb, kernel_name="effconv", timeout=120).execute()
nbformat.write(nb, work / "charts.ipynb")
PY
port=$("$root/.venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
token=$("$root/.venv/bin/python" -c 'import secrets; print(secrets.token_hex(16))')
root_flag=()
[ "$(id -u)" -eq 0 ] && root_flag=(--allow-root)
"$root/.venv/bin/jupyter" lab --no-browser "${root_flag[@]}" --ip=127.0.0.1 --port="$port" \
  --IdentityProvider.token="$token" --notebook-dir="$work" --MappingKernelManager.default_kernel_name=effconv \
  > "$work/jupyterlab.log" 2>&1 &
lab=$!
trap 'kill $lab 2>/dev/null; wait $lab 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  curl -sf "http://127.0.0.1:$port/api/status?token=$token" >/dev/null && break
  sleep 1
done
node "$root/tools/browser-test/browser.js" \
  "http://127.0.0.1:$port/lab/tree/01-untrusted.ipynb?token=$token" \
  "http://127.0.0.1:$port/lab/tree/01-standard-vs-separable.ipynb?token=$token" "$work/lesson-01.png" \
  "http://127.0.0.1:$port/lab/tree/charts.ipynb?token=$token" "$work/charts.png"
node "$root/tools/browser-test/progress.js" \
  "http://127.0.0.1:$port/lab/tree/18-does-the-shuffle-help.ipynb?token=$token" "$work/lesson-16-training.png"
