"""The user's vocabulary: a thesaurus that merges or drops terms, and seed concepts.

A thesaurus file has VOSviewer's layout: tab-separated, a header line
``label<TAB>replace by``, then one term per line; a term with a ``replace by``
becomes that term, a term with an empty one is dropped::

    label	replace by
    DNN	deep neural network
    neural nets	neural network
    this paper

A seed file lists terms that are always concepts (one per line, ``#`` starts a
comment): a seed found inside a longer term ("mean-field" in "mean-field
theory") is a concept of that paper even if extraction alone would not make it
one.

Terms are matched by their key (case and hyphens ignored, see
:func:`graph_builder.concepts.terms.key_of`), and a final plural ``s`` is
ignored, so ``neural networks`` in a thesaurus matches the concept
``neural network``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from graph_builder.concepts.terms import key_of, singular
from graph_builder.errors import ConfigError

__all__ = ["Thesaurus", "loose_key", "read_seeds", "read_thesaurus"]

_HEADER = ("label", "replace by")


def loose_key(key: str) -> str:
    """A key with a plural ``s`` dropped from every word, for matching user terms.

    Examples
    --------
    >>> loose_key("neural networks")
    'neural network'
    >>> loose_key("class analysis")
    'class analysis'
    >>> loose_key("spin glasses symmetries")
    'spin glass symmetry'
    """
    return " ".join(singular(w) for w in key.split())


@dataclass(frozen=True, slots=True)
class Thesaurus:
    """Replacements by loose key: a ``(key, display name)`` pair, or None to drop the term.

    Examples
    --------
    >>> t = Thesaurus.from_pairs([("DNNs", "deep neural network"), ("this paper", "")])
    >>> t.lookup("dnn")
    ('deep neural network', 'deep neural network')
    >>> t.lookup("this paper") is None
    True
    >>> t.lookup("symmetry")
    ('symmetry', 'symmetry')
    """

    replacements: dict[str, tuple[str, str] | None] = field(default_factory=dict)

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, str]]) -> Thesaurus:
        """A thesaurus from ``(label, replace by)`` pairs; an empty ``replace by`` drops."""
        replacements: dict[str, tuple[str, str] | None] = {}
        for label, replacement in pairs:
            target = replacement.strip()
            replacements[loose_key(key_of(label))] = (
                (key_of(target), " ".join(target.split())) if target else None
            )
        return cls(replacements)

    def lookup(self, key: str) -> tuple[str, str] | None:
        """``(key, name)`` that ``key`` becomes (itself, with its key as name, if not listed)."""
        loose = loose_key(key)
        if loose in self.replacements:
            return self.replacements[loose]
        return key, key

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and loose_key(key) in self.replacements

    def __bool__(self) -> bool:
        return bool(self.replacements)


def read_thesaurus(path: Path) -> Thesaurus:
    """Read a VOSviewer thesaurus file (``label<TAB>replace by``, header line first).

    Raises
    ------
    ConfigError
        The file cannot be read, or a line has more than two columns or no label.
    """
    lines = _read_lines(path)
    pairs = []
    for number, line in enumerate(lines, 1):  # no quoting: a plain split, of any length
        cells = [cell.strip() for cell in line.split("\t")]
        if not any(cells):
            continue
        if number == 1 and tuple(c.lower() for c in cells[:2]) == _HEADER:
            continue
        if len(cells) > 2 or not cells[0]:
            raise ConfigError(
                f"{path}:{number}: a thesaurus line is 'label<TAB>replace by' (an empty "
                f"'replace by' drops the term); got {len(cells)} columns: {lines[number - 1]!r}"
            )
        pairs.append((cells[0], cells[1] if len(cells) > 1 else ""))
    return Thesaurus.from_pairs(pairs)


def read_seeds(path: Path) -> tuple[str, ...]:
    """Read a seed file: one term per line, ``#`` starts a comment, blank lines skipped."""
    seeds = []
    for line in _read_lines(path):
        term = " ".join(line.split("#", 1)[0].split())
        if term:
            seeds.append(term)
    return tuple(seeds)


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read it as UTF-8 text: {exc}") from None
