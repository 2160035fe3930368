#!/usr/bin/env python3
"""./course binder-link on the remote forms GitHub gives, and a clear refusal of a non-GitHub remote. Run by
./course test."""
import pathlib
import subprocess
import sys

root = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(root / "tools"))
from binder_link import binder_url  # noqa: E402

want = ("https://mybinder.org/v2/gh/someone/efficient-convolutions/main"
        "?urlpath=lab%2Ftree%2Fnotebooks%2F00-start-here.ipynb")
problems = []
for remote in ["https://github.com/someone/efficient-convolutions.git", "https://github.com/someone/efficient-convolutions",
               "git@github.com:someone/efficient-convolutions.git", "ssh://git@github.com/someone/efficient-convolutions.git"]:
    got = binder_url(remote, "main")
    if got != want:
        problems.append(f"{remote} gave {got}")
if "/v2/gh/a/b/lesson-fix?" not in binder_url("https://github.com/a/b", "lesson-fix"):
    problems.append("the branch is not in the link")
# the course website links each lesson page to its own lesson (tools/book.py)
lesson = binder_url("https://github.com/a/b", "main", "notebooks/07-channel-shuffle.ipynb")
if not lesson.endswith("?urlpath=lab%2Ftree%2Fnotebooks%2F07-channel-shuffle.ipynb"):
    problems.append(f"a lesson's own link is {lesson}")
bad = subprocess.run([sys.executable, str(root / "tools" / "binder_link.py"), "/work/main"], capture_output=True, text=True)
if bad.returncode == 0 or "not a GitHub repository" not in bad.stderr:
    problems.append(f"a non-GitHub remote was not refused clearly: {bad.stdout}{bad.stderr}")
# the command itself, on this checkout (its origin may or may not be on GitHub: either a link or the clear refusal)
run = subprocess.run([str(root / "course"), "binder-link"], capture_output=True, text=True)
if not (run.returncode == 0 and run.stdout.startswith("https://mybinder.org/v2/gh/") and "badge_logo.svg" in run.stdout
        or run.returncode != 0 and "binder-link:" in run.stderr):
    problems.append(f"./course binder-link: rc {run.returncode}: {run.stdout}{run.stderr}")
for p in problems:
    print("binder link: " + p)
print(f"binder link: {'ok' if not problems else 'FAILED'}")
sys.exit(1 if problems else 0)
