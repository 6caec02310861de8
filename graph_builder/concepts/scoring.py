"""How much a term matters to a paper: frequency, position, length and specificity.

The score of a term in a paper is a product of factors, each close to 1 for an
ordinary term:

* frequency: ``1 + log(f)``, where an occurrence nested in a longer term
  ("neural network" inside "deep neural network") counts :data:`NESTED_COUNT`;
  a term met fewer than ten times and only inside longer ones ranks below
  every term that stands alone;
* position: terms met early weigh more, and terms of the title most;
* length: a single word weighs :data:`SINGLE_WORD` (on their own, single words
  are rarely the concept an expert would name);
* corpus rarity: smoothed idf (:func:`idf`);
* general-language specificity (:func:`specificity`): how rare the term's words
  are in English at large, from the ``wordfreq`` word lists. This is what keeps
  a corpus of ten papers, where idf says little, from ranking "crucial role"
  beside "mean-field theory".

The constants were tuned on the Inspec train split (see
``benchmarks/keyphrase_quality.py``).
"""

from __future__ import annotations

import math
from functools import cache

__all__ = ["idf", "score", "specificity"]

#: Weight of an occurrence found only inside a longer term.
NESTED_COUNT = 0.1
#: Factor of a one-word term.
SINGLE_WORD = 0.4
#: Bonus of a term met in the first 12 % of the text (the title, for an abstract).
TITLE_BONUS = 0.5
TITLE_SHARE = 0.12
#: Zipf frequency (log10 per billion words) at and above which a word is all-purpose.
COMMON_ZIPF = 7.0
SPECIFICITY_POWER = 0.5


def idf(df: int, papers: int) -> float:
    """Smoothed inverse document frequency: rarer concepts weigh more, none weighs zero.

    Examples
    --------
    >>> idf(1, 10) > idf(5, 10) > idf(10, 10) > 0
    True
    """
    return math.log((1 + papers) / (1 + df)) + 1


@cache
def _frequencies() -> dict[str, float]:
    from wordfreq import get_frequency_dict  # imported on first use: it takes a second

    return get_frequency_dict("en", wordlist="small")


def _zipf(word: str) -> float:
    """Zipf frequency of a word (log10 of its frequency per billion words; 0 if unlisted)."""
    frequency = _frequencies().get(word, 0.0)
    return math.log10(frequency) + 9 if frequency > 0 else 0.0


@cache  # a term recurs across papers; the vocabulary scores each mention
def specificity(key: str) -> float:
    """How far a term's words are from everyday English, averaged over its words.

    0 for a term of the commonest words; about 7 for words no general word list has.

    Examples
    --------
    >>> specificity("eigenvalue") > specificity("network") > specificity("important role")
    True
    """
    words = key.split()
    return sum(max(0.0, COMMON_ZIPF - _zipf(w)) for w in words) / max(len(words), 1)


def score(key: str, frequency: float, first: float, df: int, papers: int) -> float:
    """The raw score of a term in a paper.

    ``frequency`` counts occurrences (nested ones weighed by :data:`NESTED_COUNT`),
    ``first`` is the relative position of the first one (0 = start of the text),
    ``df`` the number of papers of the corpus that mention the term.
    """
    words = len(key.split())
    # A term met only inside longer ones (frequency < 1) ranks below every free-standing one.
    tf = 1 + math.log(frequency) if frequency >= 1 else frequency / 10
    position = 1.5 - 0.5 * first + (TITLE_BONUS if first < TITLE_SHARE else 0.0)
    length = SINGLE_WORD if words == 1 else 1 + 0.2 * (min(words, 3) - 1)
    special = (specificity(key) + 0.5) ** SPECIFICITY_POWER
    return tf * position * length * idf(df, papers) * special
