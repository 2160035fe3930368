"""Every chart picture saved in a lesson is uncut: nothing drawn (text, lines, bars) touches its border.

A title or legend too long for the picture, or a tick label pushed off the edge, leaves non-background pixels in
the outermost rows or columns. Checks each image/png output of notebooks/*.ipynb (the pictures GitHub, nbviewer
and nbconvert show, and JupyterLab until the pointer enters a chart), decoding the PNGs with the standard library alone.
"""
import base64
import json
import struct
import zlib

# pixels from the edge that must be background
MARGIN = 2


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


def pictures(path):
    """(cell index, PNG bytes) of every saved picture of a lesson."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    for i, cell in enumerate(nb["cells"]):
        for out in cell.get("outputs", []):
            png = out.get("data", {}).get("image/png")
            if png is not None:
                yield i, base64.b64decode("".join(png) if isinstance(png, list) else png)


def test_lessons_save_pictures(root):
    count = sum(1 for path in sorted((root / "notebooks").glob("*.ipynb")) for _ in pictures(path))
    assert count, "no lesson saves a chart picture: the check below would prove nothing"


def test_pictures_uncut(saved_lesson):
    problems = [f"{saved_lesson.name} cell {i}: {p}"
                for i, png in pictures(saved_lesson) for p in touching(png, MARGIN)]
    assert not problems, "something touches a saved picture's border:\n" + "\n".join(problems)
