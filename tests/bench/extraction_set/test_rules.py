"""Each site rule keeps the content its generator wrote and cuts the chrome around and inside it."""

from __future__ import annotations

import pytest

from bench.extraction_set.rules import chrome_lines, main_text

SPHINX = """<html><body><div class="sphinxsidebar">Table of Contents</div>
<div class="body" role="main"><h1>os module<a class="headerlink" href="#">¶</a></h1>
<p>Miscellaneous <code>operating</code> system interfaces.</p><pre>import os</pre>
<script>var x = 1;</script></div><div class="footer">Copyright</div></body></html>"""
SQLITE = """<html><body><div class=nosearch><div class="menu">Home About</div></div>
<div class=fancy_toc>Table Of Contents</div><h1>Locking</h1><p>SQLite uses
locks.</p>
<p align="center"><small><i>This page last modified on 2022</i></small></p></body></html>"""
APACHE = """<html lang="en"><body><div id="page-header">Modules | Directives</div>
<div id="page-content"><div id="preamble"><h1>mod_alias</h1><div class="toplang">
Available Languages: en fr</div><p>Maps URLs to paths.</p></div><div id="quickview">
Directives list</div><div class="top"><a href="#page-header">Top</a></div>
<div class="section"><h2>Alias</h2><table><tr><td>Syntax</td><td>Alias path</td></tr></table>
</div><div class="bottomlang">Available Languages</div></div><div id="footer">Copyright</div>
</body></html>"""
DOCBOOK = """<html><body><div class="navheader">Prev Next</div><div class="chapter">
<h2>Chapter 8. I18N</h2><div class="toc"><dl><dt>8.1. Locale</dt></dl></div>
<div class="section"><h2>8.1. Locale</h2><p>Set the locale.</p></div></div>
<div class="navfooter">Home</div></body></html>"""

IKIWIKI = """<html><body><div class="page"><div class="pageheader"><span class="parentlinks">
<a href="../index.html">ikiwiki</a>/ </span><span class="title">news</span></div>
<div id="pagebody"><div id="content" role="main"><p>Announcements are posted here.</p>
<div class="feedlink"><a class="feedbutton" href="news.rss">RSS</a></div>
<div class="inlinepage"><div class="inlineheader"><span class="header">
<a href="./news/server_move.html">server move</a></span></div>
<div class="inlinecontent"><p>The wiki moved.</p><blockquote><p>Thanks! --<span
class="createlink">Joey</span></p></blockquote></div>
<div class="inlinefooter"><span class="pagedate">Posted
<span class="date">Thu Mar 20 03:07:13 2008</span></span></div></div></div></div>
<div id="footer" class="pagefooter"><div class="pagedate">
Last edited <span class="date">Sun Feb  2 20:23:50 2020</span>
<!-- Created <span class="date">Thu Mar 20 03:07:13 2008</span> --></div></div></div>
</body></html>"""


@pytest.mark.parametrize(
    ("html", "rule", "expected"),
    [
        (
            IKIWIKI,
            "ikiwiki",
            "Announcements are posted here.\nserver move\nThe wiki moved.\nThanks! --Joey",
        ),
        (SPHINX, "sphinx", "os module\nMiscellaneous operating system interfaces.\nimport os"),
        (SQLITE, "sqlite", "Locking\nSQLite uses\nlocks."),
        (APACHE, "apache", "mod_alias\nMaps URLs to paths.\nAlias\nSyntax\nAlias path"),
        (DOCBOOK, "docbook", "Chapter 8. I18N\n8.1. Locale\nSet the locale."),
    ],
)
def test_rule_keeps_main_text_and_cuts_chrome(html: str, rule: str, expected: str) -> None:
    assert main_text(html, rule) == expected


def test_page_without_the_rules_element_has_no_main_text() -> None:
    assert main_text("<html><body><p>no main here</p></body></html>", "sphinx") == ""


@pytest.mark.parametrize(
    ("html", "rule", "expected"),
    [
        (APACHE, "apache", ["Available Languages: en fr", "Modules | Directives"]),
        (SQLITE, "sqlite", ["Table Of Contents", "This page last modified on 2022"]),
        (SPHINX, "sphinx", ["Table of Contents"]),
        (IKIWIKI, "ikiwiki", ["Thu Mar 20 03:07:13 2008", "Last edited Sun Feb 2 20:23:50 2020"]),
    ],
)
def test_chrome_lines_are_the_longer_lines_outside_the_main_text(
    html: str, rule: str, expected: list[str]
) -> None:
    assert chrome_lines(html, rule, main_text(html, rule)) == expected
