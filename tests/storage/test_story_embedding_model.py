"""Stored story embeddings name what made them (migration 0024 names those stored before it),
and go when the text they were made from does."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from broadsheet.storage import Store
from broadsheet.storage.engine import downgrade, upgrade
from broadsheet.storage.schema import story_articles
from broadsheet.types import ExtractedArticle
from broadsheet.understand.sentence_encoder import SentenceEncoder
from broadsheet.understand.story_meaning import made_by
from tests.storage.articles import NOW, save_numbered


def test_embeddings_stored_before_0024_are_named_after_the_packaged_encoder(store: Store) -> None:
    ids = [save_numbered(store, 1), save_numbered(store, 2)]
    story = store.stories.create_story(NOW)
    downgrade(store.engine, "0024-1")  # that branch only: the schema as 0023 left it
    with store.engine.begin() as conn:
        for article_id, vector in zip(ids, (b"\x00\x3c" * 4, None), strict=True):
            conn.execute(
                story_articles.insert().values(
                    article_id=article_id, story_id=story, assigned_at=NOW, embedding=vector
                )
            )
    upgrade(store.engine)
    query = select(story_articles.c.article_id, story_articles.c.embedding_model)
    with store.engine.connect() as conn:
        named = {row.article_id: row.embedding_model for row in conn.execute(query)}
    assert named == {ids[0]: made_by(SentenceEncoder()), ids[1]: None}


def test_an_update_that_changes_the_words_drops_the_embedding_made_from_them(
    store: Store,
) -> None:
    ids = [save_numbered(store, n) for n in (1, 2, 3)]
    story = store.stories.create_story(NOW)
    for article_id in ids:
        store.stories.record_assignment(
            article_id, story, now=NOW, embedding=b"\x00\x3c" * 4, embedding_model="an encoder"
        )
    updates = [
        ExtractedArticle(title="Title 1", text="Body 1, now in full.", html="<p>x</p>"),
        ExtractedArticle(title="Title 2, retitled", text="Body 2", html="<p>Body 2</p>"),
        ExtractedArticle(title="Title 3", text="Body 3", html="<p>Body 3, restyled</p>"),
    ]
    for n, update in enumerate(updates, 1):
        saved = store.save_article(update, url=f"https://x.example/{n}", source_id=None, now=NOW)
        assert saved.id == ids[n - 1] and not saved.created
    since = NOW - timedelta(days=1)
    kept = {a.id: (a.embedding, a.embedding_model) for a in store.stories.assigned_since(since)}
    assert kept == {
        ids[0]: (None, None),
        ids[1]: (None, None),
        ids[2]: (b"\x00\x3c" * 4, "an encoder"),  # same title and text
    }
    assert [store.stories.story_of(i) for i in ids] == [(story, None)] * 3  # still in its story
