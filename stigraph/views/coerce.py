"""Reading analysis results of any shape: attributes, dict keys or tuple positions (used by the analysis views)."""
from __future__ import annotations

ENTITY_PREFIX = "https://w3id.org/stigraph/id/"


def field_of(item, names: tuple[str, ...], position: int | None, default=None, kind: type | tuple = object):
    """A field by any of `names` (attribute or dict key, first one of type `kind`) or by tuple `position`."""
    if isinstance(item, (tuple, list)):
        return item[position] if position is not None and position < len(item) else default
    for name in names:
        value = item.get(name) if isinstance(item, dict) else getattr(item, name, None)
        # bool is an int subclass: a flag must not pass for a count, nor a count for a flag.
        if value is not None and isinstance(value, kind) and (isinstance(value, bool) == (kind is bool)):
            return value
    return default


def items_of(result, containers: tuple[str, ...]):
    """The list inside a result object/dict (e.g. `.steps`, `["pairs"]`), or the result itself."""
    for name in containers:
        inner = result.get(name) if isinstance(result, dict) else getattr(result, name, None)
        if inner is not None and not callable(inner):
            return inner
    return result


def plain_id(value) -> str:
    """The curated id of an entity IRI (other values as text).

    >>> plain_id("https://w3id.org/stigraph/id/jst")
    'jst'
    """
    return str(value[len(ENTITY_PREFIX):] if str(value).startswith(ENTITY_PREFIX) else value)


def as_texts(value) -> tuple[str, ...]:
    """None, one text or an iterable of values as a tuple of texts.

    >>> as_texts("a"), as_texts(None), as_texts([1, 2])
    (('a',), (), ('1', '2'))
    """
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)
