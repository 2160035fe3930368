"""The launch files agree: binder/environment.yml is environment.yml, and both pin exactly the packages of
requirements.in; the website's build tools (tools/book/, installed into .venv-book/ by ./course book) pin what their
requirements.in names, Jupyter Book below 2; the test suite's own (tools/tests/requirements.txt) likewise; lib/pom.xml
keeps ND4J's vulnerable transitive dependencies raised; and the repository's root holds only the files and folders
listed in ROOT_ENTRIES (a stray file, such as a script edit's output, fails)."""
import re
import subprocess

import pytest

# Everything the repository may keep at its root. Adding a top-level file or folder? Add it here.
ROOT_ENTRIES = {
    ".ci", ".github", ".gitignore", "ARCHITECTURE.md", "LICENSE", "README.md", "course", "environment.yml",
    "pyproject.toml", "requirements.in", "requirements.txt", "bench", "binder", "data", "kernel", "lib", "notebooks",
    "tools",
}
# lib/pom.xml's raised dependencies: each at least this version, and its enforcer rule banning anything older
FIXED = {"org.apache.commons:commons-lang3": "3.18.0", "org.apache.commons:commons-compress": "1.26.0",
         "commons-io:commons-io": "2.14.0", "commons-net:commons-net": "3.9.0"}


def pins(path):
    return {line.strip() for line in path.read_text().splitlines() if line.strip() and not line.startswith("#")}


def test_binder_environment_is_the_top_one(root):
    assert (root / "binder" / "environment.yml").read_text() == (root / "environment.yml").read_text(), \
        "binder/environment.yml differs from environment.yml: copy it over"


def test_environment_pins_requirements_in(root):
    conda_pins = set(re.findall(r"^\s+- ([\w-]+==[\w.]+)\s*$", (root / "environment.yml").read_text(), re.M))
    wanted = pins(root / "requirements.in")
    assert conda_pins == wanted, f"environment.yml pins {sorted(conda_pins)} but requirements.in pins {sorted(wanted)}"


@pytest.mark.parametrize("folder", ["", "tools/book", "tools/tests"], ids=["course", "book", "tests"])
def test_frozen_requirements_pin_what_requirements_in_names(root, folder):
    frozen = (root / folder / "requirements.txt").read_text()
    missing = [p for p in sorted(pins(root / folder / "requirements.in"))
               if not re.search(rf"^{re.escape(p)}$", frozen, re.M | re.I)]
    where = f"{folder}/requirements.txt" if folder else "requirements.txt"
    assert not missing, f"{where} does not pin {', '.join(missing)}: regenerate it from its requirements.in"


def test_book_pins_jupyter_book_1(root):
    jb = re.search(r"^jupyter-book==(\d+)\.", (root / "tools" / "book" / "requirements.txt").read_text(), re.M | re.I)
    assert jb and int(jb.group(1)) < 2, \
        "tools/book/requirements.txt must pin Jupyter Book 1.x (2.x is a Node application, not Sphinx)"


@pytest.mark.parametrize("lib", FIXED)
def test_pom_keeps_vulnerable_dependency_raised(root, lib):
    fixed = FIXED[lib]
    pom = (root / "lib" / "pom.xml").read_text()
    assert f"<exclude>{lib}:[,{fixed})</exclude>" in pom, \
        f"lib/pom.xml's enforcer rule no longer bans {lib} below {fixed} (a version with a known CVE)"
    group, artifact = lib.split(":")
    managed = re.search(rf"<groupId>{re.escape(group)}</groupId>\s*<artifactId>{re.escape(artifact)}</artifactId>\s*"
                        rf"<version>([\d.]+)</version>", pom)
    assert managed and tuple(map(int, managed.group(1).split("."))) >= tuple(map(int, fixed.split("."))), \
        f"lib/pom.xml's dependencyManagement does not raise {lib} to {fixed} or later"


def test_root_holds_only_listed_entries(root):
    # tracked files and files git would add (not ignored), by their first path component
    listed = subprocess.run(["git", "-C", str(root), "ls-files", "--cached", "--others", "--exclude-standard"],
                            capture_output=True, text=True, timeout=60)
    if listed.returncode != 0:
        pytest.skip(f"not a git checkout: {listed.stderr.strip()}")
    tops = {line.split("/", 1)[0] for line in listed.stdout.splitlines() if line}
    deleted = subprocess.run(["git", "-C", str(root), "ls-files", "--deleted"], capture_output=True, text=True,
                             timeout=60).stdout
    tops -= {line for line in deleted.splitlines() if "/" not in line}
    unexpected = sorted(tops - ROOT_ENTRIES)
    assert not unexpected, (f"unexpected file at the repository's root: {', '.join(map(repr, unexpected))} (remove "
                            f"it, or add it to ROOT_ENTRIES in tools/tests/test_setup_files.py)")
