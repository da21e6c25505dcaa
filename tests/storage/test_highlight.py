"""Titles and snippets marked in Python for PostgreSQL's search (``storage.highlight``)."""

from __future__ import annotations

from broadsheet.storage.highlight import SNIPPET_CHARS, Highlighter, tsquery_lexemes


def marked(lexemes: str) -> Highlighter:
    return Highlighter(tsquery_lexemes(lexemes), "[", "]")


def test_lexemes_are_read_from_postgresqls_text_leaving_negated_ones_out() -> None:
    text = "'elect' & 'citi' & !'tax' | 'o''brien':* <-> 'vote'"
    assert tsquery_lexemes(text) == {"elect", "citi", "o'brien", "vote"}
    assert tsquery_lexemes("") == frozenset()


def test_every_inflection_of_a_stem_is_marked_in_the_title() -> None:
    title = marked("'elect' & 'citi'").title("City elections: the cities elect a mayor")
    assert title == "[City] [elections]: the [cities] [elect] a mayor"


def test_a_word_that_only_begins_like_a_stem_is_not_marked() -> None:
    # "electricity" begins with "elect" but its stem is another word's.
    assert marked("'elect'").title("Electricity prices") == "Electricity prices"


def test_a_word_inside_another_is_not_marked() -> None:
    assert marked("'cat'").title("Concatenate cats") == "Concatenate [cats]"


def test_the_snippet_is_the_passage_with_the_match_and_says_what_it_left_out() -> None:
    text = "Filler words go here. " * 40 + "The city council met on Monday. " + "More. " * 60
    snippet = marked("'citi'").snippet(text)
    assert "[city] council met" in snippet
    assert snippet.startswith("…") and snippet.endswith("…")
    assert len(snippet) < SNIPPET_CHARS + 40


def test_words_far_apart_get_a_passage_each() -> None:
    text = "The city council met. " + "Filler words go here. " * 40 + "Elections were held."
    snippet = marked("'citi' & 'elect'").snippet(text)
    assert snippet.startswith("The [city] council met.")
    assert " … " in snippet and snippet.endswith("[Elections] were held.")


def test_one_passage_when_it_holds_every_word() -> None:
    text = "The city held elections. " + "Filler words go here. " * 40 + "The city again."
    snippet = marked("'citi' & 'elect'").snippet(text)
    assert " … " not in snippet
    assert snippet.startswith("The [city] held [elections].")


def test_without_a_match_in_the_text_the_snippet_is_its_beginning() -> None:
    text = "Nothing relevant in this body. " * 20
    snippet = marked("'citi'").snippet(text)
    assert snippet.startswith("Nothing relevant") and snippet.endswith("…")
    assert marked("'citi'").snippet("Short text.") == "Short text."


def test_a_letter_whose_lower_case_is_longer_does_not_shift_the_marks() -> None:
    # "İ" lower-cases to two characters: the offsets must still be those of the original text.
    assert marked("'citi'").title("İstanbul city hall") == "İstanbul [city] hall"


def test_no_lexemes_marks_nothing() -> None:
    assert marked("").title("City hall") == "City hall"
    assert marked("").snippet("City hall") == "City hall"
