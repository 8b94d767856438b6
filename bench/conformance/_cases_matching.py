"""Matching and percent-encoding cases (RFC 9309 §2.2.2 to 2.2.3, Google's documented examples)."""

from __future__ import annotations

from bench.conformance._cases_base import URL_BASE as _U
from bench.conformance._cases_base import RobotsCase
from bench.conformance._cases_base import cases as _cases

__all__ = ["ENCODING_CASES", "MATCH_CASES"]

MATCH_CASES: list[RobotsCase] = [
    *_cases(
        "GRT ID_AllowDisallow_Value_CaseSensitive",
        "user-agent: FooBot\ndisallow: /x/\n",
        ("FooBot", f"{_U}/x/y", False),
        ("FooBot", f"{_U}/X/y", True),
    ),
    *_cases(
        "GRT ID_LongestMatch: equal allow/disallow, allow wins",
        "user-agent: FooBot\ndisallow: /x/page.html\nallow: /x/page.html\n",
        ("FooBot", f"{_U}/x/page.html", True),
    ),
    *_cases(
        "GRT ID_LongestMatch: allow / and disallow / tie",
        "user-agent: FooBot\ndisallow: /\nallow: /\n",
        ("FooBot", f"{_U}/x/page.html", True),
    ),
    *_cases(
        "GRT ID_LongestMatch: longer disallow wins",
        "user-agent: FooBot\nallow: /x\ndisallow: /x/\n",
        ("FooBot", f"{_U}/x", True),
        ("FooBot", f"{_U}/x/", False),
        ("FooBot", f"{_U}/x/page", False),
    ),
    *_cases(
        "GRT ID_LongestMatch: pattern length counts * (/*.html beats /page)",
        "user-agent: FooBot\nallow: /page\ndisallow: /*.html\n",
        ("FooBot", f"{_U}/page.html", False),
        ("FooBot", f"{_U}/page", True),
    ),
    *_cases(
        "GRT ID_LongestMatch: longer allow beats wildcard disallow",
        "user-agent: FooBot\nallow: /x/page.\ndisallow: /*.html\n",
        ("FooBot", f"{_U}/x/page.html", True),
        ("FooBot", f"{_U}/x/y.html", False),
    ),
    *_cases(
        "GRT ID_LongestMatch: empty allow/disallow match nothing",
        "user-agent: FooBot\nallow: \ndisallow: \n",
        ("FooBot", f"{_U}/x", True),
    ),
    *_cases(
        "RFC 9309 §2.2.2: an anchored rule is more specific than the same prefix",
        "user-agent: FooBot\nallow: /foo$\ndisallow: /foo\n",
        ("FooBot", f"{_U}/foo", True),
        ("FooBot", f"{_U}/foobar", False),
    ),
    *_cases(
        "GRT ID_SpecialCharacters: * in the middle",
        "User-agent: FooBot\nDisallow: /foo/bar/quz\nAllow: /foo/*/qux\n",
        ("FooBot", f"{_U}/foo/bar/quz", False),
        ("FooBot", f"{_U}/foo/quz", True),
        ("FooBot", f"{_U}/foo//quz", True),
        ("FooBot", f"{_U}/foo/bax/quz", True),
    ),
    *_cases(
        "GRT ID_SpecialCharacters: $ anchors the end",
        "User-agent: FooBot\nDisallow: /foo/bar$\nAllow: /foo/bar/qux\n",
        ("FooBot", f"{_U}/foo/bar", False),
        ("FooBot", f"{_U}/foo/bar/qux", True),
        ("FooBot", f"{_U}/foo/bar/", True),
        ("FooBot", f"{_U}/foo/bar/baz", True),
    ),
    *_cases(
        "GRT ID_SpecialCharacters: # starts a comment",
        "User-agent: FooBot\n# Disallow: /\nDisallow: /foo/quz#qux\nAllow: /\n",
        ("FooBot", f"{_U}/foo/bar", True),
        ("FooBot", f"{_U}/foo/quz", False),
    ),
    *_cases(
        "RFC 9309 §2.2.3 $ is literal unless last",
        "User-agent: *\nDisallow: /a$b\n",
        ("FooBot", f"{_U}/a$b", False),
        ("FooBot", f"{_U}/a", True),
        ("FooBot", f"{_U}/a$bc", False),
    ),
    *_cases(
        "RFC 9309 §2.2.3 a pattern may start with *",
        "User-agent: *\nDisallow: *.gif$\n",
        ("FooBot", f"{_U}/a/b.gif", False),
        ("FooBot", f"{_U}/a/b.gifs", True),
    ),
    *_cases(
        "Google docs: /fish prefix",
        "User-agent: *\nAllow: /fish\nDisallow: /\n",
        ("FooBot", f"{_U}/fish", True),
        ("FooBot", f"{_U}/fish.html", True),
        ("FooBot", f"{_U}/fish/salmon.html", True),
        ("FooBot", f"{_U}/fishheads/yummy.html", True),
        ("FooBot", f"{_U}/fish.php?id=anything", True),
        ("FooBot", f"{_U}/Fish.asp", False),
        ("FooBot", f"{_U}/catfish", False),
        ("FooBot", f"{_U}/?id=fish", False),
        ("FooBot", f"{_U}/desert/fish", False),
    ),
    *_cases(
        "Google docs: /fish* equals /fish",
        "User-agent: *\nAllow: /fish*\nDisallow: /\n",
        ("FooBot", f"{_U}/fishheads", True),
        ("FooBot", f"{_U}/Fish.asp", False),
    ),
    *_cases(
        "Google docs: /fish/ directory",
        "User-agent: *\nAllow: /fish/\nDisallow: /\n",
        ("FooBot", f"{_U}/fish/", True),
        ("FooBot", f"{_U}/fish/?id=anything", True),
        ("FooBot", f"{_U}/fish", False),
        ("FooBot", f"{_U}/Fish/Salmon.asp", False),
    ),
    *_cases(
        "Google docs: /*.php",
        "User-agent: *\nAllow: /*.php\nDisallow: /\n",
        ("FooBot", f"{_U}/folder/filename.php?parameters", True),
        ("FooBot", f"{_U}/folder/any.php.file.html", True),
        ("FooBot", f"{_U}/filename.php/", True),
        ("FooBot", f"{_U}/", False),
        ("FooBot", f"{_U}/windows.PHP", False),
    ),
    *_cases(
        "Google docs: /*.php$",
        "User-agent: *\nAllow: /*.php$\nDisallow: /\n",
        ("FooBot", f"{_U}/folder/filename.php", True),
        ("FooBot", f"{_U}/filename.php?parameters", False),
        ("FooBot", f"{_U}/filename.php/", False),
        ("FooBot", f"{_U}/filename.php5", False),
    ),
    *_cases(
        "Google docs: /fish*.php",
        "User-agent: *\nAllow: /fish*.php\nDisallow: /\n",
        ("FooBot", f"{_U}/fishheads/catfish.php?parameters", True),
        ("FooBot", f"{_U}/Fish.PHP", False),
    ),
    *_cases(
        "Google docs: order of precedence",
        "User-agent: *\nAllow: /$\nDisallow: /\n",
        ("FooBot", f"{_U}/", True),
        ("FooBot", f"{_U}/page.htm", False),
    ),
    *_cases(
        "GRT GoogleOnly_IndexHTMLisDirectory",
        "User-Agent: *\nAllow: /allowed-slash/index.html\nDisallow: /\n",
        ("FooBot", f"{_U}/allowed-slash/", True),
        ("FooBot", f"{_U}/allowed-slash/index.htm", False),
        ("FooBot", f"{_U}/allowed-slash/index.html", True),
        ("FooBot", f"{_U}/anyother-url", False),
    ),
]

ENCODING_CASES: list[RobotsCase] = [
    *_cases(
        "RFC 9309 §2.2.2 Figure 4: non-ASCII in the rule equals its UTF-8 escape",
        "User-agent: FooBot\nAllow: /foo/bar/ツ\nDisallow: /\n",
        ("FooBot", f"{_U}/foo/bar/%E3%83%84", True),
        ("FooBot", f"{_U}/foo/bar/ツ", True),
    ),
    *_cases(
        "RFC 9309 §2.2.2 Figure 4: an escaped rule equals the raw URL",
        "User-agent: FooBot\nAllow: /foo/bar/%E3%83%84\nDisallow: /\n",
        ("FooBot", f"{_U}/foo/bar/%E3%83%84", True),
        ("FooBot", f"{_U}/foo/bar/ツ", True),
        ("FooBot", f"{_U}/foo/bar/%e3%83%84", True),
    ),
    *_cases(
        "RFC 9309 §2.2.2 Figure 4: escaped unreserved characters are decoded",
        "User-agent: FooBot\nAllow: /foo/bar/%62%61%7A\nDisallow: /\n",
        ("FooBot", f"{_U}/foo/bar/baz", True),
        ("FooBot", f"{_U}/foo/bar/%62%61%7A", True),
    ),
    *_cases(
        "RFC 9309 §2.2.2: %2F is not /",
        "User-agent: FooBot\nDisallow: /a/b\n",
        ("FooBot", f"{_U}/a%2Fb", True),
        ("FooBot", f"{_U}/a/b", False),
    ),
    *_cases(
        "RFC 9309 §2.2.2: hex case does not matter",
        "User-agent: FooBot\nDisallow: /a%3cb\n",
        ("FooBot", f"{_U}/a%3Cb", False),
        ("FooBot", f"{_U}/a<b", False),
    ),
    *_cases(
        "GRT ID_Encoding: query strings with reserved characters",
        "User-agent: FooBot\nAllow: /foo/bar?qux=taz&baz=http://foo.bar?tar&par\nDisallow: /\n",
        ("FooBot", f"{_U}/foo/bar?qux=taz&baz=http://foo.bar?tar&par", True),
        ("FooBot", f"{_U}/foo/bar?qux=taz", False),
    ),
    *_cases(
        "RFC 9309 §2.2.3 Figure 6: %2A and %24 in a rule are literal",
        "User-agent: FooBot\nDisallow: /path/file-with-a-%2A.html\nDisallow: /path/foo-%24\n",
        ("FooBot", f"{_U}/path/file-with-a-*.html", False),
        ("FooBot", f"{_U}/path/file-with-a-x.html", True),
        ("FooBot", f"{_U}/path/foo-$", False),
        ("FooBot", f"{_U}/path/foo-", True),
    ),
    *_cases(
        "RFC 9309 §2.2.2: the match target is path and query, not host or fragment",
        "User-agent: *\nDisallow: /a?b\n",
        ("FooBot", "https://user:pw@example.com:8443/a?b=1#frag", False),
        ("FooBot", "https://example.com/a#?b", True),
        ("FooBot", "https://example.com", True),
    ),
    *_cases(
        "RFC 9309 §2.2.2: an empty path is /",
        "User-agent: *\nDisallow: /$\n",
        ("FooBot", "https://example.com", False),
        ("FooBot", "https://example.com/x", True),
    ),
    *_cases(
        "RFC 9309 §2.2.2: /robots.txt is implicitly allowed",
        "User-agent: *\nDisallow: /\n",
        ("FooBot", f"{_U}/robots.txt", True),
        ("FooBot", f"{_U}/robots.txtx", False),
    ),
]
