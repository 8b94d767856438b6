from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.document import Document
from pipeline.filters import PiiConfig, PiiRedactor, redact


@pytest.mark.parametrize(
    ("text", "expected", "counts"),
    [
        ("Write to jane.doe+news@example.co.uk today.", "Write to <EMAIL> today.", {"email": 1}),
        ("Server 192.168.0.17 answered.", "Server <IP> answered.", {"ip": 1}),
        ("Reach 2001:db8::8a2e:370:7334 now", "Reach <IP> now", {"ip": 1}),
        ("Call +44 20 7946 0958 or (555) 123-4567.", "Call <PHONE> or <PHONE>.", {"phone": 2}),
        ("Fax 555-123-4567!", "Fax <PHONE>!", {"phone": 1}),
        ("Version 1.2.3.4.5 and 999.1.1.1", "Version 1.2.3.4.5 and 999.1.1.1", {}),
        (
            "In 2024 there were 1200 boats; call at 10:30.",
            "In 2024 there were 1200 boats; call at 10:30.",
            {},
        ),
        ("See section 3.2 and C++ at 12:00:00.", "See section 3.2 and C++ at 12:00:00.", {}),
    ],
)
def test_redact(text: str, expected: str, counts: dict[str, int]) -> None:
    assert redact(text) == (expected, counts)


def test_redactor_counts_by_kind_and_honours_config() -> None:
    step = PiiRedactor(PiiConfig(phones=False, licensed=False))
    docs = [
        Document(id="1", text="a@b.org and 10.0.0.1 and 555-123-4567", source="web"),
        Document(id="2", text="licensed c@d.org", source="harbor"),
    ]
    out = list(step(iter(docs)))
    assert out[0].text == "<EMAIL> and <IP> and 555-123-4567"
    assert out[1].text == "licensed c@d.org"
    assert step.stats.as_dict() == {
        "kept": 2,
        "pii/email": 1,
        "pii/ip": 1,
        "redacted_docs": 1,
        "total": 2,
    }


_PIECES = st.sampled_from(
    ["a@b.org", "10.0.0.1", "+1 555 123 4567", "::1", " ", ".", "x", "7", ":", "@", "-", "\n"]
)


@given(st.lists(_PIECES | st.text(max_size=5), max_size=20).map("".join))
def test_redaction_is_idempotent(text: str) -> None:
    once, _ = redact(text)
    assert redact(once) == (once, {})
