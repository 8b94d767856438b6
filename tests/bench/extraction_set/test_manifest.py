"""The labelled set's manifest: big and varied enough to develop against, from five sites."""

from __future__ import annotations

from collections import Counter

from bench.debian_pages import PACKAGES
from bench.extraction_set import PACKAGE_RULES, read_manifest
from bench.extraction_set.rules import RULES


def test_manifest_has_at_least_100_varied_pages() -> None:
    pages = read_manifest()["pages"]
    kinds = Counter(page["kind"] for page in pages)
    features = Counter(feature for page in pages for feature in page["features"])
    assert len(pages) >= 100
    assert set(kinds) == {
        *("article", "discussion", "docs", "faq", "listing", "mail", "news", "posts")
    }
    assert features["code"] >= 20 and features["table"] >= 20


def test_manifest_has_pages_of_posts_replies_and_dated_news() -> None:
    kinds = Counter(page["kind"] for page in read_manifest()["pages"])
    assert kinds["posts"] + kinds["discussion"] + kinds["news"] >= 30
    assert kinds["posts"] >= 3 and kinds["discussion"] >= 10


def test_every_page_names_a_known_package_and_its_rule() -> None:
    manifest = read_manifest()
    assert set(manifest["packages"]) == set(PACKAGES) == set(PACKAGE_RULES)
    for page in manifest["pages"]:
        assert page["rule"] == PACKAGE_RULES[page["package"]] and page["rule"] in RULES
    paths = [(page["package"], page["path"]) for page in manifest["pages"]]
    assert len(paths) == len(set(paths))
