"""Abbreviations across a corpus: which long form a short form stands for, and where.

A definition "deep neural network (DNN)" holds in the paper that makes it. In
the other papers a short form written the same way (case-sensitive, as a word:
"DNN", "DNNs") stands for the long form most papers define (:func:`collect`),
unless the corpus writes it more often as a lowercase word ("TIME", "PATH").
Long forms of one short form that differ only in word endings or a "based"
("machine-learned" and "machine learning interatomic potential", both MLIP)
are one term, the long form the corpus chose (:func:`variants`).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import replace

from graph_builder.concepts.abbreviations import long_form_start
from graph_builder.concepts.candidates import Candidate, PaperCandidates
from graph_builder.concepts.terms import plural_abbreviation

__all__ = ["collect", "rename_variants", "resolve", "spell_out_definitions", "variants"]

#: The words of a written term, split at spaces and hyphens.
_WORD = re.compile(r"[^\s-]+")


def collect(extracted: Sequence[PaperCandidates]) -> dict[str, tuple[str, str]]:
    """Short form as written -> the long form most papers define it as, for use in any paper.

    Only short forms with two capitals or more ("RL", "CoT") that the corpus
    writes as such in more papers than it writes them as a lowercase word:
    "TIME" or "PATH" defined in one paper never stand for "time" or "path".
    Definitions made by as many papers are ordered by whether the long form spells
    the short form, then by the papers writing the long form.
    """
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    names: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for paper in extracted:
        for short, (key, name) in paper.abbreviations.items():
            votes[short][key] += 1
            names[short, key][name] += 1
    wanted = {s for s in votes if sum(c.isupper() for c in s) >= 2}
    written = _written(extracted, wanted)
    long_papers = _papers_writing({k for s in wanted for k in votes[s]}, extracted)
    corpus = {}
    for short in sorted(wanted):
        if written[short] <= 0:
            continue
        counts = votes[short]
        key = min(counts, key=lambda k: _definition_order(short, k, counts, long_papers))
        spelled = names[short, key]
        corpus[short] = (key, min(spelled, key=lambda n: (-spelled[n], n)))
    return corpus


def _written(extracted: Sequence[PaperCandidates], wanted: set[str]) -> Counter[str]:
    """Papers writing each short form as such, less papers writing it as a lowercase word.

    A lowercase word counts against every short form it spells ("map": "mAP" and "MAP").
    """
    lowercase: dict[str, list[str]] = defaultdict(list)
    for short in wanted:
        lowercase[short.lower()].append(short)
    # What writing a word does to the counts, by word: surfaces and words recur across papers.
    effects: dict[str, tuple[tuple[str, int], ...]] = {}
    words_of: dict[str, list[str]] = {}
    written: Counter[str] = Counter()
    for paper in extracted:
        words = set()
        for surface in {c.surface for c in paper.candidates if c.parent is None}:
            found = words_of.get(surface)
            if found is None:
                words_of[surface] = found = _WORD.findall(surface)
            words.update(found)
        for word in words:
            effect = effects.get(word)
            if effect is None:
                effects[word] = effect = _effect(word, wanted, lowercase)
            for short, change in effect:
                written[short] += change
    return written


def _effect(
    word: str, wanted: set[str], lowercase: dict[str, list[str]]
) -> tuple[tuple[str, int], ...]:
    short = plural_abbreviation(word) or word
    if short in wanted:
        return ((short, 1),)
    return tuple((same, -1) for same in lowercase.get(word, ()))


def spell_out_definitions(extracted: Sequence[PaperCandidates]) -> list[PaperCandidates]:
    """The papers with the short forms inside their definitions' long forms spelled out:
    "multimodal LLMs (MLLMs)" defines MLLM as "multimodal large language model"."""
    corpus = collect(extracted)
    result = []
    for paper in extracted:
        own = paper.abbreviations
        spelled = {}
        for short, (key, name) in own.items():
            others = {s: long for s, long in own.items() if s != short}
            spelled[short] = _spelled_out(name, key, others, corpus, short) or (key, name)
        result.append(replace(paper, abbreviations=spelled) if spelled != own else paper)
    return result


def variants(
    extracted: Sequence[PaperCandidates], corpus: dict[str, tuple[str, str]]
) -> dict[str, str]:
    """Long form -> the corpus's long form of the same short form, for the long forms the
    papers define that differ from it only in word endings or a "based" (:func:`_stem`)."""
    renamed = {}
    for paper in extracted:
        for short, (key, _) in paper.abbreviations.items():
            chosen = corpus.get(short)
            if chosen and key != chosen[0] and _stem(key) == _stem(chosen[0]):
                renamed[key] = chosen[0]
    return renamed


def rename_variants(
    papers: list[list[Candidate]], renamed: dict[str, str]
) -> list[list[Candidate]]:
    """Candidates whose key or parent holds a variant long form (as whole words) rekeyed."""
    if not renamed:
        return papers
    starts = {variant.split(" ", 1)[0] for variant in renamed}
    memo: dict[str, str] = {}

    def rekeyed(key: str) -> str:
        new = memo.get(key)
        if new is None:
            # No variant starts at any word of the key: nothing to replace, at any step.
            matches = not starts.isdisjoint(key.split())
            memo[key] = new = _renamed(key, renamed) if matches else key
        return new

    result = []
    for candidates in papers:
        changed = []
        for c in candidates:
            key = rekeyed(c.key)
            parent = c.parent and rekeyed(c.parent)
            if key != c.key or parent != c.parent:
                c = Candidate(key, c.name, c.surface, c.position, parent)
            changed.append(c)
        result.append(changed)
    return result


def _renamed(key: str, renamed: dict[str, str]) -> str:
    padded = f" {key} "
    for variant, chosen in renamed.items():
        if f" {variant} " in padded:
            padded = padded.replace(f" {variant} ", f" {chosen} ")
    return padded[1:-1]


def _stem(key: str) -> tuple[str, ...]:
    """A key's words without "based" and without an ``-ing`` or ``-ed`` ending
    ("machine learning based potential" and "machine learned potential": machine learn
    potential)."""
    words = []
    for word in key.split():
        if word == "based":
            continue
        if word.endswith("ing") and len(word) > 5:
            word = word[:-3]
        elif word.endswith("ed") and len(word) > 4:
            word = word[:-2]
        words.append(word)
    return tuple(words)


def _definition_order(
    short: str, key: str, votes: Counter[str], long_papers: Counter[str]
) -> tuple[int, bool, int, str]:
    """Most papers defining it; then a long form that spells the short form ("MD":
    "molecular dynamics", not "diffusivity" left by a definition whose first word was
    stripped); then the long form the corpus writes in most papers."""
    return -votes[key], long_form_start(short, key.split()) != 0, -long_papers[key], key


def _papers_writing(keys: set[str], extracted: Sequence[PaperCandidates]) -> Counter[str]:
    """How many papers have a candidate with each of ``keys``."""
    found: Counter[str] = Counter()
    for paper in extracted:
        found.update({c.key for c in paper.candidates} & keys)
    return found


def resolve(paper: PaperCandidates, abbreviations: dict[str, tuple[str, str]]) -> list[Candidate]:
    """Each short form in a candidate replaced by its long form, case-sensitively, as a word.

    The paper's own definitions first, then the corpus's (:func:`collect`).
    """
    own = paper.abbreviations
    renamed: dict[str, str] = {}
    resolved = []
    for candidate in paper.candidates:
        # islower(): no capital at all, and faster than looking at each character.
        if not candidate.name.islower() and any(c.isupper() for c in candidate.name):
            new = _spelled_out(candidate.name, candidate.key, own, abbreviations)
            if new is not None:
                renamed[candidate.key] = new[0]
                candidate = Candidate(
                    new[0], new[1], candidate.surface, candidate.position, candidate.parent
                )
        resolved.append(candidate)
    if renamed:
        resolved = [
            replace(c, parent=renamed[c.parent]) if c.parent in renamed else c for c in resolved
        ]
    return resolved


def _spelled_out(
    name: str,
    key: str,
    own: dict[str, tuple[str, str]],
    corpus: dict[str, tuple[str, str]],
    defined: str = "",
) -> tuple[str, str] | None:
    """The (key, name) of a term with its short forms spelled out; None if it has none.

    Each word of the name (a hyphenated word's parts too) is a word of the key. The
    short form ``defined`` (the one the term is the long form of) is left as it is.
    """
    units = [unit.split("-") for unit in name.split()]
    keys = key.split()
    if sum(1 for parts in units for part in parts if part) != len(keys):
        return None  # words that do not line up with the key's: left as they are
    found = False
    key_words: list[str] = []
    name_units: list[str] = []
    words = iter(keys)
    for parts in units:
        named = []
        for part in parts:
            if not part:
                named.append(part)
                continue
            word = next(words)
            singular = plural_abbreviation(part)
            long = None
            if defined not in (part, singular):
                long = own.get(part) or corpus.get(part)
                if long is None and singular:
                    long = own.get(singular) or corpus.get(singular)
            if long is None:
                key_words.append(word)
                named.append(part)
            else:
                found = True
                key_words.append(long[0])
                named.append(long[1])
        name_units.append("-".join(named))
    if not found:
        return None
    return " ".join(key_words), " ".join(name_units)
