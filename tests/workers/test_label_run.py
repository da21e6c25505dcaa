"""The labelling stage: waiting articles get labels once, oldest first, in batches."""

from __future__ import annotations

from datetime import UTC, datetime

from broadsheet.storage import Store
from broadsheet.types import ExtractedArticle
from broadsheet.understand.topics import TopicLabeller
from broadsheet.workers.label_run import label_pending

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def test_label_pending_labels_each_article_once(store: Store) -> None:
    for n, section in enumerate(["Sport", "Tech", None]):
        text = f"Body {n}."
        article = ExtractedArticle(title=f"T{n}", text=text, html=f"<p>{text}</p>", section=section)
        store.save_article(article, url=f"https://x.example/{n}", source_id=None, now=NOW)
    labeller = TopicLabeller(None)  # declared sections only
    assert label_pending(store, labeller, limit=2) == 2
    assert label_pending(store, labeller, limit=2) == 1
    assert label_pending(store, labeller) == 0
    assert [a.title for a in store.labels.list_articles("sport")] == ["T0"]
    assert [a.title for a in store.labels.list_articles("technology")] == ["T1"]
