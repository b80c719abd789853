"""The explorer page: one self-contained HTML file (pyvis + vis-network) to browse the graph.

Everything the page needs is inside the file: vis-network's JS and CSS are read from
the installed pyvis package (``pyvis/lib/vis-9.1.2``) and inlined, and a
Content-Security-Policy forbids every request, so the page works offline and leaks
nothing.  Names and sentences from documents reach the page only as JSON data
(``<``, ``>``, ``&`` escaped as ``\\u003c``…, so no ``</script>`` can end the block) and
the page puts them into the DOM with ``textContent``; vis-network gets no ``title``
strings to render.  Small graphs are laid out by vis-network's physics, which stops
once stable; above ``LAYOUT_THRESHOLD`` nodes the layout is computed here (igraph's
Fruchterman-Reingold, ~0.5 s for 5,000 nodes) and drawn with physics off.
"""
from __future__ import annotations

import html
import json
import math
import os
import random
import re
from collections import Counter
from pathlib import Path
from typing import Any

import networkx as nx
import pyvis
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup
from pyvis.network import Network

from graph.export import columns as C
from graph.export._io import atomic_open
from graph.model import ENTITY_TYPES, PREDICATES, normalize_name

#: Above this many nodes the layout is computed in Python and physics stays off.
LAYOUT_THRESHOLD = 1000
ASSETS = Path(__file__).resolve().parent / "assets"
TEMPLATE = "explorer.html"
VIS_DIR = Path(pyvis.__file__).resolve().parent / "lib" / "vis-9.1.2"  # vis-network shipped by pyvis
FONT_STACK = ('"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB", '
              '"Microsoft YaHei", "WenQuanYi Zen Hei", "Noto Color Emoji", "Apple Color Emoji", '
              '"Segoe UI Emoji", sans-serif')
TYPE_NAMES: dict[str, str] = dict(zip(ENTITY_TYPES, (
    "政府部门", "企业", "高校", "科研院所", "实验室", "创新平台", "孵化载体与园区", "科研设施", "金融机构",
    "金融产品", "基金", "政策与计划", "产业领域", "技术", "人物", "地区")))
RELATION_NAMES: dict[str, str] = dict(zip(PREDICATES, (
    "牵头", "资助", "共建", "合作", "引进", "位于", "隶属", "建设", "发布", "提供", "聚焦", "突破")))
_SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_SCRIPT_UNSAFE_RE = re.compile("[<>&\u2028\u2029]")


def script_safe(json_text: str) -> Markup:
    """JSON text that can sit inside <script>: no ``</script>``, ``<!--`` or line separators.

    Only valid for JSON, where these characters can occur inside strings only, so the
    ``\\uXXXX`` escapes keep the value.
    """
    return Markup(_SCRIPT_UNSAFE_RE.sub(lambda m: _SCRIPT_UNSAFE[m.group()], json_text))


def script_json(value: Any) -> Markup:
    return script_safe(json.dumps(value, ensure_ascii=False, separators=(",", ":")))


def _inline(text: str, tag: str) -> Markup:
    """Vendor code to inline in a <script>/<style>: no closing tag inside, no source-map request."""
    text = re.sub(r"^\s*//# sourceMappingURL=.*$", "", text, flags=re.MULTILINE)
    text = re.sub(rf"</({tag})", r"<\\/\1", text, flags=re.IGNORECASE)
    return Markup(text)


def find_entity(G: nx.MultiDiGraph, name: str) -> str | None:
    """The node whose canonical name or an alias is ``name`` (compared after normalisation)."""
    key = normalize_name(name)
    for node, data in G.nodes(data=True):
        names = [data.get("label") or node, *(data.get("aliases") or [])]
        if node == name or any(normalize_name(n) == key for n in names):
            return node
    return None


def select(G: nx.MultiDiGraph, *, focus: str | None = None, depth: int = 2,
           types: list[str] | None = None, relations: list[str] | None = None,
           max_nodes: int | None = None) -> nx.MultiDiGraph:
    """The part of ``G`` the page shows: entity-type and relation filters, then an ego view, then
    at most ``max_nodes`` entities (the most connected; ``H.graph["total_nodes"]`` keeps the count)."""
    unknown = sorted(set(types or ()) - set(ENTITY_TYPES)) + sorted(set(relations or ()) - set(PREDICATES))
    if unknown:
        raise ValueError(f"not schema entity types or relations: {', '.join(unknown)}")
    H: nx.MultiDiGraph = G
    if types is not None:
        keep_types = set(types)
        H = H.subgraph([n for n, d in H.nodes(data=True) if d.get("type") in keep_types])
    if relations is not None:
        keep = set(relations)
        R = nx.MultiDiGraph(**H.graph)
        R.add_nodes_from(H.nodes(data=True))
        R.add_edges_from((u, v, k, d) for u, v, k, d in H.edges(keys=True, data=True)
                         if (d.get("predicate") or k) in keep)
        H = R
    if focus is not None:
        center = find_entity(H, focus)
        if center is None:
            near = [d.get("label") for _, d in H.nodes(data=True) if focus in (d.get("label") or "")][:5]
            hint = f"; did you mean {', '.join(near)}?" if near else ""
            raise ValueError(f"no entity named {focus!r} in the graph{hint}")
        H = nx.ego_graph(H, center, radius=depth, undirected=True)
    total = H.number_of_nodes()
    if max_nodes and total > max_nodes:
        ranked = sorted(H.nodes, key=lambda n: (-H.degree(n), str(H.nodes[n].get("label", "")), str(n)))
        H = H.subgraph(ranked[:max_nodes])
    H = H.copy()
    H.graph["total_nodes"] = total
    return H


def layout(G: nx.MultiDiGraph, *, seed: int = 0) -> dict[str, tuple[int, int]]:
    """Node positions in screen pixels from igraph's Fruchterman-Reingold (deterministic for a seed)."""
    import igraph

    nodes = list(G.nodes)
    if not nodes:
        return {}
    index = {n: i for i, n in enumerate(nodes)}
    edges = sorted({(index[u], index[v]) for u, v in G.edges() if u != v})
    g = igraph.Graph(n=len(nodes), edges=edges, directed=False)
    rng = random.Random(seed)
    spread = math.sqrt(len(nodes)) / 2  # igraph's own scale: a tighter start defeats its grid (30x slower)
    start = [[rng.uniform(-spread, spread), rng.uniform(-spread, spread)] for _ in nodes]
    # igraph draws from Python's global `random` (seeded from the OS) even with a start layout:
    # give it the seeded generator so the same graph gives the same page
    igraph.set_random_number_generator(rng)
    try:
        coords = g.layout_fruchterman_reingold(seed=start, niter=500).coords
    finally:
        igraph.set_random_number_generator(random)
    xs, ys = [c[0] for c in coords], [c[1] for c in coords]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    scale = max(400.0, 90.0 * math.sqrt(len(nodes))) / span  # about 90 px of side per entity
    return {n: (round(coords[i][0] * scale), round(coords[i][1] * scale)) for n, i in index.items()}


def _short(text: str, limit: int = 18) -> str:
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= limit else one_line[:limit - 1] + "…"


def _options(physics: bool, large: bool) -> dict[str, Any]:
    groups = {}
    for type_, (color, shape) in C.TYPE_STYLE.items():
        groups[type_] = {"shape": shape, "color": {"background": color, "border": "#555555",
                                                   "highlight": {"background": color, "border": "#000000"},
                                                   "hover": {"background": color, "border": "#000000"}}}
    font = {"face": FONT_STACK, "size": 14, "strokeWidth": 3, "strokeColor": "#ffffff"}
    return {
        "autoResize": True,
        "groups": groups,
        "nodes": {"font": font, "size": 16, "borderWidth": 1,
                  "scaling": {"min": 12, "max": 34, "label": {"enabled": False}}},
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
                  "font": {**font, "size": 11, "align": "middle"},
                  "color": {"color": "#9aa7b0", "highlight": "#1f3a93", "hover": "#1f3a93"},
                  "smooth": False,  # "dynamic" curves add a physics body per edge: 4x slower to settle
                  "selectionWidth": 2},
        "interaction": {"hover": True, "tooltipDelay": 100, "hideEdgesOnDrag": large, "hideEdgesOnZoom": large},
        "layout": {"improvedLayout": False},
        "physics": {"enabled": physics, "solver": "forceAtlas2Based",
                    "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 120, "avoidOverlap": 0.2},
                    # the start is igraph's layout, so a short refinement settles it
                    "stabilization": {"enabled": True, "iterations": 100, "updateInterval": 50, "fit": True}},
    }


def build_network(G: nx.MultiDiGraph) -> tuple[Network, dict[str, Any]]:
    """A pyvis Network of ``G`` (page-ready node and edge dicts) and the page's metadata."""
    large = G.number_of_nodes() > LAYOUT_THRESHOLD
    positions = layout(G)
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    ids: dict[str, int] = {}
    type_counts: Counter[str] = Counter()
    for i, (node, data) in enumerate(G.nodes(data=True)):
        rec = C.node_record(node, data)
        ids[node] = i
        type_counts[rec[C.TYPE]] += 1
        docs = [{"name": C.clean_text(d.get("name")), "title": C.clean_text(d.get("title"))}
                for d in data.get("documents") or []]
        x, y = positions[node]
        color, shape = C.TYPE_STYLE.get(rec[C.TYPE], C.UNKNOWN_STYLE)
        style = {} if rec[C.TYPE] in C.TYPE_STYLE else {"color": color}  # known types: colour by group
        net.add_node(i, label=_short(rec[C.LABEL]), shape=shape, group=rec[C.TYPE], x=x, y=y,
                     physics=not large, value=rec[C.DOC_COUNT] + 1, **style,
                     kg={"iri": rec[C.ID], "name": rec[C.LABEL], "type": rec[C.TYPE], "aliases": rec[C.ALIASES],
                         "doc_count": rec[C.DOC_COUNT], "documents": docs,
                         "indicators": json.loads(rec[C.INDICATORS] or "[]")})
    rel_counts: Counter[str] = Counter()
    parallel: Counter[frozenset[str]] = Counter(frozenset((u, v)) for u, v in G.edges())
    seen: Counter[frozenset[str]] = Counter()
    for j, (u, v, key, data) in enumerate(G.edges(keys=True, data=True)):
        pair = frozenset((u, v))
        seen[pair] += 1
        # straight edges, except that edges between the same two entities fan out as curves
        curve = ({"smooth": {"enabled": True, "type": "curvedCW", "roundness": 0.25 * seen[pair]}}
                 if parallel[pair] > 1 else {})
        predicate = C.clean_text(data.get("predicate") or key)
        rel_counts[predicate] += 1
        evidence = [{"doc": ev.get("doc", ""), "doc_title": ev.get("doc_title", ""),
                     "sentence": ev.get("sentence", ""), "trigger": ev.get("trigger", ""),
                     "confidence": float(ev.get("confidence") or 0.0)} for ev in C.evidence_list(data)]
        confidence = float(data.get("confidence") or 0.0)
        net.add_edge(ids[u], ids[v], id=j, label=RELATION_NAMES.get(predicate, predicate),
                     width=1 + 2 * confidence, **curve,
                     kg={"predicate": predicate, "confidence": confidence, "evidence": evidence})
    net.options = _options(physics=not large, large=large)
    meta = {
        "physics": not large,
        "types": [{"type": t, "color": C.TYPE_STYLE.get(t, C.UNKNOWN_STYLE)[0],
                   "shape": C.TYPE_STYLE.get(t, C.UNKNOWN_STYLE)[1], "count": type_counts[t]}
                  for t in [*ENTITY_TYPES, *sorted(set(type_counts) - set(ENTITY_TYPES))] if type_counts[t]],
        "relations": [{"predicate": p, "count": rel_counts[p]}
                      for p in [*PREDICATES, *sorted(set(rel_counts) - set(PREDICATES))] if rel_counts[p]],
        "typeNames": TYPE_NAMES,
        "relationNames": RELATION_NAMES,
        "ids": ids,
    }
    return net, meta


def render_html(G: nx.MultiDiGraph, *, focus: str | None = None, depth: int = 2,
                types: list[str] | None = None, relations: list[str] | None = None,
                max_nodes: int | None = None, title: str = "policykg 知识图谱") -> str:
    """The explorer page for ``G`` as one HTML string (see ``write_html``)."""
    H = select(G, focus=focus, depth=depth, types=types, relations=relations, max_nodes=max_nodes)
    net, meta = build_network(H)
    center = find_entity(H, focus) if focus is not None else None
    data = {k: v for k, v in meta.items() if k != "ids"}
    data["focus"] = meta["ids"][center] if center is not None else None
    data["totalNodes"] = H.graph["total_nodes"]
    env = Environment(loader=FileSystemLoader(str(ASSETS)), autoescape=True)
    env.filters["script_json"] = script_json
    env.filters["script_safe"] = script_safe
    page_title = f"{title} · {H.nodes[center].get('label', center)}" if center is not None else title
    net.template = env.get_template(TEMPLATE, globals={
        "vis_js": _inline((VIS_DIR / "vis-network.min.js").read_text(encoding="utf-8"), "script"),
        "vis_css": _inline((VIS_DIR / "vis-network.css").read_text(encoding="utf-8"), "style"),
        "font_stack": Markup(FONT_STACK),
        "page_title": page_title,
        "data": data,
    })
    return net.generate_html(notebook=True)


def write_html(G: nx.MultiDiGraph, path: str | os.PathLike[str], *, focus: str | None = None, depth: int = 2,
               types: list[str] | None = None, relations: list[str] | None = None,
               max_nodes: int | None = None) -> Path:
    """Write the explorer page (atomically).

    ``focus``: an entity name or alias -> only its neighbourhood of ``depth`` hops;
    ``types``/``relations``: schema entity types / predicates to keep; ``max_nodes``: show at most
    that many entities, the most connected (the page says how many there are in all).
    """
    page = render_html(G, focus=focus, depth=depth, types=types, relations=relations, max_nodes=max_nodes)
    target = Path(path)
    with atomic_open(target, "w", encoding="utf-8") as fh:
        fh.write(page)
    return target


def show(G_or_path: nx.MultiDiGraph | str | os.PathLike[str], *, height: int = 700, **kwargs: Any) -> Any:
    """Display the page inline in Jupyter (a sandboxed iframe with ``srcdoc``; no server, no file needed)."""
    try:
        from IPython.display import IFrame
    except ImportError as err:
        raise ImportError("graph.viz.show needs IPython (run it in Jupyter)") from err
    if isinstance(G_or_path, nx.Graph):
        page = render_html(G_or_path, **kwargs)
    else:
        page = Path(G_or_path).read_text(encoding="utf-8")
    # srcdoc wins over src; the sandbox lets the page script run but not reach the notebook
    return IFrame("about:blank", width="100%", height=int(height),
                  extras=[f'srcdoc="{html.escape(page, quote=True)}"', 'sandbox="allow-scripts"'])
