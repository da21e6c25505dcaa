from __future__ import annotations

import json
import logging

from broadsheet.config import load_settings
from broadsheet.logs import JsonFormatter


def test_json_lines_carry_extra_fields() -> None:
    record = logging.LogRecord(
        "broadsheet.x", logging.WARNING, "f.py", 1, "source %s failed", ("a",), None
    )
    record.source = "https://a.example/feed"
    line = json.loads(JsonFormatter().format(record))
    assert line["level"] == "warning" and line["message"] == "source a failed"
    assert line["source"] == "https://a.example/feed" and line["logger"] == "broadsheet.x"
    assert "args" not in line and "msg" not in line


def test_log_format_setting() -> None:
    assert load_settings(env={"BROADSHEET_LOG_FORMAT": "json"}).log_format == "json"
