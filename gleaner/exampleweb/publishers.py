"""The publishers of the example web and their consent stories: the single source of truth.

Each function builds one publisher: its paths, its robots.txt, the signals its pages carry.
The server renders these definitions and ``_expected.py`` derives the ground truth from them.
Articles come from one seeded composer in a fixed order, so the web is identical on every run.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from record.tokens import CRAWL_TOKEN, TRAINING_TOKEN

from ._bank import ArticleComposer, load_bank, load_site_texts, near_duplicate
from ._model import Link, Page, PageRef, Publisher, Robots, RobotsGroup, TdmRule
from ._pages import (
    article_pages,
    chrome_for,
    compose,
    home_page,
    index_page,
    info_page,
    link_to,
    slugify,
    under,
    with_signals,
)
from ._publishers_more import aipref, calendar, down, sitemap, slow

__all__ = ["CALENDAR_START", "CRAWL_TOKEN", "PUBLISHERS", "TRAINING_TOKEN", "build_publishers"]

CALENDAR_START = "/calendar/2026/11"

_OPEN_TOPICS = ("harbour", "gardens", "libraries", "transport", "weather", "food")
_ALLOW_ALL = Robots(groups=(RobotsGroup(("*",), allow=("/",)),))


def build_publishers() -> tuple[Publisher, ...]:
    """Every publisher, in the order the demo lists them."""
    composer = ArticleComposer(load_bank())
    newsroom = open_site(composer)
    return (
        newsroom,
        extended(composer),
        noai(composer),
        tdmrep(composer),
        aipref(composer),
        down(composer),
        slow(composer),
        sitemap(composer),
        calendar(composer, CALENDAR_START),
        mirror(newsroom),
    )


def _partner_links() -> list[Link]:
    """Links from the open site to every other publisher's home page, ``down`` included."""
    sites = load_site_texts()
    return [Link("/", sites[name].site_name, publisher=name) for name in sites if name != "open"]


_OPEN_ROBOTS = Robots(
    groups=(
        RobotsGroup(("*",), allow=("/",)),
        RobotsGroup((CRAWL_TOKEN,), disallow=("/private/",)),
    ),
    comment="Northbridge Gazette: everyone welcome, staff pages excepted.",
)
# A Gleaner group before the Gleaner-Extended group: a parser that matches tokens by prefix
# (Protego 0.7 does) picks the wrong group for the training token here.
_EXTENDED_ROBOTS = Robots(
    groups=(
        RobotsGroup((CRAWL_TOKEN,), allow=("/",)),
        RobotsGroup((TRAINING_TOKEN,), disallow=("/members/", "/premium/")),
        RobotsGroup(("*",), allow=("/",)),
    ),
    comment="Fieldnote Magazine: crawl freely; member and premium stories are not for AI training.",
)


def _open_sections(composer: ArticleComposer) -> tuple[list[Page], list[Page]]:
    """(article pages, category pages): five articles in each of six sections."""
    topics = load_bank().topics
    articles = compose(composer, [(topic, 5) for topic in _OPEN_TOPICS])
    pages = []
    for topic in _OPEN_TOPICS:
        mine = [a for a in articles if a.topic == topic]
        pages += article_pages(mine, lambda a: f"/{a.topic}/{slugify(a.title)}/")
    categories = [
        index_page(
            f"/category/{t}/", topics[t].name, [p for p in pages if p.path.startswith(f"/{t}/")]
        )
        for t in _OPEN_TOPICS
    ]
    return pages, categories


def _open_info() -> tuple[list[Page], list[Page]]:
    """(public info pages, staff pages under /private/)."""
    texts = load_site_texts()["open"].texts
    budget = Link("/private/budget-2027/", "Budget")
    private = [
        info_page("/private/drafts/", "Drafts", texts["drafts"], [budget]),
        info_page("/private/staff-rota/", "Staff rota", texts["staff_rota"]),
        info_page(budget.path, "Budget 2027 (internal)", texts["budget"]),
    ]
    public = [
        info_page("/about/", "About the Gazette", texts["about"]),
        info_page("/contact/", "Contact the newsroom", texts["contact"]),
    ]
    return public, private


def open_site(composer: ArticleComposer) -> Publisher:
    """An open news site; only ``/private/`` is disallowed, and only for the crawl token.

    Every page's footer links into ``/private/``, so a crawler meets those URLs everywhere.
    """
    pages, categories = _open_sections(composer)
    public, private = _open_info()
    latest = sorted(pages, key=lambda p: p.article.published if p.article else "", reverse=True)
    home = home_page("Northbridge Gazette", "Today's stories", map(link_to, latest[:12]))
    staff = [Link("/private/drafts/", "Staff area"), Link("/private/staff-rota/", "Staff rota")]
    footer = [*map(link_to, public), *staff]
    return Publisher(
        name="open",
        story="open news site; robots.txt disallows /private/ for the crawl token only",
        chrome=chrome_for(
            "open", map(link_to, categories), _partner_links(), "Around the web", footer
        ),
        robots=_OPEN_ROBOTS,
        pages=(home, *categories, *pages, *public, *private),
    )


def extended(composer: ArticleComposer) -> Publisher:
    """Crawling welcome; the training token is kept out of ``/members/`` and ``/premium/``."""
    sections = {
        "stories": compose(composer, [("history", 4), ("music", 3), ("nature", 3)]),
        "members": compose(composer, [("skies", 3), ("history", 2)]),
        "premium": compose(composer, [("music", 2), ("nature", 3)]),
    }
    texts = load_site_texts()["extended"].texts
    pages: list[Page] = []
    landings = []
    for section, articles in sections.items():
        mine = article_pages(articles, under(f"/{section}/"))
        pages += mine
        if section in texts:
            landings.append(index_page(f"/{section}/", section.title(), mine, texts[section][0]))
    home = home_page("Fieldnote Magazine", "Latest stories", map(link_to, pages))
    return Publisher(
        name="extended",
        story="crawl token allowed; Gleaner-Extended disallowed on /members/ and /premium/",
        chrome=chrome_for("extended", [Link("/", "Stories"), *map(link_to, landings)]),
        robots=_EXTENDED_ROBOTS,
        pages=(home, *landings, *pages),
    )


def noai(composer: ArticleComposer) -> Publisher:
    """Page-level opt-outs: a third of the essays by header, a third by meta tag, a third open."""
    articles = compose(composer, [("makers", 7), ("skies", 4), ("music", 4)])
    pages = []
    for i, page in enumerate(article_pages(articles, lambda a: f"/essays/{slugify(a.title)}.html")):
        if i % 3 == 0:
            value = "noai" if i % 2 == 0 else "noai, noimageai"
            page = with_signals(page, headers=[("X-Robots-Tag", value)])
        elif i % 3 == 1:
            page = with_signals(page, meta=[("robots", "noai, noimageai")])
        pages.append(page)
    return Publisher(
        name="noai",
        story="some essays send X-Robots-Tag: noai, some carry meta robots noai, some neither",
        chrome=chrome_for("noai", [Link("/", "Essays")]),
        robots=Robots(groups=(RobotsGroup(("*",)),)),
        pages=(home_page("Inkwell Studio Journal", "Essays", map(link_to, pages)), *pages),
    )


def tdmrep(composer: ArticleComposer) -> Publisher:
    """TDMRep: the well-known file reserves everything but ``/research/``; two pages override."""
    research = article_pages(compose(composer, [("technology", 5)]), under("/research/"))
    others = article_pages(
        compose(composer, [("nature", 4), ("history", 3)]),
        lambda a: f"/{'news' if a.topic == 'nature' else 'reviews'}/{slugify(a.title)}",
    )
    research[0] = with_signals(research[0], headers=[("tdm-reservation", "1")])
    research[1] = with_signals(research[1], meta=[("tdm-reservation", "1")])
    pages = research + others
    return Publisher(
        name="tdmrep",
        story="tdmrep.json reserves TDM rights except /research/; one research page reserves "
        "by header, one by meta tag",
        chrome=chrome_for("tdmrep", [Link("/", "Home")]),
        robots=_ALLOW_ALL,
        pages=(
            home_page("Meridian Review", "Research, news and reviews", map(link_to, pages)),
            *pages,
        ),
        tdmrep=(TdmRule("/research/", 0), TdmRule("/", 1, "/policy.json")),
    )


def mirror(source: Publisher) -> Publisher:
    """A syndication site: exact copies and near-duplicates of articles of ``source``."""
    originals = [(p, p.article) for p in source.pages if p.article is not None]
    exact = originals[1::8][:4]
    near = [(p, a) for p, a in originals[4::5] if (p, a) not in exact and len(a.paragraphs) >= 4]
    pages = [Page(_syndicated(p), a.title, "article", article=a) for p, a in exact]
    top, top_article = exact[0]
    pages.append(Page(_syndicated(top, "/top/"), top.title, "article", article=top_article))
    bank = load_bank()
    for variant, (original, article) in enumerate(near[:3]):
        edited = near_duplicate(article, variant, bank)
        origin = PageRef(source.name, original.path)
        pages.append(
            Page(_syndicated(original), edited.title, "article", edited, variant_of=origin)
        )
    return Publisher(
        name="mirror",
        story="republishes open-site articles: exact copies and near-duplicates",
        chrome=chrome_for("mirror", [Link("/", "Top stories")], sidebar_title="Trending"),
        robots=_ALLOW_ALL,
        pages=(home_page("Newsfeed Syndicate", "Republished today", map(link_to, pages)), *pages),
    )


def _syndicated(page: Page, prefix: str = "/syndicated/") -> str:
    """Where the mirror republishes ``page``: same slug, its own path scheme."""
    return prefix + page.path.strip("/").rsplit("/", 1)[-1]


PUBLISHERS: Mapping[str, Publisher] = MappingProxyType({p.name: p for p in build_publishers()})
