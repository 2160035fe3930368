"""./course share: the nbgitpuller link's parts, and one clear line for each bad input (a hub address that is not
http(s), no origin remote, a branch the remote does not have). The link itself is followed by 3 students on a real
hub in test_hub.py."""
import subprocess
import sys
import urllib.parse

import pytest

from tools.sharing.share import Refused, share_url


def query_of(url):
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))


def test_link_parts():
    url = share_url("https://hub.example.org/", "git@github.com:someone/efficient-convolutions.git", "main")
    parts = urllib.parse.urlsplit(url)
    query = query_of(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://hub.example.org/hub/user-redirect/git-pull", \
        f"the hub's redirect path: {url}"
    assert query.get("repo") == "https://github.com/someone/efficient-convolutions", \
        f"an ssh GitHub remote is cloned over https: got {query.get('repo')!r}"
    assert query.get("branch") == "main", f"branch: got {query.get('branch')!r}"
    assert query.get("targetpath") == "efficient-convolutions", \
        f"the folder in the student's home: got {query.get('targetpath')!r}"
    assert query.get("urlpath") == "lab/tree/efficient-convolutions/notebooks/00-start-here.ipynb", \
        f"the page that opens: got {query.get('urlpath')!r}"


def test_hub_base_path_and_other_host():
    """A hub under a base path keeps it; a non-GitHub remote is passed as it is."""
    url = share_url("http://10.0.0.5:8000/jupyter", "https://git.example.org/t/course.git", "spring-2027")
    assert url.split("?")[0] == "http://10.0.0.5:8000/jupyter/hub/user-redirect/git-pull", \
        f"a hub with a base path: {url}"
    query = query_of(url)
    assert (query["repo"], query["branch"], query["targetpath"]) == \
        ("https://git.example.org/t/course.git", "spring-2027", "course"), f"another host's remote: {query}"


@pytest.mark.parametrize("hub", ["hub.example.org", "ftp://hub.example.org", "https://", "javascript:alert(1)"])
def test_bad_hub_is_refused_naming_flag_and_value(hub):
    with pytest.raises(Refused) as refused:
        share_url(hub, "https://github.com/a/b", "main")
    assert "--hub" in str(refused.value) and repr(hub) in str(refused.value), \
        f"--hub {hub!r}: the refusal does not name the flag and value: {refused.value}"


def share(root, cwd, *args):
    run = subprocess.run([sys.executable, "-m", "tools.sharing.share", "--root", str(cwd), *args],
                         capture_output=True, text=True, cwd=root, timeout=60)
    return run.returncode, run.stdout, run.stderr


def git(cwd, *args):
    subprocess.run(["git", "-C", str(cwd), *args], check=True, capture_output=True, timeout=60)


@pytest.fixture(scope="module")
def repos(tmp_path_factory):
    """Throw-away repositories: a remote with `main` only (course.git), its source (src, no origin) and a clone."""
    tmp = tmp_path_factory.mktemp("share")
    git(tmp, "init", "-q", "-b", "main", "src")
    git(tmp / "src", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "x")
    git(tmp, "clone", "-q", "--bare", "src", "course.git")
    git(tmp, "clone", "-q", "course.git", "clone")
    return tmp


def test_command_on_a_pushed_branch(root, repos):
    rc, out, err = share(root, repos / "clone", "--hub", "https://hub.example.org")
    q = query_of(out.strip())
    assert rc == 0 and q.get("repo") == str(repos / "course.git") and q.get("branch") == "main" and not err, \
        f"a clone on a pushed branch: rc {rc}: {out}{err}"


@pytest.mark.parametrize("args, where, want", [
    (["--hub", "hub.example.org"], "clone", "--hub 'hub.example.org' is not an http(s) address"),
    (["--hub", "https://h.org"], "src", "has no git remote 'origin'"),
    (["--hub", "https://h.org", "--branch", "lesson-fix"], "clone",
     "branch 'lesson-fix' does not exist on the origin remote"),
    (["--hub", "https://h.org"], "unpushed", "branch 'unpushed' does not exist on the origin remote"),
], ids=["hub not http(s)", "no origin remote", "branch not on the remote", "current branch unpushed"])
def test_command_refuses_in_one_line(root, repos, args, where, want):
    cwd = repos / where
    if where == "unpushed":
        cwd = repos / "unpushed"
        if not cwd.exists():
            git(repos, "clone", "-q", "course.git", "unpushed")
            git(cwd, "checkout", "-q", "-b", "unpushed")
    rc, out, err = share(root, cwd, *args)
    lines = err.strip().splitlines()
    assert rc != 0 and not out and len(lines) == 1 and want in lines[0] and lines[0].startswith("[course] share: "), \
        f"rc {rc}, stdout {out!r}, stderr {err!r} (want one line with {want!r})"
