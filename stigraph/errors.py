"""Error types shared by every layer.

`UserError` (and subclasses) means the input or the request was wrong: the CLI prints its one-line
message and exits 1. Anything else that escapes is an internal error (exit 2).
"""
from __future__ import annotations


class StigraphError(Exception):
    """Base class for every error stigraph raises on purpose."""


class UserError(StigraphError):
    """Bad input or a bad request; the message says where and what to do.

    >>> str(UserError("registry.yaml:3: unknown key 'foo'"))
    "registry.yaml:3: unknown key 'foo'"
    """


class RegistryError(UserError):
    """A curated registry file is malformed (unknown key, dangling id, bad amount ...)."""


class QueryError(UserError):
    """A SPARQL query could not be parsed or run."""


class UnknownEntityError(UserError):
    """No entity matches the given id or label."""


class StoreError(UserError):
    """The store is missing, locked or unusable."""


class ExtractionError(UserError):
    """A document could not be read (empty, binary, undecodable, truncated PDF ...)."""


class DatasetError(UserError):
    """A published dataset (e.g. the RS review-sheet ZIPs) cannot be read: damaged file, missing column ..."""
