"""Binder cannot run here, so its recipe is tested outside it: a scratch Python prefix stands in for Binder's conda
environment, binder/postBuild runs into it exactly as Binder would run it, and a lesson is executed with the kernel
that postBuild installed there."""
import os
import re
import shutil
import subprocess

import pytest

LESSON = "01-standard-vs-separable.ipynb"
# run in the scratch prefix's kernel by .venv's Python, JUPYTER_PATH putting the prefix first
RUN_LESSON = r'''
import sys, pathlib, nbformat
from nbclient import NotebookClient
from jupyter_client.kernelspec import KernelSpecManager
root = pathlib.Path(sys.argv[1])
spec = KernelSpecManager().get_kernel_spec("effconv")
assert "binder-prefix" in spec.resource_dir, f"the kernel is not the scratch prefix's: {spec.resource_dir}"
nb = nbformat.read(root / "notebooks" / sys.argv[2], 4)
NotebookClient(nb, kernel_name="effconv", timeout=600, allow_errors=True, shutdown_kernel="immediate",
               resources={"metadata": {"path": str(root / "notebooks")}}).execute()
errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
assert not errors, errors[0]
'''


@pytest.mark.slow
def test_postbuild_installs_a_kernel_that_runs_a_lesson(root, helper_jar):
    prefix = root / "build" / "binder-prefix"
    shutil.rmtree(prefix, ignore_errors=True)
    run = lambda *args, **kw: subprocess.run(args, capture_output=True, text=True, timeout=1200, **kw)
    made = run("python3", "-m", "venv", str(prefix))
    assert made.returncode == 0, f"python3 -m venv: {made.stderr}"
    # Binder installs the pip section of binder/environment.yml; the kernel package is what postBuild needs
    jjava = re.search(r"jjava==\S+", (root / "binder" / "environment.yml").read_text()).group(0)
    pip = run(str(prefix / "bin" / "pip"), "install", "-q", "--disable-pip-version-check", jjava)
    assert pip.returncode == 0, f"pip install {jjava}: {pip.stderr[-1000:]}"
    post = run("bash", "binder/postBuild", cwd=root,
               env=dict(os.environ, PATH=f"{prefix / 'bin'}:{os.environ['PATH']}", CONDA_PREFIX=str(prefix)))
    assert post.returncode == 0, f"binder/postBuild: exit {post.returncode}: {(post.stdout + post.stderr)[-2000:]}"
    spec = (prefix / "share" / "jupyter" / "kernels" / "effconv" / "kernel.json")
    jjava = prefix / "share" / "jupyter" / "kernels" / "java" / "jjava.jar"
    assert spec.is_file() and str(jjava) in spec.read_text(), \
        f"postBuild did not install the kernelspec into {prefix}"
    lesson = run(str(root / ".venv" / "bin" / "python"), "-c", RUN_LESSON, str(root), LESSON,
                 env=dict(os.environ, JUPYTER_PATH=str(prefix / "share" / "jupyter")))
    assert lesson.returncode == 0, f"{LESSON} with the kernel postBuild installed: {lesson.stderr[-2000:]}"
