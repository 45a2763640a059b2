#!/usr/bin/env bash
# Set up (apt packages, .venv, pip install -e '.[test]') and open the app on the bundled demo batch.
# Extra arguments go to tic-desktop.
set -euo pipefail
# shellcheck source=scripts/_setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/_setup.sh"
tic_setup
cd "$TIC_ROOT"

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
    tic_log "no display found: running under Xvfb, so the window is not visible (set DISPLAY to see it)"
    exec xvfb-run -a tic-desktop --demo "$@"
fi
exec tic-desktop --demo "$@"
