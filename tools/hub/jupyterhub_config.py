# The class hub of the hub test (tools/tests/test_hub.py): JupyterHub on localhost, a password for the test's students,
# one local process per student run as that student's Unix user, and the pure-Python configurable-http-proxy from
# PyPI. A real class hub differs in the authenticator and the spawner (notebooks/teaching.md); the students'
# servers are set up the same way: nbgitpuller in the server's environment, the course kernel found on JUPYTER_PATH.
import json
import os

c = get_config()  # noqa: F821 (JupyterHub's config loader defines it)
t = json.loads(os.environ["EFFCONV_HUB_TEST"])  # written by tools/tests/test_hub.py: ports, paths, students, secrets

c.JupyterHub.bind_url = f"http://127.0.0.1:{t['port']}"
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{t['hub_port']}"
c.JupyterHub.db_url = f"sqlite:///{t['work']}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = f"{t['work']}/jupyterhub_cookie_secret"
c.JupyterHub.pid_file = f"{t['work']}/jupyterhub.pid"
c.JupyterHub.cleanup_servers = True  # stopping the hub stops the students' servers
c.JupyterHub.cleanup_proxy = True

c.ConfigurableHTTPProxy.command = [f"{t['hub_venv']}/bin/configurable-http-proxy"]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{t['proxy_api_port']}"
c.ConfigurableHTTPProxy.auth_token = t["proxy_token"]
c.ConfigurableHTTPProxy.pid_file = f"{t['work']}/jupyterhub-proxy.pid"

c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = t["password"]
c.Authenticator.allowed_users = set(t["students"])

# the test itself is a service that may start servers and make each student a token
c.JupyterHub.services = [{"name": "course-test", "api_token": t["service_token"]}]
c.JupyterHub.load_roles = [{"name": "course-test", "services": ["course-test"],
                            "scopes": ["admin:users", "admin:servers", "tokens", "access:servers"]}]

c.JupyterHub.spawner_class = "localprocess"  # runs each server as the student's Unix user (the hub is root)
c.Spawner.cmd = [f"{t['hub_venv']}/bin/jupyterhub-singleuser"]
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
c.Spawner.http_timeout = 60
c.Spawner.start_timeout = 120
c.Spawner.environment = {
    # the course kernel and its server settings, as ./course setup installed them into .venv
    "JUPYTER_PATH": f"{t['root']}/.venv/share/jupyter",
    "JUPYTER_CONFIG_PATH": f"{t['root']}/.venv/etc/jupyter",
    # the bare repository the test hands out belongs to root, not the student: git refuses another user's
    # repository unless a system or global setting says it is safe (git 2.39 ignores `-c safe.directory`), so the
    # test writes one as the system's, leaving the students' own ~/.gitconfig as it is
    "GIT_CONFIG_SYSTEM": t["gitconfig"],
}
