"""The operator's path through the CLI: import an OPML file of 30 healthy sites and 6 broken ones
in one command, fetch once, and read every source's health; every healthy article is stored once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from broadsheet.cli import main
from tests.localserver import LocalServer, Reply
from tests.site import article_page

HEALTHY, SITE_ONLY = 30, 5
BROKEN = {
    "/gone.xml": "HTTP 404 Not Found",
    "/page.html": "not a feed: the address returned an HTML page",
    "/invalid.xml": "not a feed: invalid XML",
    "/error.xml": "HTTP 500 Internal Server Error",
    "/loop.xml": "too many redirects",
}


def install(server: LocalServer) -> None:
    base = server.url("").rstrip("/")
    for n in range(HEALTHY):
        items = ""
        for i in range(3):
            slug, title = f"{n}-{i}", f"Item {i} of site {n}"
            text = f"Site {n} tells story {i}. " + f"It goes into detail {n}.{i} at length. " * 6
            server.routes[f"/s{n}/{i}"] = Reply(
                article_page(slug, title, text), headers={"Content-Type": "text/html"}
            )
            items += f"<item><title>{title}</title><link>{base}/s{n}/{i}</link></item>"
        server.routes[f"/s{n}/feed.xml"] = Reply(
            f'<rss version="2.0"><channel><title>Site {n}</title>{items}</channel></rss>'.encode(),
            headers={"Content-Type": "application/rss+xml"},
        )
        server.routes[f"/s{n}/"] = Reply(
            b'<html><head><link rel="alternate" type="application/rss+xml" href="feed.xml">'
            b"</head><body>Home</body></html>",
            headers={"Content-Type": "text/html"},
        )
    server.routes["/page.html"] = Reply(b"<!doctype html><html><body>Hi</body></html>")
    server.routes["/invalid.xml"] = Reply(
        b"<rss><channel><item>", headers={"Content-Type": "text/xml"}
    )
    server.routes["/error.xml"] = Reply(b"", 500)
    server.routes["/loop.xml"] = Reply(b"", 302, {"Location": "/loop.xml"})


def opml(server: LocalServer) -> str:
    outlines = []
    for n in range(HEALTHY):
        if n < SITE_ONLY:  # only the site's address: its feed is discovered
            outlines.append(f'<outline text="Site {n}" htmlUrl="{server.url(f"/s{n}/")}"/>')
        else:
            outlines.append(
                f'<outline type="rss" text="Site {n}" xmlUrl="{server.url(f"/s{n}/feed.xml")}"/>'
            )
    broken = [f'<outline type="rss" text="Broken {p}" xmlUrl="{server.url(p)}"/>' for p in BROKEN]
    broken.append('<outline type="rss" text="Private" xmlUrl="http://10.255.255.1/feed.xml"/>')
    broken.append('<outline type="rss" text="Not the web" xmlUrl="gopher://old.example/feed"/>')
    return (
        '<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>'
        f'<outline text="Healthy">{"".join(outlines)}</outline>'
        f'<outline text="Broken">{"".join(broken)}</outline></body></opml>'
    )


def test_import_fetch_and_health(
    server: LocalServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    install(server)
    monkeypatch.setenv("BROADSHEET_ALLOW_NETWORKS", "127.0.0.0/8")
    monkeypatch.setenv("BROADSHEET_MAX_REDIRECTS", "3")
    base = ["--data-dir", str(tmp_path)]
    (tmp_path / "subs.opml").write_text(opml(server))

    assert main([*base, "import-opml", str(tmp_path / "subs.opml")]) == 1
    out, err = capsys.readouterr()
    assert "imported 36 of 37 entries" in out
    assert "failed  Not the web: not a web address: 'gopher://old.example/feed'" in err

    assert main([*base, "fetch"]) == 0
    assert "sources ok: 30, failed: 6, new articles: 90" in capsys.readouterr().out

    assert main([*base, "sources", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 36
    assert {"url", "status", "last_error", "last_success", "items_per_day", "next_fetch"} <= set(
        rows[0]
    )
    by_url = {row["url"]: row for row in rows}
    for path, reason in BROKEN.items():
        assert by_url[server.url(path)]["status"] == "error"
        assert by_url[server.url(path)]["last_error"].startswith(reason)
    assert by_url["http://10.255.255.1/feed.xml"]["last_error"].startswith("blocked address")
    healthy = [row for row in rows if row["status"] == "ok"]
    assert len(healthy) == 30 and all(row["category"] == "Healthy" for row in healthy)

    assert main([*base, "export", "--format", "jsonl"]) == 0
    exported = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(exported) == len({row["url"] for row in exported}) == 90

    assert main([*base, "export-opml"]) == 0
    document = capsys.readouterr().out
    assert document.count("xmlUrl=") == 36 and 'text="Broken"' in document
