"""Bad batch files opened in the expert app (double click, drop or 打开): the start page says what
is wrong in the user's language, exactly the sentence registered for the code that `read_batch`
raises; the technical detail stays out of the sentence (it is in the tooltip); nothing is kept."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.flow import wait_until
from tic_desktop.app import create_app
from tic_desktop.core.errors import Rejected, message
from tic_desktop.formats.batch import read_batch


def _rezip(raw: bytes, edit: Callable[[str, bytes], tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            name, data = edit(info.filename, src.read(info))
            dst.writestr(name, data)
    return out.getvalue()


def _flip_manifest(name: str, data: bytes) -> tuple[str, bytes]:
    return name, data.replace(b'"title"', b'"titl\\u0065"', 1) if name == "manifest.json" else data


def _traversal(name: str, data: bytes) -> tuple[str, bytes]:
    return ("../../" + name if name.endswith("/proposal.json") and "TJ-AI-01" in name else name), data


CASES: dict[str, Callable[[bytes], bytes]] = {
    "empty": lambda raw: b"",
    "truncated": lambda raw: raw[: len(raw) // 2],
    "trailing-garbage": lambda raw: raw + b"\x00" * 100,
    "a-pdf-renamed": lambda raw: b"%PDF-1.7\n%%EOF\n",
    "edited-manifest": lambda raw: _rezip(raw, _flip_manifest),
    "path-traversal": lambda raw: _rezip(raw, _traversal),
}


@pytest.fixture(scope="module")
def demo_raw(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    from tests.batches import write_test_batch

    return write_test_batch(tmp_path_factory.mktemp("demo")).read_bytes()


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_a_bad_batch_is_explained_in_the_users_language(qtbot, tmp_path: Path, demo_raw: bytes,
                                                        case: str, lang: str, monkeypatch) -> None:
    monkeypatch.setenv("TIC_LANG", lang)
    data = CASES[case](demo_raw)
    with pytest.raises(Rejected) as refused:
        read_batch(data)
    bad = tmp_path / f"{case}.ticbatch"
    bad.write_bytes(data)
    app = create_app(["tic-desktop", str(bad)], data_dir=tmp_path / "d")
    qtbot.addWidget(app.window)
    if app.settings.lang != lang:
        pytest.skip(f"TIC_LANG does not select the language here ({app.settings.lang})")
    label = app.window.start_page.ui.errorLabel
    wait_until(lambda: label.text())
    assert label.text() == message(refused.value.code, lang)
    if refused.value.detail:
        assert refused.value.detail not in label.text() and refused.value.detail in label.toolTip()
    assert not list((tmp_path / "d" / "batches").glob("*"))  # nothing kept from a refused file
    app.shutdown()
