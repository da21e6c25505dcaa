from datetime import UTC, datetime, timedelta

from broadsheet.understand.syndication import (
    NUM_HASHES,
    SyndicationIndex,
    detect_agency,
    resemblance,
    signature,
)

T0 = datetime(2026, 3, 1, 12, tzinfo=UTC)
WIRE = (
    "BRUSSELS (AP) — European Union leaders agreed early Friday on a plan to cap natural gas "
    "prices after months of wrangling, a deal that officials said would shield households from "
    "the worst of the winter price spikes.\n"
    "The agreement, reached after an all-night summit, sets a ceiling that kicks in when prices "
    "on the main Dutch trading hub stay above a trigger level for three days.\n"
    "Germany and the Netherlands had resisted a cap for weeks, warning that it could drive "
    "tankers carrying liquefied gas to Asian buyers willing to pay more.\n"
    "Energy ministers will meet again next month to review how the mechanism works in practice, "
    "and the European Commission will report on its effect on supply by the spring."
)
OTHER = (
    "A magnitude 6.1 earthquake struck off the coast of northern Chile on Tuesday, the "
    "geological survey said, shaking buildings in the port city of Arica and cutting power to "
    "thousands of homes. There were no immediate reports of deaths, and the navy said there was "
    "no tsunami threat for the coast after reviewing sea level data from its stations."
)


def edited_copy() -> str:
    paras = WIRE.split("\n")
    return "\n".join(
        ["Sign up for our newsletter.", *paras[:3], "Editor's note: updated with details."]
    )


def test_signature_is_fixed_size_and_deterministic() -> None:
    assert len(signature(WIRE)) == 4 * NUM_HASHES
    assert signature(WIRE) == signature(WIRE)
    assert resemblance(signature(WIRE), signature(WIRE)) == 1.0
    assert resemblance(signature(WIRE), signature(OTHER)) < 0.1


def test_edited_copy_joins_the_original_group_and_other_news_does_not() -> None:
    index = SyndicationIndex()
    first = index.add(1, WIRE, T0, "AP")
    copy = index.add(2, edited_copy(), T0 + timedelta(hours=1), "Daily Bugle")
    other = index.add(3, OTHER, T0 + timedelta(hours=2), "Daily Bugle")
    assert first.group_id == copy.group_id == 1
    assert copy.resemblance >= 0.3 and copy.size == 2 and copy.outlets == 2
    assert other.group_id == 3 and not other.is_copy


def test_origin_is_the_agency_outlet_when_credited_else_the_earliest() -> None:
    index = SyndicationIndex()
    index.add(1, edited_copy(), T0 + timedelta(hours=1), "Daily Bugle")
    match = index.add(2, WIRE, T0, "AP News")
    assert match.agency == "Associated Press"
    assert match.origin_id == 2  # "AP News" is not named as the agency: the earliest wins

    index = SyndicationIndex()
    index.add(1, edited_copy(), T0 + timedelta(hours=1), "Daily Bugle")
    assert index.add(2, WIRE, T0, "Associated Press").origin_id == 2

    index = SyndicationIndex()
    plain = WIRE.replace("(AP) ", "")
    index.add(1, plain, T0 + timedelta(hours=1), "Bugle")
    assert index.add(2, plain, T0, "Planet").origin_id == 2


def test_rebuilding_from_stored_signatures_gives_the_same_groups() -> None:
    live = SyndicationIndex()
    rebuilt = SyndicationIndex()
    texts = [WIRE, OTHER, edited_copy()]
    for i, text in enumerate(texts):
        a = live.add(i, text, T0 + timedelta(minutes=i))
        b = rebuilt.add_signature(i, signature(text), T0 + timedelta(minutes=i))
        assert a.group_id == b.group_id


def test_short_texts_are_never_grouped() -> None:
    index = SyndicationIndex()
    assert index.add(1, "Breaking news.", T0).group_id == 1
    assert index.add(2, "Breaking news.", T0).group_id == 2


def test_articles_leave_the_window() -> None:
    index = SyndicationIndex()
    index.add(1, WIRE, T0)
    late = index.add(2, edited_copy(), T0 + timedelta(days=30))
    assert late.group_id == 2
    assert len(index) == 1


def test_detect_agency() -> None:
    assert detect_agency("LONDON (Reuters) - Shares fell.") == "Reuters"
    assert detect_agency("Story text.\nThis article originally appeared on ProPublica.") == (
        "ProPublica"
    )
    assert detect_agency("Nothing credited here.") is None
