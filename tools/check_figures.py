#!/usr/bin/env python3
"""Checks the lessons' diagrams (notebooks/figures/*.svg) and the markdown that shows them.

    check_figures.py [--root DIR]

- every .svg in notebooks/figures parses as XML, has an <svg> root with a four-number viewBox;
- it is self-contained: no <script>, no on* event attributes, no <foreignObject>, no href/src that points outside
  the file (only "#id" references), no url(...) (attribute or CSS) to anything but "#id", no @import — so it shows
  offline and cannot run code;
- no text smaller than 12 px (the course's minimum for a readable figure);
- every image a lesson's markdown shows from figures/ (![...](figures/...) or <img src="figures/...">) exists.

Prints one line per problem and exits 1, or one summary line and exits 0. Standard library only.
"""
import argparse
import json
import pathlib
import re
import sys
import xml.etree.ElementTree as ET

MIN_FONT_PX = 12
MD_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)")
HTML_IMAGE = re.compile(r"""<img\b[^>]*?\bsrc\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")\s]*)", re.IGNORECASE)
FONT_SIZE_CSS = re.compile(r"font-size\s*:\s*([0-9.]+)\s*(px)?\s*(?:;|$|\})", re.IGNORECASE)


def local(tag):
    """An element's or attribute's name without its namespace."""
    return tag.rsplit("}", 1)[-1] if tag.startswith("{") else tag.split(":")[-1]


def check_svg(path, rel):
    problems = []
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        return [f"{rel}: not valid XML ({e})"]
    if local(root.tag) != "svg":
        problems.append(f"{rel}: root element is <{local(root.tag)}>, not <svg>")
    view_box = root.get("viewBox")
    if view_box is None:
        problems.append(f"{rel}: no viewBox on the <svg> element")
    elif len(re.findall(r"-?[0-9.]+", view_box)) != 4:
        problems.append(f"{rel}: viewBox {view_box!r} is not four numbers")
    for el in root.iter():
        name = local(el.tag) if isinstance(el.tag, str) else ""
        if name == "script":
            problems.append(f"{rel}: contains a <script> element")
        if name == "foreignObject":
            problems.append(f"{rel}: contains a <foreignObject> element (embedded HTML)")
        texts = [el.text or ""] if name == "style" else []
        for attr, value in el.attrib.items():
            a = local(attr)
            if a.lower().startswith("on"):
                problems.append(f"{rel}: <{name}> has an event attribute {a}=\"...\" (script)")
            if a in ("href", "src") and not value.strip().startswith("#"):
                problems.append(f"{rel}: <{name}> {a}=\"{value[:60]}\" refers outside the file")
            if a == "font-size":
                m = re.fullmatch(r"\s*([0-9.]+)\s*(px)?\s*", value)
                if m and float(m.group(1)) < MIN_FONT_PX:
                    problems.append(f"{rel}: <{name}> font-size {value} is below {MIN_FONT_PX} px")
            if a == "style" or "url(" in value.lower():
                texts.append(value)
        for text in texts:
            for target in CSS_URL.findall(text):
                if not target.startswith("#"):
                    problems.append(f"{rel}: url({target[:60]}) refers outside the file")
            if "@import" in text:
                problems.append(f"{rel}: CSS @import refers outside the file")
            for size, _ in FONT_SIZE_CSS.findall(text):
                if float(size) < MIN_FONT_PX:
                    problems.append(f"{rel}: CSS font-size {size} is below {MIN_FONT_PX} px")
    return problems


def figure_references(notebook):
    """(cell number, target) for every image the notebook's markdown shows from figures/."""
    cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    refs = []
    for number, cell in enumerate(cells, 1):
        if cell.get("cell_type") != "markdown":
            continue
        source = cell.get("source", "")
        text = "".join(source) if isinstance(source, list) else source
        for target in MD_IMAGE.findall(text) + HTML_IMAGE.findall(text):
            target = target.split("#", 1)[0].split("?", 1)[0]
            if target.startswith("./"):
                target = target[2:]
            if target.startswith("figures/"):
                refs.append((number, target))
    return refs


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=pathlib.Path, default=pathlib.Path(__file__).resolve().parent.parent,
                        help="the course repository (default: this script's repository)")
    args = parser.parse_args()
    notebooks = args.root / "notebooks"
    figures = notebooks / "figures"
    problems = []
    svgs = sorted(figures.glob("*.svg")) if figures.is_dir() else []
    for svg in svgs:
        problems += check_svg(svg, svg.relative_to(args.root).as_posix())
    references = 0
    for notebook in sorted(notebooks.glob("*.ipynb")):
        rel = notebook.relative_to(args.root).as_posix()
        try:
            refs = figure_references(notebook)
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            problems.append(f"{rel}: cannot be read as a notebook ({e})")
            continue
        for number, target in refs:
            references += 1
            if not (notebooks / target).is_file():
                problems.append(f"{rel}: markdown cell {number} shows {target}, which does not exist")
    for p in problems:
        print(p)
    if problems:
        return 1
    print(f"check_figures: {len(svgs)} SVG files and {references} figure references in the lessons are fine")
    return 0


if __name__ == "__main__":
    sys.exit(main())
