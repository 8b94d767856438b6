"""Generate the Harbor Press sample archive, ``licensed/documents.jsonl``.

One seeded generator composes short local-news reports from ``harbor_bank.toml``; ten more
documents copy, word for word, the main text of example-web articles that may be used for
training, so a build can show the licensed copy winning deduplication. Run after editing the
bank or the example web's articles:

    python -m gleaner.samples.make_licensed          # rewrite documents.jsonl
    python -m gleaner.samples.make_licensed --check  # exit 1 if the committed file is stale
"""

from __future__ import annotations

import argparse
import json
import random
import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path

from gleaner.exampleweb import EXPECTED, PageRef

__all__ = ["DOCUMENTS_PATH", "build_documents", "main", "planted_pages", "render_jsonl"]

DOCUMENTS_PATH = Path(__file__).parent / "licensed" / "documents.jsonl"
_BANK_PATH = Path(__file__).parent / "harbor_bank.toml"
_SEED = 1897  # the year Harbor Press printed its first issue, as the story goes
_TOTAL = 300
_PLANTED = (("open", 6), ("extended", 4))  # example-web articles copied into the archive
_MIN_WORDS = 150
_FIRST_DAY, _DAYS = date(1998, 1, 1), 10_227  # publication dates: 1998-01-01 .. 2025-12-31

Document = dict[str, str]


@dataclass(frozen=True, slots=True)
class _Topic:
    name: str
    titles: tuple[str, ...]
    leads: tuple[str, ...]
    body: tuple[str, ...]
    closers: tuple[str, ...]


def _load_bank() -> tuple[dict[str, list[str]], list[_Topic]]:
    with _BANK_PATH.open("rb") as handle:
        raw = tomllib.load(handle)
    topics = [
        _Topic(t["name"], *(tuple(t[k]) for k in ("titles", "leads", "body", "closers")))
        for t in raw["topics"]
    ]
    return raw["slots"], topics


def _slot_values(rng: random.Random, slots: dict[str, list[str]]) -> dict[str, str]:
    """One value per slot for a whole document, so a report names the same town throughout."""
    values = {name: rng.choice(options) for name, options in slots.items()}
    first, second = rng.sample(slots["first"], 2), rng.sample(slots["last"], 2)
    values["person"], values["person2"] = (f"{f} {s}" for f, s in zip(first, second, strict=True))
    values["count"] = str(rng.randrange(40, 900))
    values["small"] = str(rng.randrange(3, 20))
    values["percent"] = str(rng.randrange(4, 39))
    values["year"] = str(rng.randrange(1948, 2013))
    values["amount"] = f"${rng.randrange(10, 1900) * 500:,}"
    return values


def _sentence(template: str, values: dict[str, str]) -> str:
    text = template.format_map(values)
    return text[0].upper() + text[1:]


def _compose(rng: random.Random, topic: _Topic, values: dict[str, str]) -> tuple[str, str]:
    """(title, text): lead, body sentences in random order, closer; three or four paragraphs."""
    body = rng.sample(topic.body, len(topic.body))
    count = rng.choice((7, 8, 9))
    while True:
        sentences = [rng.choice(topic.leads), *body[:count], rng.choice(topic.closers)]
        filled = [_sentence(s, values) for s in sentences]
        if sum(len(s.split()) for s in filled) >= _MIN_WORDS or count == len(body):
            break
        count += 1
    parts = 3 if len(filled) <= 10 else 4
    cuts = [round(i * len(filled) / parts) for i in range(parts + 1)]
    paragraphs = [" ".join(filled[a:b]) for a, b in pairwise(cuts)]
    return _sentence(rng.choice(topic.titles), values), "\n\n".join(paragraphs)


def planted_pages() -> list[PageRef]:
    """Trainable articles of ``open`` and ``extended`` outside the web's duplicate groups."""
    grouped = {
        ref for group in EXPECTED.exact_duplicates + EXPECTED.near_duplicates for ref in group
    }
    chosen = []
    for publisher, count in _PLANTED:
        truth = EXPECTED.publishers[publisher]
        paths = sorted(p for p in truth.articles if p in truth.trainable)
        paths = [p for p in paths if PageRef(publisher, p) not in grouped]
        chosen += [PageRef(publisher, paths[i * len(paths) // count]) for i in range(count)]
    return chosen


def _planted_document(ref: PageRef) -> Document:
    article = EXPECTED.publishers[ref.publisher].articles[ref.path]
    return {"title": article.title, "text": article.text, "published": article.published}


def build_documents() -> list[Document]:
    """All documents in archive order, ids ``hp-0001`` ..., planted copies spread evenly."""
    rng = random.Random(_SEED)
    slots, topics = _load_bank()
    planted = [_planted_document(ref) for ref in planted_pages()]
    every = _TOTAL // len(planted)
    documents = []
    for index in range(_TOTAL):
        if index % every == every // 2 and planted:
            doc = planted.pop(0)
        else:
            title, text = _compose(rng, topics[index % len(topics)], _slot_values(rng, slots))
            published = (_FIRST_DAY + timedelta(days=rng.randrange(_DAYS))).isoformat()
            doc = {"title": title, "text": text, "published": published}
        documents.append({"id": f"hp-{index + 1:04d}", **doc})
    return documents


def render_jsonl(documents: list[Document]) -> str:
    return "".join(json.dumps(doc, ensure_ascii=False) + "\n" for doc in documents)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate the Harbor Press sample archive.")
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is stale")
    args = parser.parse_args(argv)
    text = render_jsonl(build_documents())
    if args.check:
        current = DOCUMENTS_PATH.read_text(encoding="utf-8") if DOCUMENTS_PATH.exists() else ""
        print(f"{DOCUMENTS_PATH}: {'up to date' if current == text else 'stale'}")
        return 0 if current == text else 1
    DOCUMENTS_PATH.write_text(text, encoding="utf-8")
    print(f"{DOCUMENTS_PATH}: {text.count(chr(10))} documents")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
