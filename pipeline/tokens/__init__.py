"""Token shards made from a dataset version, for pretraining: Megatron-LM, nanoGPT or
Parquet files, an index from every document to its tokens, and a manifest naming the
version, tokenizer and mixture (see docs/tokens.md).

Modules, in the order a run uses them: :mod:`.tokenizer_file` (load and check the
tokenizer), :mod:`.split` (validation side and copies), :mod:`.plan` (units and keys),
:mod:`.run` (staging, markers, workers), :mod:`.encode` (one unit), :mod:`.parts`,
:mod:`.update` (reuse), :mod:`.formats` (the final files), :mod:`.manifest`.
"""

from __future__ import annotations

from pipeline.tokens.manifest import MANIFEST_FILE, read_token_manifest
from pipeline.tokens.schema import INDEX_SCHEMA
from pipeline.tokens.tokenize import tokenize_version
from pipeline.tokens.tokenizer_file import END_OF_TEXT, FORMATS, load_tokenizer

__all__ = [
    "END_OF_TEXT",
    "FORMATS",
    "INDEX_SCHEMA",
    "MANIFEST_FILE",
    "load_tokenizer",
    "read_token_manifest",
    "tokenize_version",
]
