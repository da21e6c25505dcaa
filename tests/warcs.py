"""Web archives written for tests with warcio: responses of pages, an image, an error page."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter


def write_warc(path: Path, responses: list[tuple[str, str, bytes, str, str]]) -> Path:
    """``responses``: (url, status line, body, content type, WARC date), gzipped like crawls."""
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for url, status, body, content_type, date in responses:
            headers = StatusAndHeaders(
                status, [("Content-Type", content_type)], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                url, "response", payload=BytesIO(body), length=len(body), http_headers=headers,
                warc_headers_dict={"WARC-Date": date},
            )  # fmt: skip
            writer.write_record(record)
    return path
