"""A Jupyter server of the course's .venv on localhost, for the lab server and browser tests (conftest's lab_server),
and a free port on localhost."""
import json
import os
import pathlib
import secrets
import socket
import subprocess
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LabServer:
    """A Jupyter server of .venv on localhost (`jupyter server`, or `jupyter lab` for a browser), with a token of its
    own, serving `folder`; its log is folder/<app>.log."""

    def __init__(self, folder, app="server", extra=(), env=None, start_timeout=60):
        self.folder, self.port, self.token = folder, free_port(), secrets.token_hex(16)
        args = [str(ROOT / ".venv" / "bin" / "jupyter"), app, "--no-browser", "--ip=127.0.0.1", f"--port={self.port}",
                f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={folder}", *extra]
        if os.geteuid() == 0:
            args.append("--allow-root")
        self.log = open(folder / f"{app}.log", "w")
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + start_timeout
        while True:
            try:
                self.api("GET", "/api/status")
                return
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.close()
                    raise RuntimeError(f"the Jupyter server did not start within {start_timeout} s "
                                       f"(exit {self.proc.returncode}; log {folder / f'{app}.log'})") from None
                time.sleep(0.5)

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def api(self, method, path, body=None):
        req = urllib.request.Request(self.url(path), method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": f"token {self.token}",
                                              "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=60) as r:
            text = r.read()
            return json.loads(text) if text else None

    def close(self):
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(30)
        self.log.close()
