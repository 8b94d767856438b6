"""The opt-out refresh, pipeline side: which authorities a version holds, and the judge
that re-evaluates their documents against what each publisher says now."""

from pipeline.optout.hosts import web_authorities
from pipeline.optout.judge import HostChange, RefreshJudge, host_changes

__all__ = ["HostChange", "RefreshJudge", "host_changes", "web_authorities"]
