"""The map of a corpus as a researcher reads it: top concepts, topics and names.

Three measures, each on graphs built by ``paperkg build`` (the build directories
are kept under ``--work``, so a re-run reuses their extraction cache):

* **vocab** (all 2,000 Inspec abstracts, train + validation + test, and
  SemEval-2010 train + test): the concepts in the map's order (``prominence``
  high first; a graph without it: most papers first). A concept's *keyness* is
  the share of the papers that mention it whose gold keyphrases hold it (its
  key, name or an alias, lowercased, cut into runs of letters and digits,
  Porter-stemmed, exact match). key@K is the mean keyness of the first K
  concepts, P@K the share of them attested at least once, single@K the share
  of single words; and the first 30 names with their paper counts.
* **topics** (``arxiv_ml_physics_daily``, the first 2,000 and 10,000 of
  ``arxiv_daily_cs``): each paper's topic is the topic with the most
  ``MENTIONS`` weight among its concepts' topics (``Concept-IN_TOPIC->Topic``);
  NMI and ARI against the paper's first arXiv category (scikit-learn); the
  number of topics, the share of papers with a topic, the mean NPMI of each
  topic's 10 concepts in most papers (document co-occurrence over the graph's
  papers; a pair never together counts -1); the same NMI and ARI of each paper's own
  topic (``Paper-IN_TOPIC->Topic``, its cluster). Beside it, in the same run: TF-IDF
  (English stop words, min_df 2, max_df 0.5, sublinear tf) + NMF (nndsvd,
  random_state 0) with as many topics, each paper in its strongest component.
* **names** (the first 10,000 of ``arxiv_daily_cs``): among the first 500
  concepts, those whose name and key differ (stemmed words), those whose key
  and name are absent from most of the texts of the papers said to mention
  them (an acronym alias counts where written so), and a list of well-known
  abbreviations with the concept each resolves to (the concept in most papers
  whose name or alias is the abbreviation).

Needs the ``bench`` extra (scikit-learn, nltk) and ``../shared/data``.

Usage::

    python benchmarks/map_quality.py [--data ../shared/data] [--work DIR]
        [--parts vocab topics names] [--graph NAME=DIR ...]

``--graph inspec=DIR`` measures an existing build instead of building (names:
inspec, semeval, physics959, cs2k, cs10k).
"""

from __future__ import annotations

import argparse
import json
import math
import re
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

from nltk.stem.porter import PorterStemmer

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared/data"
_STEM = PorterStemmer().stem
_WORDS = re.compile(r"[a-z0-9]+")
TOPS = (50, 100, 200)

#: Where each corpus comes from: (data files, first records kept or None for all).
CORPORA: dict[str, tuple[tuple[str, ...], int | None]] = {
    "inspec": (("inspec/train.jsonl", "inspec/validation.jsonl", "inspec/test.jsonl"), None),
    "semeval": (("semeval2010/train.jsonl", "semeval2010/test.jsonl"), None),
    "physics959": (("arxiv_ml_physics_daily/all.jsonl",), None),
    "cs2k": (("arxiv_daily_cs/all.jsonl",), 2000),
    "cs10k": (("arxiv_daily_cs/all.jsonl",), 10000),
}
PARTS = {"vocab": ("inspec", "semeval"), "topics": ("physics959", "cs2k", "cs10k")}
PARTS["names"] = ("cs10k",)

#: Well-known abbreviations of ML/CS abstracts and the concept each stands for.
KNOWN = {
    "RL": "reinforcement learning",
    "LLM": "large language model",
    "GNN": "graph neural network",
    "VLM": "vision-language model",
    "ViT": "vision transformer",
    "RAG": "retrieval-augmented generation",
    "CoT": "chain of thought",
    "MoE": "mixture of experts",
    "LoRA": "low-rank adaptation",
    "DPO": "direct preference optimization",
    "NeRF": "neural radiance field",
    "SSL": "self-supervised learning",
    "CNN": "convolutional neural network",
    "MLLM": "multimodal large language model",
    "NLP": "natural language processing",
    "KD": "knowledge distillation",
    "GAN": "generative adversarial network",
    "PINN": "physics-informed neural network",
    "DFT": "density functional theory",
    "MD": "molecular dynamics",
}


def norm(text: object) -> str:
    """Lowercase, hyphens as spaces, runs of letters and digits, each Porter-stemmed."""
    return " ".join(_STEM(w) for w in _WORDS.findall(str(text).lower().replace("-", " ")))


def as_list(value: object) -> list[str]:
    """A list property (GraphML and CSV may hold it as JSON text)."""
    if isinstance(value, list):
        return value
    if isinstance(value, str) and value.startswith("["):
        try:
            return list(json.loads(value))
        except ValueError:
            return []
    return []


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


class Graph:
    """The parts of a ``graph.json`` the measures read."""

    def __init__(self, path: Path) -> None:
        data = json.loads(path.read_text(encoding="utf-8"))
        self.nodes = {n["id"]: n for n in data["nodes"]}
        self.edges = data.get("edges") or data.get("links") or []
        self.mentions = [e for e in self.edges if e.get("type") == "MENTIONS"]
        self.df = Counter(e["target"] for e in self.mentions)
        self.papers_of: dict[str, list[str]] = defaultdict(list)
        for e in self.mentions:
            self.papers_of[e["target"]].append(self.paper_ref(e["source"]))

    def paper_ref(self, node: str) -> str:
        return str(self.nodes[node].get("paper_id", node))

    def ranked(self) -> list[dict]:
        """Concepts in the map's order: prominence, else rank, else papers then score."""
        concepts = [n for n in self.nodes.values() if n.get("label") == "Concept"]
        if any(n.get("prominence") not in (None, "") for n in concepts):
            return sorted(concepts, key=lambda n: (-_num(n.get("prominence")), *self._tie(n)))
        if any(n.get("rank") not in (None, "") for n in concepts):
            return sorted(concepts, key=lambda n: (_num(n.get("rank"), math.inf), *self._tie(n)))
        return sorted(concepts, key=lambda n: (-self.df[n["id"]], -_num(n.get("score")), n["key"]))

    def _tie(self, node: dict) -> tuple[int, str]:
        return -self.df[node["id"]], node.get("key", "")


def _num(value: object, default: float = 0.0) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default


# vocab ------------------------------------------------------------------------------------------


def vocab(graph: Graph, records: list[dict]) -> None:
    gold = {str(r["id"]): {norm(k) for k in r.get("keyphrases") or []} for r in records}
    ranked = graph.ranked()
    figures = []
    for k in TOPS:
        top = ranked[:k]
        attested, keyness = 0, 0.0
        for concept in top:
            forms = {norm(concept.get("key", "")), norm(concept.get("name", ""))}
            forms |= {norm(a) for a in as_list(concept.get("aliases"))}
            forms.discard("")
            papers = graph.papers_of[concept["id"]]
            hits = sum(1 for p in papers if forms & gold.get(p, set()))
            attested += hits > 0
            keyness += hits / max(1, len(papers))
        single = sum(1 for c in top if len(str(c.get("key", "")).split()) == 1)
        n = max(1, len(top))
        counts = f"attested {attested}/{len(top)}  keyness {keyness / n:.3f}"
        print(f"  top {k}: {counts}  single words {single}")
        figures.append(
            f"key@{k}={100 * keyness / n:.1f} P@{k}={100 * attested / n:.1f} "
            f"single@{k}={100 * single / n:.1f}"
        )
    first = ", ".join(f"{c.get('name')}({graph.df[c['id']]})" for c in ranked[:30])
    print(f"  first 30: {first}")
    print("  " + " ".join(figures))


# topics -----------------------------------------------------------------------------------------


def topics(graph: Graph, records: list[dict]) -> None:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    by_id = {str(r["id"]): r for r in records}
    concept_topic = {
        e["source"]: e["target"]
        for e in graph.edges
        if e.get("type") == "IN_TOPIC" and graph.nodes[e["source"]].get("label") == "Concept"
    }
    weight: dict[str, Counter] = defaultdict(Counter)
    for e in graph.mentions:
        if topic := concept_topic.get(e["target"]):
            weight[e["source"]][topic] += _num(e.get("weight"), 1.0)
    papers = [
        n for n in graph.nodes.values()
        if n.get("label") == "Paper" and graph.paper_ref(n["id"]) in by_id
    ]  # fmt: skip
    truth = [(by_id[graph.paper_ref(n["id"])].get("categories") or ["?"])[0] for n in papers]
    predicted = [
        weight[n["id"]].most_common(1)[0][0] if weight.get(n["id"]) else "none" for n in papers
    ]
    count = len(set(concept_topic.values()))
    covered = sum(1 for p in predicted if p != "none") / max(1, len(predicted))
    texts = [_text(by_id[graph.paper_ref(n["id"])]) for n in papers]
    baseline = nmf_topics(texts, max(2, min(100, count)))
    members: dict[str, list[str]] = defaultdict(list)
    for concept, topic in concept_topic.items():
        members[topic].append(concept)
    largest = sorted(members, key=lambda t: -len(members[t]))[:12]
    names = "; ".join(f"{graph.nodes[t].get('name', t)} [{len(members[t])}]" for t in largest)
    print(f"  largest topics: {names}")
    print(f"  topics={count} papers={len(papers)} covered={covered:.3f}")
    print(
        f"  nmi={normalized_mutual_info_score(truth, predicted):.3f} "
        f"ari={adjusted_rand_score(truth, predicted):.3f} npmi={npmi(graph, members):.3f} "
        f"baseline_nmf_nmi={normalized_mutual_info_score(truth, baseline):.3f} "
        f"baseline_nmf_ari={adjusted_rand_score(truth, baseline):.3f}"
    )
    own = {
        e["source"]: e["target"]
        for e in graph.edges
        if e.get("type") == "IN_TOPIC" and graph.nodes[e["source"]].get("label") == "Paper"
    }
    if own:
        mine = [own.get(n["id"], "none") for n in papers]
        print(
            "  own topics (Paper-IN_TOPIC->Topic):"
            f" nmi={normalized_mutual_info_score(truth, mine):.3f}"
            f" ari={adjusted_rand_score(truth, mine):.3f}"
            f" covered={sum(1 for t in mine if t != 'none') / max(1, len(mine)):.3f}"
        )


def _text(record: dict) -> str:
    return f"{record.get('title') or ''}. {record.get('abstract') or ''}"


def nmf_topics(texts: list[str], k: int) -> list[int]:
    """Each text's strongest of ``k`` NMF components of its TF-IDF vector."""
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectors = TfidfVectorizer(
        stop_words="english", min_df=2, max_df=0.5, sublinear_tf=True
    ).fit_transform(texts)
    weights = NMF(n_components=k, init="nndsvd", random_state=0, max_iter=300).fit_transform(
        vectors
    )
    return weights.argmax(axis=1).tolist()


def npmi(graph: Graph, members: dict[str, list[str]]) -> float:
    """Mean over topics of the mean NPMI of the pairs of its 10 concepts in most papers."""
    papers_with: dict[str, set[str]] = defaultdict(set)
    for e in graph.mentions:
        papers_with[e["target"]].add(e["source"])
    documents = max(1, len({e["source"] for e in graph.mentions}))
    means = []
    for concepts in members.values():
        best = sorted(concepts, key=lambda c: -graph.df[c])[:10]
        values = []
        for i, a in enumerate(best):
            for b in best[i + 1 :]:
                both = len(papers_with[a] & papers_with[b]) / documents
                pa, pb = len(papers_with[a]) / documents, len(papers_with[b]) / documents
                if both == 0:
                    values.append(-1.0)
                elif both == 1:
                    values.append(1.0)
                else:
                    values.append(math.log(both / (pa * pb)) / -math.log(both))
        if values:
            means.append(sum(values) / len(values))
    return sum(means) / max(1, len(means))


# names ------------------------------------------------------------------------------------------


def names(graph: Graph, records: list[dict], top: int = 500) -> None:
    ranked = graph.ranked()[:top]
    renamed = [c for c in ranked if norm(c.get("name", "")) != norm(c.get("key", ""))]
    texts = {str(r["id"]): f"{r.get('title') or ''} {r.get('abstract') or ''}" for r in records}
    stemmed = {key: f" {norm(text)} " for key, text in texts.items()}
    absent, missing, total = [], 0, 0
    for concept in ranked:
        forms = {norm(concept.get("key", "")), norm(concept.get("name", ""))} - {""}
        acronyms = [
            re.compile(r"(?<![A-Za-z0-9])" + re.escape(a) + r"s?(?![A-Za-z0-9])")
            for a in as_list(concept.get("aliases"))
            if sum(ch.isupper() for ch in a) >= 2
        ]
        papers = [p for p in graph.papers_of[concept["id"]] if p in texts]
        miss = sum(
            1
            for p in papers
            if not any(f" {f} " in stemmed[p] for f in forms)
            and not any(rx.search(texts[p]) for rx in acronyms)
        )
        missing, total = missing + miss, total + len(papers)
        if papers and miss / len(papers) > 0.5:
            absent.append(f"{concept.get('name')} ({miss}/{len(papers)})")
    print(
        f"  concepts among top {top} absent from most of their papers' text: {len(absent)}: "
        + ", ".join(absent[:30])
    )
    print(f"  renamed among top {top}: {len(renamed)}")
    for c in renamed[:40]:
        print(f"     {c.get('key')} -> {c.get('name')} ({graph.df[c['id']]})")
    right, tried = abbreviations(graph)
    print(
        f"  renamed@{top}={len(renamed)} absent@{top}={len(absent)} "
        f"absent_mentions_pct={100 * missing / max(1, total):.2f} abbr_ok={right}/{tried}"
    )


def abbreviations(graph: Graph) -> tuple[int, int]:
    """Print what each well-known abbreviation resolves to; (right, found)."""
    holders: dict[str, list[dict]] = defaultdict(list)
    for node in graph.nodes.values():
        if node.get("label") == "Concept":
            for form in [*as_list(node.get("aliases")), node.get("name", "")]:
                if form in KNOWN:
                    holders[form].append(node)
    right, tried = 0, 0
    for short, meaning in KNOWN.items():
        if not holders.get(short):
            print(f"     {short}: not in the graph")
            continue
        tried += 1
        best = max(holders[short], key=lambda c: graph.df[c["id"]])
        ok = norm(best.get("key", "")) == norm(meaning)
        right += ok
        print(
            f"     {short} -> {best.get('key')} ({graph.df[best['id']]}){'' if ok else '  WRONG'}"
        )
    return right, tried


# building ---------------------------------------------------------------------------------------


def corpus_file(data: Path, name: str, work: Path) -> Path:
    """The corpus as one JSON Lines file under ``work`` (the files joined, first records)."""
    sources, limit = CORPORA[name]
    lines: list[str] = []
    for source in sources:
        with (data / source).open(encoding="utf-8") as handle:
            lines += [
                line if line.endswith("\n") else line + "\n" for line in handle if line.strip()
            ]
    out = work / f"{name}.jsonl"
    out.parent.mkdir(parents=True, exist_ok=True)
    text = "".join(lines[:limit])
    if not out.exists() or out.read_text(encoding="utf-8") != text:
        out.write_text(text, encoding="utf-8")
    return out


def build(corpus: Path, out: Path) -> Path:
    """``paperkg build`` of the corpus into ``out`` (a no-op when up to date); its graph.json."""
    command = [sys.executable, "-m", "graph_builder", "build", str(corpus), "--out", str(out), "-q"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"paperkg build {corpus} failed")
    return out / "graph.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "paperkg-map")
    parser.add_argument("--parts", nargs="+", choices=sorted(PARTS), default=sorted(PARTS))
    parser.add_argument("--graph", action="append", default=[], metavar="NAME=DIR")
    args = parser.parse_args()
    given = dict(item.split("=", 1) for item in args.graph)
    measure = {"vocab": vocab, "topics": topics, "names": names}
    for part in sorted(args.parts, key=list(PARTS).index):
        for name in PARTS[part]:
            corpus = corpus_file(args.data, name, args.work)
            if name in given:
                path = Path(given[name]) / "graph.json"
            else:
                path = build(corpus, args.work / name)
            print(f"{part} {name} ({path})")
            measure[part](Graph(path), read_jsonl(corpus))


if __name__ == "__main__":
    main()
