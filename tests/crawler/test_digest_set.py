"""The digest seen-set behaves like a set of strings."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from crawler.digest_set import DigestSet


@given(st.lists(st.text(max_size=30), max_size=200), st.lists(st.text(max_size=30), max_size=50))
def test_membership_matches_a_plain_set(added: list[str], probes: list[str]) -> None:
    seen = DigestSet(added, buffer_size=7)  # a tiny buffer: merges happen often
    assert len(seen) == len(set(added))
    assert all(key in seen for key in added)
    assert all((key in seen) == (key in set(added)) for key in probes)


def test_a_hundred_thousand_urls_fit_in_under_a_megabyte() -> None:
    seen = DigestSet(f"http://h{i % 50}.test/page/{i}" for i in range(100_000))
    assert len(seen) == 100_000
    assert "http://h7.test/page/7" in seen and "http://h7.test/page/100000" not in seen
    assert seen.nbytes < 1_000_000
