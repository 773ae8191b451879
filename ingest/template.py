"""Per-site template learning: drop what recurs across pages and teasers of other pages.

Two kinds of boilerplate survive single-page extraction on page-builder sites:

- blocks that recur on many pages (a slogan, a contact line, the same teaser everywhere);
- teasers ("Lees ook", "Gerelateerd nieuws") that quote the opening sentences of another
  page, often cut short and followed by "Lees meer".

Learning looks at all pages of one host (or one folder of files). A paragraph that occurs on
``min_pages`` pages or more is template, unless it is the opening of exactly one page: then
it belongs to that page and is a quote everywhere else. A paragraph whose text is a prefix
(or nearly so) of another page's opening is a teaser of that page. A page's own opening is
never dropped for being quoted by others. Headings left without content go as well.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import overload

from ingest.clean import drop_orphan_headings, normalize_key, word_count
from ingest.document import Block, ExtractedDocument

PageBlocks = tuple[str, Sequence[Block]]

_TEASER_TAILS = ("lees meer", "lees verder", "verder lezen", "meer lezen", "lees het hele artikel")
_INDEX_WORDS = 3
_OPENING_MIN_WORDS = 6  # breadcrumbs, kickers and dates do not open a page


@dataclass(frozen=True, slots=True)
class TemplateOptions:
    """Thresholds of template learning."""

    min_pages: int = 2  # a paragraph on this many pages is template (or a quoted opening)
    teaser_min_words: int = 6  # shorter paragraphs are never judged to be teasers
    opening_paragraphs: int = 3  # how many leading paragraphs make up a page's opening
    near_prefix_ratio: float = 0.9  # word-level similarity for a teaser that is not exact
    remnant_max_words: int = 5  # a short block between two dropped ones goes with them

    def __post_init__(self) -> None:
        if self.min_pages < 2:
            raise ValueError("min_pages must be at least 2")
        if not 0.5 <= self.near_prefix_ratio <= 1.0:
            raise ValueError("near_prefix_ratio must be between 0.5 and 1")


@dataclass(frozen=True, slots=True)
class BlockDecision:
    """What template cleaning decided about one block, and why."""

    block: Block
    kept: bool
    reason: str = ""  # "template", "teaser of <source>", "quote of <source>", "orphan heading", ...


@dataclass(frozen=True, slots=True)
class SiteTemplate:
    """What one site's pages share; :meth:`clean` applies it to a page."""

    template_keys: frozenset[str] = frozenset()
    owners: Mapping[str, str] = field(default_factory=dict)  # quoted opening key -> its page
    openings: Mapping[str, str] = field(default_factory=dict)  # page -> its opening words
    page_count: int = 0
    options: TemplateOptions = field(default_factory=TemplateOptions)

    @classmethod
    def learn(
        cls,
        pages: Sequence[ExtractedDocument] | Sequence[PageBlocks],
        options: TemplateOptions | None = None,
    ) -> SiteTemplate:
        """Learn from the pages of one host or folder: documents or ``(source, blocks)`` pairs.

        Learning from one page gives a template that changes nothing.
        """
        options = options or TemplateOptions()
        pairs = [_as_pair(page) for page in pages]
        keyed = [(source, [_key(b) for b in blocks if _is_prose(b)]) for source, blocks in pairs]
        counts: Counter[str] = Counter()
        for _, keys in keyed:
            counts.update({k for k in keys if k})
        recurring = {k for k, n in counts.items() if n >= options.min_pages}
        template: set[str] = set()
        owners: dict[str, str] = {}
        # A recurring paragraph that opens exactly one page is that page's own text; one that
        # opens several pages is a site-wide opening (a kicker, a slogan) and so template.
        for _ in range(len(recurring) + 1):
            firsts = {source: _first(keys, template) for source, keys in keyed}
            shared = [k for k in recurring - template if _count_first(firsts, k) >= 2]
            resolved = [k for k in shared if not _owner_by_continuation(k, keyed, template, counts)]
            if not resolved:
                break
            template.update(resolved)
        firsts = {source: _first(keys, template) for source, keys in keyed}
        for key in recurring - template:
            on = [source for source, first in firsts.items() if first == key]
            owner = on[0] if len(on) == 1 else _owner_by_continuation(key, keyed, template, counts)
            if owner:
                owners[key] = owner
            else:
                template.add(key)
        openings = {
            source: " ".join([k for k in keys if k not in template][: options.opening_paragraphs])
            for source, keys in keyed
        }
        return cls(frozenset(template), owners, openings, len(pages), options)

    @overload
    def clean(self, page: ExtractedDocument, source: str = "") -> ExtractedDocument: ...

    @overload
    def clean(self, page: Sequence[Block], source: str = "") -> tuple[Block, ...]: ...

    def clean(
        self, page: ExtractedDocument | Sequence[Block], source: str = ""
    ) -> ExtractedDocument | tuple[Block, ...]:
        """The page without template blocks and teasers of other pages.

        A document comes back as a copy with its text rebuilt; blocks come back as the blocks
        that are the page's own. ``source`` (a document's own by default) identifies the page
        among those learned from; without it a quoted opening is kept only where it opens
        the page.
        """
        if isinstance(page, ExtractedDocument):
            blocks = self._kept(page.blocks, source or page.source)
            return page if blocks == page.blocks else page.with_blocks(blocks)
        return self._kept(page, source)

    def _kept(self, blocks: Sequence[Block], source: str) -> tuple[Block, ...]:
        return tuple(d.block for d in self.explain(blocks, source) if d.kept)

    def explain(self, blocks: Sequence[Block], source: str = "") -> tuple[BlockDecision, ...]:
        """A decision with its reason for every block."""
        if self.page_count < 2:
            return tuple(BlockDecision(block, True) for block in blocks)
        index = self._opening_index()
        first_prose = next((i for i, b in enumerate(blocks) if _is_prose(b)), -1)
        # without a source, the learned page with this page's opening is taken to be this page
        own = source or next(
            (page for page, opening in self.openings.items() if opening == self._opening(blocks)), ""
        )
        reasons = [
            self._reason(block, i == first_prose, own, index) for i, block in enumerate(blocks)
        ]
        reasons = self._drop_remnants(blocks, reasons)
        kept = [b for b, r in zip(blocks, reasons, strict=True) if not r]
        dropped_after = _dropped_after_flags(reasons)
        survivors = set(map(id, drop_orphan_headings(kept, dropped_after)))
        decisions = []
        for block, reason in zip(blocks, reasons, strict=True):
            if not reason and id(block) not in survivors:
                reason = "orphan heading"
            decisions.append(BlockDecision(block, not reason, reason))
        return tuple(decisions)

    # -- internals --

    def _reason(
        self, block: Block, opens_page: bool, source: str, index: Mapping[str, list[str]]
    ) -> str:
        if not _is_prose(block):
            return ""
        key = _key(block)
        if key in self.template_keys:
            return "template"
        owner = self.owners.get(key)
        if owner is not None:
            own = owner == source if source else opens_page
            return "" if own else f"quote of {owner}"
        if opens_page and not source:
            return ""
        teaser = _teaser_key(key)
        if word_count(teaser) < self.options.teaser_min_words:
            return ""
        words = teaser.split()
        for page in index.get(" ".join(words[:_INDEX_WORDS]), ()):
            if page == source:
                continue
            if _is_prefix(words, self.openings[page].split(), self.options.near_prefix_ratio):
                return f"teaser of {page}"
        return ""

    def _opening(self, blocks: Sequence[Block]) -> str:
        keys = [_key(b) for b in blocks if _is_prose(b)]
        own = [k for k in keys if k and k not in self.template_keys]
        return " ".join(own[: self.options.opening_paragraphs])

    def _drop_remnants(self, blocks: Sequence[Block], reasons: list[str]) -> list[str]:
        """Short blocks (a date, "Nieuws") between two dropped ones belong to the teasers."""
        out = list(reasons)
        limit = self.options.remnant_max_words
        for i in range(1, len(blocks) - 1):
            if out[i] or blocks[i].kind == "heading" or word_count(blocks[i].text) > limit:
                continue
            if reasons[i - 1] and reasons[i + 1]:
                out[i] = "teaser remnant"
        return out

    def _opening_index(self) -> dict[str, list[str]]:
        index: dict[str, list[str]] = defaultdict(list)
        for page, opening in self.openings.items():
            words = opening.split()
            if words:
                index[" ".join(words[:_INDEX_WORDS])].append(page)
        return index


def _as_pair(page: ExtractedDocument | PageBlocks) -> PageBlocks:
    if isinstance(page, ExtractedDocument):
        return page.source, page.blocks
    return page


def _is_prose(block: Block) -> bool:
    return block.kind != "heading"


def _key(block: Block) -> str:
    return normalize_key(block.text)


def _teaser_key(key: str) -> str:
    """The key without a trailing "lees meer" and the like."""
    changed = True
    while changed:
        changed = False
        for tail in _TEASER_TAILS:
            if key.endswith(" " + tail) or key == tail:
                key = key[: -len(tail)].rstrip()
                changed = True
    return key


def _is_prefix(teaser: list[str], opening: list[str], ratio: float) -> bool:
    """Whether the teaser's words open the page (the last word may be cut short)."""
    if len(opening) < len(teaser) - 1:
        return False
    head = opening[: len(teaser)]
    if head[:-1] == teaser[:-1] and head[-1].startswith(teaser[-1]):
        return True
    # cheap filter first: a near-copy shares nearly all its word pairs with the opening
    pairs = set(itertools.pairwise(teaser))
    if len(pairs & set(itertools.pairwise(head))) < ratio * len(pairs) - 2:
        return False
    return SequenceMatcher(None, teaser, head, autojunk=False).ratio() >= ratio


def _first(keys: Sequence[str], template: set[str]) -> str:
    """The page's opening paragraph: the first non-template one that reads as prose."""
    candidates = [k for k in keys if k and k not in template]
    return next((k for k in candidates if len(k.split()) >= _OPENING_MIN_WORDS), "")


def _count_first(firsts: Mapping[str, str], key: str) -> int:
    return sum(1 for first in firsts.values() if first == key)


def _owner_by_continuation(
    key: str, keyed: Sequence[tuple[str, list[str]]], template: set[str], counts: Counter[str]
) -> str:
    """Among pages that open with ``key``, the one page whose next paragraph is its own.

    A listing page that opens with another page's teaser continues with more teasers
    (paragraphs found elsewhere too); the page itself continues with text found nowhere else.
    """
    candidates = []
    for source, keys in keyed:
        rest = [k for k in keys if k and k not in template]
        if rest and rest[0] == key and len(rest) > 1 and counts[rest[1]] == 1:
            candidates.append(source)
    return candidates[0] if len(candidates) == 1 else ""


def _dropped_after_flags(reasons: Sequence[str]) -> list[bool]:
    """For each kept block, whether blocks were dropped right after it (before the next kept)."""
    flags: list[bool] = []
    for reason in reasons:
        if reason:
            if flags:
                flags[-1] = True
        else:
            flags.append(False)
    return flags
