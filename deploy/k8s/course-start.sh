#!/bin/sh
# postStart hook of every single-user pod (config.yaml singleuser.lifecycleHooks).
# 1. Give a new home the lesson notebooks (never overwrites a student's copy).
# 2. nbgrader's instructor tools (formgrader, course list, create assignment) are on for instructors
#    (COURSE_ROLE=instructor, set by the hub from the identity provider's instructors group) and off
#    for everyone else, in the user's own Jupyter settings. They must be set per user: JupyterLab lets
#    the image's level override a user's, so a tool the image turned off could not be turned back on.
#    A student who turns them on again only reaches a formgrader of their own, empty, course folder.
set -eu
lessons="${COURSE_LESSONS:-/srv/course/notebooks}"
mkdir -p "$HOME/notebooks"
cp -rn "$lessons/." "$HOME/notebooks/"
python - "${COURSE_ROLE:-student}" <<'PY'
import json
import sys
from pathlib import Path

on = sys.argv[1] == "instructor"
config = Path.home() / ".jupyter"


def update(path, keys, values):
    data = json.loads(path.read_text()) if path.exists() else {}
    node = data
    for key in keys:
        node = node.setdefault(key, {})
    node.update(values)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n")


update(config / "jupyter_server_config.json", ["ServerApp", "jpserver_extensions"],
       {f"nbgrader.server_extensions.{name}": on for name in ("formgrader", "course_list")})
update(config / "labconfig" / "page_config.json", ["disabledExtensions"],
       {f"@jupyter/nbgrader:{name}": not on for name in ("formgrader", "course-list", "create-assignment")})
PY
