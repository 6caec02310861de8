from html.parser import HTMLParser
from pathlib import Path

from exporters import html
from graph_builder import build_graph, read_papers


class Resources(HTMLParser):
    """Collects every URL the page would load."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href") and value:
                self.urls.append(value)


def test_page_loads_nothing_from_the_network(example_graph) -> None:
    parser = Resources()
    parser.feed(html.render(example_graph))
    assert parser.urls == []


def test_page_is_deterministic(example_graph) -> None:
    assert html.render(example_graph) == html.render(example_graph)


def test_hostile_text_cannot_break_out_of_the_data_block(data_dir: Path, tmp_path: Path) -> None:
    kg = build_graph(read_papers([data_dir / "similar_papers" / "hostile.txt"]))
    html.write(kg, tmp_path / "g.html")
    page = (tmp_path / "g.html").read_text()
    assert "<img src=x" not in page
    assert "</script><script>window.pwned" not in page
    assert page.count("</script>") == 3  # the data block, vis-network, the page script
    assert "onerror" in page  # the text itself is kept, as escaped JSON


def test_the_page_is_the_one_plain_pyvis_gives(example_graph, monkeypatch) -> None:
    # exporters.html skips pyvis's quadratic duplicate checks (issue 8); same page as before.
    from pyvis.network import Network

    from exporters import html

    fast = html.render(example_graph)
    monkeypatch.setattr(html, "_Network", Network)
    assert html.render(example_graph) == fast
    assert fast.count('"from":') > 50
