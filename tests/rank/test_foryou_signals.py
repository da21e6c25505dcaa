from __future__ import annotations

from datetime import datetime

import pytest

from broadsheet.rank.foryou import KIND_WEIGHTS, Signal, erase_signals, signals_of
from tests.rank.foryou_fakes import NOW, signal


def test_strength_is_kind_weight_times_weight() -> None:
    s = Signal("ann", "read_end", "a1", NOW, weight=0.5)
    assert s.strength == KIND_WEIGHTS["read_end"] * 0.5
    assert signal("hide", "a1").strength < 0 < signal("open", "a1").strength


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "like"}, "kind"),
        ({"target_kind": "planet"}, "target kind"),
        ({"at": datetime(2026, 1, 1)}, "timezone"),
    ],
)
def test_bad_signals_are_refused(kwargs: dict[str, object], message: str) -> None:
    fields: dict[str, object] = {"reader_id": "ann", "kind": "open", "target": "a1", "at": NOW}
    fields.update(kwargs)
    with pytest.raises(ValueError, match=message):
        Signal(**fields)  # type: ignore[arg-type]


def test_a_reader_sees_and_erases_only_their_own() -> None:
    mine = [signal("open", "a2", hours_ago=1), signal("save", "a1", hours_ago=5)]
    theirs = [signal("open", "a3", reader="bob")]
    everything = [*mine, *theirs]
    assert signals_of(everything, "ann") == [mine[1], mine[0]]  # oldest first
    assert erase_signals(everything, "ann") == theirs
