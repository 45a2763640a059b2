#!/usr/bin/env bash
# Run the NSIS installer under Wine and check what it does (not the app: a Linux CI bundle holds a
# Linux executable, and under Wine only the installer's own work can be checked):
#
#   build/wine_check.sh [DIST_DIR]
#
# DIST_DIR is the bundle to package as the current version (default dist/tic-desktop when
# build/release.py made a Windows bundle there, else a small stand-in bundle with the same layout); a "previous" 0.0.1 is
# packaged from a stand-in bundle. Both installers are compiled from build/installer.nsi with
# -DAMD64 (Debian's wine64 runs 64-bit programs only; the script is the one the release compiles
# for x86). In a fresh WINEPREFIX, silently
# and per user, it checks:
#   1. install: the files under %LOCALAPPDATA%\Programs\TIC Desktop, Uninstall.exe, the Start-menu
#      folder and shortcuts, the desktop shortcut, the .ticbatch / .ticsheet associations
#      (HKCU\Software\Classes, ProgIDs and open commands) and the Apps & features entry (HKCU);
#   2. upgrade: the current installer over the previous one replaces the files and the version and
#      keeps a workspace file (%LOCALAPPDATA%\TICDesktop\workspace.db);
#   3. uninstall (Uninstall.exe /S): files, shortcuts, associations and entry gone, workspace kept;
#   4. reinstall, then Uninstall.exe /S /REMOVEDATA: the workspace is removed too.
# Prints "skipped: no wine" (exit 0) without wine or makensis; exit 1 at the first failed check.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"

if ! command -v wine >/dev/null 2>&1; then
    echo "wine_check: skipped: no wine (Debian: apt-get install wine64 wine)"
    exit 0
fi
if ! command -v makensis >/dev/null 2>&1; then
    echo "wine_check: skipped: no makensis (Debian: apt-get install nsis)"
    exit 0
fi

VERSION="$(python3 -c 'import re,sys; print(re.search(r"__version__ = \"([^\"]+)\"", open("tic_desktop/__init__.py").read()).group(1))')"
work="$(mktemp -d)"
export WINEPREFIX="$work/prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" WINEARCH=win64
cleanup() { wineserver -k >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT

fail() { echo "wine_check: FAILED: $*" >&2; exit 1; }
ok() { echo "wine_check: ok: $*"; }

# ── the bundle and the two installers ───────────────────────────────────────────────────────────
stub() {  # stub DIR: a stand-in bundle with the layout the script packages
    mkdir -p "$1/_internal/resources/icons"
    printf 'MZ stand-in for tic-desktop.exe\n' > "$1/tic-desktop.exe"
    # the icon the script embeds (MUI_ICON), made from the app's PNG
    "${PYTHON:-python3}" -c 'import sys; from PIL import Image; Image.open(sys.argv[1]).save(sys.argv[2], sizes=[(16, 16), (32, 32), (48, 48), (256, 256)])' \
        "$ROOT/resources/icons/tic-desktop.png" "$1/_internal/resources/icons/tic-desktop.ico"
}
build() {  # build DIST VERSION OUTFILE: the installer of DIST, with a marker saying which version it is
    local dist="$1" version="$2" out="$3" n
    n="$(echo "$version" | awk -F. '{printf "%d.%d.%d.0", $1, $2, $3}')"
    echo "$version" > "$dist/_internal/installed-version.txt"
    makensis -V1 -DAMD64 "-DVERSION=$version" "-DVERSION_4=$n" "-DDIST_DIR=$dist" "-DOUTFILE=$out" \
        build/installer.nsi >/dev/null || fail "makensis $version"
    rm -f "$dist/_internal/installed-version.txt"
}
dist="${1:-}"
# a Windows bundle from build/release.py; the Linux bundle CI builds has no .exe: the stand-in then
if [ -z "$dist" ] && [ -f dist/tic-desktop/tic-desktop.exe ]; then dist="dist/tic-desktop"; fi
if [ -z "$dist" ]; then dist="$work/current"; stub "$dist"; fi
dist="$(cd "$dist" && pwd)"
[ -f "$dist/tic-desktop.exe" ] || fail "no tic-desktop.exe in $dist"
stub "$work/previous"
build "$work/previous" 0.0.1 "$work/previous-setup.exe"
build "$dist" "$VERSION" "$work/current-setup.exe"
ok "compiled installer 0.0.1 (stand-in bundle) and $VERSION from $dist"

# ── a fresh prefix; helpers ─────────────────────────────────────────────────────────────────────
wine wineboot --init >/dev/null 2>&1 || true
wineserver -w
user="$(ls "$WINEPREFIX/drive_c/users" | grep -v -x -e Public | head -1)"
home="$WINEPREFIX/drive_c/users/$user"
local_app="$home/AppData/Local"
[ -d "$local_app" ] || fail "no AppData/Local in the Wine prefix ($home)"
app_dir="$local_app/Programs/TIC Desktop"
start_menu="$home/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/TIC Desktop"
data_dir="$local_app/TICDesktop"

run() { wine "$@" >/dev/null 2>&1 || true; wineserver -w; }  # waits for the uninstaller's copy too
reg_value() {  # reg_value KEY [NAME]: the value's data ("" when absent)
    local out
    if [ $# -gt 1 ]; then out="$(wine reg query "$1" /v "$2" 2>/dev/null || true)"
    else out="$(wine reg query "$1" /ve 2>/dev/null || true)"; fi
    printf '%s\n' "$out" | tr -d '\r' | awk -F'    ' 'NF >= 4 && $3 ~ /^REG_/ {print $4; exit}'
}
classes='HKCU\Software\Classes'
uninst='HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\TICDesktop'

check_installed() {  # check_installed VERSION
    [ -f "$app_dir/tic-desktop.exe" ] || fail "tic-desktop.exe not installed in $app_dir"
    [ -f "$app_dir/Uninstall.exe" ] || fail "Uninstall.exe missing"
    [ -f "$app_dir/_internal/resources/icons/tic-desktop.ico" ] || fail "bundle files missing"
    [ "$(cat "$app_dir/_internal/installed-version.txt")" = "$1" ] || fail "installed files are not version $1"
    [ -f "$start_menu/TIC Desktop.lnk" ] || fail "Start-menu shortcut missing"
    [ -f "$start_menu/TIC Desktop 演示 Demo.lnk" ] || fail "Start-menu demo shortcut missing"
    [ -f "$home/Desktop/TIC Desktop.lnk" ] || fail "desktop shortcut missing"
    [ "$(reg_value "$classes\\.ticbatch")" = "TICDesktop.Batch" ] || fail ".ticbatch not associated"
    [ "$(reg_value "$classes\\.ticsheet")" = "TICDesktop.Sheet" ] || fail ".ticsheet not associated"
    reg_value "$classes\\TICDesktop.Batch\\shell\\open\\command" | grep -q 'tic-desktop.exe" "%1"' \
        || fail ".ticbatch open command"
    reg_value "$classes\\TICDesktop.Sheet\\shell\\open\\command" | grep -q 'tic-desktop.exe" "%1"' \
        || fail ".ticsheet open command"
    [ "$(reg_value "$uninst" DisplayVersion)" = "$1" ] || fail "Apps & features entry is not version $1"
}
check_removed() {
    [ ! -e "$app_dir/tic-desktop.exe" ] && [ ! -e "$app_dir/_internal" ] || fail "files left in $app_dir"
    [ ! -e "$start_menu" ] || fail "Start-menu folder left"
    [ ! -e "$home/Desktop/TIC Desktop.lnk" ] || fail "desktop shortcut left"
    [ -z "$(reg_value "$classes\\.ticbatch")" ] || fail ".ticbatch association left"
    [ -z "$(reg_value "$classes\\TICDesktop.Sheet\\shell\\open\\command")" ] || fail ".ticsheet ProgID left"
    [ -z "$(reg_value "$uninst" DisplayVersion)" ] || fail "Apps & features entry left"
}

# ── 1. install the previous version, per user, silently ─────────────────────────────────────────
run "$work/previous-setup.exe" /S
check_installed 0.0.1
ok "install per user: files, Start menu, desktop shortcut, .ticbatch/.ticsheet associations, uninstall entry"

# ── 2. a workspace, then the upgrade ────────────────────────────────────────────────────────────
mkdir -p "$data_dir"
echo "workspace $(date +%s)" > "$data_dir/workspace.db"
kept="$(cat "$data_dir/workspace.db")"
run "$work/current-setup.exe" /S
check_installed "$VERSION"
[ "$(cat "$data_dir/workspace.db" 2>/dev/null)" = "$kept" ] || fail "the upgrade lost the workspace file"
ok "upgrade 0.0.1 → $VERSION: files and version replaced, workspace kept"

# ── 3. uninstall keeps the workspace ────────────────────────────────────────────────────────────
run "$app_dir/Uninstall.exe" /S
check_removed
[ "$(cat "$data_dir/workspace.db" 2>/dev/null)" = "$kept" ] || fail "uninstall removed the workspace"
ok "uninstall /S: files, shortcuts, associations and entry removed, workspace kept"

# ── 4. /REMOVEDATA removes it ───────────────────────────────────────────────────────────────────
run "$work/current-setup.exe" /S
check_installed "$VERSION"
run "$app_dir/Uninstall.exe" /S /REMOVEDATA
check_removed
[ ! -e "$data_dir" ] || fail "uninstall /REMOVEDATA left the workspace"
ok "uninstall /S /REMOVEDATA: workspace removed"
echo "wine_check: all checks passed"
