"""Broader and narrower concepts, read off the structure of their keys and names.

English noun phrases put their head last, so *deep neural network* is a kind
of *neural network*: the broader concept of a term is the longest shorter
ending of it that is also a concept of the corpus. Three things keep that
honest:

* **Words written as one stay one.** A hyphenated word of the name is never
  cut (*mean-field theory* is no kind of *field theory*, *non-Gaussian
  process* no kind of *Gaussian process*), and a phrase whose first two words
  make a concept that its first word and head do not ("mean field" but not
  "mean dynamics") is read as ``[mean field] dynamics``.
* **A generic head says what the term is about.** When the head is generic
  (:data:`~graph_builder.concepts.stoplists.GENERIC_NOUNS` or a word of
  :data:`ABOUT_HEADS`: *framework*, *model*, *theory*), the broader concept is
  the rest of the term, if that is a concept of two words or more (*mean-field
  theory* -> *mean-field*); a single modifier never is (*mean field* gets no
  *mean*).
* **Negated modifiers.** A term that is free of or agnostic to its modifier
  (*symmetry-agnostic model*, *model-free method*, *non-convex*) is no kind of
  it.

A generic word is never a broader concept, every edge goes to a key with
fewer words (no cycles), and each concept has at most one broader concept.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from graph_builder.concepts.stoplists import GENERIC_NOUNS

__all__ = ["ABOUT_HEADS", "NEGATING", "NEGATING_PREFIXES", "broader_terms"]

#: Heads that, like the generic nouns, say what kind of work on the modifier a term is.
ABOUT_HEADS: frozenset[str] = GENERIC_NOUNS | frozenset("approximation formalism theory".split())
#: Words that make a compound the opposite of a kind of its modifier.
NEGATING: frozenset[str] = frozenset("agnostic free independent less non anti".split())
#: Those of them that negate what follows them.
NEGATING_PREFIXES: frozenset[str] = frozenset({"non", "anti"})


def broader_terms(keys: Iterable[str], names: Mapping[str, str] | None = None) -> dict[str, str]:
    """Map each concept key to its more general concept key, where the corpus has one.

    ``names`` (key -> display name) tell where a word is hyphenated; without
    them every space of the key is a word boundary.

    Examples
    --------
    >>> broader_terms(["network", "neural network", "deep neural network", "mean",
    ...                "mean field", "mean field theory", "field theory",
    ...                "symmetry", "symmetry agnostic model"],
    ...               {"mean field": "mean-field", "mean field theory": "mean-field theory",
    ...                "symmetry agnostic model": "symmetry-agnostic model"})
    ... # doctest: +NORMALIZE_WHITESPACE
    {'neural network': 'network', 'deep neural network': 'neural network',
     'mean field theory': 'mean field'}
    """
    keys = list(keys)
    known = set(keys)
    broader = {}
    for key in keys:
        words = key.split()
        if len(words) < 2:
            continue
        boundaries = _boundaries(words, (names or {}).get(key))
        general = _about(words, boundaries, known) or _kind_of(words, boundaries, known)
        if general:
            broader[key] = general
    return broader


def _boundaries(words: list[str], name: str | None) -> set[int]:
    """Positions between key words where the name has a space (no hyphenated word cut)."""
    every = set(range(1, len(words)))
    if not name:
        return every
    units = name.split()
    sizes = [sum(1 for part in unit.split("-") if part) for unit in units]
    if sum(sizes) != len(words):
        return every
    cuts, position = set(), 0
    for size in sizes[:-1]:
        position += size
        cuts.add(position)
    return cuts


def _about(words: list[str], boundaries: set[int], known: set[str]) -> str | None:
    """The rest of a term with a generic head, if it is a concept of two words or more."""
    end = len(words) - 1
    if words[-1] not in ABOUT_HEADS or end < 2 or end not in boundaries:
        return None
    rest = " ".join(words[:end])
    if rest in known and words[end - 1] not in NEGATING and rest not in GENERIC_NOUNS:
        return rest
    return None


def _kind_of(words: list[str], boundaries: set[int], known: set[str]) -> str | None:
    """The longest ending of a term that is a concept it is a kind of."""
    head = words[-1]
    for i in sorted(boundaries):
        ending = " ".join(words[i:])
        if ending not in known or ending in GENERIC_NOUNS:
            continue
        if words[i - 1] in NEGATING_PREFIXES or words[i] in NEGATING:
            continue  # "non Gaussian process" is no Gaussian process
        if i < len(words) - 1 and _bracketed_left(words[i - 1], words[i], head, known):
            continue
        return ending
    return None


def _bracketed_left(before: str, first: str, head: str, known: set[str]) -> bool:
    """Whether the word before an ending modifies the ending's first word, not its head:
    "mean field" is a concept and "mean dynamics" is not."""
    return f"{before} {first}" in known and f"{before} {head}" not in known
