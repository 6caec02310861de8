"""``CO_OCCURS``: concepts among the same papers' best concepts, by association strength."""

from __future__ import annotations

from typing import TYPE_CHECKING

from graph_builder.linking.similarity import among_first
from graph_builder.vocabulary import Vocabulary

if TYPE_CHECKING:  # numpy is imported when papers are linked, not before
    import numpy as np

    from graph_builder.linking import LinkOptions

__all__ = ["cooccurrences"]

_ROUND = 4


def cooccurrences(
    vocabulary: Vocabulary, options: LinkOptions
) -> list[tuple[str, str, int, float]]:
    """``(a, b, papers, strength)`` of the pairs kept, ``a < b``, sorted; see the module doc."""
    import numpy as np

    n = len(vocabulary.mentions)
    _, min_papers = options.min_papers(n)
    keys = sorted(vocabulary.concepts)
    df = np.array([vocabulary.concepts[k].df for k in keys], dtype=np.int64)
    rank = {k: r for r, k in enumerate(keys) if df[r] >= min_papers}
    size = max(len(keys), 1)
    pairs: dict[int, tuple[np.ndarray, np.ndarray]] = {}  # combinations of m items, as indices
    codes = [np.zeros(0, dtype=np.int64)]
    for mentions in vocabulary.mentions:
        ids = sorted(
            r
            for m in mentions[: options.cooccur_concepts_per_paper]
            if (r := rank.get(m.key)) is not None
        )
        if len(ids) > 1:
            a, b = pairs.get(len(ids)) or pairs.setdefault(len(ids), np.triu_indices(len(ids), 1))
            found = np.array(ids, dtype=np.int64)
            codes.append(found[a] * size + found[b])
    code, count = np.unique(np.concatenate(codes), return_counts=True)
    code, count = code[count >= min_papers], count[count >= min_papers]
    first, second = code // size, code % size
    strength = (count * n).astype(float) / (df[first] * df[second]).astype(float)
    kept = _top_k_pairs(first, second, count, strength, options.cooccur_top_k)
    return [
        (keys[a], keys[b], c, round(s, _ROUND))
        for a, b, c, s in zip(
            first[kept].tolist(),
            second[kept].tolist(),
            count[kept].tolist(),
            strength[kept].tolist(),
            strict=True,
        )
    ]


def _top_k_pairs(
    first: np.ndarray, second: np.ndarray, count: np.ndarray, strength: np.ndarray, k: int
) -> np.ndarray:
    """Indices of the pairs among the ``k`` best of either member, in order.

    Best: most papers, then strongest, then the other member first.
    """
    import numpy as np

    member, other = np.concatenate((first, second)), np.concatenate((second, first))
    order = np.lexsort((other, -np.tile(strength, 2), -np.tile(count, 2), member))
    best = order[among_first(member[order], k)]
    return np.unique(best % max(len(first), 1))
