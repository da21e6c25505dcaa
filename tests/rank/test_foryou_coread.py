from __future__ import annotations

from broadsheet.rank.foryou import CoReading, Signal
from tests.rank.foryou_fakes import NOW, world


def reads(reader: str, *articles: str) -> list[Signal]:
    return [Signal(reader, "open", a, NOW) for a in articles]


def test_one_reader_teaches_nothing() -> None:
    coread = CoReading.fit(reads("ann", "films-1-0", "iran-1-0"))
    assert coread.items == []
    assert not coread.scores({"films-1-0": 1.0}, world()).any()


def test_co_read_articles_score_and_hides_do_not_count() -> None:
    signals = reads("bob", "films-1-0", "iran-3-0") + reads("cy", "films-1-0", "iran-3-0")
    signals += reads("dee", "films-1-0", "markets-2-0")
    signals.append(Signal("eve", "hide", "football-1-0", NOW))
    coread = CoReading.fit(signals)
    index = world()
    scores = coread.scores({"films-1-0": 2.0}, index)
    assert scores[index.row_of["iran-3-0"]] > scores[index.row_of["markets-2-0"]] > 0
    assert scores[index.row_of["films-1-0"]] == 0  # not its own neighbour
    assert "football-1-0" not in coread.items


def test_neighbour_lists_are_capped_and_unknown_articles_skipped() -> None:
    signals = [s for r in range(5) for s in reads(f"r{r}", *(f"science-{n}-0" for n in range(8)))]
    coread = CoReading.fit(signals, neighbours=3)
    assert all(coread.indptr[i + 1] - coread.indptr[i] <= 3 for i in range(len(coread.items)))
    index = world()
    assert coread.scores({"not-in-index": 1.0, "science-1-0": 1.0}, index).sum() > 0
