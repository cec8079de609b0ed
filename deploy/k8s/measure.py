"""Memory of one student's server with a lesson open: the figure deploy/k8s/config.yaml is sized from.

For each notebook in notebooks/ (or the ones named), this starts a fresh `jupyter lab` on a free
loopback port (tools/harness.py `JupyterServer`, the course's own environment), opens the notebook
as a session with the course kernel through the server's REST API (as JupyterLab does when a
student opens it), runs every cell in that kernel with nbclient, and samples, every --interval
seconds, the memory of the server's whole process tree (the server, the kernel it started, and any
child of either) from /proc/PID/smaps_rollup:

- RSS: resident pages, summed over the processes (pages shared between them, such as the Python
  and library code both map, count twice: an upper bound on what the tree holds);
- PSS: each shared page divided among the processes sharing it (a lower bound: pages shared with
  processes outside the tree are only partly counted);
- Anonymous: heap and other private memory, which a pod's memory cgroup always charges.

Each notebook gets an empty parse cache ($COURSE_CACHE_DIR), so the article is parsed with spaCy
inside the kernel, as on a student's first open: the worst case. The largest peak RSS over the
notebooks is the figure; `--json FILE` writes every number (deploy/k8s/measured.json is the
committed copy that CAPACITY.md and config.yaml are checked against).

    .venv/bin/python deploy/k8s/measure.py                       # every notebook, a table
    .venv/bin/python deploy/k8s/measure.py 05_attribution.ipynb   # one
    .venv/bin/python deploy/k8s/measure.py --json deploy/k8s/measured.json

Linux only (reads /proc). Needs `make install` (the course kernel must be registered).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT / "tools"))

import harness  # noqa: E402  (tools/harness.py: the Jupyter server the browser tests use)

KERNEL = "wagner-course"
FIELDS = ("Rss", "Pss", "Anonymous")
MIB = 1024 * 1024
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def tree(root: int) -> list[int]:
    """`root` and every process descended from it."""
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(harness._children(pid))
    return found


def rollup(pid: int) -> dict[str, int] | None:
    """Bytes of each of FIELDS for one process (None if it is gone)."""
    values = {}
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return None
    for line in text.splitlines():
        key, _, rest = line.partition(":")
        if key in FIELDS:
            values[key] = int(rest.split()[0]) * 1024
    return values if len(values) == len(FIELDS) else None


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of one process so far (0 if it is gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat[stat.rfind(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime


class Sampler(threading.Thread):
    """Samples the memory of a process tree until stopped; keeps the peak of each total."""

    def __init__(self, root: int, interval: float):
        super().__init__(daemon=True)
        self.root, self.interval = root, interval
        self.peak = dict.fromkeys(FIELDS, 0)
        self.last = dict.fromkeys(FIELDS, 0)
        self.processes = 0
        self.samples = 0
        self.cpu: dict[int, float] = {}
        self._halt = threading.Event()

    def sample(self) -> None:
        totals = dict.fromkeys(FIELDS, 0)
        pids = tree(self.root)
        for pid in pids:
            values = rollup(pid)
            if values:
                for key in FIELDS:
                    totals[key] += values[key]
            self.cpu[pid] = max(self.cpu.get(pid, 0.0), cpu_seconds(pid))
        for key in FIELDS:
            self.peak[key] = max(self.peak[key], totals[key])
        self.last = totals
        self.processes = max(self.processes, len(pids))
        self.samples += 1

    def run(self) -> None:
        while not self._halt.is_set():
            self.sample()
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join()
        self.sample()


def post(server: harness.JupyterServer, path: str, body: dict) -> dict:
    request = urllib.request.Request(
        f"{server.base_url}/{path}", method="POST", data=json.dumps(body).encode(),
        headers={"Authorization": f"token {server.token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as answer:
        return json.loads(answer.read())


def run_notebook(server: harness.JupyterServer, kernel_id: str, path: Path, timeout: float) -> None:
    """Every cell of `path` in the server's kernel `kernel_id`, with nbclient; raises on a cell error."""
    import nbformat
    from jupyter_client.asynchronous import AsyncKernelClient
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name=KERNEL, resources={"metadata": {"path": str(path.parent)}})
    kc = AsyncKernelClient(connection_file=str(server.connection_file(kernel_id)))
    kc.load_connection_file()
    kc.start_channels(hb=False)  # no heartbeat: on a busy machine a late beat reads as a dead kernel
    client.kc = kc
    try:
        client.reset_execution_trackers()
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
    finally:
        kc.stop_channels()


def measure(notebook: Path, interval: float, settle: float, timeout: float) -> dict:
    """Peak and settled memory of a fresh server with `notebook` open and run."""
    with tempfile.TemporaryDirectory(prefix="course-measure-") as scratch:
        root = Path(scratch) / "notebooks"
        shutil.copytree(REPO_ROOT / "notebooks", root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        server = harness.JupyterServer("lab", root, name="measure")
        server.env["COURSE_CACHE_DIR"] = str(Path(scratch) / "cache")  # cold: the kernel parses the article
        server.start()
        try:
            sampler = Sampler(server.process.pid, interval)
            sampler.start()
            time.sleep(settle)
            idle = dict(sampler.last)
            cpu_before = sum(sampler.cpu.values())
            started = time.monotonic()
            session = post(server, "api/sessions", {
                "path": notebook.name, "type": "notebook", "name": notebook.name, "kernel": {"name": KERNEL}})
            run_notebook(server, session["kernel"]["id"], root / notebook.name, timeout)
            wall = time.monotonic() - started
            time.sleep(settle)
            sampler.stop()
        finally:
            server.stop()
    return {
        "notebook": notebook.name,
        "peak_rss_mib": round(sampler.peak["Rss"] / MIB, 1),
        "peak_pss_mib": round(sampler.peak["Pss"] / MIB, 1),
        "peak_anonymous_mib": round(sampler.peak["Anonymous"] / MIB, 1),
        "settled_rss_mib": round(sampler.last["Rss"] / MIB, 1),
        "settled_pss_mib": round(sampler.last["Pss"] / MIB, 1),
        "server_alone_rss_mib": round(idle["Rss"] / MIB, 1),
        "cpu_seconds": round(sum(sampler.cpu.values()) - cpu_before, 1),
        "wall_seconds": round(wall, 1),
        "processes": sampler.processes,
        "samples": sampler.samples,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", help="notebook file names in notebooks/ (default: all)")
    parser.add_argument("--interval", type=float, default=0.1, help="seconds between samples (default 0.1)")
    parser.add_argument("--settle", type=float, default=3.0, help="seconds to wait before and after running")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds one cell may take")
    parser.add_argument("--json", type=Path, help="also write every number to this file")
    args = parser.parse_args(argv)
    if not Path("/proc/self/smaps_rollup").exists():
        parser.error("needs Linux /proc/PID/smaps_rollup")
    names = args.notebooks or sorted(p.name for p in (REPO_ROOT / "notebooks").glob("*.ipynb"))
    rows = []
    header = (f"{'notebook':<26}{'peak RSS':>10}{'peak PSS':>10}{'peak anon':>10}{'settled RSS':>12}"
              f"{'CPU s':>7}{'wall s':>7}")
    print(header + "   (MiB; server + kernel, summed over the process tree)")
    for name in names:
        row = measure(REPO_ROOT / "notebooks" / name, args.interval, args.settle, args.timeout)
        rows.append(row)
        print(f"{name:<26}{row['peak_rss_mib']:>10}{row['peak_pss_mib']:>10}{row['peak_anonymous_mib']:>10}"
              f"{row['settled_rss_mib']:>12}{row['cpu_seconds']:>7}{row['wall_seconds']:>7}", flush=True)
    heaviest = max(rows, key=lambda r: r["peak_rss_mib"])
    print(f"heaviest: {heaviest['notebook']}, peak RSS {heaviest['peak_rss_mib']} MiB "
          f"(PSS {heaviest['peak_pss_mib']} MiB) for the server and its kernel")
    if args.json:
        import spacy

        report = {
            "method": "deploy/k8s/measure.py: fresh jupyter lab per notebook, cold parse cache, "
                      "every cell run with nbclient in the server's kernel, /proc smaps_rollup summed "
                      f"over the server's process tree every {args.interval} s",
            "measured_on": datetime.now(UTC).strftime("%Y-%m-%d"),
            "python": platform.python_version(),
            "spacy": spacy.__version__,
            "machine": f"{platform.system()} {platform.release()} {platform.machine()}, {os.cpu_count()} cores",
            "heaviest": heaviest["notebook"],
            "heaviest_peak_rss_mib": heaviest["peak_rss_mib"],
            "heaviest_peak_pss_mib": heaviest["peak_pss_mib"],
            "notebooks": rows,
        }
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
