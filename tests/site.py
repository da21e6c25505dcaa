"""A small news site for end-to-end tests: a home page announcing a summary-only feed whose items
link to full article pages."""

from __future__ import annotations

from tests.localserver import LocalServer, Reply

STORIES = [
    ("glacier", "Alpine glacier retreats a record 80 metres",
     "Scientists measuring the Morteratsch glacier found it lost a record length this summer. "
     "The team, which has measured the ice front every autumn since 1878, said the melt season "
     "started early and ended late. Local guides say routes that were safe a decade ago now "
     "cross bare rock and loose moraine. The canton plans to close two huts next year."),
    ("orchestra", "City orchestra names its first woman conductor",
     "The city orchestra has appointed Maria Lindqvist as its principal conductor, the first "
     "woman to hold the post in its 140-year history. Lindqvist, who trained in Stockholm and "
     "Vienna, will lead twelve concerts in her first season. Board members said the vote was "
     "unanimous. Her first programme pairs Sibelius with a new commission by a local composer."),
    ("ferry", "Night ferry service returns after six years",
     "The overnight ferry between the two ports resumes on Friday after a six-year pause. The "
     "operator said demand for low-carbon travel made the route viable again. Cabins sold out "
     "for the first month within a day. Unions welcomed the two hundred jobs, while the port "
     "authority promised new shore power so ships need not run engines at the quay."),
]  # fmt: skip


def article_page(slug: str, title: str, body: str) -> bytes:
    paragraphs = "".join(f"<p>{s.strip()}.</p>" for s in body.split(". ") if s.strip())
    return f"""<!doctype html><html lang="en"><head><title>{title} | Example News</title>
<meta property="og:title" content="{title}"><meta name="author" content="Alex Writer">
<meta property="article:published_time" content="2026-11-20T08:00:00+00:00">
<link rel="canonical" href="/articles/{slug}"></head>
<body><header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav></header>
<main><article><h1>{title}</h1><p class="byline">By Alex Writer</p>{paragraphs}
<script>alert("x")</script><p onclick="steal()">Reporting continues through the week.</p></article></main>
<footer>Copyright Example News. <a href="/privacy">Privacy</a></footer></body></html>""".encode()


def feed(base: str) -> bytes:
    items = "".join(
        f"<item><title>{title}</title><link>{base}/articles/{slug}</link>"
        f"<guid>{base}/articles/{slug}</guid><description>{body[:60]}…</description>"
        f"<pubDate>Fri, 20 Nov 2026 08:00:00 GMT</pubDate></item>"
        for slug, title, body in STORIES
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Example News</title>'
        f"<link>{base}/</link><description>News</description>{items}</channel></rss>"
    ).encode()


def install_site(server: LocalServer) -> None:
    base = server.url("").rstrip("/")
    server.routes["/"] = Reply(
        b'<!doctype html><html><head><title>Example News</title><link rel="alternate" '
        b'type="application/rss+xml" href="/feed.xml"></head><body>Home</body></html>',
        headers={"Content-Type": "text/html; charset=utf-8"},
    )
    server.routes["/feed.xml"] = Reply(feed(base), headers={"Content-Type": "application/rss+xml"})
    for slug, title, body in STORIES:
        server.routes[f"/articles/{slug}"] = Reply(
            article_page(slug, title, body), headers={"Content-Type": "text/html; charset=utf-8"}
        )
