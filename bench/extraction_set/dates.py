"""The publication date a labelled page states for itself, by a rule per site generator.

A page's true date is the one its generator writes as the page's own date, read the way a
person reads it, not guessed from build stamps:

- ``sqlite`` (sqlite.org release announcements): the day in the heading
  "SQLite Release 3.6.6 On 2008-11-19"; sqlite.org's other pages state none;
- ``ikiwiki`` (ikiwiki.info): the "Created" date ikiwiki writes beside "Last edited" in the
  page footer (``<span class="date">Sun Feb  2 20:23:50 2020</span>``, the creation date in an
  HTML comment); in a package built from a release tarball both are the build day;
- every other rule: none. Documentation states when it was last built or updated ("Last
  updated on Feb 08, 2023", copyright years), which is not a publication date.

A date-finder is right on a dated page when it returns that day, and on an undated page when it
returns nothing.
"""

from __future__ import annotations

import re
from datetime import date, datetime

__all__ = ["published_date"]

_SQLITE = re.compile(rb"<h[12][^>]*>\s*SQLite Release \S+ On (\d{4}-\d{2}-\d{2})\s*</h[12]>")
_IKIWIKI = re.compile(rb"Created <span class=\"date\">([^<]+)</span>")
_IKIWIKI_FORMAT = "%a %b %d %H:%M:%S %Y"


def published_date(html: bytes, rule: str) -> date | None:
    """The day ``html`` states as its publication date under ``rule``, or None."""
    if rule == "sqlite":
        found = _SQLITE.search(html)
        return date.fromisoformat(found.group(1).decode()) if found else None
    if rule == "ikiwiki":
        found = _IKIWIKI.search(html)
        if found is None:
            return None
        stamp = " ".join(found.group(1).decode().split())  # "Sun Feb  2 ..." pads the day
        return datetime.strptime(stamp, _IKIWIKI_FORMAT).date()
    return None
