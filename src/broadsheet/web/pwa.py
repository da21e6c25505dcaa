"""Installable app: the web app manifest, its icons (drawn here, so no binary lives in the repo)
and the service worker, served from the root so that it may control every page."""

from __future__ import annotations

import functools
import struct
import zlib
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response

__all__ = ["icon_png", "router"]

router = APIRouter()
STATIC = Path(__file__).parent / "static"
ICON_SIZES = (192, 512)
BACKGROUND, FOREGROUND = (0x8A, 0x1C, 0x1C), (0xFB, 0xFA, 0xF7)
# A "B" on a 5 x 7 grid, scaled up into the middle of the icon.
_GLYPH = ("11110", "10001", "10001", "11110", "10001", "10001", "11110")


@router.get("/manifest.webmanifest")
def manifest() -> Response:
    icons = [
        {"src": f"/icons/{size}.png", "sizes": f"{size}x{size}", "type": "image/png",
         "purpose": "any maskable"}
        for size in ICON_SIZES
    ]  # fmt: skip
    body = {
        "name": "Broadsheet", "short_name": "Broadsheet",
        "description": "All your news in one place.", "start_url": "/", "scope": "/",
        "display": "standalone", "background_color": "#fbfaf7", "theme_color": "#8a1c1c",
        "icons": icons,
    }  # fmt: skip
    return JSONResponse(body, media_type="application/manifest+json")


@router.get("/icons/{size}.png")
def icon(size: int) -> Response:
    if size not in ICON_SIZES:
        return Response(status_code=404)
    return Response(icon_png(size), media_type="image/png",
                    headers={"Cache-Control": "public, max-age=604800"})  # fmt: skip


@router.get("/sw.js")
def service_worker() -> Response:
    return Response((STATIC / "sw.js").read_bytes(), media_type="text/javascript",
                    headers={"Cache-Control": "no-cache"})  # fmt: skip


@functools.cache
def icon_png(size: int) -> bytes:
    """A square PNG: the letter B, light on the masthead red, inside the maskable safe zone."""
    cell = size // 12
    left, top = (size - 5 * cell) // 2, (size - 7 * cell) // 2
    rows = []
    for y in range(size):
        gy = (y - top) // cell if y >= top else -1
        line = bytearray([0])  # filter byte: none
        for x in range(size):
            gx = (x - left) // cell if x >= left else -1
            on = 0 <= gy < 7 and 0 <= gx < 5 and _GLYPH[gy][gx] == "1"
            line += bytes(FOREGROUND if on else BACKGROUND)
        rows.append(bytes(line))
    return _png(size, size, b"".join(rows))


def _png(width: int, height: int, raw: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )
