"""The server's access log never keeps the secrets that travel in addresses: the key of a private
feed, a password reset link, an invitation."""

from __future__ import annotations

import logging

import httpx

from broadsheet.core import Broadsheet
from broadsheet.logs import configure_logging
from broadsheet.web.app import create_app
from tests.liveserver import serve_app


def test_the_access_log_blanks_secrets_in_addresses(broadsheet: Broadsheet) -> None:
    configure_logging()
    seen: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record.getMessage())

    access, keep = logging.getLogger("uvicorn.access"), Keep()
    with serve_app(create_app(broadsheet)) as base:  # uvicorn sets its loggers up as it starts
        access.addHandler(keep)
        level = access.level
        access.setLevel(logging.INFO)
        try:
            for path in ("/feeds/for-you/s3cr3tkey.atom", "/reset/r3s3t", "/signup?invite=1nv1te",
                         "/search?q=harbour"):  # fmt: skip
                httpx.get(base + path)
        finally:
            access.removeHandler(keep)
            access.setLevel(level)
    lines = "\n".join(seen)
    assert "/feeds/for-you/….atom" in lines and "/reset/…" in lines and "invite=…" in lines
    assert not any(secret in lines for secret in ("s3cr3tkey", "r3s3t", "1nv1te"))
    assert "/search?q=harbour" in lines  # the rest of the address is kept
