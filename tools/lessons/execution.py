"""A lesson executed headlessly with the real course kernel, as ./course execute and the tests run it."""
import copy
import inspect
import pathlib
import re
import subprocess
import time

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


def execute(path, kernel, passes=1, after=()):
    """Runs a notebook in a fresh kernel; with passes=2 runs every cell a second time in the same kernel, as a
    student rerunning cells would. Then the cells `after` (sources), in the same kernel, with the lesson's state —
    the worked solutions' answers put into its check cell (tools.lessons.claims.solutions). Returns the first pass,
    the second pass's outputs, and measurements, with the `after` cells executed under stats["after"]."""
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
        if after:
            extra = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(src) for src in after])
            client.nb = extra
            client._display_id_map = {}
            for i, cell in enumerate(extra.cells):
                client.execute_cell(cell, i)
            stats["after"] = extra.cells
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


def arithmetic(root, env=None):
    """This machine's arithmetic as a lesson kernel started with env would have it ("avx512_core, 2 threads"):
    effconv.runtime.Arithmetic, run the way the kernel runs (lib/jvm/run sets the threads)."""
    lib = root / "lib"
    r = subprocess.run(["/bin/sh", str(lib / "jvm" / "run"), "java", "-Xmx64m", f"@{lib / 'target' / 'helper.args'}",
                        "effconv.runtime.Arithmetic"], capture_output=True, text=True, env=env, timeout=120)
    if r.returncode != 0 or not r.stdout.strip():
        raise RuntimeError(f"effconv.runtime.Arithmetic failed: {(r.stderr or r.stdout).strip()[:300]}")
    return r.stdout.strip().splitlines()[-1]
