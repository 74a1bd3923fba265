"""YAML reading that remembers the line of every mapping, for `file:line: what is wrong` messages."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from stigraph.errors import RegistryError


class LineDict(dict):
    """A dict that knows the 1-based line where its mapping started in the YAML file."""

    line: int = 0


# libyaml's parser (when present) is several times faster than the pure-Python one.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """SafeLoader whose mappings are LineDicts; duplicate keys are an error, not a silent overwrite."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# Dates stay strings: the registry validates them itself and RDF wants xsd:date text anyway.
_LineLoader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


def read_yaml(path: Path) -> Any:
    """Parse a YAML file into LineDicts/lists; any problem becomes one RegistryError line.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.yaml"; _ = p.write_text("a:\\n  b: 1\\n")
    >>> read_yaml(p)["a"].line
    2
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RegistryError(f"{path}: cannot read file ({exc.strerror})") from None
    if b"\x00" in raw:
        raise RegistryError(f"{path}: binary file, expected UTF-8 YAML text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise RegistryError(f"{path}:{line}: not UTF-8 text; save the file as UTF-8") from None
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        raise RegistryError(f"{path}:{line}: YAML syntax error: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise RegistryError(f"{path}: YAML error: {exc}") from None
