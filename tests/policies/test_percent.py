"""Percent-encoding canonicalisation (RFC 9309 §2.2.2, Figures 4 and 6) and match targets."""

from __future__ import annotations

import pytest

from policies._percent import canonical_pattern, canonical_url_path, match_target


@pytest.mark.parametrize(
    ("url", "expected", "reason"),
    [
        ("https://example.com/a/b?c=d#e", "/a/b?c=d", "fragment dropped"),
        ("https://user:pw@example.com:8443/a", "/a", "userinfo and port dropped"),
        ("https://example.com", "/", "empty path is /"),
        ("https://example.com?q=1", "/?q=1", "query without path"),
        ("https://example.com/a;p=1?q", "/a;p=1?q", "params kept"),
        ("/just/a/path", "/just/a/path", "already a path"),
        ("//example.com/a", "/a", "scheme-relative"),
        ("relative/path", "/relative/path", "not absolute"),
        ("", "/", "empty"),
    ],
)
def test_match_target(url: str, expected: str, reason: str) -> None:
    assert match_target(url) == expected, reason


@pytest.mark.parametrize(
    ("path", "expected", "reason"),
    [
        ("/foo/bar/ツ", "/foo/bar/%E3%83%84", "Figure 4: UTF-8 percent-encoded"),
        ("/foo/bar/%E3%83%84", "/foo/bar/%E3%83%84", "Figure 4: already encoded"),
        ("/foo/bar/%e3%83%84", "/foo/bar/%E3%83%84", "hex upper-cased"),
        ("/foo/bar/%62%61%7A", "/foo/bar/baz", "Figure 4: unreserved decoded"),
        ("/a%2Fb", "/a%2Fb", "%2F is kept"),
        ("/a%2fb", "/a%2Fb", "%2f is kept, upper-cased"),
        ("/a%25b", "/a%25b", "%25 is kept"),
        ("/a%3Db", "/a=b", "= is safe"),
        ("/path/file-with-a-*.html", "/path/file-with-a-%2A.html", "Figure 6: * in a URL"),
        ("/path/foo-$", "/path/foo-%24", "Figure 6: $ in a URL"),
        ("/a b", "/a%20b", "space encoded"),
        ("/100%", "/100%", "stray % kept"),
        ("/a?b=c&d", "/a%3Fb=c%26d", "reserved characters are encoded the same on both sides"),
    ],
)
def test_canonical_url_path(path: str, expected: str, reason: str) -> None:
    assert canonical_url_path(path) == expected, reason


@pytest.mark.parametrize(
    ("pattern", "expected", "reason"),
    [
        ("/*.php$", "/*.php$", "wildcard and anchor kept"),
        ("/a$b", "/a%24b", "$ literal unless last"),
        ("/a$$", "/a%24$", "only the last $ anchors"),
        ("/path/file-with-a-%2A.html", "/path/file-with-a-%2A.html", "%2A stays literal"),
        ("/path/foo-%24", "/path/foo-%24", "%24 stays literal"),
        ("/foo/bar/ツ", "/foo/bar/%E3%83%84", "non-ASCII encoded"),
        ("/foo/bar/%62%61%7A", "/foo/bar/baz", "unreserved decoded"),
    ],
)
def test_canonical_pattern(pattern: str, expected: str, reason: str) -> None:
    assert canonical_pattern(pattern) == expected, reason


def test_both_sides_agree_on_literal_specials() -> None:
    assert canonical_pattern("/x-%2A") == canonical_url_path("/x-*")
    assert canonical_pattern("/x-%24") == canonical_url_path("/x-$")
