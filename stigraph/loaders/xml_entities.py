"""Bound what the internal entities of an RDF/XML file can expand to, before the parser expands them.

Oxigraph's RDF/XML parser expands entities declared in the document type declaration, nested
ones too: a 1 KB "billion laughs" file (ten entities, each ten references to the one before) becomes
a 3 GB literal. Ontology files do use plain entities to shorten namespaces
(`<!ENTITY owl "http://www.w3.org/2002/07/owl#">`), so entities are not refused outright; instead
the file is scanned first and refused when an entity is external (SYSTEM/PUBLIC), a parameter entity,
or refers to another entity (the only way to grow exponentially), or when its references would
expand past `max_xml_entity_expansion` characters. The scan streams the file in 1 MiB chunks.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from stigraph import limits
from stigraph.errors import UserError

CHUNK = 1 << 20
MAX_NAME = 60
_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
_SIMPLE = re.compile(rb"<!ENTITY\s+([A-Za-z_][A-Za-z0-9_.-]{0,%d})\s+(\"[^\"]*\"|'[^']*')\s*>" % (MAX_NAME - 1),
                     re.IGNORECASE)
_REFERENCE = re.compile(rb"&([A-Za-z_][A-Za-z0-9_.:-]{0,%d});" % (MAX_NAME + 10))
_OVERLAP = MAX_NAME + 16  # longer than any reference or `<!ENTITY`: a match never straddles two reads


def check_entities(path: Path) -> None:
    """UserError if the entities of the RDF/XML file `path` could expand beyond the limit.

    >>> import tempfile; p = Path(tempfile.mkdtemp()) / "ok.rdf"
    >>> _ = p.write_text('<!DOCTYPE r [<!ENTITY ex "http://example.org/">]><r a="&ex;x"/>')
    >>> check_entities(p) is None
    True
    """
    with open(path, "rb") as handle:
        head = handle.read(CHUNK)
    declared = {m.group(1): len(m.group(2)) - 2 for m in _SIMPLE.finditer(head)}
    for match in _SIMPLE.finditer(head):
        if b"&" in match.group(2) or b"%" in match.group(2):
            raise UserError(f"{path}: entity {match.group(1).decode('latin-1')!r} refers to other entities; "
                            "nested entities are not read (they can expand without bound)")
    declarations, references = _scan(path, set(declared))
    if declarations != len(declared):
        raise UserError(f"{path}: only simple internal entities (<!ENTITY name \"text\"> in the document type "
                        "declaration) are read; external, parameter or malformed entity declarations are not")
    total = sum(references[name] * size for name, size in declared.items())
    if total > limits.get("max_xml_entity_expansion"):
        raise UserError(f"{path}: entity references would expand to {total:,} characters; "
                        f"{limits.describe('max_xml_entity_expansion')}")


def _scan(path: Path, names: set[bytes]) -> tuple[int, Counter]:
    """Count `<!ENTITY` anywhere in the file, and references to the declared `names`."""
    declarations = 0
    references: Counter = Counter()
    carry = b""
    with open(path, "rb") as handle:
        while True:
            chunk = handle.read(CHUNK)
            data = carry + chunk
            boundary = len(data) if not chunk else max(0, len(data) - _OVERLAP)
            declarations += sum(1 for m in _DECLARATION.finditer(data) if m.start() < boundary)
            if names:
                references.update(m.group(1) for m in _REFERENCE.finditer(data)
                                  if m.start() < boundary and m.group(1) in names)
            if not chunk:
                return declarations, references
            carry = data[boundary:]
