#!/usr/bin/env python3
"""Writes the course's fixed Fashion-MNIST subset (data/fashion-mnist/) from Debian's dataset-fashion-mnist.

    apt-get install dataset-fashion-mnist && python3 -m tools.authoring.make_fashion_subset

The first 12,000 training images and all 10,000 test images, with their labels, in the original IDX format,
gzipped without a timestamp so the files are byte-identical on every run. The course reads only these files.
"""
import gzip
import hashlib
import pathlib
import struct

SOURCE = pathlib.Path("/usr/share/datasets/fashion-mnist")
TARGET = pathlib.Path(__file__).resolve().parents[2] / "data" / "fashion-mnist"
SUBSETS = {"train": 12000, "t10k": 10000}


def read_idx(path):
    with gzip.open(path) as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return data[:4], shape, data[4 + 4 * dims:]


def write_idx(path, magic, shape, body):
    header = magic + struct.pack(">" + "I" * len(shape), *shape)
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as f:
        f.write(header + body)


def main():
    TARGET.mkdir(parents=True, exist_ok=True)
    for prefix, n in SUBSETS.items():
        for kind, per_item in (("images-idx3-ubyte", 28 * 28), ("labels-idx1-ubyte", 1)):
            name = f"{prefix}-{kind}.gz"
            magic, shape, body = read_idx(SOURCE / name)
            write_idx(TARGET / name, magic, (n,) + shape[1:], body[:n * per_item])
            digest = hashlib.sha256((TARGET / name).read_bytes()).hexdigest()[:16]
            print(f"{name}: {n} items, sha256 {digest}")


if __name__ == "__main__":
    main()
