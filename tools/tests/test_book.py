"""The course website (./course book, tools/sharing/book.py).

- `./course book` on a lesson without saved outputs answers with one line naming it and ./course execute;
- each lesson gets a "launch on Binder" link to itself when the remote is on GitHub (staged with a stand-in remote,
  so it is checked in any clone), and the real build has them exactly when origin is on GitHub;
- the site builds; every lesson has a page, as does every page it publishes beside them (the sources, notation and
  teaching pages, the guide in notebooks/guide/, ARCHITECTURE.md as guide/architecture.html), each staged where its
  links expect it and listed in the contents, and built without a warning about its links;
- every picture shows (the saved charts, the diagrams) and every internal link and anchor resolves (a broken one
  fails with its page and target; the checker is tried on a broken page first);
- no page fetches anything from the internet: no http(s) address in a script, stylesheet, image, frame or media
  element, nor in a stylesheet's url() or @import (plain outbound hyperlinks are fine);
- where Debian's chromium is installed, lesson 1 is opened in headless Chromium with every host name unresolvable
  and a screenshot saved to build/book/screenshot-lesson-01.png.
"""
import base64
import html.parser
import json
import pathlib
import re
import shutil
import subprocess
import sys
import urllib.parse

import pytest

from tools.sharing import book
from tools.sharing.binder_link import binder_url

ROOT = pathlib.Path(__file__).resolve().parents[2]
SITE = ROOT / "build" / "book" / "_build" / "html"
SCREENSHOT = ROOT / "build" / "book" / "screenshot-lesson-01.png"
BUILD_LOG = ROOT / "build" / "book" / "build.log"
# every page the site publishes beside the lessons, by its name in the site's source folder
PAGES = book.REFERENCE + book.GUIDE + [book.ARCHITECTURE]
FETCHING = {"script": "src", "img": "src", "iframe": "src", "source": "src", "video": "src", "audio": "src",
            "embed": "src", "object": "data", "input": "src", "track": "src"}
REMOTE = re.compile(r"^(https?:)?//", re.I)


class Page(html.parser.HTMLParser):
    """What one HTML page loads, links to and defines."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.loads, self.links, self.ids, self.imgs, self.styles = [], [], set(), [], []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("id", "name"):
            if a.get(key):
                self.ids.add(a[key])
        if tag in FETCHING and a.get(FETCHING[tag]):
            self.loads.append((tag, a[FETCHING[tag]]))
        if tag == "img":
            self.imgs.append(a.get("src", ""))
        if tag == "link" and a.get("href"):
            rel = (a.get("rel") or "").lower().split()
            # stylesheets, icons, preloads and manifests are fetched; next/prev/index/search are navigation
            if set(rel) & {"stylesheet", "icon", "preload", "prefetch", "modulepreload", "manifest",
                           "apple-touch-icon", "preconnect", "dns-prefetch"} or not rel:
                self.loads.append(("link", a["href"]))
            else:
                self.links.append(a["href"])
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "style":
            self._in_style = True

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)


def css_remote(text):
    return re.findall(r"""(?:url\(\s*["']?|@import\s+["'])((?:https?:)?//[^"')\s]+)""", text, re.I)


def parse(path):
    p = Page()
    p.feed(path.read_text(errors="replace"))
    return p


def check_site(site):
    """Problems with a built site: (page, what) lines."""
    problems = []
    # _static/ holds the theme's Jinja templates (*-macros.html), not pages
    pages = {p: parse(p) for p in sorted(site.rglob("*.html")) if "_static" not in p.relative_to(site).parts}
    checked_css = set()
    for path, page in pages.items():
        name = path.relative_to(site)
        for tag, url in page.loads:
            if REMOTE.match(url):
                problems.append(f"{name}: <{tag}> fetches {url} from the internet")
                continue
            if url.startswith("data:"):
                continue
            target = resolve(path, url)
            if target is None or not target.is_file():
                problems.append(f"{name}: <{tag}> {url} does not resolve")
            elif target.suffix == ".css" and target not in checked_css:
                checked_css.add(target)
                problems += [f"{target.relative_to(site)} (from {name}): fetches {u} from the internet"
                             for u in css_remote(target.read_text(errors="replace"))]
        for style in page.styles:
            problems += [f"{name}: an inline style fetches {u} from the internet" for u in css_remote(style)]
        for src in page.imgs:
            if src.startswith("data:"):
                head, _, data = src.partition(",")
                try:
                    ok = len(base64.b64decode(data, validate=True) if ";base64" in head else data) > 0
                except ValueError:
                    ok = False
                if not ok:
                    problems.append(f"{name}: an embedded picture ({head}) does not decode")
        for url in page.links:
            if REMOTE.match(url) or re.match(r"^[a-z][a-z0-9+.-]*:", url, re.I):
                continue  # outbound hyperlinks, mailto:, javascript:
            target = resolve(path, url)
            frag = urllib.parse.urldefrag(url).fragment
            if target is None or not target.exists():
                problems.append(f"{name}: broken link to {url}")
            elif frag and target.suffix == ".html":
                ids = pages[target].ids if target in pages else parse(target).ids
                if urllib.parse.unquote(frag) not in ids:
                    problems.append(f"{name}: broken link to {url} (no #{frag} on {target.relative_to(site)})")
    return problems, pages


def resolve(page, url):
    path = urllib.parse.unquote(urllib.parse.urlsplit(url).path)
    if not path:
        return page  # "#anchor" on this page
    target = (page.parent / path).resolve()
    return target / "index.html" if target.is_dir() else target


def test_checker_finds_broken_pages(tmp_path):
    """The checker itself finds a broken link, a missing picture and a remote script, and nothing else."""
    site = tmp_path
    (site / "a.html").write_text('<h1 id="top">A</h1><a href="b.html#top">b</a><a href="missing.html">x</a>'
                                 '<img src="_images/gone.svg"><script src="https://cdn.example/x.js"></script>'
                                 '<a href="a.html#nowhere">y</a><a href="https://example.org/">out</a>')
    (site / "b.html").write_text('<p id="top">B</p>')
    problems, _ = check_site(site)
    want = ["a.html: broken link to missing.html", "a.html: <img> _images/gone.svg does not resolve",
            "a.html: <script> fetches https://cdn.example/x.js from the internet",
            "a.html: broken link to a.html#nowhere (no #nowhere on a.html)"]
    assert sorted(problems) == sorted(want), f"the checker's self-test: expected {want}, got {problems}"


def test_lesson_without_saved_outputs_is_refused(tmp_path):
    """./course book's saved-output check answers with one line naming the lesson and ./course execute."""
    books = tmp_path / "notebooks"
    books.mkdir()
    nb = json.loads((ROOT / "notebooks" / "00-start-here.ipynb").read_text())
    for c in nb["cells"]:
        if c["cell_type"] == "code":
            c["execution_count"], c["outputs"] = None, []
    (books / "00-start-here.ipynb").write_text(json.dumps(nb))
    r = subprocess.run([sys.executable, "-m", "tools.sharing.book", "--check-saved", "--notebooks", str(books)],
                       capture_output=True, text=True, cwd=ROOT, timeout=60)
    lines = (r.stdout + r.stderr).strip().splitlines()
    assert r.returncode != 0 and len(lines) == 1 and "00-start-here" in lines[0] and "./course execute" in lines[0], \
        f"a lesson without saved outputs: expected one line naming it and ./course execute, and a non-zero exit; " \
        f"got exit {r.returncode}: {lines}"


@pytest.fixture(scope="module")
def staged(tmp_path_factory):
    """The book's source folder, staged with a GitHub remote: (folder, remote)."""
    remote, out = "https://github.com/OWNER/REPO.git", tmp_path_factory.mktemp("book-staged")
    r = subprocess.run([sys.executable, "-m", "tools.sharing.book", "--stage-only", "--remote", remote, "--branch",
                        "main", "--out", str(out)], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.returncode == 0, f"staging the book with a GitHub remote failed: {r.stderr.strip()}"
    return out, remote


def test_staged_lesson_links_to_binder(saved_lesson, staged):
    """With a GitHub remote, every staged lesson links to Binder opening itself."""
    out, remote = staged
    nb = json.loads((out / "src" / saved_lesson.name).read_text())
    want = binder_url(remote, "main", f"notebooks/{saved_lesson.name}")
    assert any(want in "".join(c["source"]) for c in nb["cells"][:3]), \
        f"{saved_lesson.name}: staged without its Binder link {want}"


@pytest.mark.parametrize("page", PAGES)
def test_staged_page(staged, page):
    """Each page is staged at its place in the site (links between pages and lessons keep their meaning) and listed
    in the site's contents; ARCHITECTURE.md's links, moved from the repository's root, point where it now is."""
    out, _ = staged
    src = out / "src"
    assert (src / page).is_file(), f"{page} is not staged into {src}"
    toc = json.loads((src / "_toc.yml").read_text())
    listed = {c["file"] for part in toc["parts"] for c in part["chapters"]}
    assert page.removesuffix(".md") in listed, f"{page} is staged but not in the site's contents (_toc.yml)"
    text = (src / page).read_text()
    for target in re.findall(r"\]\(([^)\s#]+)(?:#[^)\s]*)?\)", text):
        if not re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):
            assert (src / page).parent.joinpath(urllib.parse.unquote(target)).resolve().is_file(), \
                f"{page}: its link to {target} leads nowhere in the staged site"


def origin_on_github():
    r = subprocess.run(["git", "-C", str(ROOT), "remote", "get-url", "origin"], capture_output=True, text=True,
                       timeout=60)
    return r.returncode == 0 and "github.com" in r.stdout


@pytest.fixture(scope="module")
def site(report):
    """./course book's site: {page: what it loads, links and shows}."""
    r = subprocess.run(["bash", str(ROOT / "course"), "book"], capture_output=True, text=True, timeout=1800)
    tail = (r.stdout + r.stderr).strip().splitlines()[-3:]
    assert r.returncode == 0, f"./course book failed (exit {r.returncode}):\n" + "\n".join(tail)
    problems, pages = check_site(SITE)
    size = sum(f.stat().st_size for f in SITE.rglob("*") if f.is_file()) / 1e6
    report("the course website", f"{len(pages)} pages, {size:.1f} MB ({SITE.relative_to(ROOT)})")
    return problems, pages


@pytest.mark.slow
def test_site_links_pictures_and_no_remote_fetch(site):
    problems, pages = site
    assert not problems, f"{len(problems)} problems in {len(pages)} pages:\n" + "\n".join(problems)


@pytest.mark.slow
@pytest.mark.parametrize("name", [p.removesuffix(".md") + ".html" for p in PAGES] + ["search.html", "index.html"])
def test_site_has_page(site, name):
    assert SITE / name in site[1], f"the site has no {name}"


@pytest.mark.slow
def test_pages_built_without_link_warnings(site):
    """Sphinx builds a markdown link it cannot resolve as plain text, with a warning, so the link check above would
    not see it: the build log names none for the pages beside the lessons."""
    names = [str(pathlib.PurePosixPath("src") / p.removesuffix(".md")) for p in PAGES]
    warned = [line for line in BUILD_LOG.read_text().splitlines()
              if ("WARNING" in line or "ERROR" in line) and any(f"{n}.md" in line for n in names)]
    assert not warned, f"{len(warned)} warnings on the pages while building the site:\n" + "\n".join(warned)


@pytest.mark.slow
def test_lesson_page(saved_lesson, site):
    """The lesson's page shows every saved chart (a picture embedded or one of the site's files; every <img> is
    checked to resolve above) and diagram, and links to Binder exactly when origin is on GitHub."""
    pages = site[1]
    page = SITE / (saved_lesson.stem + ".html")
    assert page in pages, f"{saved_lesson.name} has no page ({page.relative_to(ROOT)})"
    nb = json.loads(saved_lesson.read_text())
    charts = sum("image/png" in o.get("data", {}) for c in nb["cells"] for o in c.get("outputs", []))
    shown = sum(s.startswith("data:image/png;base64,") or s.endswith(".png") for s in pages[page].imgs)
    assert shown >= charts, f"{page.name} shows {shown} of the lesson's {charts} saved charts"
    figures = set(re.findall(r"figures/([\w-]+\.svg)", json.dumps([c["source"] for c in nb["cells"]
                                                                    if c["cell_type"] == "markdown"])))
    drawn = {pathlib.PurePosixPath(s).name for s in pages[page].imgs if s.endswith(".svg")}
    assert figures <= drawn, f"{page.name} does not show the diagrams {sorted(figures - drawn)}"
    binder = [link for link in pages[page].links if link.startswith("https://mybinder.org/")]
    if origin_on_github():
        assert any(link.endswith(urllib.parse.quote(f"notebooks/{saved_lesson.name}", safe="")) for link in binder), \
            f"{page.name} has no 'launch on Binder' link to its lesson"
    else:
        assert not binder, f"{page.name} links to Binder though origin is not on GitHub: {binder[0]}"


@pytest.mark.slow
@pytest.mark.browser
def test_lesson_page_in_chromium_offline(site):
    """Lesson 1's page rendered by headless Chromium with every host name unresolvable: from the site alone."""
    SCREENSHOT.unlink(missing_ok=True)
    page = SITE / "01-standard-vs-separable.html"
    r = subprocess.run([shutil.which("chromium"), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        "--host-resolver-rules=MAP * ~NOTFOUND", "--window-size=1280,2000",
                        "--virtual-time-budget=10000", f"--screenshot={SCREENSHOT}", page.as_uri()],
                       capture_output=True, text=True, timeout=180)
    assert SCREENSHOT.exists() and SCREENSHOT.stat().st_size >= 10000, \
        f"headless Chromium wrote no screenshot of {page.name} (exit {r.returncode}): {r.stderr[-500:]}"
