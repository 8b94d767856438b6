"""Type and range checks for the frozen config dataclasses.

A config calls :func:`check_fields` from ``__post_init__``: every field whose
annotation is ``bool``, ``int``, ``float``, ``str`` or a tuple of those must
hold that type (TOML gives ``"4"`` as readily as ``4``), and every number must
be finite and inside the field's range. The range is the field's
``metadata["range"]`` (see :func:`bounded` and :func:`ratio`); a number with
no range must be >= 0, since no threshold of ours is negative. Errors name the
field and quote the value; the loader adds the file and table.

:func:`unknown_name` is the loaders' one way of refusing a table or key the file
format does not have, with the nearest known name.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable
from dataclasses import Field, field, fields
from typing import Any, TypeVar, get_args, get_origin, get_type_hints

from pipeline.errors import ConfigError

__all__ = ["bounded", "check_fields", "ratio", "unknown_name"]

_T = TypeVar("_T")
_Range = tuple[float | None, float | None]
_NO_RANGE: _Range = (0, None)


def bounded(default: _T, low: float | None = 0, high: float | None = None) -> _T:
    """A dataclass field whose numbers must lie in ``[low, high]`` (None: unbounded)."""
    result: _T = field(default=default, metadata={"range": (low, high)})
    return result


def ratio(default: float) -> float:
    """A dataclass field holding a share, between 0 and 1."""
    return bounded(default, 0.0, 1.0)


def check_fields(config: object) -> None:
    """Raise :class:`ConfigError` naming the first field of the wrong type or out of range."""
    hints = get_type_hints(type(config))
    for spec in fields(config):  # type: ignore[arg-type]
        value = getattr(config, spec.name)
        why = _type_problem(value, hints[spec.name]) or _range_problem(value, _range(spec))
        if why:
            raise ConfigError(f"{spec.name} ({value!r}) {why}")


def _range(spec: Field[Any]) -> _Range:
    found: _Range = spec.metadata.get("range", _NO_RANGE)
    return found


def _type_problem(value: Any, hint: Any) -> str | None:
    if hint is bool:
        return None if isinstance(value, bool) else "must be true or false"
    if hint is int:
        return None if _is_int(value) else "must be an integer"
    if hint is float:
        return None if _is_int(value) or isinstance(value, float) else "must be a number"
    if hint is str:
        return None if isinstance(value, str) else "must be a string"
    if get_origin(hint) is tuple:
        return _tuple_problem(value, get_args(hint))
    return None  # paths, dates and nested configs check themselves


def _tuple_problem(value: Any, args: tuple[Any, ...]) -> str | None:
    if not isinstance(value, tuple):
        return "must be a list"
    if len(args) == 2 and args[1] is Ellipsis:
        args = (args[0],) * len(value)
    if len(args) != len(value):
        return f"must be a list of {len(args)} items"
    for item, hint in zip(value, args, strict=True):
        why = _type_problem(item, hint)
        if why:
            return f"has an item ({item!r}) that {why}"
    return None


def _range_problem(value: Any, bounds: _Range) -> str | None:
    for number in _numbers(value):
        if not math.isfinite(number):
            return "must be a finite number"
        low, high = bounds
        if low is not None and number < low:
            return f"must be at least {_plain(low)}"
        if high is not None and number > high:
            return f"must be at most {_plain(high)}"
    return None


def _numbers(value: Any) -> list[float]:
    if isinstance(value, tuple):
        return [n for item in value for n in _numbers(item)]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return [value]
    return []


def _plain(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def unknown_name(
    found: Iterable[str], known: Iterable[str], section: str = "", *, tables: bool = False
) -> str | None:
    """``unknown key [dedup] jacard; did you mean jaccard?`` for the first unknown name, or None.

    ``section`` is the table the names are in (``filters`` for ``[filters.<name>]`` tables).
    The crawler says the same in ``crawler/_names.py``, as the two packages may not
    import each other.
    """
    known = sorted(known)
    for name in sorted(set(found) - set(known)):
        close = difflib.get_close_matches(name, known, n=1)
        if tables:
            shown, hint = _table_name(section, name), close and _table_name(section, close[0])
        else:
            shown, hint = f"[{section}] {name}" if section else name, close and close[0]
        tail = f"did you mean {hint}?" if hint else f"known: {', '.join(known)}"
        return f"unknown {'table' if tables else 'key'} {shown}; {tail}"
    return None


def _table_name(section: str, name: str) -> str:
    return f"[{section}.{name}]" if section else f"[{name}]"
