"""What the matplotlib pictures share: pyplot loaded on demand, and a byte-stable atomic save."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from exporters._atomic import atomic_path
from graph_builder.errors import ExportError

#: Fixed hash salt and text as text: the same figure gives the same SVG bytes.
RC = {"svg.hashsalt": "paperkg", "svg.fonttype": "none"}


def pyplot(fmt: str, instead: str = "") -> Any:
    """``matplotlib.pyplot`` on the Agg backend, or an ExportError saying how to install it."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as error:
        raise ExportError(
            f"writing {fmt} needs matplotlib, which is not installed: "
            f'pip install "paperkg[picture]"{instead}'
        ) from error
    return plt


def save(fig: Any, path: str | Path, fmt: str, dpi: int) -> None:
    """Write ``fig`` to ``path`` through a temporary file, with no date or version in it; close
    the figure."""
    with atomic_path(path) as tmp:
        if fmt == "svg":
            fig.savefig(tmp, format="svg", metadata={"Date": None})
        else:
            fig.savefig(tmp, format="png", dpi=dpi, metadata={"Software": None})
    import matplotlib.pyplot as plt  # loaded already: the figure came from it

    plt.close(fig)
