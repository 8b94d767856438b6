"""Which side of the split a document is on, and how many copies the mixture asks for.

A document is on the validation side iff ``draw(0, id, "split") < fraction``: only its id
decides, so a document never crosses sides, and the split holds across versions and
mixtures. The train side gets ``copies`` copies of a document; the validation side one,
unless the mixture leaves the document out (0 copies): weights shape training, while
validation stays one copy of each document so losses stay comparable.
"""

from __future__ import annotations

from pipeline.errors import ConfigError
from pipeline.mixture import Mixture, copies, draw

__all__ = ["SPLITS", "TRAIN", "VAL", "check_fraction", "is_validation", "side_copies"]

TRAIN, VAL = "train", "val"
SPLITS = (TRAIN, VAL)


def check_fraction(fraction: float) -> float:
    """The validation fraction, or a ConfigError when it is not in [0, 1)."""
    if not 0.0 <= fraction < 1.0:
        raise ConfigError(f"validation fraction ({fraction!r}) must be >= 0 and < 1")
    return fraction


def is_validation(doc_id: str, fraction: float) -> bool:
    """Whether ``doc_id`` is on the validation side of a ``fraction`` split."""
    return fraction > 0 and draw(0, doc_id, "split") < fraction


def side_copies(
    mixture: Mixture, fraction: float, doc_id: str, source: str, language: str | None
) -> tuple[str, int]:
    """The document's side and how many copies of it that side holds."""
    count = copies(mixture.weight(source, language), mixture.seed, doc_id)
    if is_validation(doc_id, fraction):
        return VAL, min(count, 1)
    return TRAIN, count
