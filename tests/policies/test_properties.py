"""Hypothesis properties: deny never becomes allow with more rules or more opt-outs, and
evaluation never raises, whatever bytes arrive."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policies import RobotsTxt, TdmRepFile, Verdict, evaluate
from policies.verdict import TRAINING_SIGNALS

SEGMENTS = st.sampled_from(["a", "b", "ab", "x.html", "%41", "%2F", "ツ", "*", "$", "?q=1", ""])
PATHS = st.lists(SEGMENTS, max_size=4).map(lambda parts: "/" + "/".join(parts))
PATTERNS = st.one_of(PATHS, PATHS.map(lambda p: p + "$"), PATHS.map(lambda p: "*" + p))
AGENTS = st.sampled_from(["Gleaner", "Gleaner-Extended", "*", "Googlebot", "GPTBot", "Other"])
RULES = st.lists(st.tuples(st.sampled_from(["Allow", "Disallow"]), PATTERNS), max_size=6)
GROUPS = st.lists(st.tuples(AGENTS, RULES), max_size=4)

OPT_OUTS = st.sampled_from(
    [
        {"headers": [("X-Robots-Tag", "noai")]},
        {"headers": [("X-Robots-Tag", "gleaner: noarchive")]},
        {"headers": [("tdm-reservation", "1")]},
        {"headers": [("Content-Usage", "train-ai=n")]},
        {"html": b'<meta name="robots" content="noimageai">'},
        {"html": b'<meta name="gleaner-extended" content="noindex">'},
        {"html": b'<meta name="tdm-reservation" content="1">'},
        {"robots_extra": "User-agent: Gleaner-Extended\nDisallow: /\n"},
        {"robots_extra": "User-agent: CCBot\nDisallow: /\n"},
        {"robots_extra": "User-agent: *\nContent-Signal: ai-train=no\n"},
        {"ai_txt": b"User-agent: *\nDisallow: /\n"},
    ]
)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def render(groups: list[tuple[str, list[tuple[str, str]]]]) -> str:
    lines = []
    for agent, rules in groups:
        lines.append(f"User-agent: {agent}")
        lines += [f"{kind}: {pattern}" for kind, pattern in rules]
    return "\n".join(lines) + "\n"


@FAST
@given(groups=GROUPS, extra=PATTERNS, path=PATHS, agent=AGENTS)
def test_adding_a_disallow_never_allows_a_denied_url(
    groups: list[tuple[str, list[tuple[str, str]]]], extra: str, path: str, agent: str
) -> None:
    url = "https://a.example" + path
    before = RobotsTxt.parse(render(groups)).can_fetch(url, agent)
    # Only groups that already have rules: a rule under a bare user-agent line would split
    # consecutive user-agent lines into two groups, which changes structure, not rules.
    for index in [i for i, (_, rules) in enumerate(groups) if rules]:
        grown = list(groups)
        name, rules = grown[index]
        grown[index] = (name, [*rules, ("Disallow", extra)])
        after = RobotsTxt.parse(render(grown)).can_fetch(url, agent)
        assert before or not after


@FAST
@given(groups=GROUPS, path=PATHS, opt_out=OPT_OUTS, second=OPT_OUTS)
def test_adding_an_opt_out_never_allows_training(
    groups: list[tuple[str, list[tuple[str, str]]]],
    path: str,
    opt_out: dict[str, object],
    second: dict[str, object],
) -> None:
    url = "https://a.example" + path
    base = render(groups)
    before = _evaluate(url, base, second)
    after = _evaluate(url, base, _merge(second, opt_out))
    assert before.may_train or not after.may_train
    if "robots_extra" not in opt_out:
        # A robots.txt line can be neutralised by the publisher's own equal Allow (ties go to
        # allow); every other opt-out is absolute.
        assert not after.may_train


def _merge(first: dict[str, object], second: dict[str, object]) -> dict[str, object]:
    merged = dict(first)
    for key, value in second.items():
        if key in merged and isinstance(value, list):
            merged[key] = [*merged[key], *value]  # type: ignore[misc]
        elif key in merged and isinstance(value, (bytes, str)):
            merged[key] = merged[key] + value  # type: ignore[operator]
        else:
            merged[key] = value
    return merged


def _evaluate(url: str, robots: str, signals: dict[str, object]) -> Verdict:
    extra = str(signals.get("robots_extra", ""))
    return evaluate(
        url,
        crawl_agent="Gleaner",
        robots=RobotsTxt.parse(robots + extra),
        headers=signals.get("headers"),  # type: ignore[arg-type]
        html=signals.get("html"),  # type: ignore[arg-type]
        ai_txt=signals.get("ai_txt"),  # type: ignore[arg-type]
    )


@FAST
@given(
    robots=st.binary(max_size=2000),
    html=st.binary(max_size=2000),
    tdmrep=st.binary(max_size=500),
    headers=st.lists(st.tuples(st.text(max_size=20), st.text(max_size=200)), max_size=6),
    status=st.integers(min_value=-1, max_value=700),
    url=st.text(max_size=100),
)
def test_evaluation_never_raises_on_arbitrary_input(
    robots: bytes,
    html: bytes,
    tdmrep: bytes,
    headers: list[tuple[str, str]],
    status: int,
    url: str,
) -> None:
    parsed = RobotsTxt.parse(robots, status)
    verdict = evaluate(
        url,
        crawl_agent="Gleaner",
        robots=parsed,
        headers=headers,
        html=html,
        tdmrep=TdmRepFile.parse(tdmrep, status),
        ai_txt=robots,
    )
    assert verdict.training_signal in TRAINING_SIGNALS
    assert verdict.may_fetch or not verdict.may_train


NAMES = st.sampled_from(["X-Robots-Tag", "Content-Usage", "tdm-reservation", "tdm-policy", "x"])


@FAST
@given(
    headers=st.lists(st.tuples(NAMES, st.text(max_size=80)), max_size=8),
    html=st.text(max_size=500),
    robots=st.text(max_size=500),
)
def test_structured_junk_never_raises(
    headers: list[tuple[str, str]], html: str, robots: str
) -> None:
    verdict = evaluate(
        "https://a.example/x",
        crawl_agent="Gleaner",
        robots=RobotsTxt.parse(robots),
        headers=headers,
        html=html,
        tdmrep=robots,
    )
    assert verdict.may_fetch or not verdict.may_index
