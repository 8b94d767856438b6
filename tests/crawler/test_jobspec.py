from __future__ import annotations

from pathlib import Path

import pytest

from crawler.errors import JobSpecError
from crawler.jobspec import _NUMBERS, JOB_SETTINGS, _Number, job_settings, load_job
from crawler.run_folders import new_run_dir

GOOD = """\
[job]
name = "news"
output = "runs"
seeds = ["http://127.0.0.1:8000/"]

[scope]
allowed_hosts = ["127.0.0.1"]
max_depth = 2

[identity]
user_agent = "Mozilla/5.0 (compatible; Gleaner/0.1; +https://gleaner.invalid/bot)"

[politeness]
min_delay = 2
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "job.toml"
    path.write_text(text)
    return path


def test_good_job_loads_with_defaults(tmp_path: Path) -> None:
    job = load_job(write(tmp_path, GOOD))
    assert job.name == "news" and job.seeds == ("http://127.0.0.1:8000/",)
    assert (job.crawl_token, job.training_token) == ("Gleaner", "Gleaner-Extended")
    assert job.min_delay == 2.0 and job.max_depth == 2 and job.max_body_bytes == 1024 * 1024
    assert job.output == (tmp_path / "runs").resolve()
    assert job.max_signal_bytes == 8 * 1024 * 1024


def test_a_frontier_table_names_the_shared_redis(tmp_path: Path) -> None:
    text = GOOD + '[frontier]\nurl = "redis://10.0.0.5:6379/2"\nworkers = 4\nlease = 10\n'
    job = load_job(write(tmp_path, text))
    assert (job.frontier_url, job.workers, job.lease) == ("redis://10.0.0.5:6379/2", 4, 10.0)
    assert load_job(write(tmp_path, GOOD)).frontier_url is None  # one machine


def test_signal_cap_reaches_the_crawler_settings(tmp_path: Path) -> None:
    text = GOOD + "[limits]\nmax_body_bytes = 2000\nmax_signal_bytes = 5000\n"
    settings = job_settings(load_job(write(tmp_path, text)), tmp_path)
    assert (settings["DOWNLOAD_MAXSIZE"], settings["SIGNALS_MAX_BYTES"]) == (2000, 5000)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('name = "news"', 'name = "a b"', r"\[job\] name \('a b'\)"),
        ('seeds = ["http://127.0.0.1:8000/"]', "seeds = []", "at least one URL"),
        ('seeds = ["http://127.0.0.1:8000/"]', 'seeds = ["ftp://x/"]', "http or https"),
        ("min_delay = 2", "min_delay = 0.2", r"min_delay \(0.2\) must be at least 1 second"),
        ("max_depth = 2", 'max_depth = "deep"', r"max_depth \('deep'\) must be int"),
        (
            "compatible; Gleaner/0.1; +https://gleaner.invalid/bot",
            "compatible; Other/1.0",
            "must name the crawl token and a URL",
        ),
        ("[identity]\n", '[identity]\ntraining_token = "Gleaner Extended"\n', "RFC 9309"),
        ('name = "news"', 'name = "news"\n[[broken', "unreadable job file"),
        ("max_depth = 2", 'allow_private = ["localhost"]', r"allow_private \('localhost'\)"),
        (
            "min_delay = 2\n",
            "min_delay = 2\n[limits]\nmax_body_bytes = 2000\nmax_signal_bytes = 1000\n",
            r"\[limits\] max_signal_bytes \(1000\) must be >= max_body_bytes \(2000\)",
        ),
        (
            "min_delay = 2\n",
            'min_delay = 2\n[frontier]\nurl = "http://127.0.0.1:6379/0"\n',
            r"\[frontier\] url \('http://127.0.0.1:6379/0'\) must be a redis://HOST:PORT/DB URL",
        ),
    ],
)
def test_bad_values_are_refused_naming_file_and_key(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    path = write(tmp_path, GOOD.replace(old, new, 1))
    with pytest.raises(JobSpecError, match=message) as info:
        load_job(path)
    assert str(path) in str(info.value)


def test_settings_carry_identity_and_never_go_below_one_second(tmp_path: Path) -> None:
    job = load_job(write(tmp_path, GOOD))
    run_dir = new_run_dir(job)
    settings = job_settings(job, run_dir)
    assert settings["DOWNLOAD_DELAY"] == 2.0
    assert settings["GLEANER_TRAINING_TOKEN"] == "Gleaner-Extended"
    assert "Gleaner" in settings["USER_AGENT"]
    assert run_dir.parent == job.output / "news" and run_dir.is_dir()


def test_run_dirs_never_collide(tmp_path: Path) -> None:
    job = load_job(write(tmp_path, GOOD))
    assert new_run_dir(job) != new_run_dir(job)


INPUTS_DOC = (Path(__file__).parents[2] / "docs" / "reference.md").read_text()


@pytest.mark.parametrize("spec", _NUMBERS, ids=[n.key for n in _NUMBERS])
def test_every_numeric_key_takes_its_range_edges_and_refuses_beyond(
    tmp_path: Path, spec: _Number
) -> None:
    def load_with(value: float) -> object:
        section = f"[{spec.section}]\n"
        text = GOOD if section in GOOD else GOOD + section
        text = text.replace(section, f"{section}{spec.key} = {value!r}\n", 1)
        if spec.key in GOOD:  # drop the example's own value of this key
            text = "\n".join(line for line in text.splitlines() if line != f"{spec.key} = 2")
        if spec.key == "max_signal_bytes":  # it may not be below max_body_bytes (own test)
            text = text.replace(section, f"{section}max_body_bytes = 1\n", 1)
        return getattr(load_job(write(tmp_path, text)), spec.key)

    step = 1 if spec.kind is int else 0.5
    assert load_with(spec.kind(spec.low)) == spec.low
    assert load_with(spec.kind(spec.high)) == spec.high
    for beyond in (spec.kind(spec.low - step), spec.kind(spec.high + step)):
        with pytest.raises(JobSpecError, match=rf"\[{spec.section}\] {spec.key} "):
            load_with(beyond)


@pytest.mark.parametrize("spec", _NUMBERS, ids=[n.key for n in _NUMBERS])
def test_every_numeric_key_is_documented_with_its_range(spec: _Number) -> None:
    row = f"| `[{spec.section}] {spec.key}` |"
    assert row in INPUTS_DOC
    line = next(line for line in INPUTS_DOC.splitlines() if line.startswith(row))
    assert f"{spec.amount(spec.low).split()[0]} to {spec.amount(spec.high).split()[0]}" in line


@pytest.mark.parametrize(
    ("limits", "signal_cap"),
    [
        ("", 8 * 1024 * 1024),
        ("max_body_bytes = 16777216\n", 16 * 1024 * 1024),  # unset: follows the archive cap
        ("max_body_bytes = 1024\nmax_signal_bytes = 2048\n", 2048),
    ],
)
def test_the_signal_cap_is_never_below_the_archive_cap(
    tmp_path: Path, limits: str, signal_cap: int
) -> None:
    text = (
        GOOD.replace("[limits]\n", f"[limits]\n{limits}", 1)
        if "[limits]\n" in GOOD
        else (GOOD + f"[limits]\n{limits}")
    )
    spec = load_job(write(tmp_path, text))
    assert spec.max_signal_bytes == signal_cap >= spec.max_body_bytes


@pytest.mark.parametrize(("key", "setting"), JOB_SETTINGS.items())
def test_every_job_key_that_is_a_setting_is_documented_with_it(key: str, setting: str) -> None:
    assert f"| `{key}` | `{setting}`" in INPUTS_DOC


@pytest.mark.parametrize("spec", _NUMBERS, ids=[n.key for n in _NUMBERS])
def test_a_key_left_out_takes_the_crawler_setting(tmp_path: Path, spec: _Number) -> None:
    import crawler.settings

    lines = [line for line in GOOD.splitlines() if not line.startswith(f"{spec.key} =")]
    job = load_job(write(tmp_path, "\n".join(lines) + "\n"))
    assert getattr(job, spec.key) == getattr(crawler.settings, spec.setting)
    assert job_settings(job, tmp_path)[spec.setting] == getattr(crawler.settings, spec.setting)


def test_a_job_without_a_user_agent_is_refused(tmp_path: Path) -> None:
    lines = [line for line in GOOD.splitlines() if not line.startswith("user_agent =")]
    with pytest.raises(JobSpecError, match=r"\[identity\] user_agent is required"):
        load_job(write(tmp_path, "\n".join(lines) + "\n"))


@pytest.mark.parametrize(
    ("section", "line", "message"),
    [
        (
            "scope",
            "max_page_per_host = 40",
            r"unknown key \[scope\] max_page_per_host; did you mean max_pages_per_host\?",
        ),
        (
            "politness",
            "min_delay = 5",
            r"unknown table \[politness\]; did you mean \[politeness\]\?",
        ),
        (
            "limits",
            "max_body_byte = 10",
            r"unknown key \[limits\] max_body_byte; did you mean max_body_bytes\?",
        ),
        (
            "identity",
            "useragent = 'x'",
            r"unknown key \[identity\] useragent; did you mean user_agent\?",
        ),
        ("schedule", "corn = '0 * * * *'", r"unknown key \[schedule\] corn; did you mean cron\?"),
        ("job", "seed = []", r"unknown key \[job\] seed; did you mean seeds\?"),
        ("banana", "x = 1", r"unknown table \[banana\]; known: frontier, identity, job, limits"),
        ("", "nme = 'x'", r"unknown key nme outside any table; did you mean \[job\] name\?"),
    ],
)
def test_an_unknown_table_or_key_is_refused_with_the_nearest_known_one(
    tmp_path: Path, section: str, line: str, message: str
) -> None:
    if not section:
        text = f"{line}\n{GOOD}"
    elif f"[{section}]\n" in GOOD:
        text = GOOD.replace(f"[{section}]\n", f"[{section}]\n{line}\n", 1)
    else:
        text = f"{GOOD}\n[{section}]\n{line}\n"
    with pytest.raises(JobSpecError, match=rf"^{tmp_path}/job\.toml: {message}"):
        load_job(write(tmp_path, text))
