#!/usr/bin/env python3
"""The class hub, for real: JupyterHub (.venv-hub, tools/hub/requirements.txt) on localhost with 3 students who are
real Unix users, each with a server of their own (LocalProcessSpawner) and the course's kernel.

Each student logs in with a password, follows ./course share's nbgitpuller link (the course cloned from a bare
copy of this checkout), sees the kernel `effconv` and starts it (it must reach Idle), and runs lesson 00's first
cells through the hub's proxy (the kernel's websocket, with the student's API token). Student 1's kernel then tries
to read a file in student 2's home, which must fail. The test prints each student's server and kernel memory (RSS
summed over each process tree), their CPU time, the disk a student's home takes, and its own run time, and removes
the hub, the servers and the users at the end, also on failure.

    test_hub.py [--root DIR] [--kernel NAME] [--students N]     (run by ./course test; needs root, as CI has)
"""
import argparse
import concurrent.futures
import json
import os
import pathlib
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid

import psutil
import requests
import websocket

root = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(root / "tools"))
from share import share_url  # noqa: E402

LESSON = "notebooks/00-start-here.ipynb"
FIRST_CELLS = 3  # lesson 00's first code cells: a layer's summary, the course's table, MobileNet's counts


class Failed(Exception):
    pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def mb(n):
    return n / 2**20


def tree_rss(proc, skip=()):
    """RSS of a process and its descendants, in bytes, less the subtrees rooted at `skip` (the kernel, counted
    apart from the server that started it)."""
    total, todo = 0, [proc]
    while todo:
        p = todo.pop()
        if p.pid in skip:
            continue
        try:
            total += p.memory_info().rss
            todo += p.children()
        except psutil.NoSuchProcess:
            pass
    return total


def tree_cpu(proc):
    total = 0.0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.NoSuchProcess:
            pass
    return total


def peak_rss(pid):
    """The process's resident-memory high-water mark (VmHWM), in bytes."""
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


def du(path):
    return int(subprocess.run(["du", "-sk", str(path)], capture_output=True, text=True).stdout.split()[0]) * 1024


class Student:
    def __init__(self, hub, name, password, service):
        self.hub, self.name, self.password, self.service = hub, name, password, service
        self.home = pathlib.Path(pwd.getpwnam(name).pw_dir)
        self.web = requests.Session()
        self.token = None
        self.kernel_id = None

    def url(self, path):
        return f"{self.hub}/user/{self.name}/{path}"

    def api(self, method, path, **kw):
        r = requests.request(method, self.url(path), headers={"Authorization": f"token {self.token}"}, timeout=60, **kw)
        if r.status_code >= 400:
            raise Failed(f"{self.name}: {method} {path}: HTTP {r.status_code} {r.text[:300]}")
        return r.json() if r.text else None

    def start_server(self):
        s = self.service
        r = s.post(f"{self.hub}/hub/api/users/{self.name}/server", timeout=60)
        if r.status_code not in (201, 202):
            raise Failed(f"{self.name}: the hub did not start the server: HTTP {r.status_code} {r.text[:300]}")
        r = s.post(f"{self.hub}/hub/api/users/{self.name}/tokens", json={"note": "hub test", "expires_in": 3600},
                   timeout=60)
        if r.status_code != 201:
            raise Failed(f"{self.name}: no API token: HTTP {r.status_code} {r.text[:300]}")
        self.token = r.json()["token"]

    def wait_ready(self, deadline):
        while time.time() < deadline:
            server = self.service.get(f"{self.hub}/hub/api/users/{self.name}", timeout=30).json()["servers"].get("")
            if server and server.get("ready"):
                return
            time.sleep(0.3)
        raise Failed(f"{self.name}: the server was not ready in time")

    def follow_link(self, link, folder):
        """What a student's browser does: log in with the password, open the link, let nbgitpuller's page pull the
        course (its event stream), then land on lesson 00 in JupyterLab."""
        w = self.web
        w.get(f"{self.hub}/hub/login", timeout=30)
        r = w.post(f"{self.hub}/hub/login", data={"username": self.name, "password": self.password,
                                                   "_xsrf": w.cookies.get("_xsrf", path="/hub/")}, timeout=30)
        if r.status_code != 200 or "/hub/login" in r.url:
            raise Failed(f"{self.name}: could not log in: HTTP {r.status_code} at {r.url}")
        r = w.get(link, timeout=60)
        want = f"/user/{self.name}/git-pull"
        if r.status_code != 200 or urllib.parse.urlsplit(r.url).path != want:
            raise Failed(f"{self.name}: the link led to HTTP {r.status_code} at {r.url}, not nbgitpuller's page")
        query = urllib.parse.urlsplit(link).query
        phases, last = [], {}
        with w.get(self.url(f"git-pull/api?{query}"), stream=True, timeout=120) as stream:
            for line in stream.iter_lines(decode_unicode=True):
                if line and line.startswith("data: "):
                    last = json.loads(line[6:])
                    phases.append(last.get("phase"))
                    if last.get("phase") in ("finished", "error"):
                        break
        if not phases or phases[-1] != "finished":
            raise Failed(f"{self.name}: nbgitpuller did not finish: {last.get('message')} {last.get('output', '')}")
        params = dict(urllib.parse.parse_qsl(query))
        r = w.get(self.url(params["urlpath"]), timeout=60)
        if r.status_code != 200:
            raise Failed(f"{self.name}: {params['urlpath']} gave HTTP {r.status_code}")
        if not (self.home / folder / LESSON).is_file():
            raise Failed(f"{self.name}: {LESSON} is not in {self.home / folder} after the pull")

    def start_kernel(self, kernel, deadline):
        specs = self.api("GET", "api/kernelspecs")
        if kernel not in specs["kernelspecs"]:
            raise Failed(f"{self.name}: the server does not see kernel {kernel!r} (it sees {sorted(specs['kernelspecs'])})")
        self.kernel_id = self.api("POST", "api/kernels", json={"name": kernel})["id"]
        # as JupyterLab does on opening the notebook: connect, ask for the kernel's info, then watch its state
        self.connect()
        self.send("kernel_info_request", {})
        state = None
        while time.time() < deadline:
            state = self.api("GET", f"api/kernels/{self.kernel_id}")["execution_state"]
            if state == "idle":
                return
            if state == "dead":
                break
            time.sleep(0.3)
        raise Failed(f"{self.name}: the kernel did not reach Idle (last state {state!r})")

    def connect(self):
        url = self.url(f"api/kernels/{self.kernel_id}/channels").replace("http://", "ws://", 1)
        self.ws = websocket.create_connection(url, header=[f"Authorization: token {self.token}"], timeout=300)
        self.session = uuid.uuid4().hex

    def send(self, kind, content):
        msg_id = uuid.uuid4().hex
        self.ws.send(json.dumps({
            "header": {"msg_id": msg_id, "username": self.name, "session": self.session, "msg_type": kind,
                       "version": "5.3", "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [], "content": content}))
        return msg_id

    def execute(self, code):
        """Runs code in the kernel over the websocket; returns (stdout text, error or None)."""
        msg_id = self.send("execute_request", {"code": code, "silent": False, "store_history": True,
                                               "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
        out, error, replied, idle = [], None, False, False
        while not (replied and idle):
            m = json.loads(self.ws.recv())
            if m.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = m["msg_type"]
            if kind == "stream":
                out.append(m["content"]["text"])
            elif kind == "error":
                error = f"{m['content']['ename']}: {m['content']['evalue']}"
            elif kind == "execute_reply":
                replied = True
                if m["content"]["status"] != "ok" and not error:
                    error = m["content"].get("ename", m["content"]["status"])
            elif kind == "status" and m["content"]["execution_state"] == "idle":
                idle = True
        return "".join(out), error

    def processes(self):
        """(the server process, the kernel process), found among the student's own processes."""
        uid = pwd.getpwnam(self.name).pw_uid
        server = kernel = None
        for p in psutil.process_iter(["uids", "cmdline"]):
            if p.info["uids"] and p.info["uids"].real == uid:
                cmd = " ".join(p.info["cmdline"] or [])
                if "jupyterhub-singleuser" in cmd:
                    server = p
                elif "java" in cmd and "CourseKernel" in cmd:
                    kernel = p
        if not server or not kernel:
            raise Failed(f"{self.name}: server or kernel process not found")
        return server, kernel

    def memory(self):
        server, kernel = self.processes()
        return {"server": tree_rss(server, skip={kernel.pid}), "kernel": tree_rss(kernel)}


def add_user(name, homes):
    subprocess.run(["useradd", "--create-home", "--base-dir", str(homes), "--shell", "/bin/bash", name],
                   check=True, capture_output=True)
    home = pathlib.Path(pwd.getpwnam(name).pw_dir)
    home.chmod(0o700)  # a student's home is theirs alone, whatever the system's default
    return home


def remove_user(name):
    try:
        uid = pwd.getpwnam(name).pw_uid
    except KeyError:
        return
    # the servers and kernels the hub started for this student, should the hub have left any
    left = [p for p in psutil.process_iter(["uids"]) if p.info["uids"] and p.info["uids"].real == uid]
    for p in left:
        try:
            p.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(left, timeout=10)  # userdel refuses a user who still has processes
    gone = subprocess.run(["userdel", "--remove", name], capture_output=True, text=True)
    if gone.returncode not in (0, 12):  # 12: the home was already removed with the work folder
        print(f"hub: could not remove the user {name}: {gone.stderr.strip()}")


def check_repo2docker(hub_venv):
    """repo2docker, which Binder and a Zero to JupyterHub image build use, must find binder/environment.yml (not the
    environment.yml at the top, which it ignores when binder/ exists) and binder/postBuild. --no-build only writes
    the Dockerfile; DOCKER_HOST points nowhere to show that no Docker daemon is needed for that."""
    run = subprocess.run([str(hub_venv / "bin" / "jupyter-repo2docker"), "--no-build", str(root)], capture_output=True,
                         text=True, env=dict(os.environ, DOCKER_HOST="unix:///nonexistent/docker.sock"), timeout=120)
    text = run.stdout + run.stderr
    wants = ['--file "binder/environment.yml"', "RUN ./binder/postBuild"]
    missing = [w for w in wants if w not in text]
    if run.returncode != 0 or missing:
        raise Failed(f"jupyter-repo2docker --no-build: rc {run.returncode}, its Dockerfile lacks {missing}: "
                     + " | ".join(text.strip().splitlines()[-3:]))


def run(args, work, students, results):
    hub_venv = root / ".venv-hub"
    if not (hub_venv / "bin" / "jupyterhub").is_file():
        raise Failed(f"{hub_venv} has no JupyterHub: ./course test installs it (setup_hub)")
    check_repo2docker(hub_venv)
    print("hub: jupyter-repo2docker --no-build finds binder/environment.yml and binder/postBuild (no Docker daemon)",
          flush=True)
    port, password = free_port(), secrets.token_urlsafe(12)
    hub = f"http://127.0.0.1:{port}"
    # the course the students pull: a bare copy of this checkout, which the students may read
    bare = work / "course.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(root), str(bare)], check=True, capture_output=True)
    branch = subprocess.run(["git", "-C", str(root), "rev-parse", "--abbrev-ref", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    gitconfig = work / "gitconfig"
    gitconfig.write_text(f"[safe]\n\tdirectory = {bare}\n")
    link = share_url(hub, f"file://{bare}", branch)
    folder = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(link).query))["targetpath"]
    homes = work / "homes"
    homes.mkdir()
    for name in students:
        add_user(name, homes)
    secret = pathlib.Path(pwd.getpwnam(students[1]).pw_dir) / "answers.txt"
    secret.write_text("only the second student may read this\n")
    shutil.chown(secret, students[1], students[1])
    secret.chmod(0o600)
    own = pathlib.Path(pwd.getpwnam(students[0]).pw_dir) / "notes.txt"
    own.write_text("mine\n")
    shutil.chown(own, students[0], students[0])

    env = dict(os.environ, EFFCONV_HUB_TEST=json.dumps({
        "port": port, "hub_port": free_port(), "proxy_api_port": free_port(), "work": str(work),
        "hub_venv": str(hub_venv), "root": str(root), "students": students, "password": password,
        "gitconfig": str(gitconfig), "proxy_token": secrets.token_hex(32), "service_token": (service_token := secrets.token_hex(32))}))
    log = open(work / "hub.log", "w")
    hub_proc = subprocess.Popen([str(hub_venv / "bin" / "jupyterhub"), "-f", str(root / "tools" / "hub" /
                                 "jupyterhub_config.py")], cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT)
    results["hub_proc"] = hub_proc
    service = requests.Session()
    service.headers["Authorization"] = f"token {service_token}"
    deadline = time.time() + 60
    while True:
        try:
            if service.get(f"{hub}/hub/api/", timeout=5).status_code == 200:
                break
        except requests.ConnectionError:
            pass
        if hub_proc.poll() is not None or time.time() > deadline:
            raise Failed("JupyterHub did not start")
        time.sleep(0.3)
    results["t_hub"] = time.time() - results["t0"]

    people = [Student(hub, name, password, service) for name in students]

    def one(s):
        s.start_server()
        s.wait_ready(time.time() + 120)
        s.follow_link(link, folder)
        s.start_kernel(args.kernel, time.time() + 90)
        s.idle = s.memory()
        cells = [c for c in s.api("GET", f"api/contents/{folder}/{LESSON}")["content"]["cells"]
                 if c["cell_type"] == "code"][:FIRST_CELLS]
        t = time.time()
        for cell in cells:
            src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            _, error = s.execute(src)
            if error:
                raise Failed(f"{s.name}: lesson 00's cell failed: {error}")
        s.cells_s = time.time() - t
        s.busy = s.memory()
        return s

    with concurrent.futures.ThreadPoolExecutor(len(people)) as pool:
        for f in [pool.submit(one, s) for s in people]:
            f.result()
    results["t_students"] = time.time() - results["t0"]

    a, b = people[0], people[1]
    read = ('try { System.out.println("read: " + java.nio.file.Files.readString(java.nio.file.Path.of("%s")).strip()); }'
            ' catch (java.io.IOException e) { System.out.println("refused: " + e.getClass().getSimpleName()); }')
    mine, _ = a.execute(read % own)
    theirs, error = a.execute(read % secret)
    if mine.strip() != "read: mine":
        raise Failed(f"{a.name}'s kernel could not read its own home ({mine.strip() or error}): the check below "
                     "would prove nothing")
    if theirs.strip() != "refused: AccessDeniedException":
        raise Failed(f"{a.name}'s kernel read {b.name}'s home: {theirs.strip() or error}")

    for s in people:
        server, kernel = s.processes()
        s.cpu = {"server": tree_cpu(server) - tree_cpu(kernel), "kernel": tree_cpu(kernel)}
        s.peak = peak_rss(kernel.pid)
        s.ws.close()
    results["people"] = people
    results["disk"] = {"home": du(a.home), "clone": du(a.home / folder), "javacpp": du(a.home / ".javacpp")
                       if (a.home / ".javacpp").exists() else 0,
                       "shared": sum(du(p) for p in [root / ".venv", root / "lib" / "target"]),
                       "hub_venv": du(hub_venv)}


def main(argv):
    global root  # the checkout under test: its kernel, its venvs, the course the students pull
    ap = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    ap.add_argument("--root", default=str(root))
    ap.add_argument("--kernel", default="effconv")
    ap.add_argument("--students", type=int, default=3)
    args = ap.parse_args(argv)
    root = pathlib.Path(args.root).resolve()
    if args.students < 2:
        print(f"hub: --students {args.students}: at least 2 (one student's kernel tries to read another's home)")
        return 2
    if os.geteuid() != 0:
        print("hub: FAILED: the hub test needs root (it adds the students as Unix users, as a real hub does); "
              "run ./course test as root, as CI does")
        return 1
    results = {"t0": time.time()}
    # the students' user names: this run's own, so two runs on one machine never share a user
    students = [f"ec{os.getpid()}s{i + 1}" for i in range(args.students)]
    work = pathlib.Path(tempfile.mkdtemp(prefix="effconv-hub-"))
    work.chmod(0o755)  # the students read the bare repository in it
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # a stopped test still removes its users
    rc = 0
    try:
        run(args, work, students, results)
    except (Failed, subprocess.CalledProcessError, requests.RequestException, websocket.WebSocketException) as e:
        print(f"hub: FAILED: {e}")
        log = work / "hub.log"
        if log.exists():
            print("hub: the hub's log ends with:\n" + "".join(log.read_text().splitlines(True)[-25:]))
        rc = 1
    finally:
        hub_proc = results.get("hub_proc")
        if hub_proc and hub_proc.poll() is None:
            hub_proc.terminate()  # stops the proxy and the servers (cleanup_servers)
            try:
                hub_proc.wait(30)
            except subprocess.TimeoutExpired:
                hub_proc.kill()
        for name in students:
            remove_user(name)
        shutil.rmtree(work, ignore_errors=True)
    took = time.time() - results["t0"]
    if rc == 0:
        people, d = results["people"], results["disk"]
        for s in people:
            print(f"hub: {s.name}: server {mb(s.idle['server']):.0f} MB; kernel {mb(s.idle['kernel']):.0f} MB idle, "
                  f"{mb(s.busy['kernel']):.0f} MB after lesson 00's first {FIRST_CELLS} cells ({s.cells_s:.1f} s), "
                  f"peak {mb(s.peak):.0f} MB; CPU time server {s.cpu['server']:.1f} s, kernel {s.cpu['kernel']:.1f} s")
        n = len(people)
        print(f"hub: {n} students together: {mb(sum(s.busy['server'] + s.busy['kernel'] for s in people)):.0f} MB "
              f"(servers and kernels)")
        print(f"hub: disk: a student's home {mb(d['home']):.0f} MB (the course's clone {mb(d['clone']):.0f} MB, "
              f"ND4J's unpacked natives {mb(d['javacpp']):.0f} MB); shared by all: .venv and lib/target "
              f"{mb(d['shared']):.0f} MB, the hub's .venv-hub {mb(d['hub_venv']):.0f} MB")
        print(f"hub: hub up in {results['t_hub']:.1f} s, {n} students ready with lesson 00 run in "
              f"{results['t_students']:.1f} s, the whole test (with removing it all) {took:.1f} s; "
              f"machine: {os.cpu_count()} CPUs, {mb(psutil.virtual_memory().total) / 1024:.0f} GB")
        print("hub: ok")
    else:
        print(f"hub: FAILED after {took:.1f} s")
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
