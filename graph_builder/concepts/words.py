"""A parsed text's token attributes as plain lists, read from the ``Doc`` in one pass.

Reading ``token.pos_``, ``token.text`` and the like token by token builds a
``Token`` object and looks a string up at every access, which cost more than
the rest of extraction together; :meth:`Words.of` reads the ids of every token
with one ``Doc.to_array`` call and looks each distinct id's string up once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # spaCy is imported when a pipeline is loaded, not before
    from spacy.strings import StringStore
    from spacy.tokens import Doc

__all__ = ["Words"]


@cache
def _attrs() -> list[int]:
    from spacy.attrs import DEP, IS_STOP, LEMMA, ORTH, POS, SENT_START, SPACY, TAG

    return [ORTH, SPACY, POS, TAG, DEP, LEMMA, IS_STOP, SENT_START]


#: Strings by id, shared by every document of this process (an id is the hash of its
#: string, whatever the vocabulary); emptied when it grows past the limit.
_STRINGS: dict[int, str] = {}
_STRINGS_LIMIT = 500_000


def _strings(ids: list[int], store: StringStore) -> list[str]:
    known = _STRINGS
    strings = list(map(known.get, ids))
    if None in strings:
        if len(known) > _STRINGS_LIMIT:
            known.clear()
        known.update((i, store[i]) for i in set(ids).difference(known))
        strings = list(map(known.__getitem__, ids))
    return strings


@dataclass(frozen=True, slots=True)
class Words:
    """Token ``i``'s ``text``, ``space`` (trailing whitespace), ``pos``, ``tag``, ``dep``,
    ``lemma``, ``stop`` (``is_stop``) and whether a sentence starts at it (``sent_start``).

    ``sentences`` is false when the parse has no sentence boundaries.

    Examples
    --------
    >>> import spacy
    >>> words = Words.of(spacy.blank("en")("Mean-field theory."))
    >>> words.text, words.space
    (['Mean', '-', 'field', 'theory', '.'], [False, False, True, False, False])
    """

    text: list[str]
    space: list[bool]
    pos: list[str]
    tag: list[str]
    dep: list[str]
    lemma: list[str]
    stop: list[bool]
    sent_start: list[bool]
    sentences: bool

    @classmethod
    def of(cls, doc: Doc) -> Words:
        """The attributes of every token of ``doc``."""
        attrs = _attrs()
        array = doc.to_array(attrs).reshape(-1, len(attrs)).T
        orth, pos, tag, dep, lemma = array[[0, 2, 3, 4, 5]].tolist()
        store = doc.vocab.strings
        return cls(
            text=_strings(orth, store),
            space=(array[1] != 0).tolist(),
            pos=_strings(pos, store),
            tag=_strings(tag, store),
            dep=_strings(dep, store),
            lemma=_strings(lemma, store),
            stop=(array[6] != 0).tolist(),
            sent_start=(array[7] == 1).tolist(),
            sentences=doc.has_annotation("SENT_START"),
        )

    def __len__(self) -> int:
        return len(self.text)

    def sentence_start(self, i: int) -> int:
        """Where the sentence of token ``i`` starts (0 without sentence boundaries)."""
        if not self.sentences:
            return 0
        while i > 0 and not self.sent_start[i]:
            i -= 1
        return i
