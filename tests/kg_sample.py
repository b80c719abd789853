"""A small hand-built Corpus for the graph tests: real names and sentences, no NLP pipeline."""
from __future__ import annotations

from graph.model import Corpus, Document, Entity, Evidence, Indicator, Relation, content_id

REPLY = ("市工信局会同市科技局推动创新联合体建设。"
         "厦门钨业、盈趣科技等9家龙头企业牵头组建创新联合体，攻克8英寸碳化硅外延晶片量产技术。"
         "截至2024年末，全市科技型企业贷款余额1328.50亿元。")
NOTICE = ("厦门科学城引进蓝威可靠性系统工程研究院。\n"
          "厦门钨业牵头组建创新联合体，人行厦门市分行推出“厦研保”。\n"
          "他说：\"It's <b>&</b> \\ 🚀 𠀀\"。")
#: A name with every character that breaks naive escaping.
ODD_NAME = 'Ta\'s "Lab" <x> & \\ 🚀 𠀀\n实验室'


def _ev(doc: Document, sentence: str, trigger: str, extractor: str, confidence: float) -> Evidence:
    start = doc.text.index(sentence)
    return Evidence(doc.id, sentence, start, start + len(sentence), trigger, extractor, confidence)


def sample_corpus() -> Corpus:
    reply = Document(id=content_id(REPLY.encode()), path="corpus/关于市政协提案的答复.txt", text=REPLY,
                     title="关于市政协十四届三次会议第1234号提案的答复", issuer="厦门市工业和信息化局",
                     number="厦工信函〔2025〕12号", date="2025-06-30", index_no="XM00109-0200-2025-00012")
    notice = Document(id=content_id(NOTICE.encode()), path="corpus/notice.html", text=NOTICE,
                      title='科学城"通知" <2025>', issuer=None, number=None, date="2025年6月")
    xmtu = Entity("厦门钨业", "Enterprise", aliases=["厦门钨业股份有限公司"], doc_ids=[reply.id, notice.id])
    yqkj = Entity("盈趣科技", "Enterprise", doc_ids=[reply.id])
    consortium = Entity("创新联合体", "Policy", doc_ids=[reply.id, notice.id])
    miit = Entity("厦门市工业和信息化局", "GovernmentAgency", aliases=["市工信局"], doc_ids=[reply.id])
    most = Entity("厦门市科学技术局", "GovernmentAgency", aliases=["市科技局"], doc_ids=[reply.id])
    tech = Entity("8英寸碳化硅外延晶片量产技术", "Technology", doc_ids=[reply.id])
    city = Entity("厦门市", "Place", aliases=["我市", "全市"], doc_ids=[reply.id])
    park = Entity("厦门科学城", "IncubatorOrPark", doc_ids=[notice.id])
    inst = Entity("蓝威可靠性系统工程研究院", "ResearchInstitute", doc_ids=[notice.id])
    pboc = Entity("中国人民银行厦门市分行", "GovernmentAgency", aliases=["人行厦门市分行"], doc_ids=[notice.id])
    product = Entity("厦研保", "FinancialProduct", doc_ids=[notice.id])
    odd = Entity(ODD_NAME, "Lab", doc_ids=[notice.id])

    s1 = "厦门钨业、盈趣科技等9家龙头企业牵头组建创新联合体，攻克8英寸碳化硅外延晶片量产技术。"
    s2 = "厦门钨业牵头组建创新联合体，人行厦门市分行推出“厦研保”。"
    relations = [
        Relation(xmtu.id, "leads", consortium.id, [_ev(reply, s1, "牵头组建", "enum_subject_trigger", 0.8),
                                                   _ev(notice, s2, "牵头组建", "subject_trigger", 0.9)]),
        Relation(yqkj.id, "leads", consortium.id, [_ev(reply, s1, "牵头组建", "enum_subject_trigger", 0.8)]),
        Relation(xmtu.id, "achieves", tech.id, [_ev(reply, s1, "攻克", "subject_trigger", 0.6)]),
        Relation(miit.id, "cooperatesWith", most.id,
                 [_ev(reply, "市工信局会同市科技局推动创新联合体建设。", "会同", "cooperation", 0.75)]),
        Relation(park.id, "introduces", inst.id,
                 [_ev(notice, "厦门科学城引进蓝威可靠性系统工程研究院。", "引进", "subject_trigger", 0.85)]),
        Relation(pboc.id, "provides", product.id, [_ev(notice, s2, "推出", "product", 0.7)]),
        Relation(odd.id, "focusesOn", consortium.id,
                 [_ev(notice, "他说：\"It's <b>&</b> \\ 🚀 𠀀\"。", "聚焦", "test", 0.5)]),
    ]
    loan = "截至2024年末，全市科技型企业贷款余额1328.50亿元。"
    indicators = [Indicator(reply.id, "科技型企业贷款余额", 132850000000.0, "元", "1328.50亿元", "亿",
                            "截至2024年末", city.id, _ev(reply, loan, "余额", "indicator", 0.9))]
    return Corpus(documents=[reply, notice],
                  entities=[xmtu, yqkj, consortium, miit, most, tech, city, park, inst, pboc, product, odd],
                  relations=relations, indicators=indicators)
