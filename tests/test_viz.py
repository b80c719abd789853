"""The explorer page: selection in Python, a self-contained file, and a real headless Chromium.

The browser tests drive Debian's /usr/bin/chromium through Playwright (installed by
scripts/setup-test-env.sh; no downloaded browser), refuse every request that is not the
page file itself, and check what a reader sees: node count, the side panel after a click,
search, filters, and that hostile names stay text.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pytest

from export_sample import (LEADS_SENTENCE, NASTY_NAME, NASTY_SENTENCE, NOTICE, REPLY, XSS_IMG, XSS_SCRIPT, iri,
                           nasty_graph)
from graph.export import EXPORTERS
from graph.viz import LAYOUT_THRESHOLD, build_network, find_entity, select, show, write_html

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
NASTY = iri("Lab-nasty")
XMTU = iri("Enterprise-xmtu")


@pytest.fixture(scope="module")
def G() -> nx.MultiDiGraph:
    return nasty_graph()


def big_graph(n: int) -> nx.MultiDiGraph:
    """A synthetic view above the layout threshold: companies leading programmes in a few places."""
    G = nx.MultiDiGraph()
    for i in range(n):
        type_ = ("Enterprise", "Policy", "Place", "Lab")[i % 4]
        G.add_node(f"e{i}", label=f"实体{i}号", type=type_, aliases=[], doc_count=1,
                   documents=[{"id": "d", "title": "通知", "name": "n.txt"}], indicators=[])
    for i in range(1, n):
        G.add_edge(f"e{i}", f"e{(i * 7) % i}", key="leads", predicate="leads", confidence=0.8,
                   evidence=[{"doc": "n.txt", "doc_title": "通知", "sentence": f"实体{i}号牵头。", "start": 0,
                              "end": 6, "trigger": "牵头", "extractor": "t", "confidence": 0.8}])
    return G


# -- selection and file, no browser ----------------------------------------------------------

def test_find_entity_by_name_or_alias(G):
    assert find_entity(G, "厦门钨业") == XMTU
    assert find_entity(G, "厦钨;集团") == XMTU  # an alias
    assert find_entity(G, " 厦门钨业股份有限公司 ") == XMTU  # normalised like resolution does
    assert find_entity(G, "不存在的公司") is None


def test_select_ego_view_and_filters(G):
    one = select(G, focus="厦门钨业", depth=1)
    assert set(one) == {XMTU, iri("Policy-union"), iri("Place-xm")}
    two = select(G, focus="厦门钨业", depth=2)
    assert set(two) == set(one) | {iri("Facility-storage")}
    assert select(G, types=["Lab", "Industry"]).number_of_nodes() == 3
    only_focus = select(G, relations=["focusesOn"])
    assert only_focus.number_of_nodes() == G.number_of_nodes()
    assert {k for *_, k in only_focus.edges(keys=True)} == {"focusesOn"}
    with pytest.raises(ValueError, match="no entity named"):
        select(G, focus="不存在的公司")
    with pytest.raises(ValueError, match="Labs"):
        select(G, types=["Labs"])


def test_page_is_self_contained_and_inert(G, tmp_path):
    page = write_html(G, tmp_path / "graph.html").read_text(encoding="utf-8")
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.IGNORECASE)
    assert "<link" not in page.lower()
    assert "default-src 'none'" in page  # the CSP refuses every request
    assert "vis.Network" in page and "DataSet" in page  # vis-network is inlined
    assert "sourceMappingURL" not in page
    for hostile in (XSS_SCRIPT, XSS_IMG, "<b>&</b>"):
        assert hostile not in page  # document text only as escaped JSON
    assert page.lower().count("</script") == 2  # only the two inline blocks ever close
    assert "Noto Sans CJK SC" in page
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_large_graph_gets_fixed_positions():
    H = big_graph(LAYOUT_THRESHOLD + 50)
    net, meta = build_network(H)
    assert meta["physics"] is False and net.options["physics"]["enabled"] is False
    assert all(n["physics"] is False for n in net.nodes)
    points = {(n["x"], n["y"]) for n in net.nodes}
    assert len(points) > 0.9 * H.number_of_nodes()  # laid out, not stacked
    small, small_meta = build_network(big_graph(50))
    assert small_meta["physics"] is True


def test_show_wraps_the_page_for_jupyter(G, tmp_path):
    frame = show(G, height=500)._repr_html_()
    assert frame.strip().startswith("<iframe") and 'sandbox="allow-scripts"' in frame and 'height="500"' in frame
    srcdoc = frame.split('srcdoc="', 1)[1].split('"', 1)[0]
    assert "<" not in srcdoc and "vis.Network" in srcdoc  # the whole page, attribute-escaped
    path = write_html(G, tmp_path / "p.html")
    assert show(path)._repr_html_().count("&lt;/script") == 2


def test_registry_writes_the_page(G, tmp_path):
    EXPORTERS["html"](G, tmp_path / "graph.html")
    assert "vis.Network" in (tmp_path / "graph.html").read_text(encoding="utf-8")


# -- real browser ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is absent: scripts/setup-test-env.sh installs Debian's chromium")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the test extra")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
            "--disable-component-update", "--disable-default-apps", "--disable-sync", "--no-first-run"])
        yield b
        b.close()


class Page:
    """One loaded explorer page, with every outside request refused and recorded."""

    def __init__(self, browser, path: Path):
        self.context = browser.new_context(viewport={"width": 1400, "height": 900})
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.route("**/*", self._route)
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.goto(path.as_uri())
        self.page.wait_for_function("() => window.kg && window.kg.stable", timeout=60_000)

    def _route(self, route) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            self.requests.append(route.request.url)
            route.abort()

    def js(self, expr: str, arg=None):
        return self.page.evaluate(expr, arg)

    def vis_id(self, node_iri: str) -> int:
        return self.js("iri => kg.nodes.get({filter: n => n.kg.iri === iri})[0].id", node_iri)

    def click_node(self, node_iri: str) -> None:
        self.page.mouse.click(*self.point_at(node_iri))

    def point_at(self, node_iri: str) -> tuple[float, float]:
        pos = self.js("""id => { const p = kg.network.getPositions([id])[id];
                                 return kg.network.canvasToDOM(p); }""", self.vis_id(node_iri))
        box = self.page.locator("#network").bounding_box()
        return box["x"] + pos["x"], box["y"] + pos["y"]

    def panel(self) -> str:
        return self.page.locator("#panel-body").inner_text()

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="module")
def explorer(browser, G, tmp_path_factory):
    path = write_html(G, tmp_path_factory.mktemp("page") / "graph.html")
    page = Page(browser, path)
    yield page
    page.close()


@pytest.mark.browser
def test_page_loads_offline_with_every_node(explorer, G):
    assert explorer.js("kg.nodes.length") == G.number_of_nodes()
    assert explorer.js("kg.network.body.nodeIndices.length") == G.number_of_nodes()
    assert explorer.js("kg.edges.length") == G.number_of_edges()
    assert explorer.js("kg.network.physics.options.enabled") is False  # physics off once stable
    assert explorer.requests == []
    assert explorer.errors == []


@pytest.mark.browser
def test_clicking_a_node_shows_aliases_and_documents(explorer):
    explorer.click_node(XMTU)
    text = explorer.panel()
    assert "厦门钨业" in text and "企业 (Enterprise)" in text
    assert "厦门钨业股份有限公司" in text and "厦钨;集团" in text
    assert REPLY["title"] in text and NOTICE["name"] in text
    assert explorer.js("kg.network.getSelectedNodes()") == [explorer.vis_id(XMTU)]


@pytest.mark.browser
def test_hovering_a_node_shows_a_text_tooltip(explorer):
    explorer.page.mouse.move(*explorer.point_at(NASTY))
    tip = explorer.page.locator("#tooltip")
    tip.wait_for(state="visible")
    text = tip.text_content()
    assert text.startswith(NASTY_NAME) and "实验室 (Lab)" in text and "别名：" + XSS_SCRIPT in text
    assert explorer.js("document.getElementById('tooltip').children.length") == 0  # text, no elements
    explorer.page.mouse.move(5, 5)


@pytest.mark.browser
def test_hostile_names_stay_text(explorer):
    explorer.click_node(NASTY)
    assert explorer.page.locator("#panel-body h2").text_content() == NASTY_NAME
    text = explorer.panel()
    assert XSS_SCRIPT in text and XSS_IMG in text
    # open the focusesOn edge from the node's relation list: evidence sentence with its document
    explorer.page.locator("#panel-body .linklist button", has_text="聚焦").click()
    assert explorer.page.locator("#panel-body .evidence q").first.text_content() == NASTY_SENTENCE
    assert NOTICE["title"] in explorer.panel()
    ARTIFACTS.mkdir(exist_ok=True)
    explorer.page.screenshot(path=str(ARTIFACTS / "explorer.png"))
    assert explorer.js("document.querySelectorAll('img').length") == 0
    assert explorer.js("document.querySelectorAll('script').length") == 2
    assert explorer.dialogs == [] and explorer.requests == [] and explorer.errors == []


@pytest.mark.browser
def test_clicking_an_edge_shows_each_evidence(explorer):
    ends = explorer.js("""ids => { const p = kg.network.getPositions(ids);
        return ids.map(id => kg.network.canvasToDOM(p[id])); }""",
                       [explorer.vis_id(XMTU), explorer.vis_id(iri("Policy-union"))])
    box = explorer.page.locator("#network").bounding_box()
    explorer.page.mouse.click(box["x"] + (ends[0]["x"] + ends[1]["x"]) / 2 + 3,
                              box["y"] + (ends[0]["y"] + ends[1]["y"]) / 2 + 3)
    quotes = explorer.page.locator("#panel-body .evidence q").all_text_contents()
    assert quotes[0] == LEADS_SENTENCE and len(quotes) == 2
    docs = explorer.page.locator("#panel-body .evidence .doc").all_text_contents()
    assert docs == [f"{REPLY['title']} — {REPLY['name']}", f"{NOTICE['title']} — {NOTICE['name']}"]
    assert "0.980" in explorer.panel()


@pytest.mark.browser
def test_search_focuses_by_alias(explorer):
    explorer.page.fill("#search", "能源材料福建省实验室")
    assert explorer.page.locator("#results button").first.text_content().startswith("嘉庚创新实验室")
    explorer.page.press("#search", "Enter")
    assert explorer.js("kg.network.getSelectedNodes()") == [explorer.vis_id(iri("Lab-jiageng"))]
    assert explorer.page.locator("#panel-body h2").text_content() == "嘉庚创新实验室"


@pytest.mark.browser
def test_filters_by_type_and_relation(explorer):
    shown = "Object.values(kg.network.body.nodes).filter(n => n.options.hidden !== true).length"
    lab = explorer.page.locator('#type-filters input[value="Lab"]')
    lab.uncheck()
    assert explorer.js("kg.network.body.nodeIndices.length") == 6
    assert "6 / 8 实体" in explorer.page.locator("#counts").text_content()
    lab.check()
    assert explorer.js("kg.network.body.nodeIndices.length") == 8 and explorer.js(shown) == 8
    explorer.page.locator('#relation-filters input[value="focusesOn"]').uncheck()
    assert explorer.js("kg.network.body.edgeIndices.length") == 5
    explorer.page.locator('#relation-filters input[value="focusesOn"]').check()
    assert explorer.js("kg.network.body.edgeIndices.length") == 7


@pytest.mark.browser
def test_focus_page_opens_on_the_entity(browser, G, tmp_path):
    page = Page(browser, write_html(G, tmp_path / "ego.html", focus="厦钨;集团", depth=1))
    try:
        assert page.js("kg.nodes.length") == 3
        assert page.js("kg.network.getSelectedNodes()") == [page.vis_id(XMTU)]
        assert page.page.locator("#panel-body h2").text_content() == "厦门钨业"
    finally:
        page.close()


@pytest.mark.browser
def test_large_graph_draws_with_fixed_layout(browser, tmp_path):
    H = big_graph(LAYOUT_THRESHOLD + 200)
    page = Page(browser, write_html(H, tmp_path / "big.html"))
    try:
        assert page.js("kg.network.body.nodeIndices.length") == H.number_of_nodes()
        assert page.js("kg.network.physics.options.enabled") is False
        first = page.js("kg.network.getPositions([0])[0]")
        assert first == {"x": page.js("kg.nodes.get(0).x"), "y": page.js("kg.nodes.get(0).y")}
        assert page.requests == [] and page.errors == []
    finally:
        page.close()


def test_a_page_over_the_cap_keeps_the_most_connected_and_says_so(browser, tmp_path):
    H = big_graph(300)
    hub = next(iter(H.nodes))
    for other in list(H.nodes)[1:60]:  # make one entity clearly the most connected
        H.add_edge(hub, other, key="funds", predicate="funds", confidence=0.5, evidence=[])
    page = Page(browser, write_html(H, tmp_path / "capped.html", max_nodes=100))
    try:
        assert page.js("kg.network.body.nodeIndices.length") == 100
        assert page.js("kg.nodes.get().some(function (n) { return n.kg.iri === %s; })" % json.dumps(hub))
        assert "共 300 个实体" in page.js("document.getElementById('counts').textContent")
    finally:
        page.close()
