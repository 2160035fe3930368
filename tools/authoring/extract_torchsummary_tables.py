#!/usr/bin/env python3
"""Copies the six torchsummary tables printed in the Korean blog post "[딥러닝] Depth-wise Separable Convolution"
into data/torchsummary-blog.csv, figure by figure, exactly as printed (so the course compares against the post's
own digits, not a retyped copy).

    python3 -m tools.authoring.extract_torchsummary_tables ../shared/sources/blog-depthwise-separable-torchsummary.ko.txt
"""
import csv
import pathlib
import re
import sys

EXPERIMENTS = ["standard K=3", "depthwise K=3", "pointwise", "separable K=3", "standard K=7", "separable K=7"]
SOURCE = ('"[딥러닝] Depth-wise Separable Convolution" (Korean blog post, PyTorch + torchsummary; '
          'https://blog.naver.com/younjung1996/223413266165), table {} of 6')


def tables(text):
    # a table runs from a dashed line followed by the "Layer (type)" header to the fourth size line
    blocks = re.findall(r"-{64}\n\s+Layer \(type\).*?Estimated Total Size \(MB\): [0-9.]+", text, re.S)
    if len(blocks) != len(EXPERIMENTS):
        sys.exit(f"expected {len(EXPERIMENTS)} tables, found {len(blocks)}")
    return blocks


def figures(block):
    for line in block.splitlines():
        m = re.match(r"\s+(\w+-\d+)\s+(\[.*?\])\s+([\d,]+)$", line)
        if m:
            yield f"{m[1]} Output Shape", m[2]
            yield f"{m[1]} Param #", m[3]
            continue
        m = re.match(r"(Total params|Trainable params|Non-trainable params|Input size \(MB\)|"
                     r"Forward/backward pass size \(MB\)|Params size \(MB\)|Estimated Total Size \(MB\)): (.+)$",
                     line)
        if m:
            yield m[1], m[2].strip()


def main():
    post = pathlib.Path(sys.argv[1]).read_text(encoding="utf-8")
    out = pathlib.Path(__file__).resolve().parents[2] / "data" / "torchsummary-blog.csv"
    with out.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["experiment", "figure", "published", "source"])
        for i, (name, block) in enumerate(zip(EXPERIMENTS, tables(post)), start=1):
            for fig, value in figures(block):
                w.writerow([name, fig, value, SOURCE.format(i)])
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
