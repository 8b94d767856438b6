from __future__ import annotations

import pytest

from pipeline.document import Document
from pipeline.errors import ConfigError
from pipeline.filters import C4Config, C4Filter
from tests.pipeline.filters.conftest import ARTICLE, reason_of


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (ARTICLE, None),
        (ARTICLE + "\nLorem ipsum dolor sit amet, consectetur.", "lorem_ipsum"),
        (ARTICLE + "\nfunction f() { return 1; }", "curly_bracket"),
        ("One sentence only. And a second one here.", "too_few_sentences"),
        ("\n".join(["Home", "News", "Sport", "Weather"]), "too_few_sentences"),
    ],
)
def test_c4_document_rules(text: str, reason: str | None) -> None:
    assert reason_of(C4Filter(), text) == reason


@pytest.mark.parametrize(
    ("line", "counter"),
    [
        ("Menu", "lines/too_few_words"),
        ("Please enable JavaScript to view the comments.", "lines/javascript"),
        ("This site uses cookies to improve your experience.", "lines/policy"),
        ("Read our privacy policy before signing up.", "lines/policy"),
        ("x" * 1001 + " and more words", "lines/too_long_word"),
    ],
)
def test_c4_removes_boilerplate_lines_and_counts_them(line: str, counter: str) -> None:
    step = C4Filter()
    doc = Document(id="d", text=f"{line}\n{ARTICLE}", source="web")
    assert step.decide(doc) is None
    assert line not in doc.text and doc.text.startswith("The harbour")
    assert step.stats.as_dict() == {counter: 1}


def test_citations_are_cut_and_terminal_punctuation_is_optional() -> None:
    doc = Document(
        id="d", text=ARTICLE.replace("nets.", "nets.[12]") + "\nA line w/o end", source="web"
    )
    assert C4Filter().decide(doc) is None
    assert "[12]" not in doc.text and doc.text.endswith("A line w/o end")
    strict = Document(id="d", text=ARTICLE + "\nA line w/o end", source="web")
    assert C4Filter(C4Config(no_terminal_punct=True)).decide(strict) is None
    assert not strict.text.endswith("A line w/o end")


@pytest.mark.parametrize(
    ("switch", "text"),
    [
        ("lorem_ipsum", ARTICLE + "\nLorem ipsum dolor sit amet, consectetur."),
        ("curly_bracket", ARTICLE + "\nfunction f() { return 1; }"),
    ],
)
def test_each_document_rule_can_be_switched_off(switch: str, text: str) -> None:
    assert reason_of(C4Filter(), text) == switch
    assert reason_of(C4Filter(C4Config(**{switch: False})), text) is None


@pytest.mark.parametrize(
    ("switch", "line"),
    [
        ("javascript", "Please enable JavaScript to view the comments."),
        ("policy", "This site uses cookies to improve your experience."),
    ],
)
def test_each_line_rule_can_be_switched_off(switch: str, line: str) -> None:
    step = C4Filter(C4Config(**{switch: False}))
    doc = Document(id="d", text=f"{line}\n{ARTICLE}", source="web")
    assert step.decide(doc) is None
    assert line in doc.text and step.stats.as_dict() == {}


def test_a_switch_must_be_a_boolean() -> None:
    with pytest.raises(ConfigError, match="must be true or false"):
        C4Config(curly_bracket="no")  # type: ignore[arg-type]
