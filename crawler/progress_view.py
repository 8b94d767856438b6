"""How a crawl's progress looks: a live panel on a terminal, plain lines otherwise.

Drawing only; the numbers come from :mod:`crawler.tally`. The summary at the end
has the same rows in both forms: a table on a terminal, ``  label: value`` lines
in a log file.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.filesize import decimal
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from crawler.tally import CrawlTally

__all__ = ["live_view", "plain_line", "summary_lines", "summary_rows", "summary_table"]

_SHOWN_HOSTS = 5  # waiting hosts named in full; the rest are counted


def plain_line(t: CrawlTally) -> str:
    """One line for a log: pages against the budget, statuses, refusals, rate, waits."""
    line = (
        f"crawl: {t.fetched} of {t.budget} pages ({_budget(t)}), "
        f"status {_statuses(t)}, {t.refused_before_fetch} refused before fetch, "
        f"{t.per_minute:.1f} pages/min"
    )
    return line + (f", waiting on politeness: {_hosts(t)}" if t.waiting else "")


def live_view(t: CrawlTally) -> RenderableType:
    """The panel a terminal shows while the crawl runs."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    bar = ProgressBar(total=max(t.budget, 1), completed=min(t.fetched, max(t.budget, 1)), width=30)
    grid.add_row("pages", Group(bar, Text(f"{t.fetched} of {t.budget} ({_budget(t)})")))
    grid.add_row("status", _statuses(t))
    grid.add_row("refused before fetch", str(t.refused_before_fetch))
    grid.add_row("rate", f"{t.per_minute:.1f} pages/min")
    grid.add_row("waiting on politeness", _hosts(t) if t.waiting else "none")
    return grid


def summary_rows(t: CrawlTally) -> list[tuple[str, str, int]]:
    """(label, value, depth): the crawl's end, every refusal by its signal."""
    rows = [("fetched", str(t.fetched), 0)]
    rows.append(("refused by robots.txt before fetch", str(t.refused_by_robots), 0))
    rows.append(("refused by the address guard", str(t.refused_by_guard), 0))
    rows.append(("refused by signal (opted out of training)", str(sum(t.opt_outs.values())), 0))
    rows += [(signal, str(n), 1) for signal, n in t.opt_outs.items()]
    rows.append(("not read (no opt-out)", str(sum(t.outcomes.values())), 0))
    rows += [(outcome, str(n), 1) for outcome, n in t.outcomes.items()]
    rows.append(("errors", str(t.errors), 0))
    rows.append(("bytes", decimal(t.bytes), 0))
    rows.append(("time", f"{t.seconds:.0f} s", 0))
    return rows


def summary_table(t: CrawlTally) -> Table:
    table = Table(title="Crawl summary", title_justify="left")
    table.add_column("")
    table.add_column("", justify="right")
    for label, value, depth in summary_rows(t):
        table.add_row(Text("  " * depth + label, style="" if depth else "bold"), value)
    return table


def summary_lines(t: CrawlTally) -> list[str]:
    return ["crawl summary:"] + [f"{'  ' * (d + 1)}{k}: {v}" for k, v, d in summary_rows(t)]


def _budget(t: CrawlTally) -> str:
    return f"{t.hosts} host(s) x {t.per_host}"


def _statuses(t: CrawlTally) -> str:
    return " ".join(f"{code}x{n}" for code, n in sorted(t.statuses.items())) or "none yet"


def _hosts(t: CrawlTally) -> str:
    shown = ", ".join(t.waiting[:_SHOWN_HOSTS])
    more = len(t.waiting) - _SHOWN_HOSTS
    return shown + (f" and {more} more" if more > 0 else "")
