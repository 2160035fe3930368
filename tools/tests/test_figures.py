"""The lessons' diagrams (notebooks/figures/*.svg) and the markdown that shows them.

- every .svg in notebooks/figures parses as XML, has an <svg> root with a four-number viewBox;
- it is self-contained: no <script>, no on* event attributes, no <foreignObject>, no href/src that points outside
  the file (only "#id" references), no url(...) (attribute or CSS) to anything but "#id", no @import — so it shows
  offline and cannot run code;
- no text smaller than 12 px (the course's minimum for a readable figure);
- every image a lesson's markdown shows from figures/ (![...](figures/...) or <img src="figures/...">) exists.
"""
import json
import pathlib
import re
import xml.etree.ElementTree as ET

import pytest

FIGURES = sorted((pathlib.Path(__file__).resolve().parents[2] / "notebooks" / "figures").glob("*.svg"))

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


def test_figures_exist():
    assert FIGURES, "notebooks/figures holds no .svg: the checks below would prove nothing"


@pytest.mark.parametrize("svg", FIGURES, ids=[f.name for f in FIGURES])
def test_figure(svg, root):
    problems = check_svg(svg, svg.relative_to(root).as_posix())
    assert not problems, "\n".join(problems)


def test_figure_references(saved_lesson, root):
    rel = saved_lesson.relative_to(root).as_posix()
    try:
        refs = figure_references(saved_lesson)
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        pytest.fail(f"{rel}: cannot be read as a notebook ({e})")
    missing = [f"{rel}: markdown cell {number} shows {target}, which does not exist"
               for number, target in refs if not (root / "notebooks" / target).is_file()]
    assert not missing, "\n".join(missing)
