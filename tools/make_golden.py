#!/usr/bin/env python3
"""Makes the golden files the Java tests check ND4J's forward passes against.

An independent reference: PyTorch's nn.Conv2d computes each case from the same input and weights, and the files
record input, weights and output. Run it with a Python that has PyTorch (Debian: apt-get install python3-torch):

    python3 tools/make_golden.py            # writes lib/src/test/resources/golden/

Every case is small (a few KB) and seeded, so rerunning gives the same files.
"""
import json
import pathlib

import numpy as np
import torch

OUT = pathlib.Path(__file__).resolve().parent.parent / "lib" / "src" / "test" / "resources" / "golden"

# name -> (input C, H, W), then a list of Conv2d modules applied in order, PyTorch arguments.
CASES = {
    "standard": ((4, 7, 7), [dict(in_channels=4, out_channels=6, kernel_size=3, bias=True)]),
    "strided-padded-dilated": ((3, 9, 8), [dict(in_channels=3, out_channels=5, kernel_size=3, stride=2,
                                                padding=1, dilation=2, bias=True)]),
    "grouped": ((6, 6, 6), [dict(in_channels=6, out_channels=9, kernel_size=3, padding=1, groups=3, bias=True)]),
    "depthwise": ((4, 8, 8), [dict(in_channels=4, out_channels=4, kernel_size=3, groups=4, bias=False)]),
    "depthwise-multiplier": ((3, 7, 7), [dict(in_channels=3, out_channels=6, kernel_size=3, stride=2, padding=1,
                                              groups=3, bias=True)]),
    "pointwise": ((5, 4, 4), [dict(in_channels=5, out_channels=7, kernel_size=1, bias=True)]),
    "separable": ((4, 6, 6), [dict(in_channels=4, out_channels=4, kernel_size=3, groups=4, bias=False),
                              dict(in_channels=4, out_channels=8, kernel_size=1, bias=False)]),
}


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(20240501)
    manifest = {}
    for name, (shape, modules) in CASES.items():
        x = torch.randn(1, *shape)
        net = torch.nn.Sequential(*[torch.nn.Conv2d(**m) for m in modules])
        with torch.no_grad():
            y = net(x)
        files = {"input": f"{name}.input.npy", "output": f"{name}.output.npy", "weights": []}
        np.save(OUT / files["input"], x.numpy().astype(np.float32))
        np.save(OUT / files["output"], y.numpy().astype(np.float32))
        for i, conv in enumerate(net):
            for part in ("weight", "bias"):
                t = getattr(conv, part)
                if t is not None:
                    f = f"{name}.{i}.{part}.npy"
                    np.save(OUT / f, t.detach().numpy().astype(np.float32))
                    files["weights"].append(f)
        manifest[name] = {"input_shape": list(shape), "modules": modules, "files": files,
                          "output_shape": list(y.shape[1:])}
    (OUT / "cases.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    print(f"wrote {len(manifest)} cases to {OUT} with torch {torch.__version__}")


if __name__ == "__main__":
    main()
