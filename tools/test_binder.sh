#!/usr/bin/env bash
# Binder cannot run here, so its recipe is tested outside it: a scratch Python prefix stands in for Binder's conda
# environment, binder/postBuild runs into it exactly as Binder would run it, and a lesson is executed with the
# kernel that postBuild installed there.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
prefix="$root/build/binder-prefix"
rm -rf "$prefix"
python3 -m venv "$prefix"
# Binder installs the pip section of binder/environment.yml; the kernel package is what postBuild needs
jjava_pin=$(grep -o 'jjava==[^ ]*' "$root/binder/environment.yml")
"$prefix/bin/pip" install -q --disable-pip-version-check "$jjava_pin"
(cd "$root" && PATH="$prefix/bin:$PATH" CONDA_PREFIX="$prefix" bash binder/postBuild)
spec="$prefix/share/jupyter/kernels/effconv/kernel.json"
grep -q "$prefix/share/jupyter/kernels/java/jjava.jar" "$spec" || { echo "postBuild did not install the kernelspec into $prefix"; exit 1; }
# run lesson 1 with the kernel postBuild installed (JUPYTER_PATH puts the scratch prefix first)
JUPYTER_PATH="$prefix/share/jupyter" "$root/.venv/bin/python" - "$root" <<'PY'
import sys, pathlib, nbformat
from nbclient import NotebookClient
from jupyter_client.kernelspec import KernelSpecManager
root = pathlib.Path(sys.argv[1])
spec = KernelSpecManager().get_kernel_spec("effconv")
assert "binder-prefix" in spec.resource_dir, spec.resource_dir
nb = nbformat.read(root / "notebooks" / "01-standard-vs-separable.ipynb", 4)
NotebookClient(nb, kernel_name="effconv", timeout=600, allow_errors=True, shutdown_kernel="immediate",
               resources={"metadata": {"path": str(root / "notebooks")}}).execute()
errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
assert not errors, errors[0]
print("binder: postBuild into a scratch prefix, then lesson 1 with its kernel: ok")
PY
