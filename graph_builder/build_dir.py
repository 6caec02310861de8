"""A build directory: its outputs, and whether they are up to date with the inputs.

:func:`build_directory` is what ``paperkg build`` does: read, build, write
every output into DIR, all or nothing.

After writing its outputs, ``paperkg build`` records in ``DIR/.paperkg-build.json``
a fingerprint of what it read and how (each input file's SHA-256, the options,
the spaCy pipeline, paperkg's own code) and the size and modification time of
each output. A later build with the same fingerprint, finding every output as
it was written, has nothing to do; anything else (an input or option changed,
paperkg upgraded, an output edited or deleted) builds again. Standard input
cannot be fingerprinted without reading it: a build from ``-`` always runs.

A build holds DIR (:func:`graph_builder.locking.directory_lock`) from the
up-to-date check to the manifest, and refuses to write over one of its
inputs. The outputs, the manifest and a bad-records report inside DIR are
written as one generation (:mod:`graph_builder.generations`) that replaces
the previous one in a single rename: a build killed at any point leaves the
previous set whole, never a mix.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import exporters
import graph_builder
from exporters import embedded, files, html
from exporters._atomic import atomic_path
from graph_builder import graph_index
from graph_builder.concepts import ExtractionSpec, default_workers, extraction_settings
from graph_builder.digests import file_digest, tree_digest
from graph_builder.errors import ConfigError
from graph_builder.gcpause import gc_paused
from graph_builder.generations import current, new_generation
from graph_builder.ingest import read_papers
from graph_builder.ingest.sanitise import terminal_safe
from graph_builder.locking import directory_lock
from graph_builder.model import Corpus, KnowledgeGraph
from graph_builder.pipeline import BuildOptions, BuildReport, RunOptions, build_graph
from graph_builder.topics import previous_topics

__all__ = [
    "BAD_RECORDS_FILE",
    "MANIFEST_FILE",
    "OUTPUTS",
    "DirectoryBuild",
    "PageOptions",
    "ReadOptions",
    "build_directory",
    "check_outputs_are_not_inputs",
    "fingerprint",
    "output_directory",
    "record",
    "up_to_date",
    "write_bad_records",
    "write_outputs",
]

MANIFEST_FILE = ".paperkg-build.json"
#: Where ``paperkg build --skip-bad`` lists the records it set aside, unless told otherwise.
BAD_RECORDS_FILE = "bad-records.tsv"
#: The files ``paperkg build`` writes into DIR (the embedded store last).
OUTPUTS = ("graph.json", "graph.graphml", "graph.html", graph_index.INDEX_FILE, embedded.STORE_FILE)
_PACKAGES = (graph_builder, exporters)


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """How the inputs are read (see :func:`graph_builder.read_papers`)."""

    format: str = "auto"
    columns: Mapping[str, str] | None = None
    skip_bad: bool = False

    def read(self, inputs: Sequence[Path], *, workers: int = 1) -> Corpus:
        """The papers of ``inputs``, read this way, records cleaned in ``workers`` processes."""
        return read_papers(
            inputs, self.format, columns=self.columns, skip_bad=self.skip_bad, workers=workers
        )


@dataclass(frozen=True, slots=True)
class PageOptions:
    """What graph.html draws (see :func:`exporters.html.render`); ``None`` keeps all."""

    max_concepts: int | None = html.MAX_CONCEPTS
    max_edges: int | None = html.MAX_EDGES
    max_papers: int | None = html.MAX_PAPERS


@dataclass(slots=True)
class DirectoryBuild:
    """What :func:`build_directory` did: nothing (``up_to_date``) or a build.

    ``kg`` and ``corpus`` are None when DIR was up to date.
    """

    up_to_date: bool
    kg: KnowledgeGraph | None = None
    corpus: Corpus | None = None
    written: list[Path] = field(default_factory=list)


def build_directory(
    inputs: Sequence[Path],
    out: Path,
    options: BuildOptions = BuildOptions(),
    *,
    reading: ReadOptions = ReadOptions(),
    page: PageOptions = PageOptions(),
    run: RunOptions = RunOptions(),
    force: bool = False,
    report: BuildReport | None = None,
    bad_records: Path | None = None,
) -> DirectoryBuild:
    """Build the graph of ``inputs`` into ``out``, unless ``out`` is up to date.

    ``report`` gets one stage per step, ``read`` and ``write`` included;
    ``bad_records``, when given, is where the records set aside are listed
    (:func:`write_bad_records`), written before the manifest.
    """
    check_outputs_are_not_inputs(
        inputs, [*(out / name for name in (*OUTPUTS, MANIFEST_FILE)), bad_records]
    )
    with directory_lock(out):
        stamp = fingerprint(inputs, _settings(options, reading, page))
        if not force and up_to_date(out, stamp):
            return DirectoryBuild(up_to_date=True)
        report = report if report is not None else BuildReport()
        with report.stage("read"):
            corpus = reading.read(inputs, workers=run.workers or default_workers())
        previous = previous_topics(out)
        kg = build_graph(corpus, options, run=run, report=report, previous_topics=previous)
        with report.stage("write"), gc_paused():
            written = _write_generation(kg, corpus, out, page, bad_records, stamp)
    return DirectoryBuild(False, kg, corpus, written)


def _write_generation(
    kg: KnowledgeGraph,
    corpus: Corpus,
    out: Path,
    page: PageOptions,
    bad_records: Path | None,
    stamp: str | None,
) -> list[Path]:
    """Write the outputs, the bad-records report and the manifest as ``out``'s next
    generation; the paths they are read at."""
    names = list(OUTPUTS)
    inside = bad_records is not None and _same_file(bad_records.parent, out)
    if bad_records is not None and inside:
        names.append(bad_records.name)
    with new_generation(out, names, adopt=[MANIFEST_FILE]) as generation:
        _write_files(kg, generation, out, page)
        written = {name: generation / name for name in OUTPUTS}
        if bad_records is not None:
            target = generation / bad_records.name if inside else bad_records
            written[os.path.relpath(bad_records, out)] = write_bad_records(corpus, target)
        record(generation, stamp, written)
    return [out / name for name in written]


def output_directory(value: str | Path) -> Path:
    """``--out``'s value as a path: an empty one (which would be the current directory) is a
    :class:`ValueError`, which the command line reports as a bad option value."""
    if isinstance(value, str) and not value.strip():
        raise ValueError("an empty path would write into the current directory; use . for that")
    return Path(value)


def check_outputs_are_not_inputs(inputs: Sequence[Path], outputs: Sequence[Path | None]) -> None:
    """Raise :class:`ConfigError` when one of ``outputs`` is one of ``inputs``."""
    for output in outputs:
        if output is None:
            continue
        for source in inputs:
            if str(source) != "-" and _same_file(source, output):
                raise ConfigError(
                    f"{output}: is an input of this build and would be overwritten; "
                    "choose another --out or --report"
                )


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()


def write_bad_records(corpus: Corpus, path: Path) -> Path:
    """Write the bad records, one ``where<TAB>problem`` line each (escaped), atomically."""
    lines = [
        "where\tproblem",
        *(f"{terminal_safe(b.where)}\t{terminal_safe(b.problem)}" for b in corpus.bad),
    ]
    with atomic_path(path) as tmp:
        tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_outputs(kg: KnowledgeGraph, out: Path, page: PageOptions = PageOptions()) -> list[Path]:
    """Write every output of ``paperkg build`` (:data:`OUTPUTS`) into ``out``, all or nothing
    (a new generation, :mod:`graph_builder.generations`)."""
    with directory_lock(out), new_generation(out, OUTPUTS) as generation:
        _write_files(kg, generation, out, page)
    return [out / name for name in OUTPUTS]


def _write_files(kg: KnowledgeGraph, directory: Path, out: Path, page: PageOptions) -> None:
    """Write the outputs into ``directory`` (a generation of ``out``).

    The embedded store is written in a second thread while the files are written: LadybugDB
    releases the GIL while it loads, so its work overlaps theirs.
    """

    def write_page(kg: KnowledgeGraph, path: Path) -> None:
        html.write(
            kg,
            path,
            max_concepts=page.max_concepts,
            max_edges=page.max_edges,
            max_papers=page.max_papers,
        )

    writers = (files.write_json, files.write_graphml, write_page, graph_index.write)
    with ThreadPoolExecutor(1) as pool:
        store = pool.submit(embedded.write, kg, directory / embedded.STORE_FILE)
        for name, write in zip(OUTPUTS[:-1], writers, strict=True):
            if store.done():
                store.result()  # a failed store stops the build before the next file
            write(kg, directory / name)
        store.result()
    for leftover in embedded.recovery_files(out / embedded.STORE_FILE):
        leftover.unlink()  # the engine would replay an old store's log onto the new one


def _settings(options: BuildOptions, reading: ReadOptions, page: PageOptions) -> dict[str, Any]:
    """What, besides the input files, decides the outputs of a build."""
    spec = ExtractionSpec(options.model, options.method, options.max_words)
    thesaurus = options.thesaurus
    return {
        "options": repr(replace(options, thesaurus=None)),
        "thesaurus": sorted(thesaurus.replacements.items()) if thesaurus else None,
        "reading": repr(reading),
        "page": repr(page),
        "extraction": extraction_settings(spec),
        "code": [tree_digest(Path(package.__file__).parent) for package in _PACKAGES],
    }


def fingerprint(inputs: Sequence[Path], settings: Mapping[str, Any]) -> str | None:
    """The fingerprint of a build of ``inputs`` with ``settings`` (JSON-serialisable).

    None when an input is standard input (``-``) or not a readable file: such a
    build is never up to date, and reading the input reports the problem.
    """
    digests = []
    for path in inputs:
        if str(path) == "-" or not path.is_file():
            return None
        try:
            digests.append([str(path), file_digest(path)])
        except OSError:
            return None
    text = json.dumps({"inputs": digests, "settings": settings}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _stamp(path: Path) -> list[int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns]


def up_to_date(out: Path, stamp: str | None) -> bool:
    """Whether ``out`` holds a build with fingerprint ``stamp`` and its outputs are untouched."""
    if stamp is None:
        return False
    try:
        manifest = json.loads((current(out) / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(manifest, dict) or manifest.get("fingerprint") != stamp:
        return False
    outputs = manifest.get("outputs")
    if embedded.recovery_files(out / embedded.STORE_FILE):
        return False
    return isinstance(outputs, dict) and all(
        _stamp(out / name) == recorded for name, recorded in outputs.items()
    )


def record(directory: Path, stamp: str | None, outputs: Mapping[str, Path]) -> None:
    """Write the manifest into ``directory`` (a generation): the build ``stamp`` wrote
    ``outputs``, each by its name in the build directory and the file it is now.

    With no fingerprint (standard input), no manifest: such a build is never up to date.
    """
    if stamp is None:
        return
    stamps = {name: _stamp(path) for name, path in outputs.items()}
    with atomic_path(directory / MANIFEST_FILE) as tmp:
        tmp.write_text(json.dumps({"fingerprint": stamp, "outputs": stamps}, indent=1) + "\n")
