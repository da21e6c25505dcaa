from broadsheet.understand.text import (
    capitalised_phrases,
    name_tokens,
    normalise_token,
    sentences,
    strip_url_lines,
    words,
)


def test_words_drop_stop_words_and_normalise_plurals_and_possessives() -> None:
    assert words("Iran\u2019s leaders say the deals are over") == ["iran", "leader", "deal"]


def test_normalise_token_keeps_short_words_and_ss_endings() -> None:
    assert normalise_token("Congress") == "congress"
    assert normalise_token("bus") == "bus"


def test_sentences_split_at_end_punctuation_before_capitals_and_at_lines() -> None:
    text = "He said \u201cno.\u201d Then he left. It is 3.5 percent! done\nNext line"
    assert sentences(text) == [
        "He said “no.”",
        "Then he left.",
        "It is 3.5 percent! done",
        "Next line",
    ]


def test_capitalised_phrases_join_names_and_break_at_punctuation() -> None:
    text = "WASHINGTON (AP) — The Bank of England said Bernie Sanders won Nevada."
    assert list(capitalised_phrases(text)) == [
        "WASHINGTON",
        "AP",
        "Bank of England",
        "Bernie Sanders",
        "Nevada",
    ]


def test_name_tokens_skip_sentence_initial_common_words() -> None:
    assert name_tokens("Today Obama won. However it rained.") == {"obama"}


def test_strip_url_lines_removes_address_only_lines() -> None:
    text = "http : / / www . example . com / a - b\nTitle here\nwww.example.com/x\nBody"
    assert strip_url_lines(text).split("\n") == ["", "Title here", "", "Body"]
