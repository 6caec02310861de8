"""Exporters read a finished :class:`graph_builder.KnowledgeGraph` and write it somewhere.

They never extract or link: they import only the model, the schema and the errors.
"""

from exporters import files, html

__all__ = ["files", "html"]
