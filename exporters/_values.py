"""Property values as the Cypher stores hold them: ISO dates as dates, bursts as lists.

Neo4j and LadybugDB have a ``DATE`` type, so the properties of
:data:`~graph_builder.schema.DATE_PROPERTIES` (a paper's ``date``, a concept's
``first_date`` and ``last_date``, a period's ``start``) become
:class:`datetime.date` values, which the drivers send as dates. Neither holds
maps, so a concept's ``bursts`` (a list of ``{start, end, strength}``) becomes
the three aligned lists of :data:`~graph_builder.schema.BURST_LISTS`.
"""

from __future__ import annotations

import datetime
from typing import Any

from graph_builder.schema import BURST_LISTS, DATE_PROPERTIES

__all__ = ["STORED", "store_values"]

#: Properties :func:`store_values` changes: a node without any keeps its dict as it is.
STORED = DATE_PROPERTIES | {"bursts"}


def store_values(props: dict[str, Any]) -> dict[str, Any]:
    """``props`` with dates as :class:`datetime.date` and ``bursts`` as three lists.

    >>> store_values({"date": "2025-03-18", "bursts": [{"start": "2025-04", "end": "2025-05",
    ...                                                 "strength": 3.2}]})
    ... # doctest: +NORMALIZE_WHITESPACE
    {'date': datetime.date(2025, 3, 18), 'burst_starts': ['2025-04'],
     'burst_ends': ['2025-05'], 'burst_strengths': [3.2]}
    """
    props = dict(props)
    for name in DATE_PROPERTIES.intersection(props):
        if isinstance(props[name], str):
            props[name] = datetime.date.fromisoformat(props[name])
    if "bursts" in props:
        bursts = props.pop("bursts")
        for field, name in BURST_LISTS.items():
            props[name] = [burst[field] for burst in bursts]
    return props
