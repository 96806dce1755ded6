# Shared by scripts/run and scripts/test: create or refresh the virtual environment.
# Dependencies come from the hashed lock files (requirements/run.lock, or requirements/test.lock
# for the tests): exact versions, and pip refuses any file whose hash differs. The install is
# redone only when the lock file or pyproject.toml changes, so repeating a command is cheap.
# After changing a dependency in pyproject.toml, regenerate the locks with ./scripts/lock.
ensure_venv() {
  local extra="${1:-}"
  local python="${PYTHON:-python3}"
  local lock="requirements/${extra:-run}.lock"
  local stamp=".venv/.installed-${extra:-run}"
  if [ ! -x .venv/bin/python ]; then
    "$python" -m venv .venv
  fi
  if [ ! -f "$stamp" ] || [ "$lock" -nt "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet --require-hashes -r "$lock"
    # The desk itself, editable, with nothing more: its dependencies are all in the lock.
    .venv/bin/python -m pip install --quiet --no-deps -e .
    touch "$stamp"
  fi
}
