"""Several outlets covering the same two events in their own words, for story tests."""

from __future__ import annotations

from tests.localserver import LocalServer, Reply
from tests.site import article_page

# (outlet, slug, title, body): three outlets on a quake in Chile, three on a ferry strike in Norway.
COVERAGE = [
    ("andes-daily", "quake", "Magnitude 7.1 earthquake shakes northern Chile",
     "A magnitude 7.1 earthquake struck near Antofagasta in northern Chile on Tuesday, the "
     "national seismology centre said. Buildings swayed in Antofagasta and Calama and power was "
     "cut to thousands of homes. Chile's disaster agency SENAPRED ordered the evacuation of the "
     "coast as a precaution. Copper mines in the region halted work to inspect their shafts"),
    ("pacific-wire", "chile-earthquake", "Strong quake hits Antofagasta, coast evacuated",
     "Residents of Antofagasta fled to higher ground after a strong earthquake of magnitude 7.1 "
     "hit northern Chile. SENAPRED, the disaster agency, lifted the tsunami warning two hours "
     "later. Copper producers said the mines near Calama had stopped while engineers checked "
     "the damage. No deaths were reported, the interior minister said"),
    ("southern-post", "antofagasta", "Chile earthquake: mines halted, no deaths reported",
     "Northern Chile was rocked by a 7.1 magnitude earthquake centred near Antofagasta. The "
     "interior minister said there were no deaths, while SENAPRED kept the coastal evacuation in "
     "place for two hours. Copper mining around Calama was suspended. Aftershocks continued "
     "through the night, the seismology centre said"),
    ("andes-daily", "ferry", "Norwegian ferry crews walk out over pay",
     "Ferry crews across western Norway went on strike on Tuesday after pay talks between the "
     "union Fellesforbundet and the operators collapsed. Crossings on the Bergen and Stavanger "
     "fjords were cancelled and commuters faced long detours. The operators said they had "
     "offered a four percent rise"),
    ("pacific-wire", "norway-ferry-strike", "Fjord crossings cancelled as Norway ferry strike begins",
     "Commuters around Bergen and Stavanger were stranded after ferry crews walked out. The union "
     "Fellesforbundet said the operators' offer of four percent did not cover inflation. The "
     "strike halted crossings on the western fjords and the government urged both sides to "
     "return to mediation"),
    ("southern-post", "ferry-strike", "Ferry strike strands Norwegian commuters",
     "A strike by ferry workers stopped crossings on Norway's western fjords, leaving commuters "
     "near Stavanger and Bergen with detours of several hours. Fellesforbundet called the walkout "
     "after talks on pay broke down; the operators had offered four percent. Mediation is "
     "expected next week"),
]  # fmt: skip

OUTLETS = ("andes-daily", "pacific-wire", "southern-post")


def install_outlets(server: LocalServer) -> list[str]:
    """Serve each outlet's feed and pages under /<outlet>/; returns the feed URLs."""
    base = server.url("").rstrip("/")
    feeds = []
    for outlet in OUTLETS:
        items = "".join(
            f"<item><title>{title}</title><link>{base}/{o}/{slug}</link>"
            f"<guid>{base}/{o}/{slug}</guid><pubDate>Fri, 20 Nov 2026 0{i}:00:00 GMT</pubDate></item>"
            for i, (o, slug, title, _) in enumerate(COVERAGE)
            if o == outlet
        )
        feed = (
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>{outlet}</title>'
            f"<link>{base}/{outlet}/</link><description>d</description>{items}</channel></rss>"
        )
        server.routes[f"/{outlet}/feed.xml"] = Reply(feed.encode())
        feeds.append(f"{base}/{outlet}/feed.xml")
    for outlet, slug, title, body in COVERAGE:
        page = article_page(slug, title, body).replace(
            b'href="/articles/', f'href="/{outlet}/'.encode()
        )
        server.routes[f"/{outlet}/{slug}"] = Reply(page, headers={"Content-Type": "text/html"})
    return feeds
