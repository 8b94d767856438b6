"""The dataset report: one page on what a version holds, how consent decided, what the
filters and dedup dropped, and how the dataset changed across versions."""

from __future__ import annotations

from pathlib import Path

from gleaner.report.page import Html, Page, facts, grid, note, table
from gleaner.report.plots import bar_chart, funnel_chart, grouped_bars
from pipeline.report import ConsentFunnel, FilterStep, ReportData, Share, report_data

__all__ = ["dataset_page", "write_report"]


def write_report(version: Path, out: Path) -> Path:
    """Read ``version``'s numbers and write its page to ``out`` (atomically)."""
    return dataset_page(report_data(version)).write(out)


def dataset_page(data: ReportData) -> Page:
    page = Page(
        f"Dataset {data.dataset}, {data.version}",
        subtitle=f"made by {data.kind} at {data.created}; "
        f"{len(data.versions)} version(s) in its lineage",
    )
    page.section("Summary", _summary(data))
    page.section("Composition", *_composition(data))
    page.section("Consent", *_consent(data.consent))
    page.section("Filters and dedup", *_filters(data))
    page.section("Versions", *_versions(data))
    return page


def _summary(data: ReportData) -> Html:
    c = data.composition
    return facts(
        [
            ("documents", c.documents),
            ("words", c.words),
            ("characters", c.chars),
            ("web hosts", c.hosts),
            ("registered domains", c.domains),
            ("crawl runs", len(data.crawl_runs)),
            ("removed in this version", data.versions[-1].removed if data.versions else 0),
        ]
    )


def _composition(data: ReportData) -> list[Html]:
    c = data.composition
    return [
        grid(
            _bars(c.by_source, "Documents by source"),
            _bars(c.by_licence, "Documents by licence"),
            _bars(c.by_language, "Documents by language"),
            _bars(c.by_domain, "Documents by domain or licensor"),
        ),
        _shares_table("source", c.by_source),
        _shares_table("licence", c.by_licence),
        table(
            ["licence", "licensor", "documents", "valid until"],
            c.licences,
            caption="Licensed documents",
        ),
        _shares_table("language", c.by_language),
        _shares_table("domain", c.by_domain),
    ]


_HALF = 5.2  # inches: two plots side by side in the page's grid


def _bars(shares: tuple[Share, ...], title: str) -> Html:
    labels, values = [s.label for s in shares], [s.documents for s in shares]
    return bar_chart(labels, values, title=title, limit=12, width=_HALF)


def _shares_table(what: str, shares: tuple[Share, ...]) -> Html:
    rows = [(s.label, s.documents, s.words) for s in shares]
    return table([what, "documents", "words"], rows, caption=f"By {what}")


def _consent(funnel: ConsentFunnel) -> list[Html]:
    if not funnel.considered:
        return [note("No crawl run: every document came from licensed corpora or archives.")]
    stages = [
        ("URLs considered", funnel.considered),
        ("refused before fetch", sum(n for _, n in funnel.refused)),
        ("fetched", funnel.fetched),
        ("opted out of training", sum(n for _, n in funnel.opted_out)),
        ("not read (fetch outcome)", sum(n for _, n in funnel.not_read)),
        ("cleared for training", funnel.cleared),
    ]
    return [
        funnel_chart(stages, title="Consent funnel", xlabel="URLs"),
        grid(
            bar_chart(
                *_split(funnel.refused), title="Refused before fetch", xlabel="URLs", width=_HALF
            ),
            bar_chart(
                *_split(funnel.opted_out), title="Opted out, by signal", xlabel="pages", width=_HALF
            ),
        ),
        note(
            "Refused before fetch: robots.txt for our crawl token (its rule) or one of our own "
            "refusals. Opted out: fetched, then kept out of training by the publisher's signal "
            "that decided (robots.txt for the training token, X-Robots-Tag, meta robots, "
            "TDMRep, Content-Usage)."
        ),
        table(["refused before fetch", "URLs"], funnel.refused),
        table(["opted out, by signal", "pages"], funnel.opted_out),
        table(["not read, by outcome", "pages"], funnel.not_read),
        table(
            ["host", "considered", "refused", "fetched", "opted out", "cleared"],
            funnel.hosts,
            caption="By publisher",
        ),
    ]


def _split(tallies: tuple[tuple[str, int], ...]) -> tuple[list[str], list[int]]:
    return [k for k, _ in tallies], [n for _, n in tallies]


def _filters(data: ReportData) -> list[Html]:
    drops = [(f"{s.step}: {why}", n) for s in data.filters for why, n in s.dropped]
    read = [s for s in data.filters if s.step.startswith("read")]
    stages = [("read (every input)", sum(s.kept for s in read))] + [
        (s.step, s.kept) for s in data.filters if s not in read
    ]
    return [
        funnel_chart(stages, title="Documents kept after each step"),
        bar_chart(*_split(tuple(drops)), title="Documents dropped, by step and reason"),
        note(
            "Summed over every build of this version's lineage. The consent gate and "
            "extraction see web pages only; licensed documents join at the filters."
        ),
        table(["step", "in", "kept", "dropped"], [_step_row(s) for s in data.filters]),
        table(
            ["version", "reason", "matched a document of", "documents"],
            data.duplicates,
            caption="Duplicates dropped",
        ),
    ]


def _step_row(step: FilterStep) -> tuple[str, int, int, str]:
    why = ", ".join(f"{reason} {n:,}" for reason, n in step.dropped)
    return (step.step, step.total, step.kept, why)


def _versions(data: ReportData) -> list[Html]:
    names = [v.name for v in data.versions]
    reasons = sorted({r for _, r, _ in data.removals})
    by_reason = {r: sum(n for _, why, n in data.removals if why == r) for r in reasons}
    return [
        grouped_bars(
            names,
            {
                "documents": [v.documents for v in data.versions],
                "added": [v.added for v in data.versions],
                "removed": [v.removed for v in data.versions],
            },
            title="Size and changes by version",
        ),
        bar_chart(list(by_reason), list(by_reason.values()), title="Removals, by reason"),
        table(
            ["version", "made by", "created", "documents", "added", "removed", "shards", "bytes"],
            [
                (v.name, v.kind, v.created, v.documents, v.added, v.removed, v.shards, v.bytes)
                for v in data.versions
            ],
        ),
        table(["version", "reason", "documents"], data.removals, caption="Removals"),
    ]
