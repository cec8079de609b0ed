"""The course hub: JupyterHub 6 for one class on one machine (`make hub`; README, "The instructor's day").

- Who: local Unix accounts from the roster (deploy/hub/roster.py), logging in with their Unix
  password (PAM). The instructor is in the hub groups `formgrade-COURSE` and `nbgrader-COURSE`,
  students in `nbgrader-COURSE` (nbgrader's documented JupyterHub groups).
- Servers: each user's own `jupyterhub-singleuser` from the shared, read-only install at
  COURSE_HUB_PREFIX, started as that user by the LocalProcessSpawner, in their home folder,
  listening on 127.0.0.1 only, with the course kernel (`wagner-course`) as the only kernel.
  The LocalProcessSpawner switches to each user, so the hub runs as root.
- nbgrader: the exchange in COURSE_HUB_DIR/exchange (made by hubconf.prepare with nbgrader's
  modes); students' servers run without formgrader, the course list and Create Assignment;
  the instructor's server has them, over the course folder ~/COURSE ("One Class, One Grader").
- The proxy: configurable-http-proxy from deploy/hub/node_modules (`npm ci`, package-lock.json).

Settings come from the environment (hubconf.py's docstring): state in COURSE_HUB_DIR, the
listening address COURSE_HUB_IP:COURSE_HUB_PORT (127.0.0.1:8000; put TLS in front before
opening it to a network).
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import hubconf  # noqa: E402

c = get_config()  # noqa: F821 - provided by JupyterHub

members = hubconf.read_roster(hubconf.roster_path())
hubconf.prepare(members)
instructor = next(m.id for m in members if m.role == "instructor")
everyone = [m.id for m in members]

c.JupyterHub.bind_url = f"http://{hubconf.IP}:{hubconf.PORT}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("COURSE_HUB_API_PORT", "0")) or hubconf.PORT + 1
state = hubconf.HUB_DIR / "state"
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(state / "jupyterhub.pid")
c.ConfigurableHTTPProxy.command = [str(hubconf.HERE / "node_modules" / ".bin" / "configurable-http-proxy")]
proxy_api_port = int(os.environ.get("COURSE_HUB_PROXY_API_PORT", "0")) or hubconf.PORT + 2
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{proxy_api_port}"
c.ConfigurableHTTPProxy.pid_file = str(state / "proxy.pid")
c.JupyterHub.cleanup_servers = True

# --- who may log in, and in which group --------------------------------------------------
c.JupyterHub.authenticator_class = "pam"
c.PAMAuthenticator.open_sessions = False  # no pam_systemd session per login (containers have none)
c.Authenticator.allowed_users = set(everyone)
c.Authenticator.admin_users = set()  # the instructor manages the class through nbgrader, not the hub
c.JupyterHub.load_groups = {
    hubconf.formgrade_group(): {"users": [instructor]},
    hubconf.nbgrader_group(): {"users": everyone},
}
c.JupyterHub.load_roles = [
    # nbgrader's JupyterHubAuthPlugin asks the hub, with the server's token, which groups its user
    # is in; the server's token may do what its user may (nbgrader's demos/ set it the same way).
    {"name": "server", "scopes": ["inherit"]},
]

# --- each user's server ---------------------------------------------------------------------
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [str(hubconf.PREFIX / "bin" / "jupyterhub-singleuser")]
c.Spawner.ip = "127.0.0.1"
c.Spawner.notebook_dir = "~"
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120


def _pre_spawn(spawner):
    """Pick the user's role from their hub groups; a user in neither group gets no server."""
    groups = {g.name for g in spawner.user.groups}
    if hubconf.formgrade_group() in groups:
        role = "instructor"
    elif hubconf.nbgrader_group() in groups:
        role = "student"
    else:
        raise RuntimeError(f"{spawner.user.name} is not on the course roster")
    config_path = [str(hubconf.role_config_dir(role)), str(hubconf.HUB_DIR / "jupyter" / "common")]
    # A new dict: the configured one is shared by every spawner.
    spawner.environment = {
        **{k: v for k, v in spawner.environment.items() if k != "PYTHONPATH"},
        "JUPYTER_CONFIG_PATH": os.pathsep.join(config_path),
        "PATH": f"{hubconf.PREFIX / 'bin'}:/usr/local/bin:/usr/bin:/bin",
        "COURSE_HUB_ROLE": role,
    }


c.Spawner.pre_spawn_hook = _pre_spawn
c.LocalProcessSpawner.env_keep = ["LANG", "LC_ALL"]
