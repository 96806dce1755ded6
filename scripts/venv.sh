# Shared by scripts/run and scripts/test: create or refresh the virtual environment.
# The install is redone only when pyproject.toml changes, so repeating a command is cheap.
ensure_venv() {
  local extra="${1:-}"
  local python="${PYTHON:-python3}"
  local stamp=".venv/.installed${extra:+-$extra}"
  if [ ! -x .venv/bin/python ]; then
    "$python" -m venv .venv
  fi
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e ".${extra:+[$extra]}"
    touch "$stamp"
  fi
}
