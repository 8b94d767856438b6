"""The non-HTML files of a publisher: robots.txt, sitemap.xml, tdmrep.json, a TDM policy and the
stylesheet. Each is rendered from the publisher's definition with its live base URL."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path

from ._model import Header, Publisher, Robots, RobotsGroup

__all__ = ["ROBOTS_PATH", "Resource", "resources"]

ROBOTS_PATH = "/robots.txt"
TDMREP_PATH = "/.well-known/tdmrep.json"
_RETRY_AFTER = "3600"  # what the always-down robots.txt tells crawlers, in seconds
_UNAVAILABLE = (
    "<!DOCTYPE html>\n<html><head><title>503 Service Unavailable</title></head>"
    "<body><h1>Service temporarily unavailable</h1>"
    "<p>The server is down for maintenance. Please try again later.</p></body></html>\n"
)


@dataclass(frozen=True, slots=True)
class Resource:
    status: int
    content_type: str
    body: str
    headers: tuple[Header, ...] = ()


Renderer = Callable[[Publisher, str], Resource]  # (publisher, its base URL) -> resource


def _group_lines(group: RobotsGroup) -> list[str]:
    lines = [f"User-agent: {agent}" for agent in group.agents]
    lines += [f"Allow: {path}" for path in group.allow]
    lines += [f"Disallow: {path}" for path in group.disallow]
    if not group.allow and not group.disallow:
        lines.append("Disallow:")  # an empty Disallow allows everything
    lines += [f"Content-Usage: {f'{p} ' if p else ''}{pref}" for p, pref in group.content_usage]
    if group.crawl_delay is not None:
        lines.append(f"Crawl-delay: {group.crawl_delay:g}")
    return lines


def robots_txt(robots: Robots, base_url: str) -> str:
    """The robots.txt body: comment, groups separated by blank lines, then Sitemap lines."""
    blocks = [[f"# {robots.comment}"]] if robots.comment else []
    blocks += [_group_lines(group) for group in robots.groups]
    if robots.sitemaps:
        blocks.append([f"Sitemap: {base_url}{path}" for path in robots.sitemaps])
    return "\n\n".join("\n".join(block) for block in blocks) + "\n"


def _robots(publisher: Publisher, base_url: str) -> Resource:
    robots = publisher.robots
    if robots.status >= 400:
        return Resource(robots.status, "text/html; charset=utf-8", _UNAVAILABLE,
                        (("Retry-After", _RETRY_AFTER),))  # fmt: skip
    return Resource(200, "text/plain; charset=utf-8", robots_txt(robots, base_url))


def _sitemap(publisher: Publisher, base_url: str) -> Resource:
    entries = []
    for path in publisher.sitemap:
        page = publisher.page(path)
        lastmod = f"<lastmod>{page.article.published}</lastmod>" if page and page.article else ""
        entries.append(f"  <url><loc>{escape(base_url + path)}</loc>{lastmod}</url>\n")
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{''.join(entries)}</urlset>\n"
    )
    return Resource(200, "application/xml; charset=utf-8", body)


def _tdmrep(publisher: Publisher, base_url: str) -> Resource:
    rules: list[dict[str, object]] = []
    for rule in publisher.tdmrep:
        entry: dict[str, object] = {"location": rule.location, "tdm-reservation": rule.reservation}
        if rule.policy_path:
            entry["tdm-policy"] = base_url + rule.policy_path
        rules.append(entry)
    return Resource(200, "application/json; charset=utf-8", json.dumps(rules, indent=2) + "\n")


def _policy(publisher: Publisher, base_url: str) -> Resource:
    """An ODRL offer in the TDMRep profile: mining needs the rightsholder's consent."""
    policy = {
        "@context": ["http://www.w3.org/ns/odrl.jsonld", "http://www.w3.org/ns/tdmrep.jsonld"],
        "@type": "Offer",
        "profile": "http://www.w3.org/ns/tdmrep",
        "uid": f"{base_url}/policy.json",
        "assigner": {"fn": publisher.chrome.site_name, "hasURL": f"{base_url}/"},
        "permission": [{"target": f"{base_url}/", "action": "tdm:mine",
                        "duty": [{"action": "obtainConsent"}]}],
    }  # fmt: skip
    return Resource(200, "application/json; charset=utf-8", json.dumps(policy, indent=2) + "\n")


@cache
def _stylesheet() -> str:
    return (Path(__file__).parent / "site.css").read_text(encoding="utf-8")


def _css(publisher: Publisher, base_url: str) -> Resource:
    return Resource(200, "text/css; charset=utf-8", _stylesheet())


def resources(publisher: Publisher) -> Mapping[str, Renderer]:
    """Path -> renderer for every non-HTML file ``publisher`` serves."""
    routes: dict[str, Renderer] = {ROBOTS_PATH: _robots, "/static/site.css": _css}
    if publisher.sitemap:
        routes.update(dict.fromkeys(publisher.robots.sitemaps or ("/sitemap.xml",), _sitemap))
    if publisher.tdmrep:
        routes[TDMREP_PATH] = _tdmrep
        routes.update({r.policy_path: _policy for r in publisher.tdmrep if r.policy_path})
    return routes
