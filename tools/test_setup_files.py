#!/usr/bin/env python3
"""Checks that the launch files agree: binder/environment.yml is environment.yml, and both pin exactly the
packages of requirements.in; that the website's build tools (tools/book/, installed into .venv-book/ by
./course book) pin what their requirements.in names, Jupyter Book below 2; and that the repository's root holds
only the files and folders listed in ROOT_ENTRIES (a stray file, such as a script edit's output, fails). Run by ./course test."""
import pathlib
import re
import subprocess
import sys

# Everything the repository may keep at its root. Adding a top-level file or folder? Add it here.
ROOT_ENTRIES = {
    ".ci", ".github", ".gitignore", "ARCHITECTURE.md", "LICENSE", "README.md", "course", "environment.yml",
    "requirements.in", "requirements.txt", "bench", "binder", "data", "kernel", "lib", "notebooks", "tools",
}

root = pathlib.Path(__file__).resolve().parent.parent
problems = []
top = (root / "environment.yml").read_text()
if (root / "binder" / "environment.yml").read_text() != top:
    problems.append("binder/environment.yml differs from environment.yml: copy it over")
pins = {l.strip() for l in (root / "requirements.in").read_text().splitlines() if l.strip() and not l.startswith("#")}
conda_pins = set(re.findall(r"^\s+- ([\w-]+==[\w.]+)\s*$", top, re.M))
if pins != conda_pins:
    problems.append(f"environment.yml pins {sorted(conda_pins)} but requirements.in pins {sorted(pins)}")
frozen = (root / "requirements.txt").read_text()
for p in pins:
    if not re.search(rf"^{re.escape(p)}$", frozen, re.M | re.I):
        problems.append(f"requirements.txt does not pin {p}: regenerate it from requirements.in")
book_pins = {l.strip() for l in (root / "tools" / "book" / "requirements.in").read_text().splitlines()
             if l.strip() and not l.startswith("#")}
book_frozen = (root / "tools" / "book" / "requirements.txt").read_text()
for p in book_pins:
    if not re.search(rf"^{re.escape(p)}$", book_frozen, re.M | re.I):
        problems.append(f"tools/book/requirements.txt does not pin {p}: regenerate it from tools/book/requirements.in")
jb = re.search(r"^jupyter-book==(\d+)\.", book_frozen, re.M | re.I)
if not jb or int(jb.group(1)) >= 2:
    problems.append("tools/book/requirements.txt must pin Jupyter Book 1.x (2.x is a Node application, not Sphinx)")
# lib/pom.xml keeps ND4J's vulnerable transitive dependencies raised, and its enforcer rule keeps them from coming back
pom = (root / "lib" / "pom.xml").read_text()
for lib, fixed in {"org.apache.commons:commons-lang3": "3.18.0", "org.apache.commons:commons-compress": "1.26.0",
                   "commons-io:commons-io": "2.14.0", "commons-net:commons-net": "3.9.0"}.items():
    if f"<exclude>{lib}:[,{fixed})</exclude>" not in pom:
        problems.append(f"lib/pom.xml's enforcer rule no longer bans {lib} below {fixed} (a version with a known CVE)")
    group, artifact = lib.split(":")
    managed = re.search(rf"<groupId>{re.escape(group)}</groupId>\s*<artifactId>{re.escape(artifact)}</artifactId>\s*"
                        rf"<version>([\d.]+)</version>", pom)
    if not managed or tuple(map(int, managed.group(1).split("."))) < tuple(map(int, fixed.split("."))):
        problems.append(f"lib/pom.xml's dependencyManagement does not raise {lib} to {fixed} or later")
# tracked files and files git would add (not ignored), by their first path component
listed = subprocess.run(["git", "-C", str(root), "ls-files", "--cached", "--others", "--exclude-standard"],
                        capture_output=True, text=True)
if listed.returncode == 0:
    tops = {line.split("/", 1)[0] for line in listed.stdout.splitlines() if line}
    deleted = subprocess.run(["git", "-C", str(root), "ls-files", "--deleted"], capture_output=True, text=True).stdout
    tops -= {line for line in deleted.splitlines() if "/" not in line}
    for name in sorted(tops - ROOT_ENTRIES):
        problems.append(f"unexpected file at the repository's root: {name!r} (remove it, or add it to ROOT_ENTRIES "
                        f"in tools/test_setup_files.py)")
for p in problems:
    print("setup files: " + p)
print(f"setup files: {'ok' if not problems else 'FAILED'}")
sys.exit(1 if problems else 0)
