"""A hand-built networkx view (the graph.network contract) for the export and page tests.

Real names and sentences from the seed documents, plus one entity and one relation
whose text holds everything that breaks naive escaping in CSV, XML, Cypher and HTML.
"""
from __future__ import annotations

import networkx as nx

BASE = "https://policykg.example.org/"
XSS_SCRIPT = "<script>alert(1)</script>"
XSS_IMG = '"><img src=x onerror=alert(1)>'
#: A name no writer may mangle: quotes, backslash, newline, markup, &, ;, |, emoji, rare CJK.
NASTY_NAME = f'嘉庚"创新\'实验室\\分部\n{XSS_SCRIPT}&{XSS_IMG};A|B 🚀𠮷𡈽'
NASTY_SENTENCE = (f'他说："It\'s <b>&</b> \\ 🚀"；{XSS_SCRIPT}\n{XSS_IMG} 厦门𠮷𡈽实验室聚焦新能源。'
                  "=cmd|' /C calc'!A0")
LEADS_SENTENCE = "厦门钨业、盈趣科技等9家龙头企业牵头组建创新联合体，攻克8英寸碳化硅外延晶片量产技术。"
FOCUS_SENTENCE = "嘉庚创新实验室聚焦新能源、新材料等领域，建设智慧储能大型科研基础设施。"
REPLY = {"id": "3f2a9c0d1e2b4a5c6d7e8f90", "title": "关于市政协十四届三次会议第1234号提案的答复",
         "name": "关于市政协提案的答复.txt"}
NOTICE = {"id": "a1b2c3d4e5f6a7b8c9d0e1f2", "title": '科学城"通知" <2025>', "name": "notice<1>.html"}


def iri(local: str) -> str:
    return f"{BASE}id/entity/{local}"


def _ev(doc: dict, sentence: str, trigger: str, confidence: float, start: int = 0) -> dict:
    return {"doc": doc["name"], "doc_title": doc["title"], "sentence": sentence, "start": start,
            "end": start + len(sentence), "trigger": trigger, "extractor": "rule.test", "confidence": confidence}


def nasty_graph() -> nx.MultiDiGraph:
    """Eight entities and seven relations (two parallel edges), one entity with a nasty name."""
    G = nx.MultiDiGraph(base=BASE)

    def node(local: str, label: str, type_: str, aliases: list[str], docs: list[dict],
             indicators: list[dict] | None = None) -> str:
        G.add_node(iri(local), label=label, type=type_, aliases=aliases, doc_count=len(docs),
                   documents=docs, indicators=indicators or [])
        return iri(local)

    xmtu = node("Enterprise-xmtu", "厦门钨业", "Enterprise", ["厦门钨业股份有限公司", "厦钨;集团"], [REPLY, NOTICE])
    union = node("Policy-union", "创新联合体", "Policy", [], [REPLY, NOTICE])
    lab = node("Lab-jiageng", "嘉庚创新实验室", "Lab", ["能源材料福建省实验室"], [NOTICE])
    energy = node("Industry-energy", "新能源", "Industry", [], [NOTICE])
    city = node("Place-xm", "厦门市", "Place", ["我市", "全市"], [REPLY],
                [{"measure": "科技型企业贷款余额", "value": 132850000000.0, "unit": "元", "raw": "1328.50亿元",
                  "period": "截至2024年末"}])
    facility = node("Facility-storage", "智慧储能大型科研基础设施", "Facility", [], [NOTICE])
    nasty = node("Lab-nasty", NASTY_NAME, "Lab", [XSS_SCRIPT, "别名;含分号", "=SUM(A1:A9)"], [NOTICE])
    node("Person-lone", "王达", "Person", [], [])  # an isolated entity still exports

    def edge(u: str, v: str, predicate: str, evidence: list[dict]) -> None:
        miss = 1.0
        for ev in evidence:
            miss *= 1.0 - ev["confidence"]
        G.add_edge(u, v, key=predicate, predicate=predicate, confidence=round(1.0 - miss, 4), evidence=evidence)

    edge(xmtu, union, "leads", [_ev(REPLY, LEADS_SENTENCE, "牵头组建", 0.9, 19),
                                _ev(NOTICE, "厦门钨业牵头组建创新联合体，人行厦门市分行推出“厦研保”。", "牵头组建", 0.8, 21)])
    edge(lab, energy, "focusesOn", [_ev(NOTICE, FOCUS_SENTENCE, "聚焦", 0.85)])
    edge(city, facility, "builds", [_ev(NOTICE, FOCUS_SENTENCE, "建设", 0.7)])
    edge(city, xmtu, "funds", [_ev(REPLY, "支持厦门钨业建设国家级创新平台。", "支持", 0.6)])
    edge(nasty, energy, "focusesOn", [_ev(NOTICE, NASTY_SENTENCE, "聚焦", 0.75, 40)])
    edge(nasty, lab, "affiliatedWith", [_ev(NOTICE, NASTY_SENTENCE, "依托", 0.5, 40)])
    edge(nasty, lab, "cooperatesWith", [_ev(NOTICE, NASTY_SENTENCE, "协同", 0.55, 40)])
    return G
