"""Which language an abstract is written in, to set aside abstracts not in English.

Uses `py3langid <https://pypi.org/project/py3langid/>`_, the maintained fork of
langid.py (Lui & Baldwin 2012: naive Bayes over byte n-grams, 97 languages,
a 4 MB model shipped in the wheel, no download), restricted to a set of
languages abstracts are commonly written in so that short technical English
is not mistaken for a rare language. A text too short to judge counts as
English.
"""

from __future__ import annotations

from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

__all__ = ["LANGUAGES", "MIN_CHARS", "detect_language"]

#: The languages told apart (ISO 639-1 codes).
LANGUAGES = (
    "en de fr es it pt nl sv da no fi pl cs sk sl hr hu ro tr ru uk bg el "
    "zh ja ko ar fa he hi id vi ca"
).split()
#: Texts shorter than this, in UTF-8 bytes (so a Chinese character counts as three, as
#: it carries about as much as three Latin letters), are taken to be English.
MIN_CHARS = 40


@cache
def _identifier() -> LanguageIdentifier:
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(LANGUAGES)
    return identifier


def detect_language(text: str) -> str:
    """The ISO 639-1 code of the language of ``text`` (``"en"`` when too short to tell).

    Examples
    --------
    >>> detect_language("We train deep neural networks to detect symmetry in crystals.")
    'en'
    >>> detect_language("Nous étudions les réseaux de neurones et la symétrie des cristaux.")
    'fr'
    """
    if len(text.encode("utf-8")) < MIN_CHARS:
        return "en"
    language, _ = _identifier().classify(text)
    return str(language)
