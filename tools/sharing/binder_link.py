#!/usr/bin/env python3
"""Prints the Binder address that opens the course's first lesson in JupyterLab, and the README badge for it.

    binder_link.py [REMOTE_URL] [BRANCH]     (./course binder-link passes `git remote get-url origin` and the branch)

Any GitHub remote works (a fork gives its own link): https://github.com/OWNER/REPO(.git) or git@github.com:OWNER/REPO.git.
"""
import re
import sys
import urllib.parse

LESSON = "notebooks/00-start-here.ipynb"
GITHUB = re.compile(r"^(?:https?://(?:[^@/]+@)?github\.com/|ssh://git@github\.com/|git@github\.com:)"
                    r"(?P<owner>[A-Za-z0-9-]+)/(?P<repo>[A-Za-z0-9._-]+?)(?:\.git)?/?$")


def binder_url(remote, branch="main", lesson=LESSON):
    """The Binder address that opens `lesson` (a path in the repository) in JupyterLab; the course website links
    each lesson page to its own (tools/sharing/book.py)."""
    m = GITHUB.match(remote.strip())
    if not m:
        raise ValueError(f"remote = {remote!r} is not a GitHub repository: Binder's link needs one "
                         "(https://github.com/OWNER/REPO or git@github.com:OWNER/REPO.git)")
    path = urllib.parse.quote(f"lab/tree/{lesson}", safe="")
    return (f"https://mybinder.org/v2/gh/{m['owner']}/{m['repo']}/{urllib.parse.quote(branch, safe='')}"
            f"?urlpath={path}")


def main(argv):
    if len(argv) < 1 or argv[0] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if argv else 2
    try:
        url = binder_url(argv[0], argv[1] if len(argv) > 1 and argv[1] else "main")
    except ValueError as e:
        print(f"[course] binder-link: {e}", file=sys.stderr)
        return 2
    print(url)
    print(f"[![Launch on Binder](https://mybinder.org/badge_logo.svg)]({url})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
