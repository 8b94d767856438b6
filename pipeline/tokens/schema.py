"""The token index: one row per copy of a document in a token file (``index/NNNNN.parquet``).

``file`` is relative to the token output; ``row`` is the document's ordinal in that file
(Megatron sequence, nanoGPT document, Parquet row) and ``offset`` its first token's
position in it, counting every earlier document of the file; ``length`` counts its tokens
with the end-of-text token. The rest traces the range back to the shard and the
document's consent or licence.
"""

from __future__ import annotations

import pyarrow as pa

__all__ = ["INDEX_SCHEMA", "METADATA_COLUMNS", "token_list_schema"]

#: Document columns carried into the index, as read from the shard.
METADATA_COLUMNS = ("source", "licensor", "language", "domain", "host")

INDEX_SCHEMA = pa.schema(
    [
        pa.field("id", pa.string()),
        pa.field("copy", pa.int32()),
        pa.field("split", pa.string()),
        pa.field("file", pa.string()),
        pa.field("row", pa.int64()),
        pa.field("offset", pa.int64()),
        pa.field("length", pa.int64()),
        pa.field("unit", pa.int32()),
        pa.field("shard", pa.string()),
        *(pa.field(name, pa.string()) for name in METADATA_COLUMNS),
    ]
)


def token_list_schema(token_type: pa.DataType) -> pa.Schema:
    """The columns of a Parquet token file: ``id``, ``copy``, ``tokens``."""
    return pa.schema(
        [
            pa.field("id", pa.string()),
            pa.field("copy", pa.int32()),
            pa.field("tokens", pa.list_(token_type)),
        ]
    )
