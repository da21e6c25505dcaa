"""Reading MIND-format logs (``news.tsv`` and ``behaviors.tsv``) into evaluation data.

MIND (Microsoft News Dataset) has no publication times, sources or story groups, so: an article is
published when it is first seen in an impression (or a day before the logs for history-only ones);
its source is the host of its URL; each article is its own story. A reader's history becomes
``open`` signals just before their first impression, and every click becomes an ``open`` signal
at its impression, so later impressions learn from earlier clicks. Popularity at an impression is
histories plus clicks logged before it. Hand-written: two tab-separated files need no library.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from broadsheet.rank.foryou.evaluation import EvalArticle, EvalData, Impression
from broadsheet.rank.foryou.signals import Signal

__all__ = ["read_mind"]


@dataclass(frozen=True, slots=True)
class _Behaviour:
    reader_id: str
    at: datetime
    history: tuple[str, ...]
    shown: tuple[tuple[str, bool], ...]


def read_mind(folder: Path, *, max_impressions: int | None = None) -> EvalData:
    """``folder/news.tsv`` and ``folder/behaviors.tsv`` as evaluation data."""
    behaviours = sorted(_behaviours(folder / "behaviors.tsv"), key=lambda b: b.at)
    if max_impressions is not None:
        behaviours = behaviours[:max_impressions]
    first_seen = _first_seen(behaviours)
    articles = _articles(folder / "news.tsv", first_seen)
    known = {a.article_id for a in articles}
    signals = _signals(behaviours, known)
    impressions = _impressions(behaviours, known)
    return EvalData(articles, signals, impressions)


def _parse_time(text: str) -> datetime:
    return datetime.strptime(text.strip(), "%m/%d/%Y %I:%M:%S %p").replace(tzinfo=UTC)


def _behaviours(path: Path) -> list[_Behaviour]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if len(cols) < 5:
            continue
        shown = tuple((s.rsplit("-", 1)[0], s.endswith("-1")) for s in cols[4].split())
        out.append(_Behaviour(cols[1], _parse_time(cols[2]), tuple(cols[3].split()), shown))
    return out


def _first_seen(behaviours: list[_Behaviour]) -> dict[str, datetime]:
    seen: dict[str, datetime] = {}
    start = (
        behaviours[0].at - timedelta(days=1) if behaviours else datetime(2019, 11, 1, tzinfo=UTC)
    )
    for b in behaviours:
        for a in b.history:
            seen.setdefault(a, start)
        for a, _ in b.shown:
            seen.setdefault(a, b.at)
    return seen


def _articles(path: Path, first_seen: dict[str, datetime]) -> list[EvalArticle]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if len(cols) < 5 or cols[0] not in first_seen:
            continue
        entities = _entities(cols[6] if len(cols) > 6 else "")
        entities += _entities(cols[7] if len(cols) > 7 else "")
        source = (urlsplit(cols[5]).hostname or "") if len(cols) > 5 else ""
        topics = tuple(t for t in (cols[2], cols[1]) if t)
        out.append(
            EvalArticle(
                cols[0],
                cols[0],
                source,
                first_seen[cols[0]],
                cols[3],
                cols[4],
                topics,
                tuple(dict.fromkeys(entities)),
            )
        )
    return out


def _entities(text: str) -> tuple[str, ...]:
    try:
        found = json.loads(text) if text.strip() else []
    except json.JSONDecodeError:
        return ()
    return tuple(str(e["WikidataId"]) for e in found if isinstance(e, dict) and "WikidataId" in e)


def _signals(behaviours: list[_Behaviour], known: set[str]) -> list[Signal]:
    out: list[Signal] = []
    had_history: set[str] = set()
    for b in behaviours:
        if b.reader_id not in had_history:
            had_history.add(b.reader_id)
            before = b.at - timedelta(hours=1)
            out += [Signal(b.reader_id, "open", a, before) for a in b.history if a in known]
        out += [Signal(b.reader_id, "open", a, b.at) for a, c in b.shown if c and a in known]
    return out


def _impressions(behaviours: list[_Behaviour], known: set[str]) -> list[Impression]:
    counts: Counter[str] = Counter()
    histories: set[str] = set()
    for b in behaviours:
        if b.reader_id not in histories:
            histories.add(b.reader_id)
            counts.update(b.history)
    out = []
    for b in behaviours:  # in time order: popularity counts only earlier clicks
        shown = [(a, c) for a, c in b.shown if a in known]
        if shown:
            ids = tuple(a for a, _ in shown)
            out.append(
                Impression(
                    b.reader_id,
                    b.at,
                    ids,
                    tuple(c for _, c in shown),
                    tuple(float(counts[a]) for a in ids),
                )
            )
        counts.update(a for a, c in b.shown if c)
    return out
