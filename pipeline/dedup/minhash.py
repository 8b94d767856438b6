"""MinHash signatures and LSH band keys: shingles hashed in numpy, signatures by rensa.

The FineWeb configuration is the default: 5-word shingles of the normalised
text, 14 bands of 8 rows (112 hash values), 64-bit shingle hashes. Two documents
become candidates when any band matches; with 14 x 8 a pair of Jaccard 0.8 is
caught with probability 1 - (1 - 0.8**8)**14 = 0.92, a pair of 0.9 with 0.9999,
a pair of 0.5 with 0.05.

Words are hashed once each with xxh3 (no spaCy: words are ``\\w+`` runs of the
NFKC case-folded text); a shingle's hash is a polynomial of its words' hashes
computed over whole arrays. The signature of a document's set of shingle hashes
is rensa's R-MinHash (its algorithm version 2, a fast similarity sketch: each
value is the minimum of a seeded hash over a share of the set, 32 bits, and two
sets agree on a value with probability their Jaccard): one call in Rust a
document, ~10x cheaper than evaluating 112 hash functions on every shingle in
numpy, unbiased, and with less variance on short texts. Values are kept as
uint64 so band keys and stored signatures keep one dtype.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
from rensa import RMinHash
from xxhash import xxh3_64_intdigest as _xxh3

from pipeline._checks import bounded, check_fields
from pipeline.errors import ConfigError
from pipeline.text import analyse

__all__ = [
    "PRESETS",
    "SKETCH",
    "MinHashConfig",
    "band_keys",
    "shingle_hashes",
    "signature",
    "signatures",
    "word_shingles",
]

U64 = npt.NDArray[np.uint64]

_POLY: Final = np.uint64(0x9E3779B97F4A7C15)
#: The signature algorithm, part of the dedup index's layout: signatures (and so band
#: keys) of another algorithm or version are not comparable with these.
SKETCH: Final = f"rensa-rminhash-v{RMinHash.ALGORITHM_VERSION}"


@dataclass(frozen=True, slots=True)
class MinHashConfig:
    """Shingle size, LSH layout and seed of the near-duplicate detector."""

    # Upper bounds: a 64-word shingle or 1,024 bands of 1,024 rows (a 1M-hash
    # signature per document) can only be typos; the seed feeds a 64-bit PCG.
    ngram: int = bounded(5, 1, 64)
    bands: int = bounded(14, 1, 1024)
    rows: int = bounded(8, 1, 1024)
    seed: int = bounded(1, 0, 2**63 - 1)

    def __post_init__(self) -> None:
        try:
            check_fields(self)
        except ConfigError as exc:
            raise ConfigError(f"minhash {exc}") from None

    @property
    def hashes(self) -> int:
        return self.bands * self.rows

    def threshold(self) -> float:
        """The Jaccard at which a pair is caught half the time, about (1/b)**(1/r)."""
        return float((1 / self.bands) ** (1 / self.rows))


#: Named layouts; ``fineweb`` is the default (threshold ~0.72, FineWeb and datatrove's setting).
PRESETS: Final[dict[str, MinHashConfig]] = {
    "fineweb": MinHashConfig(),
    # Stricter: only very close copies (threshold ~0.83), fewer false candidates.
    "strict": MinHashConfig(bands=9, rows=13),
    # Looser: catches pairs from ~0.55 Jaccard, as in the original LSH papers' 20 x 5.
    "loose": MinHashConfig(bands=20, rows=5),
}


def _mix(x: U64) -> U64:
    # splitmix64's finaliser: spreads every input bit over the whole word.
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def shingle_hashes(text: str, ngram: int = 5) -> U64:
    """64-bit hashes of the text's ``ngram``-word shingles (one shingle if it is shorter)."""
    return word_shingles(analyse(text).words, ngram)


def word_shingles(words: list[bytes], ngram: int = 5) -> U64:
    """Shingle hashes of normalised words (:func:`pipeline.text.analyse`'s ``words``)."""
    if not words:
        return np.zeros(1, dtype=np.uint64)
    # One C call per word: cheaper than any cache (a fresh bytes object rehashes anyway).
    hashed = np.fromiter(map(_xxh3, words), dtype=np.uint64, count=len(words))
    width = min(ngram, len(words))
    count = len(words) - width + 1
    acc = hashed[:count].copy()
    for offset in range(1, width):
        acc = acc * _POLY + hashed[offset : offset + count]
    return _mix(acc)


def signatures(texts: list[str], config: MinHashConfig) -> U64:
    """The MinHash signature of each text: an array of shape (len(texts), bands * rows)."""
    out = np.empty((len(texts), config.hashes), dtype=np.uint64)
    for i, text in enumerate(texts):
        out[i] = signature(shingle_hashes(text, config.ngram), config)
    return out


def signature(shingles: U64, config: MinHashConfig) -> U64:
    """The MinHash signature (``config.hashes`` values) of one document's shingle hashes."""
    # One document a call: rensa parallelises only batches of 32+ rows, so a
    # stage-1 worker never starts threads beside the other workers.
    offsets = np.array((0, len(shingles)), dtype=np.uint64)
    matrix = RMinHash.digest_matrix_from_flat_token_hashes(
        np.ascontiguousarray(shingles, dtype=np.uint64), offsets, config.hashes, config.seed
    )
    return np.array(matrix.to_rows()[0], dtype=np.uint64)


def band_keys(sigs: U64, config: MinHashConfig) -> U64:
    """One 64-bit key per band and document, shape (documents, bands); equal bands, equal keys."""
    shaped = sigs.reshape(len(sigs), config.bands, config.rows)
    acc = np.full(shaped.shape[:2], config.seed, dtype=np.uint64)
    for row in range(config.rows):
        acc = _mix(acc * _POLY ^ shaped[:, :, row])
    return acc
