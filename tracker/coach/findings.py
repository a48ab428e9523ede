"""What a check returns: findings with a severity, a rule, a reason and a span."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    BLOCK = "block"
    WARN = "warn"
    TIP = "tip"


@dataclass(frozen=True)
class Finding:
    severity: Severity
    rule: str
    reason: str
    span: tuple[int, int] | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "severity": self.severity.value,
            "rule": self.rule,
            "reason": self.reason,
            "span": list(self.span) if self.span else None,
        }


@dataclass(frozen=True)
class Counters:
    characters: int
    words: int
    encoding: str | None
    """GSM-7 or UCS-2 for a text; ``None`` for any other channel."""
    segments: int | None
    """The SMS segments a text costs; ``None`` for any other channel."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "characters": self.characters,
            "words": self.words,
            "encoding": self.encoding,
            "segments": self.segments,
        }


@dataclass(frozen=True)
class CheckResult:
    counters: Counters
    findings: list[Finding] = field(default_factory=list)

    @property
    def blocked(self) -> bool:
        return any(f.severity is Severity.BLOCK for f in self.findings)

    def as_dict(self) -> dict[str, Any]:
        return {
            "counters": self.counters.as_dict(),
            "findings": [f.as_dict() for f in self.findings],
        }
