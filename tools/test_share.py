#!/usr/bin/env python3
"""./course share: the nbgitpuller link's parts, and one clear line for each bad input (a hub address that is not
http(s), no origin remote, a branch the remote does not have). Run by ./course test; the link itself is followed by
3 students on a real hub in tools/test_hub.py."""
import pathlib
import subprocess
import sys
import tempfile
import urllib.parse

root = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(root / "tools"))
from share import Refused, share_url  # noqa: E402

problems = []


def check(what, got, want):
    if got != want:
        problems.append(f"{what}: got {got!r}, want {want!r}")


url = share_url("https://hub.example.org/", "git@github.com:someone/efficient-convolutions.git", "main")
parts = urllib.parse.urlsplit(url)
query = dict(urllib.parse.parse_qsl(parts.query))
check("the hub's redirect path", f"{parts.scheme}://{parts.netloc}{parts.path}",
      "https://hub.example.org/hub/user-redirect/git-pull")
check("an ssh GitHub remote is cloned over https", query.get("repo"), "https://github.com/someone/efficient-convolutions")
check("branch", query.get("branch"), "main")
check("the folder in the student's home", query.get("targetpath"), "efficient-convolutions")
check("the page that opens", query.get("urlpath"), "lab/tree/efficient-convolutions/notebooks/00-start-here.ipynb")
# a hub under a base path keeps it; a non-GitHub remote is passed as it is
url = share_url("http://10.0.0.5:8000/jupyter", "https://git.example.org/t/course.git", "spring-2027")
check("a hub with a base path", url.split("?")[0], "http://10.0.0.5:8000/jupyter/hub/user-redirect/git-pull")
query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
check("another host's remote", (query["repo"], query["branch"], query["targetpath"]),
      ("https://git.example.org/t/course.git", "spring-2027", "course"))
for hub in ["hub.example.org", "ftp://hub.example.org", "https://", "javascript:alert(1)"]:
    try:
        share_url(hub, "https://github.com/a/b", "main")
        problems.append(f"--hub {hub!r} was accepted")
    except Refused as e:
        if "--hub" not in str(e) or repr(hub) not in str(e):
            problems.append(f"--hub {hub!r}: the refusal does not name the flag and value: {e}")


def share(cwd, *args):
    run = subprocess.run([sys.executable, str(root / "tools" / "share.py"), "--root", str(cwd), *args],
                         capture_output=True, text=True)
    return run.returncode, run.stdout, run.stderr


def git(cwd, *args):
    subprocess.run(["git", "-C", str(cwd), *args], check=True, capture_output=True)


# the command on throw-away repositories: a remote with `main` only, a clone on main and on an unpushed branch
with tempfile.TemporaryDirectory() as tmp:
    tmp = pathlib.Path(tmp)
    git(tmp, "init", "-q", "-b", "main", "src")
    git(tmp / "src", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "x")
    git(tmp, "clone", "-q", "--bare", "src", "course.git")
    git(tmp, "clone", "-q", "course.git", "clone")
    rc, out, err = share(tmp / "clone", "--hub", "https://hub.example.org")
    q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(out.strip()).query))
    if rc != 0 or q.get("repo") != str(tmp / "course.git") or q.get("branch") != "main" or err:
        problems.append(f"a clone on a pushed branch: rc {rc}: {out}{err}")
    cases = [("a hub address that is not http(s)", ["--hub", "hub.example.org"], tmp / "clone",
              "--hub 'hub.example.org' is not an http(s) address"),
             ("no origin remote", ["--hub", "https://h.org"], tmp / "src", "has no git remote 'origin'"),
             ("a branch the remote does not have", ["--hub", "https://h.org", "--branch", "lesson-fix"], tmp / "clone",
              "branch 'lesson-fix' does not exist on the origin remote")]
    git(tmp / "clone", "checkout", "-q", "-b", "unpushed")
    cases.append(("the current branch, unpushed", ["--hub", "https://h.org"], tmp / "clone",
                  "branch 'unpushed' does not exist on the origin remote"))
    for what, args, cwd, want in cases:
        rc, out, err = share(cwd, *args)
        lines = err.strip().splitlines()
        if rc == 0 or out or len(lines) != 1 or want not in lines[0] or not lines[0].startswith("[course] share: "):
            problems.append(f"{what}: rc {rc}, stdout {out!r}, stderr {err!r} (want one line with {want!r})")

for p in problems:
    print("share: " + p)
print(f"share link: {'ok' if not problems else 'FAILED'}")
sys.exit(1 if problems else 0)
