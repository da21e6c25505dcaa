"""Where the shared benchmark data lives: ``../shared`` beside the repository, or
``BROADSHEET_SHARED_DIR``."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def shared_dir() -> Path:
    return Path(os.environ.get("BROADSHEET_SHARED_DIR", REPO.parent / "shared"))
