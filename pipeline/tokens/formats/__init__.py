"""The files of a token output: flat token streams (:mod:`.binary`), Megatron-LM's index
(:mod:`.megatron`), nanoGPT's header (:mod:`.nanogpt`), Parquet token lists
(:mod:`.parquet`), and the assembly of units' parts into them (:mod:`.assemble`)."""

from __future__ import annotations

from pipeline.tokens.formats.assemble import assemble
from pipeline.tokens.formats.megatron import MEGATRON_DTYPES, write_index
from pipeline.tokens.formats.nanogpt import META_FILE, write_meta

__all__ = ["MEGATRON_DTYPES", "META_FILE", "assemble", "write_index", "write_meta"]
