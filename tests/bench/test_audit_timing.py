"""The audit benchmark's generator: a small dataset the audit reads like a real one."""

from __future__ import annotations

from pathlib import Path

from bench.audit_timing import AUDITED, make_dataset, time_audit
from pipeline.audit import Publisher, audit_publisher


def test_the_generated_dataset_audits_its_host_in_both_versions(tmp_path: Path) -> None:
    dataset = make_dataset(tmp_path, 3_000)
    audit = audit_publisher(dataset, Publisher.host(AUDITED))
    assert [v["version"] for v in audit.versions] == ["v0001", "v0002"]
    first = [d for d in audit.documents if d["first_version"] == "v0001"]
    assert first and all(d["admitted_by"] for d in first)
    assert {d["first_version"] for d in audit.documents} == {"v0001", "v0002"}
    [fetch] = audit.robots_fetches
    assert fetch["rules"][1]["lines"] == ["line 5: Disallow: /members/"]
    _, found = time_audit(dataset, repeat=1)
    assert found == len(audit.documents)
