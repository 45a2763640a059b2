"""The agency's document signer for the app's exports (and any caller holding the key folder and the
session's passphrase): `formats.docsign` made lazily for folders made before PDF signing.

    signer, made = agency_document_signer(keys_dir, passphrase, agency_name)

The public demo keys sign with the committed demo certificate and nothing is ever written into a
demo folder (signer None when it has none). Raises `Rejected` (docsign.*, keys.wrong_passphrase).
"""

from __future__ import annotations

from pathlib import Path

from tic_desktop.agency.keys import agency_name as profile_name
from tic_desktop.formats import docsign
from tic_desktop.formats.demo_key import is_demo_agency_fingerprint


def agency_document_signer(keys_dir: Path, passphrase: bytes | str | None, agency_name: str = ""
                           ) -> tuple[docsign.DocumentSigner | None, bool]:
    """(the signer or None, made now?) of the agency keys in `keys_dir`."""
    from tic_desktop.agency.workspace import signing_fingerprint  # noqa: PLC0415

    keys_dir = Path(keys_dir)
    fingerprint = signing_fingerprint(keys_dir)
    if is_demo_agency_fingerprint(fingerprint):
        return (docsign.load_document_key(keys_dir) if docsign.has_document_key(keys_dir) else None), False
    return docsign.ensure_document_key(keys_dir, agency_name or profile_name(keys_dir.parent), passphrase=passphrase,
                                       agency_fingerprint=fingerprint)
