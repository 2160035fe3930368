"""The class hub, for real: JupyterHub (.venv-hub, tools/hub/requirements.txt) on localhost with 3 students who are
real Unix users, each with a server of their own (LocalProcessSpawner) and the course's kernel.

Each student logs in with a password, follows ./course share's nbgitpuller link (the course cloned from a bare
copy of this checkout), sees the kernel `effconv` and starts it (it must reach Idle), and runs lesson 00's first
cells through the hub's proxy (the kernel's websocket, with the student's API token). Student 1's kernel then tries
to read a file in student 2's home, which must fail. Reported after the tests: each student's server and kernel
memory (RSS summed over each process tree), their CPU time, the disk a student's home takes, and the run's times.
The hub, the servers and the users are removed at the end, also on failure or when the run is stopped (SIGTERM).
Needs root (it adds the students as Unix users, as a real hub does): skipped otherwise.
"""
import concurrent.futures
import json
import os
import pathlib
import pwd
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.parse
import uuid

import psutil
import pytest
import requests
import websocket

from tools.sharing.share import share_url
from tools.tests.servers import free_port

pytestmark = [pytest.mark.hub, pytest.mark.slow]

LESSON = "notebooks/00-start-here.ipynb"
FIRST_CELLS = 3  # lesson 00's first code cells: a layer's summary, the course's table, MobileNet's counts
STUDENTS = 3


class Failed(Exception):
    pass


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
    return int(subprocess.run(["du", "-sk", str(path)], capture_output=True, text=True, timeout=120).stdout.split()[0]) \
        * 1024


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
        deadline = time.time() + 600
        while not (replied and idle):
            if time.time() > deadline:
                raise Failed(f"{self.name}: no reply and idle within 600 s to {code[:60]!r}")
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
                   check=True, capture_output=True, timeout=60)
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
    gone = subprocess.run(["userdel", "--remove", name], capture_output=True, text=True, timeout=60)
    if gone.returncode not in (0, 12):  # 12: the home was already removed with the work folder
        print(f"hub: could not remove the user {name}: {gone.stderr.strip()}")


@pytest.fixture(scope="module")
def hub_venv(root):
    venv = root / ".venv-hub"
    if not (venv / "bin" / "jupyterhub").is_file():
        pytest.fail(f"{venv} has no JupyterHub: ./course test installs it (setup_hub)")
    return venv


def test_repo2docker_finds_binders_files(root, hub_venv):
    """repo2docker, which Binder and a Zero to JupyterHub image build use, must find binder/environment.yml (not the
    environment.yml at the top, which it ignores when binder/ exists) and binder/postBuild. --no-build only writes
    the Dockerfile; DOCKER_HOST points nowhere to show that no Docker daemon is needed for that."""
    run = subprocess.run([str(hub_venv / "bin" / "jupyter-repo2docker"), "--no-build", str(root)], capture_output=True,
                         text=True, env=dict(os.environ, DOCKER_HOST="unix:///nonexistent/docker.sock"), timeout=120)
    text = run.stdout + run.stderr
    missing = [w for w in ['--file "binder/environment.yml"', "RUN ./binder/postBuild"] if w not in text]
    assert run.returncode == 0 and not missing, \
        f"jupyter-repo2docker --no-build: rc {run.returncode}, its Dockerfile lacks {missing}: " + \
        " | ".join(text.strip().splitlines()[-3:])


class Hub:
    """The running hub: its students (Student), each one's outcome (None, or why it failed), the link they followed."""

    def __init__(self):
        self.t0 = time.time()
        self.proc = None
        self.people, self.outcomes = [], []


def start(root, hub_venv, kernel, work, students, h):
    port, password = free_port(), secrets.token_urlsafe(12)
    url = f"http://127.0.0.1:{port}"
    # the course the students pull: a bare copy of this checkout, which the students may read
    bare = work / "course.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(root), str(bare)], check=True, capture_output=True, timeout=600)
    branch = subprocess.run(["git", "-C", str(root), "rev-parse", "--abbrev-ref", "HEAD"], capture_output=True,
                            text=True, timeout=60).stdout.strip()
    gitconfig = work / "gitconfig"
    gitconfig.write_text(f"[safe]\n\tdirectory = {bare}\n")
    h.link = share_url(url, f"file://{bare}", branch)
    h.folder = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(h.link).query))["targetpath"]
    homes = work / "homes"
    homes.mkdir()
    for name in students:
        add_user(name, homes)
    h.secret = pathlib.Path(pwd.getpwnam(students[1]).pw_dir) / "answers.txt"
    h.secret.write_text("only the second student may read this\n")
    shutil.chown(h.secret, students[1], students[1])
    h.secret.chmod(0o600)
    h.own = pathlib.Path(pwd.getpwnam(students[0]).pw_dir) / "notes.txt"
    h.own.write_text("mine\n")
    shutil.chown(h.own, students[0], students[0])

    service_token = secrets.token_hex(32)
    env = dict(os.environ, EFFCONV_HUB_TEST=json.dumps({
        "port": port, "hub_port": free_port(), "proxy_api_port": free_port(), "work": str(work),
        "hub_venv": str(hub_venv), "root": str(root), "students": students, "password": password,
        "gitconfig": str(gitconfig), "proxy_token": secrets.token_hex(32), "service_token": service_token}))
    h.log = work / "hub.log"
    with open(h.log, "w") as log:
        h.proc = subprocess.Popen([str(hub_venv / "bin" / "jupyterhub"), "-f",
                                   str(root / "tools" / "hub" / "jupyterhub_config.py")],
                                  cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT)
    service = requests.Session()
    service.headers["Authorization"] = f"token {service_token}"
    deadline = time.time() + 60
    while True:
        try:
            if service.get(f"{url}/hub/api/", timeout=5).status_code == 200:
                break
        except requests.ConnectionError:
            pass
        if h.proc.poll() is not None or time.time() > deadline:
            raise Failed("JupyterHub did not start within 60 s")
        time.sleep(0.3)
    h.t_hub = time.time() - h.t0
    h.people = [Student(url, name, password, service) for name in students]

    def one(s):
        s.start_server()
        s.wait_ready(time.time() + 120)
        s.follow_link(h.link, h.folder)
        s.start_kernel(kernel, time.time() + 90)
        s.idle = s.memory()
        cells = [c for c in s.api("GET", f"api/contents/{h.folder}/{LESSON}")["content"]["cells"]
                 if c["cell_type"] == "code"][:FIRST_CELLS]
        t = time.time()
        for cell in cells:
            src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            _, error = s.execute(src)
            if error:
                raise Failed(f"{s.name}: lesson 00's cell failed: {error}")
        s.cells_s = time.time() - t
        s.busy = s.memory()

    with concurrent.futures.ThreadPoolExecutor(len(h.people)) as pool:
        futures = [pool.submit(one, s) for s in h.people]
        for f in futures:
            try:
                f.result(timeout=900)
                h.outcomes.append(None)
            except (Failed, subprocess.SubprocessError, requests.RequestException, websocket.WebSocketException,
                    concurrent.futures.TimeoutError, OSError) as e:
                h.outcomes.append(f"{type(e).__name__}: {e}")
    h.t_students = time.time() - h.t0


def log_tail(h):
    log = getattr(h, "log", None)
    return "".join(log.read_text().splitlines(True)[-25:]) if log and log.exists() else "(no log)"


def measure(h, report):
    """The students' memory, CPU time and disk, and the run's times, for the report after the tests."""
    ready = [s for s, outcome in zip(h.people, h.outcomes) if outcome is None]
    for s in ready:
        try:
            server, kernel = s.processes()
            cpu = {"server": tree_cpu(server) - tree_cpu(kernel), "kernel": tree_cpu(kernel)}
            report("the class hub", f"{s.name}: server {mb(s.idle['server']):.0f} MB; kernel "
                                    f"{mb(s.idle['kernel']):.0f} MB idle, {mb(s.busy['kernel']):.0f} MB after lesson 00's first {FIRST_CELLS} "
                                    f"cells ({s.cells_s:.1f} s), peak {mb(peak_rss(kernel.pid)):.0f} MB; CPU time "
                                    f"server {cpu['server']:.1f} s, kernel {cpu['kernel']:.1f} s")
        except (Failed, psutil.Error, OSError) as e:
            report("the class hub", f"{s.name}: not measured ({e})")
    if ready:
        together = sum(s.busy["server"] + s.busy["kernel"] for s in ready)
        report("the class hub", f"{len(ready)} students together: {mb(together):.0f} MB (servers and kernels)")
        a, root = ready[0], pathlib.Path(__file__).resolve().parents[2]
        javacpp = a.home / ".javacpp"
        report("the class hub", f"disk: a student's home {mb(du(a.home)):.0f} MB (the course's clone "
                                f"{mb(du(a.home / h.folder)):.0f} MB, ND4J's unpacked natives "
                                f"{mb(du(javacpp) if javacpp.exists() else 0):.0f} MB); shared by all: .venv and "
                                f"lib/target {mb(du(root / '.venv') + du(root / 'lib' / 'target')):.0f} MB, the hub's "
                                f".venv-hub {mb(du(root / '.venv-hub')):.0f} MB")
    report("the class hub", f"hub up in {getattr(h, 't_hub', float('nan')):.1f} s, {len(ready)} students ready with "
                            f"lesson 00 run in {getattr(h, 't_students', float('nan')):.1f} s; machine: "
                            f"{os.cpu_count()} CPUs, {mb(psutil.virtual_memory().total) / 1024:.0f} GB")


@pytest.fixture(scope="module")
def hub(root, hub_venv, kernel, report):
    """JupyterHub on localhost with STUDENTS students (Unix users named after this run, so two runs on one machine
    never share one), each of whom followed the link, started the kernel and ran lesson 00's first cells, together.
    Everything is removed at the end, also on failure or SIGTERM (turned into an interrupt, which tears down)."""
    students = [f"ec{os.getpid()}s{i + 1}" for i in range(STUDENTS)]
    work = pathlib.Path(tempfile.mkdtemp(prefix="effconv-hub-"))
    work.chmod(0o755)  # the students read the bare repository in it
    previous = signal.signal(signal.SIGTERM, signal.default_int_handler)
    h = Hub()
    try:
        try:
            start(root, hub_venv, kernel, work, students, h)
        except (Failed, subprocess.SubprocessError, requests.RequestException) as e:
            pytest.fail(f"the hub: {e}\nthe hub's log ends with:\n{log_tail(h)}")
        yield h
        measure(h, report)
    finally:
        if h.proc and h.proc.poll() is None:
            h.proc.terminate()  # stops the proxy and the servers (cleanup_servers)
            try:
                h.proc.wait(30)
            except subprocess.TimeoutExpired:
                h.proc.kill()
                h.proc.wait(30)
        for name in students:
            remove_user(name)
        shutil.rmtree(work, ignore_errors=True)
        signal.signal(signal.SIGTERM, previous)


@pytest.mark.root
@pytest.mark.parametrize("n", range(STUDENTS), ids=[f"student{i + 1}" for i in range(STUDENTS)])
def test_student_follows_link_and_runs_lesson(hub, n):
    """Logged in, followed the link (the course pulled, lesson 00 opened), saw and started the kernel (Idle), ran
    lesson 00's first cells through the proxy."""
    assert hub.outcomes[n] is None, f"{hub.outcomes[n]}\nthe hub's log ends with:\n{log_tail(hub)}"


@pytest.mark.root
def test_a_students_home_is_private(hub):
    """Student 1's kernel reads its own home but not student 2's."""
    if hub.outcomes[0] is not None or hub.outcomes[1] is not None:
        pytest.fail(f"students 1 and 2 must both be ready to check this: {hub.outcomes[:2]}")
    a, b = hub.people[0], hub.people[1]
    read = ('try { System.out.println("read: " + java.nio.file.Files.readString(java.nio.file.Path.of("%s")).strip()); }'
            ' catch (java.io.IOException e) { System.out.println("refused: " + e.getClass().getSimpleName()); }')
    mine, error = a.execute(read % hub.own)
    assert mine.strip() == "read: mine", \
        f"{a.name}'s kernel could not read its own home ({mine.strip() or error}): the check below would prove nothing"
    theirs, error = a.execute(read % hub.secret)
    assert theirs.strip() == "refused: AccessDeniedException", \
        f"{a.name}'s kernel read {b.name}'s home: {theirs.strip() or error}"
