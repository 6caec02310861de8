"""From candidates per paper to one vocabulary of concepts for the whole corpus.

The corpus decides what a candidate means:

* an abbreviation defined in a paper ("deep neural network (DNN)") stands for
  its long form in that paper; in the other papers a short form written the
  same way (case-sensitive, as a word: "DNN", "DNNs") stands for the long form
  most papers define, unless the corpus writes it more often as a lowercase
  word ("TIME", "PATH"); the short form stays an alias;
* spellings that differ only by spaces or accents ("back propagation",
  "backpropagation"; "schrödinger", "schrodinger") become one concept, keyed
  without accents;
* praise and size ("efficient", "large"), pieces of longer terms and verbs
  the tagger took for nouns are left out (:mod:`graph_builder.pieces`);
* a term found only inside longer ones is kept when it also stands alone
  somewhere, is a hyphenated compound ("mean-field"), or has different words
  next to it in the longer terms (the C-value idea of Frantzi et al., 2000):
  before it where it is their head ("symmetry" of "discovered symmetries" and
  "machine-learned symmetries"), or, for a phrase, after it ("mean field" of
  "mean field theory" and "mean field approximation"): the "neural" of "deep
  neural network" never is, nor "large language" of "large language model";
* a concept's name is its most common written form, with the capitals the
  corpus writes ("Schrödinger equation", "MACE", "k-means").

Each kept (paper, concept) pair gets a weight in [0.5, 1] from its score
(:mod:`graph_builder.concepts.scoring`: frequency, position, length, rarity in
the corpus and in everyday English), scaled so the best concept of each paper
weighs 1 and the weakest no less than 0.5.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from graph_builder import corpus_abbreviations
from graph_builder.concepts import scoring
from graph_builder.concepts.candidates import Candidate, PaperCandidates
from graph_builder.concepts.scoring import idf
from graph_builder.concepts.terms import key_of, plural_abbreviation
from graph_builder.pieces import drop_pieces, strip_evaluative
from graph_builder.thesaurus import Thesaurus, loose_key

__all__ = ["ConceptInfo", "Mention", "Vocabulary", "build_vocabulary", "idf"]

_ROUND = 4
#: The weakest concept of a paper still weighs this much: the order of a paper's concepts
#: comes from the score, but every concept it has counts when papers are linked
#: (benchmarks/link_quality.py: precision@5 49.0 -> 52.8, papers linked 89.6 -> 99.9 %).
_WEIGHT_FLOOR = 0.5
#: A word is written capitalised in a name when at least this share of its written
#: forms, and this many of them, are capitalised.
_CAPITALISED_SHARE = 0.75
_CAPITALISED_MIN = 3
#: The words of a written term, split at spaces and hyphens.
_WORD = re.compile(r"[^\s-]+")


@dataclass(frozen=True, slots=True)
class Mention:
    """A concept in a paper: how often, how important (0..1], the forms written."""

    key: str
    count: int
    weight: float
    spans: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ConceptInfo:
    """A concept of the corpus: display name, other forms, papers mentioning it, score."""

    key: str
    name: str
    aliases: tuple[str, ...]
    df: int
    score: float


@dataclass(slots=True)
class Vocabulary:
    """Concepts by key (sorted) and, per paper in input order, its mentions, best first."""

    concepts: dict[str, ConceptInfo] = field(default_factory=dict)
    mentions: list[list[Mention]] = field(default_factory=list)


def build_vocabulary(
    extracted: Sequence[PaperCandidates],
    *,
    thesaurus: Thesaurus | None = None,
    seeds: Sequence[str] = (),
) -> Vocabulary:
    """Merge the candidates of every paper into concepts and weighted mentions.

    ``thesaurus`` merges and drops terms (applied after abbreviations and
    spelling variants are merged); ``seeds`` are terms that are concepts
    wherever they occur, alone or inside a longer term.
    """
    extracted = corpus_abbreviations.spell_out_definitions(extracted)
    abbreviations = corpus_abbreviations.collect(extracted)  # once, not once per paper
    papers = [corpus_abbreviations.resolve(p, abbreviations) for p in extracted]
    renamed = corpus_abbreviations.variants(extracted, abbreviations)
    papers = corpus_abbreviations.rename_variants(papers, renamed)
    papers = strip_evaluative(
        papers, (key for p in extracted for key, _ in p.abbreviations.values())
    )
    canonical = _space_variants(c for p in papers for c in p)
    papers = [[_rekey(c, canonical) for c in p] for p in papers]
    if thesaurus:
        papers = [_apply_thesaurus(p, thesaurus) for p in papers]
    if seeds:
        papers = _add_seeds(papers, seeds)
    papers = drop_pieces(papers)
    attested = _attested(papers)
    kept = [[c for c in p if c.parent is None or attested(c)] for p in papers]
    df = Counter(key for p in kept for key in {c.key for c in p})
    vocabulary = Vocabulary()
    for candidates in kept:
        vocabulary.mentions.append(_weigh(candidates, df, len(kept)))
    vocabulary.concepts = _concepts(kept, vocabulary.mentions, df, abbreviations)
    return vocabulary


def _apply_thesaurus(candidates: list[Candidate], thesaurus: Thesaurus) -> list[Candidate]:
    """Candidates renamed as the thesaurus says; those it drops left out."""
    result = []
    for candidate in candidates:
        if candidate.key not in thesaurus:
            result.append(candidate)
            continue
        target = thesaurus.lookup(candidate.key)
        if target is not None:
            result.append(replace(candidate, key=target[0], name=target[1]))
    return result


def _add_seeds(papers: list[list[Candidate]], seeds: Sequence[str]) -> list[list[Candidate]]:
    """Make each seed a free-standing candidate wherever its words occur in a candidate.

    A seed is matched word by word (plural ``s`` ignored) inside the key of
    each free-standing candidate; nested candidates that are seeds give way to
    those, so no occurrence counts twice. Every match of one seed gets one key,
    its most frequent spelling in the corpus, and the seed as written as name.
    """
    wanted = {tuple(loose_key(key_of(s)).split()): s for s in seeds if key_of(s)}
    longest = max((len(w) for w in wanted), default=0)
    found: list[list[Candidate]] = []
    spellings: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    for candidates in papers:
        result = []
        for candidate in candidates:
            words = candidate.key.split()
            loose = loose_key(candidate.key).split()
            if candidate.nested and tuple(loose) in wanted:
                continue
            result.append(candidate)
            for size in range(1, min(longest, len(words)) + 1):
                for start in range(len(words) - size + 1):
                    seed = tuple(loose[start : start + size])
                    if seed not in wanted:
                        continue
                    key = " ".join(words[start : start + size])
                    spellings[seed][key] += 1
                    if key != candidate.key:
                        result.append(
                            Candidate(key, wanted[seed], wanted[seed], candidate.position)
                        )
                    else:
                        result[-1] = replace(candidate, name=wanted[seed], parent=None)
        found.append(result)
    canonical = {}
    for counts in spellings.values():
        best = min(counts, key=lambda k: (-counts[k], k))
        canonical.update({k: best for k in counts if k != best})
    return [[_rekey(c, canonical) for c in p] for p in found]


def fold(key: str) -> str:
    """A key without accents: "schrödinger equation" -> "schrodinger equation".

    Examples
    --------
    >>> fold("kähler manifold"), fold("mean field")
    ('kahler manifold', 'mean field')
    """
    if key.isascii():
        return key
    decomposed = unicodedata.normalize("NFKD", key)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _space_variants(candidates: Iterable[Candidate]) -> dict[str, str]:
    """Map keys that differ only by spaces or accents to the most frequent one, accents folded."""
    counts = Counter(c.key for c in candidates)
    groups: dict[str, list[str]] = defaultdict(list)
    for key in counts:
        groups[fold(key).replace(" ", "")].append(key)
    canonical = {}
    for keys in groups.values():
        best = fold(min(keys, key=lambda k: (-counts[k], k)))
        canonical.update({k: best for k in keys if k != best})
    return canonical


def _rekey(candidate: Candidate, canonical: dict[str, str]) -> Candidate:
    if candidate.key in canonical or (candidate.parent or "") in canonical:
        return replace(
            candidate,
            key=canonical.get(candidate.key, candidate.key),
            parent=canonical.get(candidate.parent, candidate.parent) if candidate.parent else None,
        )
    return candidate


def _attested(papers: list[list[Candidate]]) -> Callable[[Candidate], bool]:
    """Whether a nested candidate is attested by the corpus (see the module docstring)."""
    standalone = {c.key for p in papers for c in p if c.parent is None}
    parents: dict[str, set[str]] = defaultdict(set)
    for candidate in (c for p in papers for c in p if c.parent is not None):
        parents[candidate.key].add(candidate.parent or "")
    attested_keys = set()
    for key, found_in in parents.items():
        before, after = _neighbours(key, found_in)
        # Different words before it where it is the head ("neural network" of "deep neural
        # network" and "graph neural network"; not "carlo" of "monte carlo" and "markov
        # chain monte carlo"), or, for a phrase, after it ("mean field" of "mean field
        # theory" and "mean field approximation"; not "large language" of "large language
        # model" and "multimodal large language model").
        if key in standalone or len(before) >= 2 or (" " in key and len(after) >= 2):
            attested_keys.add(key)

    def attested(candidate: Candidate) -> bool:
        hyphen_compound = "-" in candidate.surface and " " not in candidate.surface
        return hyphen_compound or candidate.key in attested_keys

    return attested


def _neighbours(key: str, parents: Iterable[str]) -> tuple[set[str], set[str]]:
    """The words before ``key`` where it ends a longer term, and the words after it."""
    before, after = set(), set()
    for parent in parents:
        start = f" {parent} ".find(f" {key} ")
        if start < 0:
            continue
        end = start + len(key)
        if end < len(parent):
            after.add(parent[end + 1 :].split(" ", 1)[0])
        elif start > 0:
            before.add(parent[: start - 1].rsplit(" ", 1)[-1])
    return before, after


@dataclass(slots=True)
class _Occurrences:
    """A term's occurrences in one paper: weighted frequency, first position, count, spellings."""

    frequency: float
    first: float
    count: int
    surfaces: set[str]


def _weigh(candidates: list[Candidate], df: Counter[str], papers: int) -> list[Mention]:
    """Mentions of one paper, best first (ties by key), weights scaled to max 1."""
    found: dict[str, _Occurrences] = {}
    nested = scoring.NESTED_COUNT
    for c in candidates:
        seen = found.get(c.key)
        if seen is None:
            found[c.key] = seen = _Occurrences(0.0, c.position, 0, set())
        seen.frequency += nested if c.parent is not None else 1.0
        if c.position < seen.first:
            seen.first = c.position
        seen.count += 1
        seen.surfaces.add(c.surface)
    raw = {
        key: scoring.score(key, seen.frequency, seen.first, df[key], papers)
        for key, seen in found.items()
    }
    top = max(raw.values(), default=1.0)
    mentions = [
        Mention(
            key,
            found[key].count,
            round(_WEIGHT_FLOOR + (1 - _WEIGHT_FLOOR) * value / top, _ROUND),
            tuple(sorted(found[key].surfaces)),
        )
        for key, value in raw.items()
    ]
    mentions.sort(key=lambda m: (-m.weight, m.key))
    return mentions


def _concepts(
    kept: list[list[Candidate]],
    mentions: list[list[Mention]],
    df: Counter[str],
    abbreviations: dict[str, tuple[str, str]],
) -> dict[str, ConceptInfo]:
    """The concepts; a short form is an alias only of the concept the corpus says it stands
    for (one paper's own "MLLM (large language model)" leaves "MLLM" to its common meaning)."""
    names: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for (key, name), count in Counter((c.key, c.name) for p in kept for c in p).items():
        names[key].append((-count, len(name), name))
    surfaces: dict[str, list[str]] = defaultdict(list)
    for key, surface in {(c.key, c.surface) for p in kept for c in p}:
        surfaces[key].append(surface)
    scores: Counter[str] = Counter()
    for paper in mentions:
        for mention in paper:
            scores[mention.key] += mention.weight
    capitals = _capitalised_words(kept)
    concepts = {}
    for key in sorted(df):
        name = _as_written(min(names[key])[2], capitals)
        aliases = tuple(
            sorted(s for s in surfaces[key] if s != name and _stands_for(s, abbreviations, key))
        )
        concepts[key] = ConceptInfo(key, name, aliases, df[key], round(scores[key], _ROUND))
    return concepts


def _stands_for(surface: str, abbreviations: dict[str, tuple[str, str]], key: str) -> bool:
    """Whether a written form may be an alias of ``key``: not a short form the corpus
    resolves to another concept."""
    if surface.islower():  # no capital: no short form (those have two capitals or more)
        return True
    long = abbreviations.get(surface) or abbreviations.get(plural_abbreviation(surface) or "")
    return long is None or long[0] == key


def _capitalised_words(papers: list[list[Candidate]]) -> dict[str, str]:
    """Lowercase word -> its capitalised form, for words the corpus writes capitalised.

    A word is capitalised when at least :data:`_CAPITALISED_SHARE` of the times
    it is written (at least :data:`_CAPITALISED_MIN` times) it starts with a
    capital and goes on in lowercase ("Schrödinger", "Kähler", "Bayesian");
    sentence starts and titles do not reach that share for ordinary words.
    """
    surfaces = Counter(c.surface for candidates in papers for c in candidates if c.parent is None)
    written: dict[str, Counter[str]] = defaultdict(Counter)
    for surface, count in surfaces.items():
        for word in _WORD.findall(surface):
            written[word.lower()][word] += count
    capitals = {}
    for lower, forms in written.items():
        title = lower[:1].upper() + lower[1:]
        count = forms[title]
        if (
            title != lower
            and count >= _CAPITALISED_MIN
            and count >= _CAPITALISED_SHARE * forms.total()
        ):
            capitals[lower] = title
    return capitals


def _as_written(name: str, capitals: dict[str, str]) -> str:
    """A name with each lowercase word the corpus writes capitalised capitalised."""
    if not any(w in capitals for w in _WORD.findall(name)):
        return name
    return " ".join(
        "-".join(capitals.get(part, part) for part in unit.split("-")) for unit in name.split(" ")
    )
