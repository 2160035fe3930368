#!/usr/bin/env python3
"""Every chart picture saved in a lesson is uncut: nothing drawn (text, lines, bars) touches its border.

A title or legend too long for the picture, or a tick label pushed off the edge, leaves non-background pixels in
the outermost rows or columns. Checks each image/png output of notebooks/*.ipynb (the pictures GitHub, nbviewer
and nbconvert show, and JupyterLab until the pointer enters a chart), decoding the PNGs with the standard library alone.
Usage: test_pictures.py [--root DIR] [--margin PX]
"""
import argparse
import base64
import json
import pathlib
import struct
import sys
import zlib


def decode_png(data):
    """(width, height, channels, rows of bytes) of an 8-bit non-interlaced greyscale, RGB or RGBA PNG."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat += chunk
        elif kind == b"IEND":
            break
    width, height, depth, colour, _, _, interlace = header
    channels = {0: 1, 2: 3, 6: 4}.get(colour)
    if depth != 8 or channels is None or interlace:
        raise ValueError(f"unsupported PNG (bit depth {depth}, colour type {colour}, interlace {interlace})")
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if kind == 0:
            rows.append(line)
            previous = line
            continue
        if kind == 2:  # up: the common case, done a row at a time
            line = bytearray((a + b) & 0xFF for a, b in zip(line, previous))
            rows.append(line)
            previous = line
            continue
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
        rows.append(line)
        previous = line
    return width, height, channels, rows


def touching(png, margin):
    """Where non-background pixels lie within `margin` pixels of the edge: a list of short descriptions."""
    width, height, channels, rows = decode_png(png)
    at = lambda x, y: tuple(rows[y][x * channels:x * channels + min(channels, 3)])
    background = at(0, 0)
    found = []
    for name, cells in (("top", ((x, y) for y in range(margin) for x in range(width))),
                        ("bottom", ((x, height - 1 - y) for y in range(margin) for x in range(width))),
                        ("left", ((x, y) for x in range(margin) for y in range(height))),
                        ("right", ((width - 1 - x, y) for x in range(margin) for y in range(height)))):
        hits = [(x, y) for x, y in cells if at(x, y) != background]
        if hits:
            found.append(f"{name} edge: {len(hits)} pixel(s), first at x = {hits[0][0]}, y = {hits[0][1]}")
    if background not in ((255, 255, 255), (255,)):
        found.append(f"background {background} is not white")
    return found


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", default=str(pathlib.Path(__file__).resolve().parent.parent))
    ap.add_argument("--margin", type=int, default=2, help="pixels from the edge that must be background")
    a = ap.parse_args()
    problems, count, bad = [], 0, 0
    for path in sorted(pathlib.Path(a.root, "notebooks").glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        for i, cell in enumerate(nb["cells"]):
            for out in cell.get("outputs", []):
                png = out.get("data", {}).get("image/png")
                if png is None:
                    continue
                count += 1
                png = "".join(png) if isinstance(png, list) else png
                found = touching(base64.b64decode(png), a.margin)
                bad += bool(found)
                problems += [f"{path.name} cell {i}: {p}" for p in found]
    for p in problems:
        print("    " + p)
    print(f"[pictures] {count} saved chart pictures, {bad} with something touching the border: "
          f"{'ok' if not problems and count else 'FAILED'}", flush=True)
    return 0 if not problems and count else 1


if __name__ == "__main__":
    sys.exit(main())
