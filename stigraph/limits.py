"""Resource limits on hostile or accidental input, in one place: defaults and their overrides.

Each limit has a documented default and is overridden by an environment variable (read at the
moment it is checked, so a test or a long-running server can change it). The README's Security
section lists the same table; `tests/test_security_limits.py` checks that the two agree.

>>> get("max_query_depth") >= 1
True
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from stigraph.errors import UserError


@dataclass(frozen=True)
class Limit:
    """One bound: its name, the environment variable that overrides it, the default and what it bounds."""

    name: str
    env: str
    default: int
    what: str


# The query bounds come from measurements on pyoxigraph 0.5.13 (8 MiB stacks, as in a Python main
# thread and in `oxigraph serve` workers): 1,500 nested `{` or 700 nested CONCAT( still run, while
# 2,500 `{`, 1,000 CONCAT(, 7,000 chained `+`, 3,000 BINDs or 10,000 UNIONs, `/` path steps or
# triple patterns crash the process. The defaults stay 6-10x below the smallest crash; the
# library's own queries reach depth 5 and 59 operators.
LIMITS: dict[str, Limit] = {limit.name: limit for limit in (
    Limit("max_query_depth", "STIGRAPH_MAX_QUERY_DEPTH", 64,
          "nesting of { ( [ in a SPARQL query (the engine's parser and evaluator recurse on it)"),
    Limit("max_query_operators", "STIGRAPH_MAX_QUERY_OPERATORS", 1_000,
          "keywords and punctuation in a SPARQL query outside VALUES data (long chains recurse too)"),
    Limit("max_query_bytes", "STIGRAPH_MAX_QUERY_BYTES", 1_000_000,
          "size of one SPARQL query (UTF-8 bytes)"),
    Limit("max_result_bytes", "STIGRAPH_MAX_RESULT_BYTES", 256 * 1024 * 1024,
          "size of one result the endpoint holds before answering (it answers only complete results)"),
    Limit("max_input_bytes", "STIGRAPH_MAX_INPUT_BYTES", 1024 * 1024 * 1024,
          "size of one file given to `stigraph import`"),
    Limit("max_literal_chars", "STIGRAPH_MAX_LITERAL_CHARS", 100_000,
          "characters in one literal of an imported file"),
    Limit("max_xml_entity_expansion", "STIGRAPH_MAX_XML_ENTITY_EXPANSION", 1_000_000,
          "characters that the internal entities of one RDF/XML file may expand to (no nesting, no external)"),
)}


def get(name: str) -> int:
    """The current value of limit `name`: its environment variable if set, else the default.

    UserError if the variable is set to something other than a positive whole number.

    >>> get("max_query_bytes") == LIMITS["max_query_bytes"].default or "STIGRAPH_MAX_QUERY_BYTES" in os.environ
    True
    """
    limit = LIMITS[name]
    raw = os.environ.get(limit.env, "").strip().replace("_", "").replace(",", "")
    if not raw:
        return limit.default
    if not raw.isdigit() or int(raw) < 1:
        raise UserError(f"{limit.env}={os.environ[limit.env]!r}: give a positive whole number "
                        f"(default {limit.default:,})")
    return int(raw)


def describe(name: str) -> str:
    """How to raise limit `name`, for the end of an error message.

    >>> describe("max_query_depth")
    'the limit is 64; set STIGRAPH_MAX_QUERY_DEPTH to change it'
    """
    return f"the limit is {get(name):,}; set {LIMITS[name].env} to change it"
