from broadsheet.understand.entities import key_entities

TEXTS = [
    "WASHINGTON (AP) — President Joe Biden met Iran's foreign minister in Geneva on Monday. "
    "Biden said the talks with the Supreme Court pending were useful.",
    "Joe Biden, speaking in Geneva, said talks went well. The Supreme Court did not comment. "
    "Officials in Geneva said more talks would follow.",
]


def test_key_entities_are_counted_per_article_and_typed() -> None:
    found = {e.name: e for e in key_entities(TEXTS)}
    assert found["Joe Biden"].kind == "person" and found["Joe Biden"].articles == 2
    assert found["Geneva"].kind == "place"
    assert found["Supreme Court"].kind == "organisation"
    assert "Biden" not in found  # counted with the full name


def test_names_in_only_one_of_several_articles_are_left_out() -> None:
    assert "WASHINGTON" not in {e.name for e in key_entities(TEXTS)}
