"""The agency's document signer on the command line: what `consolidate` (and `round consolidate`)
sign consolidated.pdf (and the 公示 list) with.

    signer = document_signer(args, lang, agency_name)   # None: the PDFs stay unsigned (said on stderr)

The key folder is `--key AGENCY_DIR`, else the folder of `--identity`. Its agency_docsign.key is
opened with `--key-passphrase-file`; a folder made before PDF signing gets the key and certificate
now (`formats.docsign.ensure_document_key`, sealed under the same passphrase) and stderr says so
with the certificate's fingerprint. The public demo keys sign with the committed demo certificate
and nothing is ever written into the demo folder. A folder without agency keys, or one that cannot
be written, leaves the PDF unsigned with a line on stderr; a wrong passphrase is an error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from tic_desktop.cli.common import CliError, read_passphrase, tr
from tic_desktop.core.errors import Rejected


def key_folder(args: argparse.Namespace) -> Path:
    return Path(args.key) if getattr(args, "key", None) else Path(args.identity).parent


def document_signer(args: argparse.Namespace, lang: str, agency_name: str = "") -> Any:
    """The `formats.docsign.DocumentSigner` of the agency whose keys the command uses, or None."""
    from tic_desktop.agency.document_signer import agency_document_signer
    from tic_desktop.formats import docsign
    from tic_desktop.formats.keys import SIGNING_KEY_FILE

    def t(zh: str, en: str) -> str:
        return tr(lang, zh, en)

    folder = key_folder(args)
    if not (folder / SIGNING_KEY_FILE).is_file():
        print(t(f"提示：{folder} 中没有机构密钥，PDF 未签名。", f"note: no agency keys in {folder}; the PDF is not signed."),
              file=sys.stderr)
        return None
    passphrase = read_passphrase(args.key_passphrase_file, lang) if getattr(args, "key_passphrase_file", None) else None
    try:
        signer, made = agency_document_signer(folder, passphrase, agency_name)
        if signer is None:
            return None
    except Rejected as exc:
        raise CliError(t("错误：", "error: ") + exc.text(lang) + f" [{exc.code}]") from None
    except OSError as exc:
        print(t(f"提示：无法在 {folder} 中生成文件签名证书（{exc}），PDF 未签名。",
                f"note: the document-signing certificate cannot be made in {folder} ({exc}); the PDF is not signed."),
              file=sys.stderr)
        return None
    if made:
        print(t(f"已为本机构生成文件签名证书 {folder / docsign.CERT_FILE}（SHA-256 指纹 {signer.fingerprint}），"
                "请把指纹印在专家邀请函上。",
                f"made the agency's document-signing certificate {folder / docsign.CERT_FILE} (SHA-256 fingerprint "
                f"{signer.fingerprint}); print the fingerprint in the invitation letter."), file=sys.stderr)
    return signer


def signed_line(lang: str, signer: Any) -> str:
    return tr(lang, f"consolidated.pdf 已由机构签名（PAdES），签名证书 SHA-256 指纹：{signer.fingerprint}",
              f"consolidated.pdf is signed by the agency (PAdES); certificate SHA-256 fingerprint: {signer.fingerprint}")
