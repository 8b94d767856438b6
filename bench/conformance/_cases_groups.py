"""Group selection and grouping cases (RFC 9309 §2.1 to 2.2.1, §2.2.4; OPTOUT §1.3, §5.2)."""

from __future__ import annotations

from bench.conformance._cases_base import URL_BASE as _U
from bench.conformance._cases_base import RobotsCase
from bench.conformance._cases_base import cases as _cases

__all__ = ["GROUP_CASES", "SYNTAX_CASES"]

_RFC_5_1 = """User-Agent: *
Disallow: *.gif$
Disallow: /example/
Allow: /publications/

User-Agent: foobot
Disallow:/
Allow:/example/page.html
Allow:/example/allowed.gif

User-Agent: barbot
User-Agent: bazbot
Disallow: /example/page.html

User-Agent: quxbot

EOF
"""

_GOOGLE_GROUPS = """allow: /foo/bar/

user-agent: FooBot
disallow: /
allow: /x/
user-agent: BarBot
disallow: /
allow: /y/


allow: /w/
user-agent: BazBot

user-agent: FooBot
allow: /z/
disallow: /
"""


GROUP_CASES: list[RobotsCase] = [
    *_cases(
        "RFC 9309 §5.1 simple example",
        _RFC_5_1,
        ("foobot", f"{_U}/example/page.html", True),
        ("foobot", f"{_U}/example/allowed.gif", True),
        ("foobot", f"{_U}/other", False),
        ("foobot", f"{_U}/publications/x", False),
        ("barbot", f"{_U}/example/page.html", False),
        ("barbot", f"{_U}/example/other.html", True),
        ("bazbot", f"{_U}/example/page.html", False),
        ("quxbot", f"{_U}/example/page.html", True),
        ("quxbot", f"{_U}/x.gif", True),
        ("otherbot", f"{_U}/x.gif", False),
        ("otherbot", f"{_U}/x.gif?y", True),
        ("otherbot", f"{_U}/example/a", False),
        ("otherbot", f"{_U}/publications/a", True),
    ),
    *_cases(
        "RFC 9309 §5.2 longest match",
        "User-Agent: foobot\nAllow: /example/page/\nDisallow: /example/page/disallowed.gif\n",
        ("foobot", f"{_U}/example/page/", True),
        ("foobot", f"{_U}/example/page/disallowed.gif", False),
        ("foobot", f"{_U}/example/page/ok.gif", True),
    ),
    *_cases(
        "RFC 9309 §2.2.1 groups for one token merge",
        "user-agent: ExampleBot\ndisallow: /foo\ndisallow: /bar\n\n"
        "user-agent: ExampleBot\ndisallow: /baz\n",
        ("ExampleBot", f"{_U}/foo", False),
        ("ExampleBot", f"{_U}/bar", False),
        ("ExampleBot", f"{_U}/baz", False),
        ("ExampleBot", f"{_U}/qux", True),
    ),
    *_cases(
        "RFC 9309 §2.2.1 product token match is case-insensitive",
        "User-agent: EXAMPLEBOT\nDisallow: /\n",
        ("examplebot", f"{_U}/a", False),
        ("ExampleBot", f"{_U}/a", False),
    ),
    *_cases(
        "RFC 9309 §2.2.1 exact token: Applebot group does not answer for Applebot-Extended",
        "User-agent: Applebot\nAllow: /\n\nUser-agent: *\nDisallow: /\n",
        ("Applebot", f"{_U}/a", True),
        ("Applebot-Extended", f"{_U}/a", False),
    ),
    *_cases(
        "OPTOUT §1.3 exact token: Google group does not answer for Google-Extended",
        "User-agent: Google\nDisallow: /\n",
        ("Google-Extended", f"{_U}/a", True),
        ("Google", f"{_U}/a", False),
    ),
    *_cases(
        "OPTOUT §1.3 no prefix match: a Foo group does not answer for FooBot",
        "User-agent: Foo\nDisallow: /\n",
        ("FooBot", f"{_U}/a", True),
    ),
    *_cases(
        "RFC 9309 §2.2.1 a specific group replaces * (no inheritance)",
        "User-agent: *\nDisallow: /x/\n\nUser-agent: FooBot\nDisallow: /y/\n",
        ("FooBot", f"{_U}/x/page", True),
        ("FooBot", f"{_U}/y/page", False),
        ("BarBot", f"{_U}/x/page", False),
    ),
    *_cases(
        "RFC 9309 §2.2.1 no group and no * group: everything allowed",
        "User-agent: FooBot\nallow: /\nuser-agent: BarBot\ndisallow: /\n",
        ("FooBot", f"{_U}/a", True),
        ("QuxBot", f"{_U}/a", True),
        ("BarBot", f"{_U}/a", False),
    ),
    *_cases(
        "GRT ID_GlobalGroups_Secondary: specific group wins over * allow",
        "user-agent: *\nallow: /\nuser-agent: FooBot\ndisallow: /\n",
        ("FooBot", f"{_U}/x/y", False),
        ("BarBot", f"{_U}/x/y", True),
    ),
    *_cases(
        "GRT ID_LineSyntax_Groups: rules before any user-agent are ignored",
        _GOOGLE_GROUPS,
        ("FooBot", f"{_U}/x/b", True),
        ("FooBot", f"{_U}/z/d", True),
        ("FooBot", f"{_U}/y/c", False),
        ("FooBot", f"{_U}/foo/bar/", False),
        ("BarBot", f"{_U}/y/c", True),
        ("BarBot", f"{_U}/w/a", True),
        ("BarBot", f"{_U}/z/d", False),
        ("BazBot", f"{_U}/z/d", True),
        ("BazBot", f"{_U}/foo/bar/", False),
    ),
    *_cases(
        "GRT ID_LineSyntax_Groups_OtherRules: Sitemap does not split a group",
        "User-agent: BarBot\nSitemap: https://foo.bar/sitemap\nUser-agent: *\nDisallow: /\n",
        ("BarBot", f"{_U}/", False),
        ("FooBot", f"{_U}/", False),
    ),
    *_cases(
        "RFC 9309 §2.2.4 unknown lines do not split a group",
        "User-agent: BarBot\nInvalid-Unknown-Line: unknown\nUser-agent: *\nDisallow: /\n",
        ("BarBot", f"{_U}/", False),
        ("FooBot", f"{_U}/", False),
    ),
    *_cases(
        "RFC 9309 §2.2.4 Crawl-delay does not split a group",
        "User-agent: A\nCrawl-delay: 5\nUser-agent: B\nDisallow: /\n",
        ("A", f"{_U}/x", False),
        ("B", f"{_U}/x", False),
    ),
    *_cases(
        "RFC 9309 §2.1 blank lines do not end a group",
        "User-agent: FooBot\n\n\nDisallow: /private\n\nAllow: /private/ok\n",
        ("FooBot", f"{_U}/private/x", False),
        ("FooBot", f"{_U}/private/ok", True),
    ),
    *_cases(
        "RFC 9309 §2.1 user-agent lines separated by blank lines share a group",
        "User-agent: A\n\nUser-agent: B\n\nDisallow: /x\n",
        ("A", f"{_U}/x", False),
        ("B", f"{_U}/x", False),
        ("C", f"{_U}/x", True),
    ),
    *_cases(
        "OPTOUT §5.2 attach-05: stricter of both groupings for crawling",
        "User-agent: A\nContent-Usage: train-ai=n\nUser-agent: B\nDisallow: /\n",
        ("A", f"{_U}/x", False),
        ("B", f"{_U}/x", False),
    ),
]

SYNTAX_CASES: list[RobotsCase] = [
    *_cases(
        "GRT ID_LineSyntax_Line: keys without a colon are accepted",
        "user-agent FooBot\ndisallow /\n",
        ("FooBot", f"{_U}/x/y", False),
    ),
    *_cases(
        "GRT ID_LineSyntax_Line: unknown keys make no group",
        "foo: FooBot\nbar: /\n",
        ("FooBot", f"{_U}/x/y", True),
    ),
    *_cases(
        "GRT ID_REPLineNamesCaseInsensitive: upper-case keys",
        "USER-AGENT: FooBot\nALLOW: /x/\nDISALLOW: /\n",
        ("FooBot", f"{_U}/x/y", True),
        ("FooBot", f"{_U}/a/b", False),
    ),
    *_cases(
        "GRT ID_REPLineNamesCaseInsensitive: mixed-case keys",
        "uSeR-aGeNt: FooBot\nAlLoW: /x/\ndIsAlLoW: /\n",
        ("FooBot", f"{_U}/x/y", True),
        ("FooBot", f"{_U}/a/b", False),
    ),
    *_cases(
        "GRT ID_UserAgentValueCaseInsensitive + AcceptUserAgentUpToFirstSpace",
        "User-Agent: *\nDisallow: /\nUser-Agent: FOO BAR\nAllow: /x/\nDisallow: /\n",
        ("Foo", f"{_U}/x/y", True),
        ("foo", f"{_U}/a/b", False),
        ("Bar", f"{_U}/x/y", False),
    ),
    *_cases(
        "GRT: a versioned user-agent value keeps its leading token",
        "User-agent: googlebot/1.2\nDisallow: /\n",
        ("googlebot", f"{_U}/a", False),
    ),
    *_cases(
        "GRT GoogleOnly_AllowFrequentTypos: misspelt keys",
        "useragent: FooBot\ndissallow: /a/\ndissalow: /b/\ndisalow: /c/\ndiasllow: /d/\n"
        "disallaw: /e/\n",
        ("FooBot", f"{_U}/a/x", False),
        ("FooBot", f"{_U}/b/x", False),
        ("FooBot", f"{_U}/c/x", False),
        ("FooBot", f"{_U}/d/x", False),
        ("FooBot", f"{_U}/e/x", False),
        ("FooBot", f"{_U}/f/x", True),
    ),
    *_cases(
        "GRT: 'user agent' with a space",
        "user agent: FooBot\ndisallow: /\n",
        ("FooBot", f"{_U}/x", False),
    ),
    *_cases(
        "GRT ID_UTF8ByteOrderMarkIsSkipped: full BOM",
        "\ufeffUser-Agent: foo\nDisallow: /AnyValue\n",
        ("foo", f"{_U}/AnyValue", False),
    ),
    *_cases(
        "GRT ID_LinesNumbersAreCountedCorrectly: CR line endings",
        "User-Agent: foo\rAllow: /some/path\rUser-Agent: bar\r\r\rDisallow: /\r",
        ("foo", f"{_U}/some/path", True),
        ("bar", f"{_U}/some/path", False),
    ),
    *_cases(
        "GRT: CRLF line endings",
        "User-Agent: foo\r\nDisallow: /a\r\nAllow: /a/b\r\n",
        ("foo", f"{_U}/a/c", False),
        ("foo", f"{_U}/a/b", True),
    ),
    *_cases(
        "GRT: mixed line endings, no final newline",
        "User-Agent: foo\nDisallow: /a\r\nAllow: /a/b\rDisallow: /z",
        ("foo", f"{_U}/a/c", False),
        ("foo", f"{_U}/a/b", True),
        ("foo", f"{_U}/z", False),
    ),
    *_cases(
        "RFC 9309 §2.3.1.1: an HTML soft-404 has no rules",
        "<!DOCTYPE html><html><head><title>Not found</title></head>"
        "<body><p>Disallow: / is not here</p></body></html>\n",
        ("FooBot", f"{_U}/x", True),
    ),
    *_cases(
        "GRT ID_SystemTest: empty robots.txt allows everything",
        "",
        ("FooBot", f"{_U}/", True),
    ),
    *_cases(
        "OPTOUT §1.2: rule values that are not paths match nothing",
        "User-agent: *\nDisallow: http://example.com/\n",
        ("FooBot", f"{_U}/", True),
    ),
]
