"""A local HTTP server for hostile answers: bodies that drip, never end, or lie about themselves.

``tests/localserver.py`` answers with whole bodies; these routes stream, so a client can be left
waiting or flooded. Each route is a function of the request path returning a ``Stream``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Stream:
    chunks: Iterable[bytes] = ()
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds between chunks


class FaultServer:
    def __init__(self, host: str) -> None:
        self.routes: dict[str, Stream | Callable[[], Stream]] = {}
        self.hits: list[str] = []
        self.stopping = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                server.hits.append(f"{self.headers.get('Host')}{self.path}")
                route = server.routes.get(self.path) or Stream([b"not here"], 404)
                stream = route() if callable(route) else route
                self.send_response(stream.status)
                for name, value in stream.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                try:
                    for chunk in stream.chunks:
                        if server.stopping.is_set():
                            return
                        self.wfile.write(chunk)
                        self.wfile.flush()
                        if stream.delay:
                            time.sleep(stream.delay)
                except (BrokenPipeError, ConnectionResetError):
                    return  # the client gave up, as it should

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer((host, 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]

    def url(self, host: str, path: str) -> str:
        return f"http://{host}:{self.port}{path}"


def whole(body: bytes, status: int = 200, **headers: str) -> Stream:
    """A normal answer with a Content-Length."""
    named = {k.replace("_", "-"): v for k, v in headers.items()}
    return Stream([body], status, {"Content-Length": str(len(body)), **named})


def endless(chunk: bytes = b"x" * 65536) -> Iterator[bytes]:
    while True:
        yield chunk


@contextmanager
def fault_server(host: str = "127.0.0.2") -> Iterator[FaultServer]:
    server = FaultServer(host)
    thread = threading.Thread(target=server.httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stopping.set()
        server.httpd.shutdown()
        server.httpd.server_close()
