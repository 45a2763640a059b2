# shellcheck shell=bash
# Shared setup for scripts/demo.sh and scripts/test.sh (sourced, not run).
# Idempotent: installs only the apt packages that are missing (apt-get update at most once),
# creates .venv with Python 3.11 if it is not there, and pip-installs the project (editable,
# with the test extras) when pyproject.toml changed since the last successful install.

TIC_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TIC_VENV="${TIC_VENV:-$TIC_ROOT/.venv}"

TIC_APT_PACKAGES=(
    fonts-wqy-microhei poppler-utils qpdf age openssh-client openssl
    xvfb xauth libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
    libxcb-xinerama0 libxcb-cursor0 libxkbcommon-x11-0 libegl1 libgl1
    libfontconfig1 libdbus-1-3 zbar-tools nsis
)

tic_log() { printf '==> %s\n' "$*" >&2; }

tic_as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        tic_log "need root to run: $* (install sudo or run as root)"
        return 1
    fi
}

tic_pkg_installed() {
    [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = "installed" ]
}

tic_apt_install() {
    local missing=() pkg
    for pkg in "$@"; do
        tic_pkg_installed "$pkg" || missing+=("$pkg")
    done
    [ "${#missing[@]}" -eq 0 ] && return 0
    if ! command -v apt-get >/dev/null 2>&1; then
        tic_log "missing system packages (${missing[*]}) and no apt-get: install them by hand"
        return 1
    fi
    tic_log "installing system packages: ${missing[*]}"
    if [ -z "${TIC_APT_UPDATED:-}" ]; then
        tic_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        TIC_APT_UPDATED=1
    fi
    tic_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
}

tic_python() {
    # The interpreter the venv is made from: python3.11 (TIC_PYTHON overrides).
    if [ -n "${TIC_PYTHON:-}" ]; then
        printf '%s\n' "$TIC_PYTHON"
    elif command -v python3.11 >/dev/null 2>&1; then
        command -v python3.11
    else
        return 1
    fi
}

tic_setup() {
    tic_apt_install "${TIC_APT_PACKAGES[@]}"

    local py
    if ! py="$(tic_python)"; then
        tic_apt_install python3.11 python3.11-venv
        py="$(tic_python)" || { tic_log "python3.11 not found"; return 1; }
    fi
    # Debian's python3.11 makes venvs only with python3.11-venv (ensurepip) installed.
    if ! "$py" -c 'import ensurepip, venv' >/dev/null 2>&1; then
        tic_apt_install python3.11-venv
    fi

    if [ ! -x "$TIC_VENV/bin/python" ] || ! "$TIC_VENV/bin/python" -c 'import sys; assert sys.version_info[:2] == (3, 11)' 2>/dev/null; then
        tic_log "creating $TIC_VENV with $py"
        rm -rf "$TIC_VENV"
        "$py" -m venv "$TIC_VENV"
    fi

    local stamp="$TIC_VENV/.tic-install-stamp" want
    want="$(sha256sum <"$TIC_ROOT/pyproject.toml" | cut -d' ' -f1)"
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ] \
        || ! "$TIC_VENV/bin/python" -c 'import tic_desktop, pytest' >/dev/null 2>&1; then
        tic_log "installing Python packages into $TIC_VENV (pip install -e '.[test,build]')"
        # Quiet, but errors are shown. The only filter: pip's notes about configured local
        # package folders that do not hold a given package (machine set-up, not our problem).
        local log
        log="$(mktemp)"
        if ! (cd "$TIC_ROOT" && "$TIC_VENV/bin/python" -m pip install --quiet --progress-bar off -e '.[test,build]') 2>"$log"; then
            cat "$log" >&2
            rm -f "$log"
            tic_log "pip install failed"
            return 1
        fi
        grep -v "^WARNING: Location 'file:.*' is ignored" "$log" >&2 || true
        rm -f "$log"
        printf '%s\n' "$want" >"$stamp"
    fi
    export PATH="$TIC_VENV/bin:$PATH"
    export VIRTUAL_ENV="$TIC_VENV"
}
