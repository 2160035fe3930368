"""The PyTorch twins (bench/twins.py) are the networks the golden files were made with: each golden case's twin,
built as tools/authoring/make_golden.py builds it and given the case's saved weights in state_dict order, computes
the saved output from the saved input. Run with a Python that has PyTorch (EFFCONV_TORCH_PYTHON, python3 or
/usr/bin/python3, as ./course bench looks for one); skipped where there is none."""
import os
import subprocess

import pytest

CHECK = r'''
import json, pathlib, sys
import numpy as np
import torch
from tools.authoring.make_golden import OUT, module
bad = []
for name, case in json.loads((OUT / "cases.json").read_text()).items():
    net = module(case["layer"])
    keys = [k for k in net.state_dict() if not k.endswith("num_batches_tracked")]
    files = case["files"]["weights"]
    if len(keys) != len(files):
        bad.append(f"{name}: the twin has {len(keys)} weights, the golden files {len(files)}")
        continue
    state = {k: torch.from_numpy(np.load(OUT / f)) for k, f in zip(keys, files)}
    shapes = [(k, tuple(net.state_dict()[k].shape), tuple(v.shape)) for k, v in state.items()
              if net.state_dict()[k].shape != v.shape]
    if shapes:
        bad.append(f"{name}: weight shapes differ (name, twin, file): {shapes}")
        continue
    net.load_state_dict(state, strict=False)
    net.eval()
    with torch.no_grad():
        y = net(torch.from_numpy(np.load(OUT / case["files"]["input"])))
    want = np.load(OUT / case["files"]["output"])
    got = y.reshape(1, -1, *(y.shape[2:] or (1, 1))).numpy()
    if got.shape != want.shape or not np.allclose(got, want, rtol=1e-5, atol=1e-5):
        bad.append(f"{name}: the twin's output differs from the saved one (largest difference "
                   f"{np.abs(got - want).max() if got.shape == want.shape else got.shape})")
print("\n".join(bad))
sys.exit(1 if bad else 0)
'''


def torch_python():
    for py in [os.environ.get("EFFCONV_TORCH_PYTHON"), "python3", "/usr/bin/python3"]:
        if py and subprocess.run([py, "-c", "import torch, numpy"], capture_output=True, timeout=300).returncode == 0:
            return py
    return None


def test_twins_compute_the_golden_outputs(root):
    py = torch_python()
    if py is None:
        pytest.skip("no Python with PyTorch and NumPy here (Debian: apt-get install python3-torch; or set "
                    "EFFCONV_TORCH_PYTHON)")
    r = subprocess.run([py, "-c", CHECK], capture_output=True, text=True, cwd=root, timeout=600)
    assert r.returncode == 0, f"the twins and the golden files disagree:\n{r.stdout}{r.stderr[-2000:]}"
