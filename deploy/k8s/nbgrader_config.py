"""nbgrader's system-wide configuration in the single-user image (/etc/jupyter/nbgrader_config.py).

Every server in the cluster uses the ngshare exchange (a JupyterHub service, deploy/k8s/ngshare-values.yaml)
instead of a shared folder, so fetch, submit, collect and feedback work across pods. The course folder's own
nbgrader_config.py (the instructor's clone of the repository) is read after this file and adds the course's
grading pipeline; it sets the same course_id.
"""

import os

from ngshare_exchange import configureExchange

c = get_config()  # noqa: F821 - provided by nbgrader/traitlets

# The in-cluster address of the ngshare service (ngshare chart, release "ngshare", same namespace as the hub).
configureExchange(c, os.environ.get("NGSHARE_URL", "http://ngshare:8080/services/ngshare"))
c.CourseDirectory.course_id = "wagner-media-literacy"
