"""Entity resolution across documents: safe merges only, the rest reported for review."""
from __future__ import annotations

import shutil
from pathlib import Path

from graph.extract import extract_document
from graph.model import Document, content_id
from graph.resolve import resolve


def doc(text: str, issuer: str, path: str) -> Document:
    text = f"- 发布机构:{issuer}\n{text}"
    return Document(id=content_id(text.encode()), path=path, text=text, issuer=issuer)


def test_gazetteer_forms_merge_across_documents() -> None:
    a = extract_document(doc("由我单位会同市工信局办理。", "厦门市科学技术局", "a.txt"))
    b = extract_document(doc("厦门市工业和信息化局支持厦门钨业牵头组建创新联合体。", "厦门市人民政府", "b.txt"))
    corpus = resolve([a, b])
    bureau = [e for e in corpus.entities if e.name == "厦门市工业和信息化局"]
    assert len(bureau) == 1 and "市工信局" in bureau[0].aliases
    assert sorted(bureau[0].doc_ids) == sorted([a.document.id, b.document.id])


def test_relative_agency_names_merge_within_one_city_only() -> None:
    fz1 = extract_document(doc("市科技局会同市财政局推出“榕科贷”。", "福州市科学技术局", "fz1.txt"))
    fz2 = extract_document(doc("市财政局设立榕创天使投资基金。", "福州市人民政府", "fz2.txt"))
    jx = extract_document(doc("市财政局会同人民银行推动落地。", "南昌市人民政府", "nc.txt"))
    corpus = resolve([fz1, fz2, jx])
    finance = [e for e in corpus.entities if e.name == "市财政局"]
    assert len({e.id for e in finance}) == 2  # one node for Fuzhou (two documents), one for Nanchang
    assert len({e.id for e in corpus.entities}) == len(corpus.entities)
    assert sorted(len(e.doc_ids) for e in finance) == [1, 2]
    assert any("市财政局" in m.reason for m in corpus.review)


def test_party_committees_are_each_citys_own() -> None:
    xm = extract_document(doc("经市委、市人民政府同意，现印发给你们。", "厦门市科学技术局", "xm.txt"))
    fz = extract_document(doc("经市委、市人民政府同意，现印发给你们。", "福州市财政局", "fz.txt"))
    corpus = resolve([xm, fz])
    committees = [e for e in corpus.entities if e.name == "市委"]
    assert len(committees) == 2 and all(len(e.doc_ids) == 1 for e in committees)


def test_relations_keep_every_piece_of_evidence() -> None:
    a = extract_document(doc("支持厦门钨业、盈趣科技等2家企业分别牵头组建创新联合体。", "厦门市科学技术局", "a.txt"))
    b = extract_document(doc("支持厦门钨业、盈趣科技等2家企业加大研发投入。厦门钨业牵头组建创新联合体。",
                             "厦门市科学技术局", "b.txt"))
    corpus = resolve([a, b])
    names = {e.id: e.name for e in corpus.entities}
    leads = [r for r in corpus.relations if r.predicate == "leads" and names[r.subject] == "厦门钨业"]
    assert len(leads) == 1 and len(leads[0].evidence) == 2
    assert leads[0].confidence > max(ev.confidence for ev in leads[0].evidence)


def test_resolution_reads_the_lexicons_the_config_names(tmp_path: Path) -> None:
    from graph.builder import DEFAULT_CONFIG, config_data_dir
    from graph.nlp.lexicon import DEFAULT_DATA_DIR
    from graph.resolve import is_relative_name

    data = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data)
    with open(data / "gazetteer" / "places.tsv", "a", encoding="utf-8") as f:
        f.write("闽都\t闽都市\n")
    cfg = tmp_path / "pipeline.cfg"
    cfg.write_text(DEFAULT_CONFIG.read_text(encoding="utf-8").replace('data_dir = ""', f'data_dir = "{data}"'),
                   encoding="utf-8")
    assert config_data_dir(cfg) == str(data) and config_data_dir() is None
    # 闽都财政局 is relative to the issuer's city with the shipped places, named by its place with these
    assert is_relative_name("闽都财政局", "GovernmentAgency", None)
    assert not is_relative_name("闽都财政局", "GovernmentAgency", None, config_data_dir(cfg))
