"""Decoding pages whose charset label is missing or wrong.

Order of trust: bytes that are valid UTF-8 are UTF-8 whatever the label says (text in a single-byte
charset is almost never valid UTF-8 by accident); then the ``Content-Type`` label, then a ``<meta
charset>`` or XML declaration, each only if it decodes the bytes without error; then
charset-normalizer's guess; last, UTF-8 with replacement characters. Browsers sniff similarly; the
libraries we use take a label at its word, hence this module.
"""

from __future__ import annotations

import codecs
import re

__all__ = ["declared_charsets", "decode_page"]

_HEADER_CHARSET = re.compile(rb"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"<\?xml[^>]+encoding\s*=\s*[\"']([\w.:-]+)", re.IGNORECASE)


def declared_charsets(content: bytes, content_type: str = "") -> list[str]:
    """The charsets the response header and the document itself claim, known codecs only."""
    found: list[str] = []
    head = content[:4096]
    for pattern, text in (
        (_HEADER_CHARSET, content_type.encode("latin-1", "replace")),
        (_META_CHARSET, head),
        (_XML_ENCODING, head),
    ):
        match = pattern.search(text)
        if match:
            try:
                name = codecs.lookup(match.group(1).decode("ascii", "replace")).name
            except LookupError:
                continue
            name = "cp1252" if name in ("latin-1", "iso8859-1", "ascii") else name  # as browsers do
            if name not in found:
                found.append(name)
    return found


def decode_page(content: bytes, content_type: str = "") -> str:
    """The page as text, its charset found as the module docstring says."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return text.removeprefix("\ufeff")
    for name in declared_charsets(content, content_type):
        if name == "utf-8":
            continue
        try:
            return content.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
    return _guess(content)


def _guess(content: bytes) -> str:
    from charset_normalizer import from_bytes

    matches = list(from_bytes(content[:200_000]))
    if matches:
        # Short texts fit several Latin code pages about equally; browsers then take windows-1252,
        # by far the commonest, and so do we.
        close = [m.encoding for m in matches if m.chaos <= matches[0].chaos + 0.1]
        name = "cp1252" if "cp1252" in close else matches[0].encoding
        try:
            return content.decode(name)
        except (UnicodeDecodeError, LookupError):
            pass
    return content.decode("utf-8", errors="replace")
