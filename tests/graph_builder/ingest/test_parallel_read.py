"""Records cleaned in worker processes: the same corpus, messages and errors as in one process."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph_builder.errors import InputError
from graph_builder.ingest import cleaning, read_papers
from graph_builder.ingest._common import RecordTask, make_paper
from graph_builder.ingest.cleaning import Cleaner
from graph_builder.model import Corpus, Paper

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "tests" / "data"
EXAMPLE = ROOT / "examples" / "similar-papers.txt"
FIXTURES = [*sorted(p for p in DATA.rglob("*") if p.is_file()), EXAMPLE]
ONE = "We study graph neural networks for molecules and their chemical properties."
FRENCH = "Nous étudions les réseaux de neurones et la symétrie des cristaux dans ce travail."


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers from the first record on, three records a chunk: every fixture is spread
    over several chunks and both workers."""
    monkeypatch.setattr(cleaning, "MIN_PARALLEL", 1)
    monkeypatch.setattr(cleaning, "CHUNK_RECORDS", 3)


def _outcome(paths: list[Path], workers: int, **options: object) -> Corpus | str:
    try:
        return read_papers(paths, workers=workers, **options)  # type: ignore[arg-type]
    except InputError as exc:
        return f"InputError: {exc}"


@pytest.mark.usefixtures("small_chunks")
@pytest.mark.parametrize("skip_bad", [False, True])
def test_every_fixture_reads_the_same_in_workers(skip_bad: bool) -> None:
    serial = [_outcome([path], 1, skip_bad=skip_bad) for path in FIXTURES]
    parallel = [_outcome([path], 2, skip_bad=skip_bad) for path in FIXTURES]
    for path, one, two in zip(FIXTURES, serial, parallel, strict=True):
        assert one == two, path
    if skip_bad:  # bad records were compared
        assert any(isinstance(c, Corpus) and c.bad for c in serial)
    else:  # errors were
        assert any(isinstance(c, str) and ": line " in c for c in serial)
    everything = _outcome(FIXTURES, 1, skip_bad=True)
    assert isinstance(everything, Corpus) and everything.merged and everything.not_english
    assert _outcome(FIXTURES, 2, skip_bad=True) == everything


def _lines(tmp_path: Path) -> Path:
    records = [json.dumps({"id": f"p{i}", "abstract": f"{ONE} Case {i}."}) for i in range(12)]
    records[4] = '{"id": "p4", "abstract": '  # invalid JSON
    records[7] = json.dumps({"id": "p7", "abstract": 7})  # a field of the wrong type
    records[9] = json.dumps({"id": "p9", "abstract": FRENCH})
    records[10] = json.dumps({"id": "p10", "title": "T", "abstract": f"{ONE} Case 3."})
    path = tmp_path / "papers.jsonl"
    path.write_text("\n".join(records) + "\n\n", encoding="utf-8")
    return path


@pytest.mark.usefixtures("small_chunks")
def test_bad_records_language_and_errors_name_file_and_line(tmp_path: Path) -> None:
    path = _lines(tmp_path)
    corpus = read_papers([path], workers=2, skip_bad=True)
    assert corpus == read_papers([path], workers=1, skip_bad=True)
    assert [p.paper_id for p in corpus.papers] == [f"p{i}" for i in (0, 1, 2, 3, 5, 6, 8, 10, 11)]
    assert [(b.where, b.problem) for b in corpus.bad] == [
        (f"{path}: line 5", "invalid JSON: Expecting value (column 26)"),
        (f"{path}: line 8", "field 'abstract' must be a string, found int"),
    ]
    assert [(b.where, b.problem) for b in corpus.not_english] == [
        (f"{path}:10", "abstract not in English (looks like 'fr')")
    ]
    with pytest.raises(InputError) as error:
        read_papers([path], workers=2)
    assert str(error.value) == f"{path}: line 5: invalid JSON: Expecting value (column 26)"


def _tasks(count: int, broken: bool) -> Iterator[RecordTask | Paper]:
    for i in range(count):
        yield RecordTask(f"f: line {i}", make_paper, (), {"source": f"f:{i}", "abstract": ONE})
    if broken:
        raise InputError("f: line 99: the file breaks off")


@pytest.mark.parametrize("min_parallel", [1, 100])
def test_a_file_that_breaks_off_gives_its_records_first(min_parallel: int) -> None:
    with Cleaner(2, check_language=True, min_parallel=min_parallel, chunk=2) as cleaner:
        seen = []
        with pytest.raises(InputError, match="breaks off"):
            for item, language in cleaner.clean(_tasks(5, broken=True)):
                seen.append((item.source, language))
    checked = "en" if min_parallel == 1 else None  # in the workers, or later in this process
    assert seen == [(f"f:{i}", checked) for i in range(5)]


def test_one_worker_starts_no_process(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(cleaning, "MIN_PARALLEL", 1)

    def refuse(self: Cleaner) -> None:
        raise AssertionError("a process was started")

    monkeypatch.setattr(Cleaner, "_start", refuse)
    corpus = read_papers([_lines(tmp_path)], workers=1, skip_bad=True)
    assert len(corpus.papers) == 9


def test_workers_stop_with_the_reading() -> None:
    # Chunks that would take ten minutes: the workers are killed, not left to finish them.
    started: list[multiprocessing.Process] = []
    stopped = 0.0

    def interrupted() -> Iterator[RecordTask | Paper]:
        nonlocal stopped
        for i in range(6):  # three chunks: fewer than are let in flight
            yield RecordTask(f"f: line {i}", time.sleep, (600,), {})  # type: ignore[arg-type]
        started.extend(multiprocessing.active_children())
        stopped = time.monotonic()
        raise KeyboardInterrupt

    cleaner = Cleaner(2, check_language=False, min_parallel=4, chunk=2)
    with pytest.raises(KeyboardInterrupt), cleaner:
        list(cleaner.clean(interrupted()))
    assert started  # the workers had started
    assert time.monotonic() - stopped < 60  # nobody waited for a chunk
    deadline = time.monotonic() + 10
    while any(p.is_alive() for p in started) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(p.is_alive() for p in started)


def _children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(stat.parent.name))
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_sigterm_while_reading_stops_the_build_and_its_workers(tmp_path: Path) -> None:
    # 20,000 records with LaTeX in French: reading them takes many seconds.
    corpus = tmp_path / "papers.jsonl"
    abstract = FRENCH + r" Avec $\alpha_{i}^{2}$ et \emph{la} m\'ethode de Fr\'echet."
    with corpus.open("w", encoding="utf-8") as out:
        for i in range(20_000):
            out.write(json.dumps({"id": f"p{i}", "abstract": f"{abstract} {i}"}) + "\n")
    out_dir = tmp_path / "out"
    command = [sys.executable, "-m", "graph_builder", "build", str(corpus), "-o", str(out_dir)]
    errors = tmp_path / "stderr.txt"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with errors.open("w") as stderr:
        build = subprocess.Popen([*command, "-q", "--workers", "2"], stderr=stderr, env=env)
    try:
        deadline = time.monotonic() + 120
        while len(workers := _children(build.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(workers) == 2, "the build never started its workers"
        build.send_signal(signal.SIGTERM)
        build.wait(timeout=60)
    finally:
        build.kill()
    deadline = time.monotonic() + 5
    while any(Path(f"/proc/{pid}").exists() for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = {pid for pid in workers if Path(f"/proc/{pid}").exists()}
    for pid in left:  # a failing test leaves nothing running either
        os.kill(pid, signal.SIGKILL)
    assert left == set()
    assert build.returncode == 128 + signal.SIGTERM
    assert errors.read_text().splitlines() == [
        "paperkg: stopped by SIGTERM; a rerun resumes from the extraction cache"
    ]
    assert not (out_dir / "graph.json").exists()
