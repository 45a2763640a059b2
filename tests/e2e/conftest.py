"""Fixtures for the end-to-end expert flow: a demo batch written once, and helpers that walk the dialogs."""

from __future__ import annotations

from pathlib import Path

import pytest

PASSPHRASE = "Haihe river 2026"


@pytest.fixture(scope="session")
def demo_batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.batches import write_test_batch

    return write_test_batch(tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="session")
def encrypted_demo_batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.batches import write_test_batch

    return write_test_batch(tmp_path_factory.mktemp("demo-enc"), passphrase=b"batch pass 7788")
