#!/usr/bin/env bash
# Set up (apt packages, .venv, pip install -e '.[test]') and run the whole check:
# ruff, the quick benchmarks (alive, never judged on timings) and the full pytest suite.
# Exits non-zero if any of them fails; pytest's "no tests collected" (exit 5) is a failure.
# Extra arguments go to pytest, e.g. scripts/test.sh -k batch -x
set -euo pipefail
# shellcheck source=scripts/_setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/_setup.sh"
tic_setup
cd "$TIC_ROOT"

export QT_QPA_PLATFORM=offscreen
export TIC_LANG=zh
export PYTHONDONTWRITEBYTECODE=1
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
# Nothing a check does may land in the real user folders.
export TIC_DATA_DIR="$scratch/data"

failed=()

tic_log "ruff check"
ruff check . || failed+=("ruff check")

tic_log "python -m bench --quick"
python -m bench --quick --json "$scratch/bench.json" || failed+=("python -m bench --quick")

tic_log "frozen build: PyInstaller bundle, its self-test offscreen, makensis build/installer.nsi"
python build/release.py --no-compile || failed+=("frozen build (build/release.py)")

tic_log "installer under Wine: build/wine_check.sh (prints 'skipped: no wine' without it)"
bash build/wine_check.sh || failed+=("installer under Wine (build/wine_check.sh)")

tic_log "python -m pytest $*"
set +e
python -m pytest "$@"
rc=$?
set -e
case "$rc" in
    0) ;;
    5) failed+=("pytest (no tests collected)") ;;
    *) failed+=("pytest (exit $rc)") ;;
esac

if [ "${#failed[@]}" -ne 0 ]; then
    printf 'FAILED: %s\n' "${failed[@]}" >&2
    exit 1
fi
