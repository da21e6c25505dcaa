"""Logging set up once at the edge (``serve``, ``worker``): readable lines for a terminal, or one
JSON object a line for a log collector, carrying the ``extra`` fields modules log with. Secrets
that travel in addresses (a private feed's key, a reset link, an invitation) are blanked from
the server's access log, which operators keep and ship elsewhere."""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime

__all__ = ["JsonFormatter", "RedactSecrets", "configure_logging"]

# Attributes every LogRecord has; anything else on a record came from ``extra=``.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(
            {k: v for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")}
        )
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class RedactSecrets(logging.Filter):
    """Blank the secret parts of request paths in a log record's arguments."""

    patterns = (
        (re.compile(r"(/feeds/for-you/)[^./?#\s]+"), r"\1…"),
        (re.compile(r"(/reset/)[^/?#\s]+"), r"\1…"),
        (re.compile(r"([?&](?:invite|token|api_key|secret)=)[^&#\s]+"), r"\1…"),
    )

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(self.redact(a) if isinstance(a, str) else a for a in record.args)
        return True

    def redact(self, text: str) -> str:
        for pattern, blank in self.patterns:
            text = pattern.sub(blank, text)
        return text


def configure_logging(fmt: str = "text", level: int = logging.INFO) -> None:
    """Send logs to standard error as text lines or JSON objects (``fmt``: text or json)."""
    handler = logging.StreamHandler()
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)  # start-up chatter
    access = logging.getLogger("uvicorn.access")  # (uvicorn's own set-up keeps its filters)
    if not any(isinstance(f, RedactSecrets) for f in access.filters):
        access.addFilter(RedactSecrets())
