"""The batch wizard's writing job (step 3 → 4 of `batch_wizard.BatchWizard`), run off the GUI thread:
load the agency keys, sign and write the batch files (each read back), and keep the agency's own
copy (encrypted to its key) in the agency workspace."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tic_desktop.core.errors import Rejected


class BatchExportJob:
    """Runs in a worker: load the keys, write the files, keep the agency's copy in its workspace."""

    def __init__(self, spec: Any, keys_dir: Path, ws_path: Path, out_dir: Path, layout: str,
                 passphrase: bytes | None, key_pass: bytes | None, lang: str = "zh", *, demo: bool = False) -> None:
        self.lang = lang
        self.demo = demo
        self.spec, self.keys_dir, self.ws_path, self.out_dir = spec, keys_dir, ws_path, out_dir
        self.layout, self.passphrase, self.key_pass = layout, passphrase, key_pass
        self.identity_text = ""

    def run(self, progress: Callable[[int, int], None]) -> tuple[list[Any], str, str]:
        """`progress(done, total)` after each file (run_in_background's report)."""
        import tempfile  # noqa: PLC0415

        from tic_desktop.agency.build import DEMO_KEY, with_expert_keys, write_batches  # noqa: PLC0415
        from tic_desktop.agency.service import open_workspace  # noqa: PLC0415
        from tic_desktop.formats.demo_key import is_demo_agency_fingerprint  # noqa: PLC0415
        from tic_desktop.formats.keys import load_agency_keys  # noqa: PLC0415

        keys = load_agency_keys(self.keys_dir, passphrase=self.key_pass)
        self.identity_text = keys.age_identity_text()
        if is_demo_agency_fingerprint(keys.fingerprint) and not self.demo:
            raise Rejected(DEMO_KEY, keys.fingerprint)
        spec = self.spec
        with open_workspace(self.ws_path, check_location=False) as ws:  # the keys the registry knows go
            known = {eid: k.fingerprint for eid, k in ws.active_keys().items()}  # into the signed manifest
        if known:
            spec = with_expert_keys(spec, known)
        with tempfile.TemporaryDirectory(prefix="tic-agency-") as tmp:
            copy = Path(tmp) / "batch.ticbatch"  # the same signed ZIP, encrypted to the agency's own key
            written = write_batches(spec, keys, self.out_dir, layout=self.layout,  # type: ignore[arg-type]
                                    passphrase=self.passphrase, progress=progress, agency_copy=copy)
            try:
                ws = open_workspace(self.ws_path, check_location=False)
                try:  # one copy, or one per panel beside it
                    infos = [ws.add_batch(c, keys.age_identity_text(), own_fingerprint=keys.fingerprint,
                                          allow_demo=self.demo) for c in sorted(Path(tmp).glob("*.ticbatch"))]
                finally:
                    ws.close()
            except Rejected as exc:
                return written, "", exc.text(self.lang)
        return written, infos[0].batch_id, ""
