"""Versions made from other versions: shards carried forward, documents removed."""
