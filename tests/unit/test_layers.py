"""Every arrow between the packages points one way.

The order (README "Development", issue 13), lowest first; a module may import its own unit and any
unit of a lower layer, never a higher layer and never another unit of its own layer:

    tic_desktop (the version), paths
    core                      (atomic file writes and their errors live here, so both below reach them)
    formats | storage         (neither imports the other)
    reports                   (report data, PDF, xlsx and csv writers)
    expert | agency           (neither imports the other)
    demo_material
    demo | simulate           (the demo batch; sheets as if the experts had scored)
    demo_agency               (the agency demo: uses demo and simulate)
    ui                        (the only Qt below app)
    app
    cli
    __main__

Checked statically on every source file with the import scanner of test_architecture (imports at
any depth, lazy ones inside functions too, relative ones resolved, importlib with a literal name).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from tests.unit.test_architecture import PACKAGE_DIR, _module_name, _scan_imports

LAYERS: tuple[tuple[str, ...], ...] = (
    ("", "paths"),
    ("core",),
    ("formats", "storage"),
    ("reports",),
    ("expert", "agency"),
    ("demo_material",),
    ("demo", "simulate"),
    ("demo_agency",),
    ("ui",),
    ("app",),
    ("cli",),
    ("__main__",),
)
LEVEL = {unit: i for i, layer in enumerate(LAYERS) for unit in layer}


def _unit(module: str) -> str:
    """The unit a dotted tic_desktop name belongs to: "core" for tic_desktop.core.x, "" for the package itself."""
    parts = module.split(".")
    if len(parts) < 2 or parts[1].startswith("__") and parts[1] != "__main__":
        return ""
    return parts[1]


def _sources() -> list[Path]:
    return sorted(p for p in PACKAGE_DIR.rglob("*.py") if "__pycache__" not in p.parts)


def _package_of(path: Path) -> str:
    module = _module_name(path)
    return module if path.name == "__init__.py" else module.rpartition(".")[0]


def layer_violations(source: str, module: str, package: str) -> list[str]:
    """`line: importer -> imported` for every import of `source` (module `module`) that goes up or sideways."""
    me = _unit(module)
    out = []
    for line, name in _scan_imports(source, package):
        if not (name == "tic_desktop" or name.startswith("tic_desktop.")):
            continue
        other = _unit(name)
        if other == me or other not in LEVEL and other != "":
            continue
        if LEVEL[other] >= LEVEL[me]:
            out.append(f"{line}: {module} -> {name}")
    return out


def test_every_unit_has_a_place_in_the_order() -> None:
    units = {p.parent.name for p in PACKAGE_DIR.glob("*/__init__.py")} | {
        p.stem for p in PACKAGE_DIR.glob("*.py") if p.stem != "__init__"
    }
    missing = sorted(units - set(LEVEL))
    assert missing == [], f"place these in LAYERS (tests/unit/test_layers.py) and the README: {missing}"


def test_every_arrow_points_down() -> None:
    offenders = []
    for path in _sources():
        source = path.read_text(encoding="utf-8")
        rel = path.relative_to(PACKAGE_DIR.parent)
        offenders += [f"{rel}:{v}" for v in layer_violations(source, _module_name(path), _package_of(path))]
    assert offenders == [], "imports that go up or sideways in the package order:\n" + "\n".join(offenders)


# ── the checks themselves catch what they must ─────────────────────────────────────────────────

def test_an_upward_import_is_caught_even_when_lazy_or_relative() -> None:
    up = textwrap.dedent(
        """
        from tic_desktop.core.forms import FormTemplate
        def later():
            from tic_desktop.agency.workspace import AgencyWorkspace
            from ..expert import pledge
            from tic_desktop import demo
        """
    )
    found = layer_violations(up, "tic_desktop.reports.x", "tic_desktop.reports")
    assert [v.split(" -> ")[1] for v in found] == [
        "tic_desktop.agency.workspace", "tic_desktop.agency.workspace.AgencyWorkspace",
        "tic_desktop.expert", "tic_desktop.expert.pledge", "tic_desktop.demo",
    ]


def test_a_sideways_import_is_caught() -> None:
    assert layer_violations("from tic_desktop.storage.atomic import atomic_write\n", "tic_desktop.formats.batch",
                            "tic_desktop.formats")
    assert layer_violations("import tic_desktop.expert.signing\n", "tic_desktop.agency.x", "tic_desktop.agency")
    assert layer_violations("from tic_desktop.cli import main\n", "tic_desktop.ui.common.x", "tic_desktop.ui.common")
    assert not layer_violations("from tic_desktop.core.atomic import atomic_write\n", "tic_desktop.formats.batch",
                                "tic_desktop.formats")
    assert not layer_violations("from tic_desktop import __version__\n", "tic_desktop.formats.batch",
                                "tic_desktop.formats")
