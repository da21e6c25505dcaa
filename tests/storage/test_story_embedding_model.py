"""Migration 0024 names the encoder of the story embeddings stored before it."""

from __future__ import annotations

from sqlalchemy import select

from broadsheet.storage import Store
from broadsheet.storage.engine import downgrade, upgrade
from broadsheet.storage.schema import story_articles
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
