"""The smaller publishers: usage preferences, an unreachable robots.txt, a slow host, a site
found through its sitemap, and a calendar trap. ``publishers.py`` assembles them in order."""

from __future__ import annotations

from ._bank import ArticleComposer
from ._model import Link, Page, Publisher, Robots, RobotsGroup
from ._pages import article_pages, chrome_for, compose, home_page, link_to, under, with_signals

__all__ = ["TRAP_PREFIX", "aipref", "calendar", "down", "sitemap", "slow"]

TRAP_PREFIX = "/calendar/"
_SLOW_SECONDS = 0.2  # artificial latency per page of the slow host, times delay_scale


def aipref(composer: ArticleComposer) -> Publisher:
    """IETF AI preferences: a robots.txt ``Content-Usage`` rule for ``/labs/`` plus headers."""
    labs = article_pages(compose(composer, [("technology", 3)]), under("/labs/"))
    plan = [("technology", 2), ("makers", 2), ("skies", 2), ("weather", 1)]
    notes = article_pages(compose(composer, plan), under("/notes/"))
    for i in range(3):
        notes[i] = with_signals(notes[i], headers=[("Content-Usage", "train-ai=n")])
    group = RobotsGroup(("*",), allow=("/",), content_usage=(("/labs/", "train-ai=n"),))
    pages = labs + notes
    return Publisher(
        name="aipref",
        story="robots.txt Content-Usage: /labs/ train-ai=n; some notes send Content-Usage: "
        "train-ai=n",
        chrome=chrome_for("aipref", [Link("/", "Notes")]),
        robots=Robots(groups=(group,), comment="Copperleaf Labs usage preferences (aipref)."),
        pages=(home_page("Copperleaf Labs", "Lab notes", map(link_to, pages)), *pages),
    )


def down(composer: ArticleComposer) -> Publisher:
    """robots.txt answers 503 forever: by RFC 9309 the whole site is off limits."""
    pages = article_pages(compose(composer, [("weather", 2), ("food", 2)]), under("/"))
    return Publisher(
        name="down",
        story="robots.txt always answers 503, so nothing on the site may be fetched",
        chrome=chrome_for("down", [Link("/", "Front page")]),
        robots=Robots(status=503),
        pages=(home_page("Quarry Lane Weekly", "This week", map(link_to, pages)), *pages),
    )


def slow(composer: ArticleComposer) -> Publisher:
    """A small, slow host that asks for two seconds between requests."""
    plan = [("gardens", 3), ("weather", 1), ("food", 1)]
    pages = article_pages(compose(composer, plan), under("/posts/"))
    group = RobotsGroup(("*",), allow=("/",), crawl_delay=2.0)
    return Publisher(
        name="slow",
        story="robots.txt sets Crawl-delay: 2 for every crawler; pages answer slowly",
        chrome=chrome_for("slow", [Link("/", "Almanac")]),
        robots=Robots(groups=(group,), comment="Please be gentle: this server lives in a shed."),
        pages=(home_page("Slowwater Almanac", "Recent entries", map(link_to, pages)), *pages),
        response_delay=_SLOW_SECONDS,
    )


def sitemap(composer: ArticleComposer) -> Publisher:
    """Articles reachable through the sitemap: the home page links to only three of them."""
    plan = [("libraries", 5), ("transport", 5), ("harbour", 3), ("gardens", 2)]
    path_for = under("/library/")
    # No related links between articles: without the sitemap a crawler finds only three.
    pages = [Page(path_for(a), a.title, "article", article=a) for a in compose(composer, plan)]
    return Publisher(
        name="sitemap",
        story="robots.txt names /sitemap.xml, which lists articles the home page does not link",
        chrome=chrome_for("sitemap", [Link("/", "Reference")]),
        robots=Robots(groups=(RobotsGroup(("*",), allow=("/",)),), sitemaps=("/sitemap.xml",)),
        pages=(home_page("Atlas Reference Library", "Featured", map(link_to, pages[:3])), *pages),
        sitemap=tuple(page.path for page in pages),
    )


def calendar(composer: ArticleComposer, start: str) -> Publisher:
    """A few real articles next to an endless calendar: every month links to the next."""
    pages = article_pages(
        compose(composer, [("music", 1), ("food", 2), ("harbour", 2)]), under("/news/")
    )
    month = Link(start, "What's on this month")
    return Publisher(
        name="calendar",
        story="an endless event calendar under /calendar/ (a crawler trap) and five articles",
        chrome=chrome_for("calendar", [Link("/", "News"), Link(start, "Calendar")]),
        robots=Robots(groups=(RobotsGroup(("*",), allow=("/",)),)),
        pages=(
            home_page("Millbrook Community Events", "News", [*map(link_to, pages), month]),
            *pages,
        ),
        trap_prefix=TRAP_PREFIX,
    )
