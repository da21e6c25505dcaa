"""Golden files: each ``data/<name>.html`` page (written for these tests, modelled on real layouts)
with ``data/<name>.json``, the article we expect from it as ``render(article, "json")`` gives it.

Regenerate after an intended change with ``BROADSHEET_REGEN_GOLDEN=1 uv run pytest tests/extract``
and read the diff before committing it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from broadsheet.extract import extract
from broadsheet.extract.formats import render

DATA = Path(__file__).parent / "data"
PAGES = sorted(p.stem for p in DATA.glob("*.html"))


@pytest.mark.parametrize("name", PAGES)
def test_page_gives_its_golden_article(name: str) -> None:
    expected_path = DATA / f"{name}.json"
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    article = extract((DATA / f"{name}.html").read_bytes(), url=expected["url"])
    got = json.loads(render(article, "json"))
    if os.environ.get("BROADSHEET_REGEN_GOLDEN") == "1":
        expected_path.write_text(render(article, "json"), encoding="utf-8")
        expected = got
    assert got == expected
