"""Licensed corpora: a TOML manifest with licence terms, and files of documents in it."""

from __future__ import annotations

from pipeline.licensed.formats import RowError, read_rows
from pipeline.licensed.manifest import FORMATS, CorpusFile, LicensedCorpus, load_manifest
from pipeline.licensed.reader import LicensedReader, check_row, validate_corpus
from pipeline.licensed.slices import RowSlice, row_slices

__all__ = [
    "FORMATS",
    "CorpusFile",
    "LicensedCorpus",
    "LicensedReader",
    "RowError",
    "RowSlice",
    "check_row",
    "load_manifest",
    "read_rows",
    "row_slices",
    "validate_corpus",
]
