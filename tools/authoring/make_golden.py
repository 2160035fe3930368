#!/usr/bin/env python3
"""Makes the golden files the Java tests check ND4J's forward passes against.

An independent reference: PyTorch computes each case from the same input and weights, and the files record input,
weights and output. The blocks are the course's PyTorch twins (bench/twins.py, which ./course bench times too). Run
it from the course folder with a Python that has PyTorch (Debian: apt-get install python3-torch):

    python3 -m tools.authoring.make_golden            # writes lib/src/test/resources/golden/

Each case names its layer in a small JSON language that GoldenTest.java turns into the course's spec; the weights
are listed in PyTorch's state_dict order (conv weight, bias; batch norm weight, bias, running mean, running
variance; linear weight, bias), which is the order NdLayer.withWeights takes. Every case is small (a few KB) and
seeded, so rerunning gives the same files.
"""
import json
import pathlib

import numpy as np
import torch
from torch import nn

from bench.twins import Fire, InvertedResidual, Shuffle, ShuffleUnit

OUT = pathlib.Path(__file__).resolve().parents[2] / "lib" / "src" / "test" / "resources" / "golden"


def conv(i, o, k, stride=1, padding=0, dilation=1, groups=1, bias=True):
    return {"type": "conv", "in_channels": i, "out_channels": o, "kernel_size": k, "stride": stride,
            "padding": padding, "dilation": dilation, "groups": groups, "bias": bias}


def module(spec):
    t = spec["type"]
    if t == "conv":
        return nn.Conv2d(**{k: v for k, v in spec.items() if k != "type"})
    if t == "seq":
        return nn.Sequential(*[module(s) for s in spec["layers"]])
    if t == "bn":
        return nn.BatchNorm2d(spec["channels"])
    if t == "relu":
        return nn.ReLU()
    if t == "relu6":
        return nn.ReLU6()
    if t == "pool":
        cls = nn.MaxPool2d if spec["kind"] == "max" else nn.AvgPool2d
        return cls(spec["kernel"], spec["stride"], spec["padding"], ceil_mode=spec["ceil"])
    if t == "gap":
        return nn.AdaptiveAvgPool2d(1)
    if t == "fc":
        return nn.Sequential(nn.Flatten(), nn.Linear(spec["in"], spec["out"], bias=spec["bias"]))
    if t == "shuffle":
        return Shuffle(spec["groups"])
    if t == "fire":
        return Fire(spec["in"], spec["squeeze"], spec["expand1x1"], spec["expand3x3"])
    if t == "inverted_residual":
        return InvertedResidual(spec["in"], spec["out"], spec["expansion"], spec["stride"])
    if t == "shuffle_unit":
        return ShuffleUnit(spec["in"], spec["out"], spec["groups"], spec["stride"], spec["grouped_first"])
    raise ValueError(t)


CASES = {
    "standard": ((4, 7, 7), conv(4, 6, 3)),
    "strided-padded-dilated": ((3, 9, 8), conv(3, 5, 3, stride=2, padding=1, dilation=2)),
    "grouped": ((6, 6, 6), conv(6, 9, 3, padding=1, groups=3)),
    "depthwise": ((4, 8, 8), conv(4, 4, 3, groups=4, bias=False)),
    "depthwise-multiplier": ((3, 7, 7), conv(3, 6, 3, stride=2, padding=1, groups=3)),
    "pointwise": ((5, 4, 4), conv(5, 7, 1)),
    "separable": ((4, 6, 6), {"type": "seq", "layers": [conv(4, 4, 3, groups=4, bias=False),
                                                        conv(4, 8, 1, bias=False)]}),
    "batchnorm-relu6": ((5, 4, 4), {"type": "seq", "layers": [{"type": "bn", "channels": 5}, {"type": "relu6"}]}),
    "maxpool-ceil": ((3, 8, 7), {"type": "pool", "kind": "max", "kernel": 3, "stride": 2, "padding": 0,
                                 "ceil": True}),
    "maxpool-padded": ((3, 9, 9), {"type": "pool", "kind": "max", "kernel": 3, "stride": 2, "padding": 1,
                                   "ceil": False}),
    "avgpool-padded": ((3, 9, 9), {"type": "pool", "kind": "avg", "kernel": 3, "stride": 2, "padding": 1,
                                   "ceil": False}),
    "avgpool-ceil": ((2, 8, 8), {"type": "pool", "kind": "avg", "kernel": 3, "stride": 2, "padding": 0,
                                 "ceil": True}),
    "global-avgpool-fc": ((6, 5, 5), {"type": "seq", "layers": [{"type": "gap"},
                                                                {"type": "fc", "in": 6, "out": 4, "bias": True}]}),
    "fc": ((2, 3, 3), {"type": "fc", "in": 18, "out": 5, "bias": True}),
    "channel-shuffle": ((6, 3, 3), {"type": "shuffle", "groups": 3}),
    "fire": ((8, 5, 5), {"type": "fire", "in": 8, "squeeze": 4, "expand1x1": 6, "expand3x3": 6}),
    "inverted-residual": ((8, 6, 6), {"type": "inverted_residual", "in": 8, "out": 8, "expansion": 6, "stride": 1}),
    "inverted-residual-s2": ((8, 7, 7), {"type": "inverted_residual", "in": 8, "out": 16, "expansion": 6,
                                         "stride": 2}),
    "inverted-residual-t1": ((8, 5, 5), {"type": "inverted_residual", "in": 8, "out": 8, "expansion": 1,
                                         "stride": 1}),
    "shuffle-unit": ((24, 6, 6), {"type": "shuffle_unit", "in": 24, "out": 24, "groups": 3, "stride": 1,
                                  "grouped_first": True}),
    "shuffle-unit-s2": ((12, 8, 8), {"type": "shuffle_unit", "in": 12, "out": 36, "groups": 3, "stride": 2,
                                     "grouped_first": False}),
}


def randomise(net):
    """Batch norm with non-trivial statistics and affine parameters, so the test really checks it."""
    for m in net.modules():
        if isinstance(m, nn.BatchNorm2d):
            with torch.no_grad():
                m.weight.uniform_(0.8, 1.2)
                m.bias.uniform_(-0.2, 0.2)
                m.running_mean.uniform_(-0.2, 0.2)
                m.running_var.uniform_(0.8, 1.2)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.npy"):
        old.unlink()
    torch.manual_seed(20240501)
    manifest = {}
    for name, (shape, spec) in CASES.items():
        net = module(spec)
        randomise(net)
        net.eval()
        x = torch.randn(1, *shape)
        with torch.no_grad():
            y = net(x)
        files = {"input": f"{name}.input.npy", "output": f"{name}.output.npy", "weights": []}
        np.save(OUT / files["input"], x.numpy().astype(np.float32))
        np.save(OUT / files["output"], y.reshape(1, -1, *(y.shape[2:] or (1, 1))).numpy().astype(np.float32))
        i = 0
        for key, t in net.state_dict().items():
            if key.endswith("num_batches_tracked"):
                continue
            f = f"{name}.{i:02d}.npy"
            np.save(OUT / f, t.detach().numpy().astype(np.float32))
            files["weights"].append(f)
            i += 1
        manifest[name] = {"input_shape": list(shape), "layer": spec, "files": files}
    (OUT / "cases.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    print(f"wrote {len(manifest)} cases to {OUT} with torch {torch.__version__}")


if __name__ == "__main__":
    main()
