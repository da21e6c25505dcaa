from __future__ import annotations

from broadsheet.ingest.charset import declared_charsets, decode_page

TEXT = "<html><body><p>Caf\u00e9 cr\u00e8me, na\u00efve d\u00e9j\u00e0 vu \u2014 \u201cquoted\u201d</p></body></html>"


def test_utf8_labelled_as_latin1_is_read_as_utf8() -> None:
    assert decode_page(TEXT.encode(), "text/html; charset=iso-8859-1") == TEXT


def test_cp1252_labelled_as_utf8_is_read_by_its_declared_meta_or_guess() -> None:
    body = TEXT.encode("cp1252")
    assert decode_page(body, "text/html; charset=utf-8") == TEXT
    meta = b'<meta charset="windows-1252">' + body
    assert decode_page(meta, "text/html").endswith(TEXT)


def test_labels_are_read_from_header_meta_and_xml_declaration() -> None:
    assert declared_charsets(b"<?xml version='1.0' encoding='koi8-r'?><rss/>", "") == ["koi8-r"]
    assert declared_charsets(
        b'<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">',
        "text/html; charset=latin1",
    ) == ["cp1252", "shift_jis"]
    assert declared_charsets(b"", "text/html; charset=no-such-thing") == []


def test_undecodable_bytes_never_raise() -> None:
    assert isinstance(decode_page(bytes(range(256)) * 4, "text/html; charset=utf-8"), str)


def test_other_scripts_are_guessed_too() -> None:
    text = "<p>Привет, как дела? Это тест страницы на русском языке.</p>"
    assert decode_page(text.encode("cp1251"), "text/html; charset=utf-8") == text
