"""Cheap static checks of the packaging sources in build/ and the Windows release workflow.

The real frozen build, its self-test and the installer compile run in CI (scripts/test.sh) and
on the Windows runner (.github/workflows/release.yml); these only catch a broken edit early.
"""

from __future__ import annotations

import ast
import contextlib
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import tic_desktop

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "build"
SPEC = BUILD / "tic_desktop.spec"
NSI = BUILD / "installer.nsi"
WORKFLOW = ROOT / ".github" / "workflows" / "release.yml"

sys.path.insert(0, str(BUILD))
import version_info  # noqa: E402


def test_spec_is_python_and_builds_one_folder_without_upx() -> None:
    text = SPEC.read_text("utf-8")
    tree = ast.parse(text, filename=str(SPEC))
    calls = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    assert {"Analysis", "PYZ", "EXE", "COLLECT"} <= calls  # COLLECT: one folder
    assert "upx=True" not in text and text.count("upx=False") == 2
    assert "exclude_binaries=True" in text
    assert "console=not IS_WIN" in text  # windowed on Windows
    assert "--workpath build/_work --distpath dist" in text
    assert "tic_desktop_main.py" in text and (BUILD / "tic_desktop_main.py").is_file()


def test_spec_bundles_the_resources_and_leaves_out_unused_qt() -> None:
    text = SPEC.read_text("utf-8")
    for folder in ("forms", "fonts", "icons", "guide", "demo"):
        assert f'"resources/{folder}"' in text, folder
    assert "tic_desktop_en.qm" in text and 'qt_translation("qtbase_zh_CN.qm")' in text
    for module in ("QtWebEngineCore", "QtQml", "QtQuick", "Qt3DCore", "QtMultimedia", "QtBluetooth", "QtSensors",
                   "QtSerialPort", "QtDesigner", "QtLocation", "QtPositioning", "QtRemoteObjects", "QtScxml",
                   "QtSql", "QtTest", "QtWebSockets", "QtCharts"):
        assert f'"{module}"' in text, module
    used = set(re.findall(r"PySide6\.(Qt\w+)", "\n".join(p.read_text("utf-8") for p in (ROOT / "tic_desktop").rglob("*.py"))))
    excluded = set(re.findall(r'"(Qt\w+)"', text.split("excludes = [", 1)[1].split("]\n", 1)[0]))
    assert not used & excluded, f"the spec excludes Qt modules the app imports: {used & excluded}"


def _spec_excludes() -> set[str]:
    text = SPEC.read_text("utf-8")
    block = text.split("\nexcludes = [", 1)[1].split("\n]\n", 1)[0]
    return set(re.findall(r'^\s+"([\w.]+)"', block, re.M) + re.findall(r'(?<=[\s(,])"([\w.]+)"', block))


def _module_level_imports(path: Path) -> set[str]:
    """The modules a file imports when it is imported (its top-level statements, not function bodies)."""
    names: set[str] = set()
    tree = ast.parse(path.read_text("utf-8"), filename=str(path))
    todo = list(tree.body)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.If | ast.Try):  # `if TYPE_CHECKING:` / try-except imports count too
            todo.extend(node.body + node.orelse + getattr(node, "handlers", []) + getattr(node, "finalbody", []))
        elif isinstance(node, ast.ExceptHandler):
            todo.extend(node.body)
    return names


def test_spec_excludes_nothing_the_app_imports_when_its_modules_load() -> None:
    excluded = _spec_excludes()
    assert {"setuptools", "sqlite_utils", "multiprocessing", "charset_normalizer", "pydantic.v1"} <= excluded
    clashes = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in (ROOT / "tic_desktop").rglob("*.py")
        for name in _module_level_imports(path)
        for ex in excluded
        if name == ex or name.startswith(ex + ".")
    }
    assert not clashes, f"the spec excludes modules the app imports: {sorted(clashes)}"


def test_spec_bundles_every_app_module() -> None:
    """Modules the app imports by name (the agency window's PAGE_MODULES, the CLI's subcommands) are
    invisible to PyInstaller's analysis: the spec collects the whole tic_desktop package."""
    from tic_desktop.ui.agency.agency_window import PAGE_MODULES

    text = SPEC.read_text("utf-8")
    hidden = text.split("\nhiddenimports = [", 1)[1].split("\n]\n", 1)[0]
    assert '*collect_submodules("tic_desktop"),' in hidden
    for name in PAGE_MODULES:
        assert (ROOT / (name.replace(".", "/") + ".py")).is_file(), name


def test_version_comes_from_the_package() -> None:
    assert version_info.read_version(ROOT) == tic_desktop.__version__
    assert version_info.numeric_version("1.2.3") == (1, 2, 3, 0)
    assert version_info.numeric_version("2.0rc1") == (2, 0, 0, 0)
    info = version_info.windows_version_info(tic_desktop.__version__)
    tree = ast.parse(info)  # PyInstaller evaluates the file as Python
    assert isinstance(tree.body[0], ast.Expr)
    assert f"'ProductVersion', '{tic_desktop.__version__}'" in info and "'080404B0'" in info


def test_installer_script_has_the_required_settings() -> None:
    text = NSI.read_text("utf-8")
    # the released (x86) installer is Unicode; the 64-bit one of build/wine_check.sh (-DAMD64) is too
    assert re.search(r"^!else\n\s*Unicode true\n!endif$", text, re.MULTILINE)
    assert re.search(r"^!ifdef AMD64\n(\s*;.*\n)*\s*Target amd64-unicode$", text, re.MULTILINE)
    assert '!include "MUI2.nsh"' in text
    assert '!insertmacro MUI_LANGUAGE "SimpChinese"' in text and '!insertmacro MUI_LANGUAGE "English"' in text
    assert re.search(r"^RequestExecutionLevel user$", text, re.MULTILINE)
    assert r'InstallDir "$LOCALAPPDATA\Programs\${APP_NAME}"' in text
    assert '"/ALLUSERS"' in text and '"/REMOVEDATA"' in text
    for ext, progid in ((".ticbatch", "Batch"), (".ticsheet", "Sheet")):
        assert rf'WriteRegStr SHCTX "Software\Classes\{ext}" "" "${{APP_ID}}.{progid}"' in text
        assert rf'"Software\Classes\${{APP_ID}}.{progid}\DefaultIcon"' in text
        assert rf'"Software\Classes\${{APP_ID}}.{progid}\shell\open\command"' in text
    assert "$SMPROGRAMS" in text and "$DESKTOP" in text
    assert 'RMDir /r "$LOCALAPPDATA\\${DATA_DIR_NAME}"' in text  # only behind $RemoveData
    assert "_?=" in text  # the upgrade waits for the old uninstaller


def test_every_installer_string_exists_in_both_languages() -> None:
    text = NSI.read_text("utf-8")
    found: dict[str, set[str]] = {}
    for name, lang in re.findall(r"^LangString (\w+) \$\{LANG_(\w+)\}", text, re.MULTILINE):
        found.setdefault(name, set()).add(lang)
    assert found and all(langs == {"SIMPCHINESE", "ENGLISH"} for langs in found.values()), found
    used = set(re.findall(r"\$\((\w+)\)", text))
    assert used <= set(found), used - set(found)


@pytest.mark.skipif(shutil.which("makensis") is None, reason="makensis (nsis) not installed")
def test_installer_script_compiles_against_a_stand_in_bundle(tmp_path: Path) -> None:
    dist = tmp_path / "tic-desktop"
    (dist / "_internal" / "resources" / "icons").mkdir(parents=True)
    (dist / "tic-desktop.exe").write_bytes(b"MZ stand-in")
    version_info.write_ico(ROOT / "resources" / "icons" / "tic-desktop.png",
                           dist / "_internal" / "resources" / "icons" / "tic-desktop.ico")
    out = tmp_path / f"tic-desktop-{tic_desktop.__version__}-setup.exe"
    r = subprocess.run(["makensis", "-V2", "-WX", f"-DVERSION={tic_desktop.__version__}", f"-DDIST_DIR={dist}",
                        f"-DOUTFILE={out}", str(NSI)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    assert out.read_bytes()[:2] == b"MZ"


def test_release_workflow_builds_tests_and_signs_only_with_a_secret() -> None:
    text = WORKFLOW.read_text("utf-8")
    assert "runs-on: windows-latest" in text
    assert 'python-version: "3.11"' in text
    assert 'pip install -e ".[test,build]"' in text
    assert "python -m pytest" in text and "build/release.py" in text
    assert "self-test" in text and "choco install nsis" in text
    guard = re.search(r"HAS_SIGNING_CERT: \$\{\{ secrets\.(\w+) != '' \}\}", text)
    assert guard, "the signing guard is missing"
    sign_step = text.split("- name: Sign", 1)[1].split("- name:", 1)[0]
    assert "if: env.HAS_SIGNING_CERT == 'true'" in sign_step and "signtool" in sign_step
    assert text.count("signtool") == text[text.index("- name: Sign"):].count("signtool"), "signtool outside the guarded step"
    assert "actions/upload-artifact@v4" in text and "setup.exe" in text
    assert "\t" not in text


def test_build_extra_and_release_script() -> None:
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["optional-dependencies"]
    assert any(req.startswith("pyinstaller") for req in extras["build"])
    release = (BUILD / "release.py").read_text("utf-8")
    ast.parse(release)
    for needed in ("scripts/build_ui.py", "scripts/update_translations.py", '"self-test"', "installer.nsi",
                   "DVERSION=", "DDIST_DIR=", "DOUTFILE="):
        assert needed in release, needed
    assert (ROOT / ".gitignore").read_text("utf-8").count("build/_work/") == 1


def _drop_patterns() -> tuple[str, ...]:
    text = SPEC.read_text("utf-8")
    source = text.split("\nDROP = ", 1)[1].split("\n)\n", 1)[0] + "\n)"
    return eval(source, {})  # noqa: S307 - the spec's own tuple of substrings, no names


def test_spec_drops_unused_qt_plugins_but_keeps_the_ones_the_app_loads() -> None:
    drop = _drop_patterns()

    def dropped(dest: str) -> bool:
        return any(d in "/" + dest.lower() for d in drop)

    for kept in ("PySide6/Qt/plugins/platforms/libqoffscreen.so", "PySide6/Qt/plugins/platforms/libqxcb.so",
                 "PySide6/Qt/plugins/platforms/libqminimal.so", "PySide6/plugins/platforms/qwindows.dll",
                 "PySide6/plugins/platforms/qoffscreen.dll", "PySide6/Qt/plugins/imageformats/libqjpeg.so",
                 "PySide6/Qt/plugins/imageformats/libqico.so", "PySide6/Qt/plugins/imageformats/libqsvg.so",
                 "PySide6/plugins/imageformats/qjpeg.dll", "PySide6/plugins/imageformats/qsvg.dll",
                 "PySide6/plugins/styles/qmodernwindowsstyle.dll", "PySide6/Qt/plugins/iconengines/libqsvgicon.so",
                 "PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so",
                 "PySide6/Qt/lib/libQt6Network.so.6", "PySide6/Qt6Network.dll", "PySide6/Qt6Svg.dll"):
        assert not dropped(kept), kept
    for gone in ("PySide6/Qt/plugins/platforms/libqwayland.so", "PySide6/Qt/plugins/platforms/libqvnc.so",
                 "PySide6/Qt/plugins/tls/libqopensslbackend.so", "PySide6/plugins/tls/qschannelbackend.dll",
                 "PySide6/Qt/plugins/networkinformation/libqnetworkmanager.so",
                 "PySide6/Qt/plugins/imageformats/libqtiff.so", "PySide6/plugins/imageformats/qwebp.dll",
                 "PySide6/Qt/plugins/imageformats/libqpdf.so", "PySide6/opengl32sw.dll",
                 "PySide6/plugins/platforms/qdirect2d.dll"):
        assert dropped(gone), gone


def test_frozen_app_finds_the_bench_hook_and_installer_uses_a_big_dictionary() -> None:
    text = SPEC.read_text("utf-8")
    assert "rthook_test_hook_path.py" in text and (BUILD / "rthook_test_hook_path.py").is_file()
    hook = (BUILD / "rthook_test_hook_path.py").read_text("utf-8")
    assert "sys.path.append" in hook and "TIC_TEST_HOOK_PATH" in hook  # after the bundle, never before
    nsi = NSI.read_text("utf-8")
    assert re.search(r"^SetCompressor /SOLID lzma$", nsi, re.MULTILINE)
    assert re.search(r"^SetCompressorDictSize 64$", nsi, re.MULTILINE)


def test_bundle_sizes_count_symlinks_once(tmp_path: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("tic_build_release_test", BUILD / "release.py")
    assert spec is not None and spec.loader is not None
    release = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(release)
    lib = tmp_path / "_internal" / "PySide6" / "Qt" / "lib"
    lib.mkdir(parents=True)
    (lib / "libQt6Core.so.6").write_bytes(b"x" * 1000)
    (tmp_path / "tic-desktop").write_bytes(b"y" * 10)
    with contextlib.suppress(OSError):  # no symlinks (Windows without the privilege): same count
        (tmp_path / "_internal" / "libQt6Core.so.6").symlink_to(lib / "libQt6Core.so.6")
    total, count, parts = release.bundle_sizes(tmp_path)
    assert (total, count) == (1010, 2)
    assert parts == {"_internal/PySide6/Qt/lib": 1000, "tic-desktop": 10}
