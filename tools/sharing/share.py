#!/usr/bin/env python3
"""Prints the nbgitpuller link that hands the course out on a JupyterHub: a student who opens it gets the course
cloned into their home (or updated, keeping their own edits) and lesson 00 opened in JupyterLab.

    share.py --hub URL [--branch NAME] [--root DIR]     (./course share --hub URL)

The repository is this checkout's `origin` remote; the branch is the current one unless --branch names another.
The hub must have nbgitpuller installed in the students' servers (notebooks/teaching.md).
"""
import argparse
import pathlib
import re
import subprocess
import sys
import urllib.parse

from tools.sharing.binder_link import GITHUB, LESSON


class Refused(Exception):
    """Bad input: one line for the user, no trace."""


def clone_url(remote):
    """The URL a hub's server can clone without the teacher's keys: GitHub's ssh forms become https."""
    m = GITHUB.match(remote.strip())
    if m:
        return f"https://github.com/{m['owner']}/{m['repo']}"
    return remote.strip()


def folder_of(remote):
    """The folder the course lands in, in each student's home: the repository's name (as git clone names it)."""
    name = re.sub(r"\.git$", "", remote.strip().rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1])
    return name or "course"


def share_url(hub, remote, branch, lesson=LESSON):
    """The nbgitpuller link for `hub` (http(s), with its base path if any) that clones `remote` at `branch` into
    ~/<repository name> and opens `lesson` there in JupyterLab."""
    parts = urllib.parse.urlsplit(hub.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise Refused(f"--hub {hub!r} is not an http(s) address of a hub: give one like https://hub.example.org "
                      "(with the hub's base path, if any)")
    if not branch:
        raise Refused("--branch is empty: name a branch of the origin remote")
    folder = folder_of(remote)
    query = urllib.parse.urlencode({"repo": clone_url(remote), "branch": branch, "targetpath": folder,
                                    "urlpath": f"lab/tree/{folder}/{lesson}"}, quote_via=urllib.parse.quote)
    base = urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))
    return f"{base}/hub/user-redirect/git-pull?{query}"


def git(root, *args):
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True)


def origin_and_branch(root, branch=None):
    """This checkout's origin remote and the branch to hand out, which must exist on the remote (students clone
    from there, not from this folder)."""
    got = git(root, "remote", "get-url", "origin")
    if got.returncode != 0:
        raise Refused(f"this folder ({root}) has no git remote 'origin': the students' servers clone the course "
                      "from it (git remote add origin URL)")
    remote = got.stdout.strip()
    if branch is None:
        head = git(root, "rev-parse", "--abbrev-ref", "HEAD").stdout.strip()
        if not head or head == "HEAD":
            raise Refused("this checkout is not on a branch (detached HEAD): check one out, or pass --branch NAME")
        branch = head
    heads = git(root, "ls-remote", "--heads", "origin", branch)
    if heads.returncode != 0:
        raise Refused(f"the origin remote {remote} cannot be read ({(heads.stderr.strip().splitlines() or ['?'])[-1]})")
    if f"refs/heads/{branch}" not in heads.stdout.split():
        raise Refused(f"branch {branch!r} does not exist on the origin remote {remote}: push it first "
                      f"(git push origin {branch}), or pass --branch with one that does")
    return remote, branch


def main(argv):
    ap = argparse.ArgumentParser(prog="./course share", description=__doc__.strip().splitlines()[0])
    ap.add_argument("--hub", required=True, help="the hub's address, e.g. https://hub.example.org")
    ap.add_argument("--branch", help="the branch to hand out (default: the current one)")
    ap.add_argument("--root", default=str(pathlib.Path(__file__).resolve().parents[2]), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    try:
        share_url(args.hub, "x", "x")  # the hub address first: it needs no git call
        remote, branch = origin_and_branch(args.root, args.branch)
        print(share_url(args.hub, remote, branch))
    except Refused as e:
        print(f"[course] share: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
