"""Corpus-level repairs of candidates that one paper's parse cannot make.

What the whole corpus shows about a word or a phrase:

* **Pieces of longer terms.** A word or phrase that the corpus writes as the
  modifier of longer terms far more often than as their head or alone is a
  piece the tagger cut off (*neural* of "Neural networks learn", *large
  language* of "Large language models");
  a single word almost always written after one and the same word is a piece
  of that pair (*carlo* of *Monte Carlo*). Such pieces are dropped.
* **Verbs taken for plural nouns.** A head the lemmatiser made by cutting an
  ``s`` ("vanishes" -> *vanishe*, "relies" -> *relie*): no English word (the
  ``wordfreq`` lists), never written by the corpus, whose verb stem is a
  word. Every candidate with such a head is dropped.
* **Praise and size.** A leading evaluative or size modifier (*efficient*,
  *large*, *novel*, :data:`EVALUATIVE`) is stripped unless the corpus says the
  phrase is a term of its own: an abbreviation stands for it, or it is in two
  papers or more and at least
  :data:`LEXICALISED_SHARE` of the occurrences of the rest carry that modifier
  (*large language model*, *general relativity*; not *efficient algorithm*).
  Praise alone or before a generic noun (*robust*, *large number*, *powerful
  tool*) is no term, nor is a generic noun after a hyphenated word that says
  what drives or underlies it (*experiment-driven field*, *learning-based
  method*: :data:`MANNER`).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import replace

from graph_builder.concepts.candidates import Candidate
from graph_builder.concepts.stoplists import GENERIC_NOUNS

__all__ = ["EVALUATIVE", "LEXICALISED_SHARE", "MANNER", "drop_pieces", "strip_evaluative"]

#: Modifiers that praise or size what follows rather than name a kind of it.
EVALUATIVE: frozenset[str] = frozenset(
    """
    accurate advanced big challenging comprehensive difficult effective efficient elegant
    excellent fast general generic high-quality improved innovative intuitive large large-scale
    lightweight massive modern multiple new novel powerful practical robust scalable simple small
    sophisticated straightforward strong superior unified versatile
    """.split()
)
#: Last parts of a hyphenated modifier that say how a generic noun is done or made
#: ("data-driven approach"), which names no kind of it.
MANNER: frozenset[str] = frozenset("based driven guided inspired oriented".split())
#: Share of a term's occurrences that must carry an evaluative modifier for the
#: modifier to stay part of the term.
LEXICALISED_SHARE = 0.3
#: A modifier-only word: used as a modifier this many times as often as alone
#: and as often as the head of a longer term.
_MODIFIER_RATIO = 8
_HEAD_RATIO = 20
#: A word is a piece of a pair when this share of its uses after another word
#: follow one and the same word, and those uses outnumber its uses alone this many times.
_PAIR_SHARE = 0.9
_PAIR_RATIO = 3
#: How common in English the stem of a misread verb must be (Zipf frequency).
_STEM_ZIPF = 2.5
_WORD = re.compile(r"[^\s-]+")

Papers = list[list[Candidate]]


def strip_evaluative(papers: Papers, names: Iterable[str] = ()) -> Papers:
    """Candidates with a praising or sizing first word that is no part of the term stripped;
    praise alone or before a generic noun ("robust", "large number") dropped.

    ``names``: keys known to be names of their own, whatever the counts (the long
    forms of the corpus's abbreviations: "large language model (LLM)").
    """
    counts = Counter(c.key for p in papers for c in p)
    df = Counter(key for p in papers for key in {c.key for c in p})
    decided = set(names)
    canonical: dict[str, str | None] = {}
    for c in (c for p in papers for c in p):
        if c.key in decided:
            continue
        decided.add(c.key)
        first = c.name.split(" ", 1)[0]
        if _manner_of_generic(first, c.key):
            canonical[c.key] = None
            continue
        if first.lower() not in EVALUATIVE:
            continue
        rest = " ".join(c.key.split()[sum(1 for part in first.split("-") if part) :])
        if not rest or rest in GENERIC_NOUNS:
            canonical[c.key] = None
        elif df[c.key] < 2 or counts[c.key] < LEXICALISED_SHARE * counts[rest]:
            canonical[c.key] = rest
    if not canonical:
        return papers
    return [_stripped(p, canonical) for p in papers]


def _manner_of_generic(first: str, key: str) -> bool:
    """Whether a term is a hyphenated manner modifier and a generic noun
    ("experiment-driven field")."""
    parts = first.lower().split("-")
    words = key.split()
    return (
        len(parts) > 1
        and parts[-1] in MANNER
        and len(words) == len(parts) + 1
        and words[-1] in GENERIC_NOUNS
    )


def _stripped(candidates: list[Candidate], canonical: dict[str, str | None]) -> list[Candidate]:
    result = []
    for c in candidates:
        parent = canonical.get(c.parent, c.parent) if c.parent else None
        if c.key in canonical:
            rest = canonical[c.key]
            if rest is None:
                continue
            name = c.name.split(" ", 1)[-1]
            surface = c.surface.split(" ", 1)[-1]
            c = replace(c, key=rest, name=name, surface=surface, parent=parent)
        elif parent != c.parent:
            if c.key == parent:  # the rest itself, nested in the stripped term: once is enough
                continue
            c = replace(c, parent=parent)
        result.append(c)
    return result


def drop_pieces(papers: Papers) -> Papers:
    """Candidates that are pieces of words or of longer terms left out (see the module doc)."""
    pieces, misread = _pieces(papers)
    if not pieces and not misread:
        return papers
    return [
        [c for c in p if c.key not in pieces and c.key.rsplit(" ", 1)[-1] not in misread]
        for p in papers
    ]


def _pieces(papers: Papers) -> tuple[set[str], set[str]]:
    """Keys that are pieces of longer terms, and heads misread from verbs."""
    alone: Counter[str] = Counter()
    modifier: Counter[str] = Counter()
    head: Counter[str] = Counter()
    inside: Counter[str] = Counter()
    ending: Counter[str] = Counter()
    before: dict[str, Counter[str]] = defaultdict(Counter)
    written: set[str] = set()
    surfaces: set[str] = set()
    for candidates in papers:
        for c in candidates:
            key = c.key
            words = key.split()
            if len(words) > 1:
                before[words[-1]][words[-2]] += 1
            if c.parent is not None:
                if len(words) > 1:
                    (ending if c.parent.endswith(f" {key}") else inside)[key] += 1
                continue
            alone[key] += 1
            if c.surface not in surfaces:
                surfaces.add(c.surface)
                written.update(_WORD.findall(c.surface.lower()))
            if len(words) > 1:
                head[words[-1]] += 1
                for word in set(words[:-1]):
                    modifier[word] += 1
    pieces = set()
    for key, count in alone.items():
        if " " in key:
            if _modifier_only(inside[key], count, ending[key]):
                pieces.add(key)
        elif _modifier_only(modifier[key], count, head[key]) or _half_of_pair(
            before.get(key), count
        ):
            pieces.add(key)
    misread = {word for word in {*head, *alone} if _misread(word, written)}
    return pieces, misread


def _modifier_only(modifier: int, alone: int, head: int) -> bool:
    """Whether a term is written as the modifier of longer terms far more often than
    alone or as their head ("neural", "large language")."""
    return modifier >= _MODIFIER_RATIO * alone and modifier >= _HEAD_RATIO * head


def _half_of_pair(before: Counter[str] | None, alone: int) -> bool:
    """Whether a word mostly follows one and the same word ("carlo" after "monte")."""
    if not before:
        return False
    total = before.total()
    return before.most_common(1)[0][1] >= _PAIR_SHARE * total and total >= _PAIR_RATIO * alone


def _zipf(word: str) -> float:
    from wordfreq import zipf_frequency  # imported on first use: it takes a second

    return zipf_frequency(word, "en", wordlist="small")


def _misread(word: str, written: set[str]) -> bool:
    """Whether a head is a verb's ``-es`` form cut to ``-e`` by the lemmatiser: no English
    word, written only with its ``s``, while the verb's stem is a word ("relie": "rely")."""
    if not word.endswith("e") or word in written or f"{word}s" not in written:
        return False
    if _zipf(word) > 0:
        return False
    stem = word[:-2] + "y" if word.endswith("ie") else word[:-1]
    return _zipf(stem) >= _STEM_ZIPF
