"""The `zip.*` error codes: every way `formats.container` rejects an archive, in both languages."""

from __future__ import annotations

from tic_desktop.core.errors import register

_DAMAGED_ZH = "请勿使用此文件，并向发送方重新索取。"
_DAMAGED_EN = "Do not use this file; ask the sender for it again."
NOT_ZIP = register("zip.not_zip", "文件内容不是有效的压缩包，可能已损坏或不是本软件生成的文件。" + _DAMAGED_ZH,
                "The content is not a valid ZIP archive; it may be damaged or not made by this app. " + _DAMAGED_EN)
CORRUPT = register("zip.corrupt", "压缩包已损坏。" + _DAMAGED_ZH, "The archive is damaged. " + _DAMAGED_EN)
CRC = register("zip.crc_mismatch", "压缩包中的某个文件校验失败（已损坏）。" + _DAMAGED_ZH,
            "A member of the archive fails its checksum (damaged). " + _DAMAGED_EN)
TRAILING = register("zip.trailing_data", "压缩包末尾有多余数据，文件可能被拼接或改动过。" + _DAMAGED_ZH,
                 "There is extra data after the end of the archive; the file may have been altered. " + _DAMAGED_EN)
PREPENDED = register("zip.prepended_data", "压缩包前面有多余数据，文件可能被拼接或改动过。" + _DAMAGED_ZH,
                  "There is extra data before the archive; the file may have been altered. " + _DAMAGED_EN)
TOO_MANY = register("zip.too_many_members", "压缩包中的文件数量超过上限，可能是恶意文件。" + _DAMAGED_ZH,
                 "The archive holds too many members and may be malicious. " + _DAMAGED_EN)
MEMBER_TOO_LARGE = register("zip.member_too_large", "压缩包中的某个文件超过允许的大小。请向发送方确认文件是否正确。",
                         "A member of the archive exceeds the allowed size. Check with the sender that the file is correct.")
TOTAL_TOO_LARGE = register("zip.total_too_large", "压缩包解压后的总大小超过上限。请向发送方确认文件是否正确。",
                        "The archive's unpacked size exceeds the limit. Check with the sender that the file is correct.")
RATIO = register("zip.ratio_too_high", "压缩包中的某个文件压缩比异常（疑似“压缩炸弹”）。" + _DAMAGED_ZH,
              "A member has an abnormal compression ratio (a suspected zip bomb). " + _DAMAGED_EN)
SIZE_MISMATCH = register("zip.size_mismatch", "压缩包中某个文件的实际大小与记录不符。" + _DAMAGED_ZH,
                      "A member's real size differs from its recorded size. " + _DAMAGED_EN)
ENCRYPTED = register("zip.encrypted_member", "压缩包中含有加密的文件，本软件不接受此类文件。" + _DAMAGED_ZH,
                  "The archive contains an encrypted member, which the app does not accept. " + _DAMAGED_EN)
COMPRESSION = register("zip.unsupported_compression", "压缩包使用了不受支持的压缩方式。请使用本软件生成的原始文件。",
                    "The archive uses an unsupported compression method. Use the original file made by the app.")
DIRECTORY = register("zip.directory_entry", "压缩包中含有不应出现的文件夹条目。" + _DAMAGED_ZH,
                  "The archive contains a directory entry where only files are allowed. " + _DAMAGED_EN)
SYMLINK = register("zip.symlink", "压缩包中含有符号链接，可能是恶意文件。" + _DAMAGED_ZH,
                "The archive contains a symbolic link and may be malicious. " + _DAMAGED_EN)
SPECIAL = register("zip.special_file", "压缩包中含有特殊类型的文件（非普通文件）。" + _DAMAGED_ZH,
                "The archive contains a special (non-regular) file. " + _DAMAGED_EN)
TRAVERSAL = register("zip.path_traversal", "压缩包中的文件名试图指向上级目录（路径穿越），可能是恶意文件。" + _DAMAGED_ZH,
                  "A member name points outside the archive (path traversal); the file may be malicious. " + _DAMAGED_EN)
ABSOLUTE = register("zip.absolute_path", "压缩包中的文件名是绝对路径、盘符或网络路径，可能是恶意文件。" + _DAMAGED_ZH,
                 "A member name is an absolute, drive or network path; the file may be malicious. " + _DAMAGED_EN)
BACKSLASH = register("zip.backslash", "压缩包中的文件名含有反斜杠。" + _DAMAGED_ZH,
                  "A member name contains a backslash. " + _DAMAGED_EN)
CONTROL = register("zip.control_char", "压缩包中的文件名含有控制字符。" + _DAMAGED_ZH,
                "A member name contains a control character. " + _DAMAGED_EN)
INVISIBLE = register("zip.invisible_char", "压缩包中的文件名含有不可见或改变文字方向的字符（可用于伪装文件名）。" + _DAMAGED_ZH,
                  "A member name contains an invisible or direction-changing character (used to disguise names). " + _DAMAGED_EN)
TRAILING_DOT = register("zip.trailing_dot_space", "压缩包中的文件名以点或空格结尾，在 Windows 上不安全。" + _DAMAGED_ZH,
                     "A member name ends in a dot or a space, which is unsafe on Windows. " + _DAMAGED_EN)
RESERVED = register("zip.reserved_name", "压缩包中的文件名是 Windows 保留名（如 CON、NUL、COM1）。" + _DAMAGED_ZH,
                 "A member name is a Windows reserved name (such as CON, NUL, COM1). " + _DAMAGED_EN)
BAD_NAME = register("zip.bad_name", "压缩包中的文件名不符合规定格式。" + _DAMAGED_ZH,
                 "A member name does not have the required form. " + _DAMAGED_EN)
DUPLICATE = register("zip.duplicate_member", "压缩包中有重名的文件（可能仅大小写或编码不同），可能被篡改。" + _DAMAGED_ZH,
                  "The archive holds two members with the same name (perhaps differing only in case or encoding). " + _DAMAGED_EN)
UNEXPECTED = register("zip.unexpected_member", "压缩包中含有不应出现的文件。" + _DAMAGED_ZH,
                   "The archive contains a member that does not belong in this kind of file. " + _DAMAGED_EN)
HEADER_MISMATCH = register(
    "zip.header_mismatch",
    "压缩包中某个文件的本地文件头与中央目录记录不一致（两种读取方式会得到不同内容），文件可能被篡改。" + _DAMAGED_ZH,
    "A member's local header disagrees with its central directory entry (two ZIP readers would see different "
    "content); the file may have been tampered with. " + _DAMAGED_EN,
)
GAP = register(
    "zip.gap", "压缩包中的文件之间有未记录的多余数据，文件可能被改动过。" + _DAMAGED_ZH,
    "The archive has unaccounted data between its members; the file may have been altered. " + _DAMAGED_EN,
)
OVERLAP = register(
    "zip.overlap", "压缩包中的文件相互重叠（疑似“压缩炸弹”或被篡改）。" + _DAMAGED_ZH,
    "Members of the archive overlap each other (a suspected zip bomb or tampering). " + _DAMAGED_EN,
)
MISSING = register("zip.missing_member", "压缩包缺少必需的文件。" + _DAMAGED_ZH,
                "The archive lacks a required member. " + _DAMAGED_EN)
