"""The README and the pages beside it, read as a newcomer reads them on GitHub, in JupyterLab and on the website.

- README.md stays within its budget, 8192 bytes: what the course is, the two commands, the lesson map and where to go
  next; everything else lives in a page it links (a newcomer reads it in two minutes);
- every relative link in README.md, ARCHITECTURE.md and the pages under notebooks/ points at a file that exists, and
  an anchor into a markdown page at one of its headings (one line per broken link, naming the file, line and target;
  the checker is tried on a planted broken page first);
- every page under notebooks/ is on the website (tools/sharing/book.py lists it), and its links, as staged, point at
  files the site publishes: a link to a repository file the site leaves out (lib/pom.xml, LICENSE) would be broken
  there, so the pages name such files in code spans instead;
- the guide pages and ARCHITECTURE.md name lessons and sections that exist (tools/lessons/claims.py's check, which
  reads the README and the sources, notation and teaching pages itself).
No lesson is executed and nothing is built: these run in a second.
"""
import os
import pathlib
import posixpath
import re
import urllib.parse

from tools.lessons import claims
from tools.sharing import book

ROOT = pathlib.Path(__file__).resolve().parents[2]
README_BUDGET = 8192  # bytes: ~8 KB, within the front pages of the course's anchors (1.5 KB to 10.8 KB)
# [text](target) and ![alt](target), the text possibly over several lines; an optional "title" after the target
LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)", re.S)
OUTBOUND = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)  # https:, mailto:


def documents(root=ROOT):
    """The markdown a reader follows links in: the README, the architecture, every page under notebooks/."""
    pages = sorted(p for p in (root / "notebooks").rglob("*.md") if "figures" not in p.relative_to(root).parts)
    return [root / "README.md", root / "ARCHITECTURE.md"] + pages


def prose(text):
    """The text with code blocks and code spans blanked (kept the same length, so positions give line numbers):
    a link written inside code is an example, not a link."""
    blank = lambda m: re.sub(r"[^\n]", " ", m.group(0))
    text = re.sub(r"^(```|~~~).*?^\1[^\n]*$", blank, text, flags=re.M | re.S)
    return re.sub(r"(`+)(?:(?!\1).)+?\1", blank, text, flags=re.S)


def links(path):
    """(line, target) for every relative link in a markdown file."""
    text = prose(path.read_text())
    for m in LINK.finditer(text):
        target = m.group(1)
        if not OUTBOUND.match(target):
            yield text.count("\n", 0, m.start(1)) + 1, target


def slug(heading):
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link keeps its text
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


def anchors(path):
    """The anchors of a markdown page's headings (a repeated heading gets -1, -2, … as on GitHub)."""
    text = path.read_text()
    found, seen = set(), {}
    for line, shown in zip(text.splitlines(), prose(text).splitlines()):
        if re.match(r"#{1,6}\s", shown):  # a heading, not a comment inside a code block
            s = slug(line.lstrip("#"))
            found.add(s if s not in seen else f"{s}-{seen[s]}")
            seen[s] = seen.get(s, 0) + 1
    return found


def broken_links(paths, root=ROOT):
    """One line per relative link whose file does not exist, or whose anchor names no heading of a markdown page."""
    problems = []
    for path in paths:
        name = path.relative_to(root)
        for line, target in links(path):
            where, _, frag = target.partition("#")
            goal = (path.parent / urllib.parse.unquote(where)).resolve() if where else path
            shown = f"{name}:{line}: [{target}]"
            if not goal.exists():
                problems.append(f"{shown} points at {os.path.relpath(goal, root.resolve())}, which does not exist")
            elif frag and goal.suffix == ".md" and urllib.parse.unquote(frag) not in anchors(goal):
                problems.append(f"{shown}: {goal.name} has no heading with the anchor #{frag}")
    return problems


def test_readme_fits_its_budget():
    size = len((ROOT / "README.md").read_bytes())
    assert size <= README_BUDGET, \
        f"README.md is {size} bytes, over its budget of {README_BUDGET}: keep it to what the course is, the two " \
        f"commands, the lesson map and where to go next, and move the rest into a page under notebooks/guide/"


def test_link_checker_finds_a_planted_broken_link(tmp_path):
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "a.md").write_text("# A page\n\n## Its part\n")
    readme = tmp_path / "README.md"
    readme.write_text("See [a](notebooks/a.md), [its part](notebooks/a.md#its-part), [b](notebooks/b.md),\n"
                      "[nowhere](notebooks/a.md#nowhere), [out](https://example.org/) and `[code](c.md)`.\n"
                      "```\n[fenced](d.md)\n```\n[split\nacross lines](e.md)\n")
    assert broken_links([readme], tmp_path) == [
        "README.md:1: [notebooks/b.md] points at notebooks/b.md, which does not exist",
        "README.md:2: [notebooks/a.md#nowhere]: a.md has no heading with the anchor #nowhere",
        "README.md:7: [e.md] points at e.md, which does not exist"]


def test_relative_links_resolve():
    """Every relative link in README.md, ARCHITECTURE.md and the pages under notebooks/ names a file that exists."""
    problems = broken_links(documents())
    assert not problems, f"{len(problems)} broken links:\n" + "\n".join(problems)


def test_every_page_is_on_the_website():
    """A page under notebooks/ that the website leaves out would be a dead end for the site's readers."""
    listed = set(book.REFERENCE + book.GUIDE)
    pages = {p.relative_to(ROOT / "notebooks").as_posix() for p in documents()[2:]}
    assert pages <= listed, f"pages the website does not publish (add them to REFERENCE or GUIDE in " \
                            f"tools/sharing/book.py): {', '.join(sorted(pages - listed))}"
    assert listed <= pages, f"tools/sharing/book.py lists pages that do not exist: {', '.join(sorted(listed - pages))}"


def test_pages_link_inside_the_website():
    """Each published page's links, as the site stages them, point at files the site publishes, with no anchor
    into another page (the site's pages have no heading anchors for markdown links to land on)."""
    files = book.published(ROOT / "notebooks")
    names = set(files.values())
    problems = []
    for source, name in files.items():
        if source.suffix != ".md":
            continue
        staged = book.relink(source.read_text(), source, name, files)
        for m in LINK.finditer(prose(staged)):
            target = m.group(1)
            if OUTBOUND.match(target):
                continue
            line = staged.count("\n", 0, m.start(1)) + 1
            where, _, frag = target.partition("#")
            goal = posixpath.normpath(posixpath.join(posixpath.dirname(name), urllib.parse.unquote(where)))
            if where and goal not in names:
                problems.append(f"{source.relative_to(ROOT)}:{line}: [{target}] is not on the website (name a "
                                f"repository file in a code span instead of linking it)")
            elif frag:
                problems.append(f"{source.relative_to(ROOT)}:{line}: [{target}]: an anchor the website cannot resolve "
                                f"(link the page)")
    assert not problems, "\n".join(problems)


def test_guide_pages_name_lessons_that_exist():
    """"lesson N" and "section N" in the guide pages and ARCHITECTURE.md, checked as the README's are."""
    texts = []
    for p in [ROOT / "ARCHITECTURE.md"] + sorted((ROOT / "notebooks" / "guide").glob("*.md")):
        text = p.read_text()
        for i, para in enumerate(text.split("\n\n")):
            line = sum(x.count("\n") + 2 for x in text.split("\n\n")[:i]) + 1
            texts.append(claims.Text(str(p.relative_to(ROOT)), f"line {line}", None, para))
    found = claims.cross_references(texts, claims.lesson_map(ROOT))
    assert not found, "references that name no lesson or section, or the wrong one:\n" + \
                      "\n".join("    " + str(f) for f in found)
