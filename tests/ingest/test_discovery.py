from __future__ import annotations

from broadsheet.ingest.discovery import discover_feeds, looks_like_html

PAGE = b"""<!doctype html><html><head>
<link rel="alternate" type="application/rss+xml" href="/feed.xml" title="RSS">
<link rel="alternate" type="application/atom+xml" href="https://cdn.example/atom">
<link rel="alternate" type="application/feed+json" href="feed.json">
<link rel="alternate" type="text/html" hreflang="fr" href="/fr/">
<link rel="stylesheet" href="/style.css">
<link rel="alternate" type="application/rss+xml" href="/feed.xml">
</head><body><a href="/rss">RSS</a></body></html>"""


def test_discovers_announced_feeds_in_order_without_repeats() -> None:
    assert discover_feeds(PAGE, base_url="https://site.example/news/") == [
        "https://site.example/feed.xml",
        "https://cdn.example/atom",
        "https://site.example/news/feed.json",
    ]


def test_page_without_feeds() -> None:
    assert discover_feeds(b"<html><head></head></html>", base_url="https://x.example/") == []


def test_html_sniffing() -> None:
    assert looks_like_html(PAGE)
    assert looks_like_html(b"...", "text/html; charset=utf-8")
    assert not looks_like_html(b"<?xml version='1.0'?><rss/>", "application/rss+xml")
