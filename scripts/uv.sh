#!/bin/sh
# Run uv, installing it first when this machine has none (only Python 3.11+ and pip needed).
# Never lets uv download a Python interpreter: the machine's own Python 3.11+ is used.
set -e
export UV_PYTHON_DOWNLOADS=never
# Installed packages get their bytecode at install time: with PYTHONDONTWRITEBYTECODE set (as on
# these machines) Python would otherwise compile pandas and scipy anew at every start (6 s, not 2 s).
export UV_COMPILE_BYTECODE=1
if command -v uv >/dev/null 2>&1; then
  exec uv "$@"
fi
if ! python3 -m uv --version >/dev/null 2>&1; then
  echo "indsim: installing uv (the package manager that installs the locked dependencies)..." >&2
  python3 -m pip install --quiet uv 2>/dev/null \
    || python3 -m pip install --quiet --user uv 2>/dev/null \
    || python3 -m pip install --quiet --user --break-system-packages uv
fi
exec python3 -m uv "$@"
