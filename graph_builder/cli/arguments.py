"""The arguments of the commands that read a built graph (``show``, ``path``, ``topics``,
``trends``, ``query``): apart from :mod:`.options`, whose help texts import what a build needs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = ["AsJson", "GraphDir"]

GraphDir = Annotated[
    Path, typer.Argument(metavar="DIR", help="A directory written by 'paperkg build'.")
]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]
