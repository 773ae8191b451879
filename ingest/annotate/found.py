"""What the extractors find before it becomes RDF: findings with their evidence."""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest.annotate.text import Sentence


@dataclass(frozen=True, slots=True)
class Evidence:
    """A quoted span: offsets in the text of passage number ``passage`` (0-based index)."""

    passage: int
    start: int
    end: int


@dataclass(slots=True)
class Finding:
    """One extracted element of a document (lesson, output, meeting, ...), still mutable.

    ``kind`` is the class key (see ``CLASS_KEYS``); ``key`` identifies it within the
    document and so makes its IRI; ``sentence`` is where it was found, for linking.
    """

    kind: str
    label: str
    key: str
    evidence: Evidence
    sentence: Sentence
    method: str = "rule"
    confidence: float = 0.8
    attrs: dict[str, object] = field(default_factory=dict)
    links: dict[str, list[Finding]] = field(default_factory=dict)

    def link(self, name: str, other: Finding) -> None:
        targets = self.links.setdefault(name, [])
        if all(t is not other for t in targets):
            targets.append(other)


@dataclass(slots=True)
class Agent:
    """A person or organisation seen in the document, with every place it was mentioned."""

    name: str
    is_person: bool
    mentions: list[tuple[Sentence, Evidence]] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    affiliations: list[Agent] = field(default_factory=list)
    confidence: float = 0.85
    stance: str = ""
    scaling_partner: bool = False
    stance_evidence: Evidence | None = None

    @property
    def surname(self) -> str:
        """Everything after the first name: 'ten Kate' for 'Janneke ten Kate'."""
        parts = self.name.split()
        return " ".join(parts[1:]) if len(parts) > 1 else self.name

    def add_role(self, role: str) -> None:
        if role and role.lower() not in (r.lower() for r in self.roles):
            self.roles.append(role)

    def add_affiliation(self, org: Agent) -> None:
        if org is not self and all(a is not org for a in self.affiliations):
            self.affiliations.append(org)


CLASS_KEYS = (
    "deal", "person", "organisation", "meeting", "ambition", "policy_strategy", "activity",
    "output", "impact", "assumption", "working_element", "lesson", "stakeholder",
    "beneficiary_group",
)  # fmt: skip
"""The classes annotation extracts, as used in counts, the gold set and the evaluation."""

CHAIN_KINDS = ("ambition", "policy_strategy", "activity", "output", "impact", "assumption")
