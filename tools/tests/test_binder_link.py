"""./course binder-link on the remote forms GitHub gives, and a clear refusal of a non-GitHub remote."""
import subprocess
import sys

import pytest

from tools.sharing.binder_link import binder_url

WANT = ("https://mybinder.org/v2/gh/someone/efficient-convolutions/main"
        "?urlpath=lab%2Ftree%2Fnotebooks%2F00-start-here.ipynb")


@pytest.mark.parametrize("remote", [
    "https://github.com/someone/efficient-convolutions.git", "https://github.com/someone/efficient-convolutions",
    "git@github.com:someone/efficient-convolutions.git", "ssh://git@github.com/someone/efficient-convolutions.git"])
def test_github_remote_forms(remote):
    got = binder_url(remote, "main")
    assert got == WANT, f"{remote} gave {got}"


def test_branch_is_in_the_link():
    got = binder_url("https://github.com/a/b", "lesson-fix")
    assert "/v2/gh/a/b/lesson-fix?" in got, f"the branch is not in the link: {got}"


def test_a_lessons_own_link():
    """The course website links each lesson page to its own lesson (tools/sharing/book.py)."""
    lesson = binder_url("https://github.com/a/b", "main", "notebooks/07-channel-shuffle.ipynb")
    assert lesson.endswith("?urlpath=lab%2Ftree%2Fnotebooks%2F07-channel-shuffle.ipynb"), \
        f"a lesson's own link is {lesson}"


def test_non_github_remote_is_refused(root):
    bad = subprocess.run([sys.executable, "-m", "tools.sharing.binder_link", "/work/main"], capture_output=True,
                         text=True, cwd=root, timeout=60)
    assert bad.returncode != 0 and "not a GitHub repository" in bad.stderr, \
        f"a non-GitHub remote was not refused clearly: {bad.stdout}{bad.stderr}"


def test_the_command_on_this_checkout(root):
    """Its origin may or may not be on GitHub: either a link and its badge or the clear refusal."""
    run = subprocess.run([str(root / "course"), "binder-link"], capture_output=True, text=True, timeout=60)
    assert (run.returncode == 0 and run.stdout.startswith("https://mybinder.org/v2/gh/") and "badge_logo.svg" in
            run.stdout or run.returncode != 0 and "binder-link:" in run.stderr), \
        f"./course binder-link: rc {run.returncode}: {run.stdout}{run.stderr}"
