#!/usr/bin/env bash
# Refresh the lock files from the ranges in pyproject.toml:
#
#   bash packaging/lock.sh              keep every pin that still fits, add what is new
#   bash packaging/lock.sh --upgrade    move every package to its newest allowed release
#
# requirements/lock.txt  the app, the test and dev extras, the build backend and pip
# requirements/app.txt   the app, the build backend and pip, at the same versions
#
# Both are resolved for Python 3.11 and newer on every platform (Linux, Windows, macOS),
# with the hashes of every file PyPI holds for each pinned release, and are what
# packaging/install.sh installs with pip's --require-hashes. Needs uv (the dev extra has it).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# This checkout's .venv, else the uv and Python on PATH (a git worktree has no .venv of its own).
uv=${UV:-.venv/bin/uv}
[ -x "$uv" ] || uv=$(command -v uv) || { echo "uv not found: set UV=/path/to/uv" >&2; exit 1; }
python=${PYTHON:-.venv/bin/python}
[ -x "$python" ] || python=$(command -v python3)

# The build backend (and editables, which hatchling asks for to build an editable install)
# installs from the lock too, so `pip install --no-build-isolation -e .` fetches nothing
# unpinned; pip itself is pinned with them.
tools() {
    "$python" -c 'import tomllib
with open("pyproject.toml", "rb") as pyproject:
    requires = tomllib.load(pyproject)["build-system"]["requires"]
print("\n".join([*requires, "editables", "pip"]))'
}

common=(--universal --python-version 3.11 --generate-hashes --quiet
        --custom-compile-command "bash packaging/lock.sh")
tools | "$uv" pip compile pyproject.toml - --extra test --extra dev "${common[@]}" "$@" \
    --output-file requirements/lock.txt
tools | "$uv" pip compile pyproject.toml - --constraint requirements/lock.txt "${common[@]}" \
    --output-file requirements/app.txt
echo "requirements/lock.txt and requirements/app.txt are up to date with pyproject.toml"
