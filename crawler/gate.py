"""The policy gate: the training question, asked of every page we fetched.

After the response arrives (decoded, so page signals can be read) the gate
asks :mod:`policies` with both tokens, the robots.txt entry of the authority,
the response headers, the HTML and the TDMRep file, then writes one ``page``
row to the decision log and a ``metadata`` record to the WARC beside the
response. Pages that may be fetched but not trained on stay in the WARC and
the log, marked; the pipeline's consent gate keeps them out of every shard.

A ``304`` for a known page is asked again without a body (this run's robots.txt
and TDMRep file, the 304's own headers): its row's ``outcome`` is ``not_modified``,
and an opt-out published since the earlier capture is on it as the publisher's. A
304 row never allows training by itself (see :func:`record.revisit_verdict`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response, TextResponse

import policies
from crawler.decisions import log_decision
from crawler.logs import _extension
from crawler.warc import WarcArchive
from record import revisit_verdict, verdict_summary

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from crawler.robots import RobotsEntry

__all__ = ["PolicyGateMiddleware"]


class PolicyGateMiddleware:
    """Downloader middleware: log the page-stage decision of each response."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.crawl_token = crawler.settings.get("GLEANER_CRAWL_TOKEN")
        self.training_token = crawler.settings.get("GLEANER_TRAINING_TOKEN")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PolicyGateMiddleware:
        if not crawler.settings.get("GLEANER_RUN_DIR"):
            raise NotConfigured("GLEANER_RUN_DIR is not set")
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if request.meta.get("gleaner_wellknown"):
            return response  # robots.txt and TDMRep files are logged by their own fetcher
        entry = request.meta.get("gleaner_robots")
        if response.status == 304 and request.meta.get("gleaner_known") is not None:
            self._record(request, response, self._revisit(response, entry), entry)
            return response
        verdict = self._evaluate(
            response,
            entry,
            response.body if isinstance(response, TextResponse) else None,
            # The whole body, past the WARC's cut; set when even the read cap stopped it.
            request.meta.get("gleaner_body_cut_at"),
        )
        self._record(request, response, verdict, entry)
        request.meta["gleaner_verdict"] = verdict
        return response

    def _revisit(self, response: Response, entry: RobotsEntry | None) -> policies.Verdict:
        """A 304 re-decided against this run's robots.txt and TDMRep file and its own
        headers, so an opt-out published since the earlier capture is recorded."""
        # No body: the earlier capture's page signals were read with it.
        return revisit_verdict(self._evaluate(response, entry, None, None))

    def _evaluate(
        self, response: Response, entry: RobotsEntry | None, html: bytes | None, cut: int | None
    ) -> policies.Verdict:
        """Both tokens against this run's robots.txt, TDMRep file and the response."""
        return policies.evaluate(
            response.url,
            crawl_agent=self.crawl_token,
            training_agent=self.training_token,
            robots=entry.robots if entry else None,
            headers=_headers(response),
            html=html,
            tdmrep=entry.tdmrep if entry else None,
            html_cut_at=cut,
        )

    def _record(
        self,
        request: Request,
        response: Response,
        verdict: policies.Verdict,
        entry: RobotsEntry | None,
    ) -> None:
        record_id = request.meta.get("warc_record_id")
        warc = (request.meta.get("warc_file"), record_id)
        row = log_decision(
            self.crawler, response.url, "page", verdict, entry, response.status, warc
        )
        if record_id:
            archive: WarcArchive = _extension(self.crawler, WarcArchive)
            archive.write_metadata(response.url, record_id, {"decision": verdict_summary(verdict)})
        self.crawler.stats.inc_value(f"policy/page/{_stat(row)}")


def _stat(row: dict[str, Any]) -> str:
    """The row's stats key: a publisher's refusal is an opt-out; an outcome is not."""
    if row["may_train"] is False:
        return f"opt_out/{row['deciding_signal']}"
    if row["outcome"]:
        return f"outcome/{row['outcome']}"
    return "may_train"


def _headers(response: Response) -> list[tuple[str, str]]:
    return [
        (k.decode("latin-1"), v.decode("latin-1"))
        for k, values in response.headers.items()
        for v in values
    ]
