"""The result of a SHACL check: violations and warnings by entity, with the source lines of each entity."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Violation:
    """One SHACL result: which entity, which property, what is wrong, where the entity was stated."""

    focus: str
    path: str
    message: str
    severity: str
    sources: list[str] = field(default_factory=list)

    def line(self) -> str:
        where = f" ({', '.join(self.sources)})" if self.sources else ""
        return f"{self.severity}: {self.focus}{where}: {self.path + ': ' if self.path else ''}{self.message}"


@dataclass
class ValidationReport:
    conforms: bool
    violations: list[Violation]
    warnings: list[Violation]
    triples: int

    def as_dict(self) -> dict:
        return asdict(self)
