#!/usr/bin/env python3
"""Builds the course website from the saved notebooks, without executing them (./course book).

    book.py --check-saved [--notebooks DIR]     only check that every lesson carries its saved outputs
    book.py --jupyter-book PATH [--remote URL] [--branch B] [--stage-only DIR]

The lessons (notebooks/*.ipynb, in file order), the pages beside them (the sources, notation and teaching pages,
the guide in notebooks/guide/), ARCHITECTURE.md (as guide/architecture.md) and the diagrams are copied into
build/book/src/ with a generated _config.yml and _toc.yml, each lesson with a "launch on Binder" link to itself
(tools/sharing/binder_link.py, from the GitHub remote `origin`), and built by Jupyter Book 1.x (Sphinx; pinned in
tools/book/requirements.txt, installed into .venv-book/) into build/book/_build/html/. Nothing on the pages is
fetched from the internet: MathJax (npm, pinned in tools/book/package-lock.json) is copied into the site, and the
theme's remote features (Binder/Thebe buttons, repository buttons, comments) are off. The saved charts show as their
pictures: each chart's bundle carries one beside its plotly figure, and Jupyter Book's renderer shows the picture.

Standard library only: it runs under any Python 3.10+, so the saved-output check needs no set-up.
"""
import argparse
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import urllib.parse

from tools.sharing.binder_link import binder_url

ROOT = pathlib.Path(__file__).resolve().parents[2]
BINDER_CLASS = "effconv-binder"
# The pages the site publishes beside the lessons, by their path under notebooks/, in the order of its contents. A
# page keeps its place relative to the lessons, so its links to them and to other pages hold on the site as they do
# in the repository. tools/tests/test_docs.py fails if a page under notebooks/ is missing here.
REFERENCE = ["sources.md", "notation.md"]
GUIDE = ["teaching.md", "guide/setup.md", "guide/lessons.md", "guide/kernel.md", "guide/training.md",
         "guide/bench.md", "guide/tests.md", "guide/dependencies.md"]
# ARCHITECTURE.md stays at the repository's root, where readers of code look for it; the site shows it in the guide.
ARCHITECTURE = "guide/architecture.md"
LINK = re.compile(r"(\]\()([^)\s]+)(\))")


def say(line):
    print(f"[course] book: {line}", file=sys.stderr, flush=True)


def lessons(notebooks):
    return sorted(notebooks.glob("*.ipynb"))


def unsaved(path):
    """Indexes of code cells committed without having been run (as tools.lessons.rules.unsaved counts them)."""
    nb = json.loads(path.read_text())
    return [i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code"
            and "".join(c.get("source", "")).strip() and c.get("execution_count") is None]


def check_saved(notebooks):
    """One line naming the first lesson without saved outputs, or None."""
    for path in lessons(notebooks):
        cells = unsaved(path)
        if cells:
            return (f"{path.relative_to(path.parent.parent)} has no saved outputs (code cell {cells[0]} was never "
                    f"run): run ./course execute {path.stem}, then ./course book")
    return None


def git(*args):
    r = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True)
    return r.stdout.strip() if r.returncode == 0 else None


def binder_links(remote, branch, books):
    """{lesson stem: Binder address}, or ({}, why not) without a GitHub remote."""
    if remote is None:
        return {}, "this folder has no git remote 'origin'"
    try:
        return {b.stem: binder_url(remote, branch, f"notebooks/{b.name}") for b in books}, None
    except ValueError:
        return {}, f"the remote 'origin' ({remote}) is not a GitHub repository"


def with_binder_link(nb, url):
    """The lesson with a link to Binder right under its title (a text link: the badge is a remote picture)."""
    link = (f'<p class="{BINDER_CLASS}"><a href="{url}">Launch this lesson on Binder</a> — run it in JupyterLab in '
            f'your browser, nothing to install (the first start takes a few minutes).</p>')
    cells = [dict(c) for c in nb["cells"]]
    first = "".join(cells[0]["source"]) if cells and cells[0]["cell_type"] == "markdown" else ""
    if first.startswith("# "):
        title, _, rest = first.partition("\n")
        cells[0]["source"] = f"{title}\n\n{link}\n\n{rest.lstrip(chr(10))}"
    else:
        cells.insert(0, {"cell_type": "markdown", "metadata": {}, "id": "effconv-binder-link", "source": link})
    return dict(nb, cells=cells)


def write_if_changed(path, data):
    """Keeps the file's time when nothing changed, so Sphinx rebuilds only changed pages."""
    data = data.encode() if isinstance(data, str) else data
    if not path.exists() or path.read_bytes() != data:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def config(title, remote_url):
    """_config.yml, as JSON (a YAML subset). Everything that would load or link a remote service is off."""
    return {
        "title": title,
        "author": "the Efficient Convolutions course",
        "copyright": "the course's authors — lesson text and diagrams CC BY 4.0, code MIT",
        "only_build_toc_files": True,
        "execute": {"execute_notebooks": "off"},
        "parse": {"myst_enable_extensions": ["dollarmath", "colon_fence"]},
        "html": {"use_repository_button": False, "use_issues_button": False, "use_edit_page_button": False,
                 "use_download_button": True, "use_multitoc_numbering": False,
                 "extra_footer": "Lesson text and diagrams: CC BY 4.0. Code: MIT. See LICENSE in the repository.",
                 "comments": {"hypothesis": False, "utterances": False}},
        "launch_buttons": {"notebook_interface": "jupyterlab", "binderhub_url": "", "jupyterhub_url": "",
                           "thebe": False, "colab_url": "", "deepnote_url": ""},
        **({"repository": {"url": remote_url, "path_to_book": "notebooks"}} if remote_url else {}),
        "sphinx": {
            "local_extensions": {"effconv_book": "_ext"},
            "config": {
                # MathJax 3 from the site itself (npm's mathjax, copied into _static/mathjax/), not a CDN
                "mathjax_path": "mathjax/tex-chtml.js",
                "html_static_path": ["_assets"],
                "html_theme_options": {"search_bar_text": "Search the course…", "use_fullscreen_button": False,
                                       "show_navbar_depth": 1},
                "suppress_warnings": ["myst.header"],
            },
        },
    }


EXTENSION = '''"""The course website's Sphinx extension (written by tools/sharing/book.py).

- sphinx-thebe off: Jupyter Book always loads it, and it points pages at thebe on unpkg.com (the course links
  each lesson to Binder instead).
"""


def no_thebe(app, config):
    for listeners in app.events.listeners.values():
        listeners[:] = [l for l in listeners if getattr(l.handler, "__module__", "") != "sphinx_thebe"]
    app.registry.css_files[:] = [c for c in app.registry.css_files if "thebe" not in str(c[0])]


def setup(app):
    app.connect("config-inited", no_thebe)
    return {"parallel_read_safe": True}
'''


def toc(books):
    def chapters(pages):
        return [{"file": p.removesuffix(".md")} for p in pages]
    return {"format": "jb-book", "root": books[0].stem,
            "parts": [{"caption": "Lessons", "chapters": [{"file": b.stem} for b in books[1:]]},
                      {"caption": "Reference", "chapters": chapters(REFERENCE)},
                      {"caption": "Guide", "chapters": chapters(GUIDE + [ARCHITECTURE])}]}


def published(notebooks):
    """{file in the repository: its path in the book's source folder}, for every file the site shows."""
    files = {path: path.relative_to(notebooks).as_posix()
             for path in lessons(notebooks) + sorted((notebooks / "figures").glob("*.svg"))}
    files.update({notebooks / page: page for page in REFERENCE + GUIDE})
    files[notebooks.parent / "ARCHITECTURE.md"] = ARCHITECTURE  # the repository's root, beside notebooks/
    return {path.resolve(): name for path, name in files.items()}


def relink(text, source, name, files):
    """The page's relative links, each pointing where its target lands on the site. A page moved by staging
    (ARCHITECTURE.md) needs it; the others keep their places, so their links come out as they went in. A link to a
    file the site does not publish is left as written: tools/tests/test_docs.py refuses it."""
    def fix(m):
        url = m.group(2)
        if re.match(r"^([a-z][a-z0-9+.-]*:|#|/)", url, re.I):
            return m.group(0)  # outbound, this page's own anchor, or absolute
        path, hash_, frag = url.partition("#")
        target = files.get((source.parent / urllib.parse.unquote(path)).resolve())
        if target is None:
            return m.group(0)
        new = os.path.relpath(target, os.path.dirname(name) or ".").replace(os.sep, "/")
        return m.group(1) + new + hash_ + frag + m.group(3)
    return LINK.sub(fix, text)


def stage(src, notebooks, links, remote_url):
    """The book's source folder: lessons (with their Binder links), pages, diagrams, config, local assets."""
    books = lessons(notebooks)
    for b in books:
        nb = json.loads(b.read_text())
        if b.stem in links:
            nb = with_binder_link(nb, links[b.stem])
        write_if_changed(src / b.name, json.dumps(nb, indent=1, ensure_ascii=False))
    files = published(notebooks)
    for source, name in files.items():
        if source.suffix == ".md":
            write_if_changed(src / name, relink(source.read_text(), source, name, files))
    for fig in sorted((notebooks / "figures").glob("*.svg")):
        write_if_changed(src / "figures" / fig.name, fig.read_bytes())
    mathjax = ROOT / "tools" / "book" / "node_modules" / "mathjax" / "es5"
    if (mathjax / "tex-chtml.js").exists():
        write_if_changed(src / "_assets" / "mathjax" / "tex-chtml.js", (mathjax / "tex-chtml.js").read_bytes())
        for font in sorted((mathjax / "output" / "chtml" / "fonts" / "woff-v2").glob("*.woff")):
            write_if_changed(src / "_assets" / "mathjax" / "output" / "chtml" / "fonts" / "woff-v2" / font.name,
                             font.read_bytes())
    write_if_changed(src / "_ext" / "effconv_book.py", EXTENSION)
    write_if_changed(src / "_config.yml", json.dumps(config("Efficient Convolutions", remote_url),
                                                     indent=1, ensure_ascii=False))
    write_if_changed(src / "_toc.yml", json.dumps(toc(books), indent=1))
    return books


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check-saved", action="store_true", help="only check the lessons' saved outputs")
    ap.add_argument("--notebooks", default=str(ROOT / "notebooks"))
    ap.add_argument("--jupyter-book", help="the jupyter-book command (./course book passes .venv-book's)")
    ap.add_argument("--remote", help="the GitHub remote for the Binder links (default: git remote get-url origin)")
    ap.add_argument("--branch", help="the branch Binder opens (default: the one checked out)")
    ap.add_argument("--out", default=str(ROOT / "build" / "book"))
    ap.add_argument("--stage-only", action="store_true", help="write the book's source folder and stop")
    a = ap.parse_args()
    notebooks = pathlib.Path(a.notebooks)
    problem = check_saved(notebooks)
    if problem:
        say(problem)
        return 1
    if a.check_saved:
        return 0
    out = pathlib.Path(a.out)
    remote = a.remote or git("remote", "get-url", "origin")
    branch = a.branch or git("rev-parse", "--abbrev-ref", "HEAD") or "main"
    branch = "main" if branch == "HEAD" else branch
    books = lessons(notebooks)
    links, why_not = binder_links(remote, branch, books)
    if why_not:
        say(f"{why_not}: building without the 'launch on Binder' links (./course binder-link explains)")
    remote_url = None
    if links:
        owner_repo = links[books[0].stem].split("/v2/gh/", 1)[1].split("/")[:2]
        remote_url = "https://github.com/" + "/".join(owner_repo)
    books = stage(out / "src", notebooks, links, remote_url)
    if a.stage_only:
        return 0
    if not a.jupyter_book:
        say("--jupyter-book is needed to build (./course book passes it)")
        return 2
    log = out / "build.log"
    r = subprocess.run([a.jupyter_book, "build", str(out / "src"), "--path-output", str(out), "--builder", "html"],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    log.write_text(r.stdout)
    warnings = [l for l in r.stdout.splitlines() if "WARNING" in l or "ERROR" in l]
    for w in warnings:
        print("    " + w, file=sys.stderr)
    if r.returncode != 0:
        say(f"jupyter-book failed (exit {r.returncode}); its output is in {log}")
        return 1
    html = out / "_build" / "html"
    pages = len([p for p in html.rglob("*.html") if "_static" not in p.parts])  # _static: the theme's templates
    size = sum(f.stat().st_size for f in html.rglob("*") if f.is_file()) / 1e6
    say(f"{len(books)} lessons, {pages} pages, {size:.1f} MB in {html} ({len(warnings)} warnings; log: {log}); "
        f"open {html / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
