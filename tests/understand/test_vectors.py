import math

from broadsheet.understand.vectors import (
    DocumentFrequencies,
    VectorConfig,
    cosine,
    dot,
    vectorise,
)


def test_vectors_are_unit_length_and_capped() -> None:
    dfs = DocumentFrequencies()
    text = " ".join(f"word{i}" for i in range(200))
    vec = vectorise("A title", text, dfs, VectorConfig(max_terms=50))
    assert len(vec) == 50
    assert math.isclose(math.sqrt(sum(w * w for w in vec.values())), 1.0)


def test_idf_learnt_on_the_stream_makes_common_words_light() -> None:
    dfs = DocumentFrequencies()
    for i in range(20):
        dfs.add(["common", f"rare{i}"])
    assert dfs.idf("common") < dfs.idf("rare3") < dfs.idf("unseen")


def test_frequencies_decay_and_forget_rare_words() -> None:
    dfs = DocumentFrequencies(half_life=4)
    dfs.add(["once"])
    for _ in range(3):
        dfs.add(["often"])
    assert "once" in dfs and len(dfs) == 2
    for _ in range(4):
        dfs.add(["often"])
    assert "once" not in dfs


def test_cosine_and_dot() -> None:
    a = {"x": 1.0, "y": 1.0}
    b = {"x": 2.0}
    assert math.isclose(cosine(a, b), 1 / math.sqrt(2))
    assert dot(a, b) == 2.0
    assert cosine({}, b) == 0.0


def test_words_are_cut_to_their_prefix_so_word_forms_meet() -> None:
    dfs = DocumentFrequencies()
    a = vectorise("Democrats investigate", "", dfs, VectorConfig())
    b = vectorise("Democratic investigation", "", dfs, VectorConfig())
    assert set(a) == set(b) == {"democra", "investi"}
    whole = vectorise("Democrats investigate", "", dfs, VectorConfig(prefix=None))
    assert set(whole) == {"democrat", "investigate"}
