"""The Chinese pipeline on real text: names, boundaries, context, relations, figures."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from graph.extract import extract_document, pipeline, run
from graph.ingest import load_document
from graph.model import Document, content_id
from graph.nlp import SPANS_KEY

SEED = "000_fe01ddb8c0e7678e.txt"


def doc_of(text: str, issuer: str | None = None, path: str = "t.txt") -> Document:
    return Document(id=content_id(text.encode()), path=path, text=text, issuer=issuer)


def names(text: str, issuer: str | None = None) -> dict[str, str]:
    ex = extract_document(doc_of(text, issuer))
    return {e.name: e.type for e in ex.entities}


def relations(text: str, issuer: str | None = None) -> set[tuple[str, str, str]]:
    ex = extract_document(doc_of(text, issuer))
    by_id = {e.id: e.name for e in ex.entities}
    return {(by_id[r.subject], r.predicate, by_id[r.object]) for r in ex.relations}


def test_pipeline_is_built_from_registered_factories() -> None:
    nlp = pipeline()
    assert nlp.pipe_names == ["pkg_gazetteer", "pkg_names", "pkg_context", "pkg_entities",
                              "pkg_relations", "pkg_indicators"]
    assert nlp.lang == "zh"


def test_left_boundary_does_not_swallow_verbs() -> None:
    found = names("推动嘉庚创新实验室、翔安创新实验室、鹭江创新实验室体系化发展。")
    assert {"嘉庚创新实验室", "翔安创新实验室", "鹭江创新实验室"} <= set(found)
    assert not any(n.startswith("推动") for n in found)
    assert found["嘉庚创新实验室"] == "Lab"


def test_quoted_institute_after_its_owner() -> None:
    found = names("引进中国科学院理化所“低密度微球及复合材料研究院”等研发机构。")
    assert found.get("中国科学院理化所") == "ResearchInstitute"
    assert found.get("低密度微球及复合材料研究院") == "ResearchInstitute"


def test_nested_university_and_affiliation() -> None:
    text = "厦门大学表界面化学全国重点实验室获批建设。"
    assert {"厦门大学表界面化学全国重点实验室", "厦门大学"} <= set(names(text))
    assert ("厦门大学表界面化学全国重点实验室", "affiliatedWith", "厦门大学") in relations(text)


def test_enumeration_typed_by_class_noun_and_leads() -> None:
    text = "支持厦门钨业、盈趣科技、弘信电子等9家龙头企业分别牵头组建创新联合体。"
    found = names(text)
    for firm in ("厦门钨业", "盈趣科技", "弘信电子"):
        assert found[firm] == "Enterprise"
    assert "龙头企业" not in found
    rels = relations(text)
    assert ("厦门钨业", "leads", "创新联合体") in rels and ("弘信电子", "leads", "创新联合体") in rels


def test_class_mentions_are_not_entities() -> None:
    found = names("支持建设340家企业研发中心、86家企业技术中心，培育专业化众创空间。")
    assert found == {}


def test_issuer_and_anaphors_from_metadata(shared_dir: Path) -> None:
    from graph.ingest import load_document

    ex = extract_document(load_document(shared_dir / "corpus" / SEED))
    ents = {e.name: e for e in ex.entities}
    assert "科技局" in ents["厦门市科学技术局"].aliases and "我单位" in ents["厦门市科学技术局"].aliases
    assert ents["厦门市"].type == "Place" and "我市" in ents["厦门市"].aliases
    by_id = {e.id: e.name for e in ex.entities}
    rels = {(by_id[r.subject], r.predicate, by_id[r.object]) for r in ex.relations}
    assert ("厦门市科学技术局", "cooperatesWith", "市工信局") in rels
    assert ("厦门科学城", "introduces", "蓝威可靠性系统工程研究院") in rels
    assert ("金砖空天信息技术研究院", "locatedIn", "中国—金砖国家新时代科创孵化园") in rels
    assert ("厦门市", "builds", "智慧储能大型科研基础设施") in rels
    for r in ex.relations:  # every relation carries checkable evidence
        ev = r.evidence[0]
        assert ev.sentence and ex.document.text[ev.start:ev.end].strip() == ev.sentence
        assert ev.trigger in ev.sentence or ev.extractor == "rule.nested_name"


def test_mentions_keep_offsets_into_the_source() -> None:
    text = "由我单位会同市工信局、财政局办理。"
    doc = run(pipeline(), doc_of(text, issuer="科技局"))
    for span in doc.spans[SPANS_KEY]:
        assert text[span.start_char:span.end_char] == span.text


def test_seed_indicators_of_section_two(shared_dir: Path) -> None:
    from graph.ingest import load_document

    ex = extract_document(load_document(shared_dir / "corpus" / SEED))
    figs = {i.raw: i for i in ex.indicators}
    assert figs["10家"].unit == "家" and figs["10家"].value == 10
    assert figs["1328.50亿元"].value == pytest.approx(1328.5e8) and figs["1328.50亿元"].unit == "元"
    assert figs["1328.50亿元"].scale == "亿" and figs["1328.50亿元"].period == "截至2024年末"
    assert "贷款余额" in figs["1328.50亿元"].measure
    assert figs["27.92亿元"].period == "“十四五”以来"
    assert figs["38.92亿元"].period == "近三年"
    assert figs["30%"].unit == "%"
    assert figs["3524万元"].value == pytest.approx(3524e4)
    assert figs["68%"].period == ex.document.date  # no period stated: the document's date


def test_extract_cli_is_scored_by_the_eval_script(shared_dir: Path, tmp_path: Path) -> None:
    pred = tmp_path / "pred.json"
    out = subprocess.run([sys.executable, "-m", "graph", "extract", str(shared_dir / "corpus" / SEED),
                          "--format", "eval"], capture_output=True, text=True, check=True)
    pred.write_text(out.stdout, encoding="utf-8")
    data = json.loads(out.stdout)
    assert data[0]["doc"] == SEED and data[0]["entities"]
    scored = subprocess.run([sys.executable, str(shared_dir / "eval" / "score.py"), str(pred),
                             str(shared_dir / "eval" / "seed.gold.json"), "--json"],
                            capture_output=True, text=True, check=True)
    scores = json.loads(scored.stdout)["scores"]
    assert scores["entities_typed"]["f1"] >= 0.90
    assert scores["relations"]["f1"] >= 0.70


def test_eval_subcommand_matches_the_scorer(shared_dir: Path) -> None:
    from graph.evaluate import evaluate

    result = evaluate(shared_dir / "corpus", [shared_dir / "eval" / "seed.gold.json"])
    assert result["scores"]["entities_typed"]["f1"] >= 0.90


def test_title_line_is_the_documents_policy_and_its_issuer_issues_it() -> None:
    text = ("- 发布机构:科技部\n科技部关于印发《关于促进新型研发机构发展的指导意见》的通知\n"
            "各省、自治区、直辖市科技厅：\n现将《关于促进新型研发机构发展的指导意见》印发给你们，请遵照执行。\n"
            "本意见自发布之日起施行。\n")
    doc = Document(id="t", path="n.txt", text=text, issuer="科技部",
                   title="科技部关于印发《关于促进新型研发机构发展的指导意见》的通知")
    ex = extract_document(doc)
    ents = {e.name: e for e in ex.entities}
    title = "科技部关于印发《关于促进新型研发机构发展的指导意见》的通知"
    assert ents[title].type == "Policy" and "本意见" in ents[title].aliases
    by_id = {e.id: e.name for e in ex.entities}
    rels = {(by_id[r.subject], r.predicate, by_id[r.object]) for r in ex.relations}
    assert ("科技部", "issues", title) in rels
    assert ("科技部", "issues", "关于促进新型研发机构发展的指导意见") in rels


def test_adoption_line_names_meetings_not_actors() -> None:
    text = ("（2010年9月29日青岛市第十四届人民代表大会常务委员会第二十次会议通过　"
            "2010年11月25日山东省第十一届人民代表大会常务委员会第二十次会议批准）\n"
            "第一条 市人民政府应当设立科技型中小企业创新资金。\n")
    found = names(text)
    assert not any("人民代表大会" in n for n in found)
    assert found.get("科技型中小企业创新资金") == "Fund" and found.get("市人民政府") == "GovernmentAgency"


def test_product_types_must_say_what_kind() -> None:
    found = names("鼓励企业投保环境污染责任保险，银行可开展知识产权质押贷款，逾期贷款和客户贷款按规定处理。")
    assert found.get("环境污染责任保险") == "FinancialProduct"
    assert found.get("知识产权质押贷款") == "FinancialProduct"
    assert "逾期贷款" not in found and "客户贷款" not in found
    assert not any(n.startswith("企业投保") for n in found)


def test_class_nouns_before_a_verb_are_not_the_actor() -> None:
    text = "- 发布机构:青岛市人民代表大会常务委员会\n支持中介服务机构建设知识产权质押融资服务平台。\n"
    assert relations(text, issuer="青岛市人民代表大会常务委员会") == set()
    assert names(text, issuer="青岛市人民代表大会常务委员会").get("知识产权质押融资服务平台") == "InnovationPlatform"


def test_by_agent_construction_keeps_the_topic() -> None:
    text = ("三坊创新实验室由闽江科技大学牵头组建，会同海峡先进光电研究院、榕城理工学院共建，"
            "聚焦光电信息、新型显示和先进半导体材料等产业，建设公共测试平台。")
    rels = relations(text)
    assert ("闽江科技大学", "leads", "三坊创新实验室") in rels
    assert ("海峡先进光电研究院", "coBuilds", "三坊创新实验室") in rels
    assert ("闽江科技大学", "cooperatesWith", "榕城理工学院") in rels
    assert ("三坊创新实验室", "builds", "公共测试平台") in rels
    assert not any(s == "三坊创新实验室" and p == "cooperatesWith" for s, p, _ in rels)


def test_city_relative_short_forms_resolve_only_in_their_city() -> None:
    xiamen = extract_document(doc_of("- 发布机构:厦门市科学技术局\n由我单位会同市工信局办理。\n", "厦门市科学技术局"))
    fuzhou = extract_document(doc_of("- 发布机构:福州市科学技术局\n由我单位会同市工信局办理。\n", "福州市科学技术局"))
    xm = next(e for e in xiamen.entities if e.name == "市工信局")
    fz = next(e for e in fuzhou.entities if e.name == "市工信局")
    assert xm.gazetteer_id == "厦门市工业和信息化局"
    assert fz.gazetteer_id is None


def test_a_name_found_once_is_found_wherever_the_text_repeats_it() -> None:
    text = "支持厦门钨业、盈趣科技等2家企业加大研发投入。厦门钨业牵头组建创新联合体。"
    ex = extract_document(doc_of(text))
    firm = next(e for e in ex.entities if e.name == "厦门钨业")
    assert [m.start for m in firm.mentions] == [2, 23]
    assert ("厦门钨业", "leads", "创新联合体") in relations(text)


@pytest.mark.parametrize("seed", range(3))
def test_char_tokenizer_matches_spacys_chinese_char_mode(seed: int) -> None:
    import random

    import spacy

    ours, ref = pipeline(), spacy.blank("zh")  # spaCy's own ChineseTokenizer, segmenter "char"
    rng = random.Random(seed)
    for _ in range(500):
        text = "".join(rng.choice("厦门钨业 \n\t　ab1，。  ") for _ in range(rng.randint(0, 30)))
        a, b = ours.make_doc(text), ref.make_doc(text)
        assert [(t.text, t.whitespace_) for t in a] == [(t.text, t.whitespace_) for t in b]
        assert a.text == text


def test_cooperation_keeps_its_subject_and_qualifiers_are_no_objects() -> None:
    text = ("第五十三条 市人民政府会同国务院相关部门建立示范区科技创新和产业化促进中心服务平台。"
            "市人民政府应当建立中关村国家自主创新示范区统筹发展机制。")
    rels = relations(text)
    assert ("市人民政府", "builds", "示范区科技创新和产业化促进中心服务平台") in rels
    assert not any(p == "cooperatesWith" for _, p, _ in rels)  # 国务院相关部门 names no partner
    assert not any(o == "中关村国家自主创新示范区" for _, _, o in rels)


def test_places_sharing_an_elided_head_get_the_full_name() -> None:
    text = "加快郑州、洛阳、新乡国家高新技术产业开发区建设，郑州、洛阳、新乡市人民政府应当予以支持。"
    found = names(text)
    for city in ("郑州", "洛阳", "新乡"):
        assert found.get(f"{city}国家高新技术产业开发区") == "IncubatorOrPark"
        assert found.get(f"{city}市人民政府") == "GovernmentAgency"
    assert "郑州" not in found  # the place is part of the elided names here


def test_support_for_a_pilot_carried_out_somewhere() -> None:
    text = "- 发布机构:国务院\n支持在有条件的自贸试验区开展知识产权证券化试点。\n"
    assert ("国务院", "funds", "知识产权证券化试点") in relations(text, issuer="国务院")


def test_joint_notice_every_issuer_issues_and_the_members_cooperate(tmp_path: Path) -> None:
    text = ("- 发布机构:福建省科学技术厅办公室 福建省财政厅办公室\n"
            "福建省科学技术厅办公室 福建省财政厅办公室印发《福建省科技创新券管理办法》的通知\n"
            "各有关单位：\n为落实省委部署，福建省科学技术厅、福建省财政厅联合制定了《福建省科技创新券管理办法》。"
            "现印发给你们，请认真贯彻执行。\n")
    (tmp_path / "joint.txt").write_text(text, encoding="utf-8")
    ex = extract_document(load_document(tmp_path / "joint.txt"))  # metadata and title as ingest reads them
    by_id = {e.id: e.name for e in ex.entities}
    rels = {(by_id[r.subject], r.predicate, by_id[r.object]) for r in ex.relations}
    notice = "福建省科学技术厅办公室福建省财政厅办公室印发《福建省科技创新券管理办法》的通知"
    for office in ("福建省科学技术厅办公室", "福建省财政厅办公室"):
        assert (office, "issues", "福建省科技创新券管理办法") in rels
        assert any(s == office and p == "issues" and o.replace(" ", "") == notice for s, p, o in rels)
    assert {("福建省科学技术厅", "cooperatesWith", "福建省财政厅"),
            ("福建省财政厅", "cooperatesWith", "福建省科学技术厅")} & rels
    assert ("福建省财政厅", "issues", "福建省科技创新券管理办法") in rels


def test_everyone_listed_before_a_role_is_a_person() -> None:
    found = names("林海峰、陈雅琴委员：\n你们提出的关于加快发展科技金融的提案收悉。\n周桂英等代表：\n现答复如下。")
    assert {n for n, t in found.items() if t == "Person"} == {"林海峰", "陈雅琴", "周桂英"}


def test_what_a_place_is_to_become_names_no_entity() -> None:
    found = names("努力把福州高新区建设成为科技成果转化示范区、数字经济集聚示范区和海峡两岸创新合作先导区。")
    assert not any(n.endswith(("示范区", "先导区")) for n in found)


def test_an_actor_and_its_verb_stay_out_of_the_name() -> None:
    found = names("引导保险机构推广科技成果转化保险，鼓励各地区建设区域农机安全应急救援中心。")
    assert "科技成果转化保险" in found
    assert not any(n.startswith(("保险机构", "地区", "各地区")) for n in found)


def test_a_bare_city_stem_is_a_place_unless_a_word_straddles_it() -> None:
    found = names("充分发挥宁波、汕头、新乡的区位优势，大力弘扬中华优秀传统文化。")
    assert {"宁波", "汕头", "新乡"} <= {n for n, t in found.items() if t == "Place"}
    assert "扬中" not in found


def test_agency_qualifying_its_staff_or_departments_is_not_named() -> None:
    found = names("国务院领导同志高度重视，国务院各部门网站均已开通。")
    assert "国务院" not in found


def test_member_list_and_contact_line_name_people() -> None:
    text = ("福州市科技金融工作联席会议成员名单\n召 集 人：林立新　　市政府副市长\n"
            "成　　员：陈　凯　　市科技局局长\n黄海燕　　市财政局副局长\n"
            "联系人：王志强（市科技局），电话：0591-87654321；洪晓梅（市财政局），电话：0591-87654322。\n")
    people = {n for n, t in names(text).items() if t == "Person"}
    assert people == {"林立新", "陈凯", "黄海燕", "王志强", "洪晓梅"}


def test_verbs_before_the_documents_own_short_name_are_no_modifier() -> None:
    text = ("福州高新技术产业开发区（以下简称开发区）由市人民政府设立。"
            "管委会负责领导开发区的建设，审查开发区的规划。")
    found = names(text)
    assert "福州高新技术产业开发区" in found
    assert not {"领导开发区", "审查开发区"} & set(found)


def test_company_named_as_a_bank_or_insurer_is_a_financial_institution() -> None:
    found = names("支持福建海峡银行股份有限公司、闽信财产保险股份有限公司和福州恒达科技有限公司开展合作。")
    assert found["福建海峡银行股份有限公司"] == "FinancialInstitution"
    assert found["闽信财产保险股份有限公司"] == "FinancialInstitution"
    assert found["福州恒达科技有限公司"] == "Enterprise"


def test_two_field_lists_joined_by_he_are_industries() -> None:
    found = names("我市聚焦电子信息、先进材料等重点产业和人工智能、低空经济等未来产业，完善金融服务体系。")
    assert {n for n, t in found.items() if t == "Industry"} == {"电子信息", "先进材料", "人工智能", "低空经济"}


def test_regulation_without_issuer_is_issued_by_its_place(tmp_path: Path) -> None:
    text = ("福州市促进科技成果转化条例\n第一条 为了促进科技成果转化，根据有关法律，结合本市实际，制定本条例。\n"
            "第二条 本条例适用于福州市行政区域内的科技成果转化活动。\n")
    (tmp_path / "reg.txt").write_text(text, encoding="utf-8")
    ex = extract_document(load_document(tmp_path / "reg.txt"))
    by_id = {e.id: e.name for e in ex.entities}
    rels = {(by_id[r.subject], r.predicate, by_id[r.object]) for r in ex.relations}
    assert ("福州市", "issues", "福州市促进科技成果转化条例") in rels


def test_quoted_way_of_working_and_credit_products() -> None:
    found = names("推动更多涉企事项实现“掌上办”，扩大财园信贷通投放规模。")
    assert [t for n, t in found.items() if "掌上办" in n] == ["Policy"]
    assert found.get("财园信贷通") == "FinancialProduct"


def test_a_universitys_committee_in_a_post_is_the_university() -> None:
    found = names("成员名单\n王　明　　教授、福州大学学术委员会主任\n林海　　闽江学院原党委书记\n")
    assert found.get("福州大学") == "University" and found.get("闽江学院") == "University"
    assert not any(n.endswith(("学术委员会", "党委")) for n in found)


def test_fields_around_which_work_turns_are_industries_only_when_they_read_as_industries() -> None:
    found = names("围绕先进制造业、现代服务业等领域开展技术研发。围绕资源节约、清洁生产等领域推动标准制定。")
    assert {n for n, t in found.items() if t == "Industry"} == {"先进制造业", "现代服务业"}


def test_postpositions_results_and_licences_are_not_names() -> None:
    found = names("福州新区内职工基本养老保险按规定执行。授予“海上风电机组关键部件研制”二等奖。"
                  "换发《金融机构营业许可证》。以新型研发机构模式建设福州种业创新平台。")
    assert "职工基本养老保险" in found
    assert not any(n.startswith(("福州新区内", "以新型")) or "研制" in n or "许可证" in n for n in found)
    assert "福州种业创新平台" in found


def test_regulation_verbs_and_classes_make_no_names() -> None:
    found = names("主任会议可以决定暂不付表决，交法制委员会进一步审议。区人民政府应当报告本级人民政府。"
                  "业主大会授权业主委员会选聘物业服务企业。市水务部门制定年度水量调度计划，窗口实行当场办。")
    assert not ({"交法制委员会", "告本级人民政府", "当场办"} & set(found))
    assert not any(n.endswith(("业主委员会", "调度计划")) for n in found)


def test_listed_firms_with_short_names_and_a_hosted_lab() -> None:
    text = ("我市支持福州瑞芯科技股份有限公司（以下简称“瑞芯科技”）、福建闽光新材料有限公司（以下简称“闽光新材”）"
            "等8家科技领军企业分别牵头组建创新联合体。我市依托福州大学建设海峡光电感知实验室。")
    rels = relations(text, issuer="福州市科学技术局")
    for firm in ("福州瑞芯科技股份有限公司", "福建闽光新材料有限公司"):
        assert (firm, "leads", "创新联合体") in rels
    assert ("海峡光电感知实验室", "affiliatedWith", "福州大学") in rels
    assert not any(s == "福州大学" and p == "builds" for s, p, _ in rels)


def test_a_verb_before_the_regulated_class_is_no_name() -> None:
    found = names("监督管理部门发现融资担保公司违规经营的，应当责令改正；其担任融资担保公司股东的，应当报告；"
                  "担保责任余额与融资担保公司净资产的比例不得超过十倍。国资委会同财政部、劳动保障部提出了办理意见。")
    assert not any(n.endswith("融资担保公司") for n in found)
    assert {"国资委", "劳动保障部", "财政部"} <= set(found)  # 国资委会同: 会 starts a verb, not 委会


def test_a_place_bound_body_needs_its_place() -> None:
    found = names("管理人依据人民法院的裁定处理。办结海关手续后，南昌海关予以放行。"
                  "石龙区人民政府和市人民政府应当建议政府采取措施。")
    assert {"南昌海关", "石龙区人民政府", "市人民政府", "海关"} <= set(found)
    assert not any(n.startswith(("依据", "办结", "建议")) for n in found)


def test_support_to_set_up_somewhere_still_says_where() -> None:
    rels = relations("支持鼓楼区在福州软件园设立海峡青年创客孵化中心。", issuer="福州市科学技术局")
    assert ("海峡青年创客孵化中心", "locatedIn", "福州软件园") in rels
    assert not any(p == "builds" for _, p, _ in rels)  # 支持X设立Y states the support (annotation guide)


def test_a_districts_document_speaks_for_the_district() -> None:
    text = "新吴区是国家高新区。聚焦集成电路、物联网产业，引进新吴智能感知研究院。"
    assert ("新吴区", "introduces", "新吴智能感知研究院") in relations(text, issuer="无锡市新吴区人民政府")
    assert ("无锡市", "introduces", "新吴智能感知研究院") in relations(text, issuer="无锡市人民政府")


def test_the_state_as_actor_implies_no_issuer() -> None:
    text = "第三十七条 国家加快建设全国一体化在线政务服务平台。"
    assert not any(p == "builds" for _s, p, _o in relations(text, issuer="国务院"))


def test_an_act_on_an_instrument_is_another_instrument() -> None:
    found = names("外商投资电信企业管理规定\n2008年9月10日《国务院关于修改〈外商投资电信企业管理规定〉的决定》修订。"
                  "依照《中华人民共和国水法》和《浙江省实施〈中华人民共和国水法〉办法》执行。")
    assert {"国务院关于修改〈外商投资电信企业管理规定〉的决定", "中华人民共和国水法"} <= set(found)


def test_an_instrument_repealed_in_the_same_clause_is_still_issued() -> None:
    rels = relations("本条例自1998年1月1日起施行。1995年2月5日北京市人民政府发布的《北京市人才市场管理若干规定》同时废止。")
    assert ("北京市人民政府", "issues", "北京市人才市场管理若干规定") in rels


def test_a_list_is_typed_by_the_class_noun_of_its_own_phrase() -> None:
    assert names("鼓励厦门钨业、盈趣科技等9家龙头企业和银行合作。") == {"厦门钨业": "Enterprise", "盈趣科技": "Enterprise"}
    found = names("转化天使基金已投资秦澜光电、西安理德智控科技有限公司等高校衍生企业。")
    assert found.get("西安理德智控科技有限公司") == "Enterprise"


def test_counts_dates_and_lists_do_not_cut_names_that_contain_them() -> None:
    found = names("支持厦门市二次供水管理中心和三次产业融合发展示范园建设，青年初创企业孵化器、老年中医药研究院。"
                  "攻克等离子体刻蚀技术、薄膜沉积技术等一批关键技术。")
    assert {"厦门市二次供水管理中心", "三次产业融合发展示范园", "青年初创企业孵化器", "老年中医药研究院",
            "等离子体刻蚀技术", "薄膜沉积技术"} <= set(found)


@pytest.mark.parametrize(("text", "found", "not_found"), [
    # a verb or a conjunction before a place and its once-per-place body stays out of the body's name
    ("可以临时召集省人民代表大会会议。", {"省人民代表大会"}, {"临时召集省人民代表大会"}),
    ("依照有关法律、法规和省人民政府的规定办理。", {"省人民政府"}, {"法规和省人民政府"}),
    # … but a town whose name ends in such a character keeps it
    ("由共和镇人民政府、河内乡人民政府负责。", {"共和镇人民政府", "河内乡人民政府"}, set()),
    # a verbal noun before a class word, and a kind before a place that opens a firm's name
    ("（三）检查融资担保公司的业务；汇总分析私募基金信息。", set(), {"检查融资担保公司", "分析私募基金"}),
    ("支持龙头企业厦门钨业股份有限公司牵头。", {"厦门钨业股份有限公司"}, {"龙头企业厦门钨业股份有限公司"}),
    # names ending in 和 are no lists; an academy's unit is one name
    ("支持上海太和有限公司发展。", {"上海太和有限公司"}, set()),
    ("天津开发区引进中国科学院计算技术研究所。", {"中国科学院计算技术研究所"}, {"中国科学院"}),
    # a region's 地区 is part of its name, a province's GDP is not
    ("推动长江三角洲地区仪器共享。2023年江西省地区生产总值增长。", {"长江三角洲地区", "江西省"}, {"江西省地区"}),
    # labs listed before 等N家全国重点实验室 take that head, even after a list of fields
    ("支持先进能源材料、智能感知芯片等3家全国重点实验室建设。南京大学介观光电材料、东南大学智能感知芯片等5家全国重点实验室完成重组。",
     {"南京大学介观光电材料全国重点实验室", "东南大学智能感知芯片全国重点实验室"}, set()),
    # one technology broken through, but not a clause
    ("青岛北斗海讯科技有限公司攻克深海多参数原位传感器低功耗组网技术，突破了制约产业发展的瓶颈技术，",
     {"深海多参数原位传感器低功耗组网技术"}, {"制约产业发展的瓶颈技术"}),
    # a platform named only by what it does is a kind; one named after its place is not
    ("依托学生实习实践培训基地开展培训。建设苏州市科技创新综合服务平台。", {"苏州市科技创新综合服务平台"},
     {"学生实习实践培训基地"}),
    # kinds listed in a law are kinds; a counted list (等8个) names its members
    ("鼓励建立中间试验基地、产业化基地和公共研究开发平台。", set(), {"中间试验基地", "公共研究开发平台"}),
    ("建设工业能力共享平台、产业链供应链协同创新平台等8个赋能平台。", {"产业链供应链协同创新平台"}, set()),
    # cities named …城市 are places (but 沿海城市 is no 海城市); a chain of places is one place; a place's pilot
    # is no programme
    ("31.吉林省白城市以平台推进。86.广东省深圳市福田区以智慧化助力。沿海城市和上海城市发展。75.湖北省黄石市试点改革。",
     {"吉林省白城市", "广东省深圳市福田区", "湖北省黄石市"}, {"吉林省", "海城市", "湖北省黄石市试点"}),
    # a definition in brackets ends a name; a defined short name after a verb is the short name's own mention
    ("经国务院批准设立的中国（重庆）自由贸易试验区（以下简称自贸试验区）。中国（重庆）自由贸易试验区工作领导小组"
     "（以下简称领导小组）负责组织领导自贸试验区全面建设。其他单位应当按照规定职责共同做好自贸试验区建设工作。"
     "支持基金产品参与内地与香港基金产品互认。",
     {"中国（重庆）自由贸易试验区工作领导小组"}, {"职责共同做好自贸试验区", "香港基金"}),
    # 省部共建 and 国家大学科技园 stand inside names; a list is of the last class noun after 等
    ("依托西安理工大学省部共建西北旱区生态水利国家重点实验室，入驻西安理工大学国家大学科技园。",
     {"西安理工大学省部共建西北旱区生态水利国家重点实验室", "西安理工大学国家大学科技园"},
     {"西安理工大学省部", "西安理工大学国家大学"}),
    # a negative list is a named instrument; a verb before a known body stays out of its name
    ("严格执行市场准入负面清单。登记信息上传国家市场监督管理总局。", {"市场准入负面清单", "国家市场监督管理总局"},
     {"登记信息上传国家市场监督管理总局"}),
    # a free-trade zone's area is a park when a place names it; firms in incubation keep 在孵
    ("支持中国（山东）自由贸易试验区青岛片区建设。工作人员负责片区管理。推出在孵企业研发费用损失保险。",
     {"中国（山东）自由贸易试验区青岛片区", "在孵企业研发费用损失保险"}, {"工作人员负责片区", "孵企业研发费用损失保险"}),
    # national strategies are known; a verb that begins a noun (满意度) cuts nothing; 列席 precedes a body
    ("实施健康中国战略。全部纳入国家卫生健康委满意度调查平台。应邀列席自治县人民代表大会常务委员会会议。",
     {"健康中国战略", "国家卫生健康委满意度调查平台"},
     {"度调查平台", "邀列席自治县人民代表大会常务委员会", "县人民代表大会常务委员会"}),
    # entering a kindergarten, a waiting hall and an inpatient ward are no park or agency
    ("保障幼儿就近入园。机场候机厅和医院住院部实行分区管理。", set(), {"幼儿就近入园", "候机厅", "医院住院部"}),
    # a plan named only by what it plans is a kind; an action plan or a counted one is a programme
    ("编制年度土地供应计划和人才资助计划，实施三年百万青年见习计划和职业教育东西协作行动计划。",
     {"三年百万青年见习计划", "职业教育东西协作行动计划"}, {"土地供应计划", "人才资助计划"}),
    # so is a park; one word alone may be a park's proper name, and 园区 holds no …园
    ("建设农产品物流园区和循环经济产业园区。254户火炬园区内科技企业。", {"火炬园区"},
     {"农产品物流园区", "循环经济产业园区", "循环经济产业园"}),
    # a form in 《》 is no policy; a circled number marks an item, not a name
    ("填报《一般公共预算支出表》。①市场监管总局印发的通知。", {"市场监管总局"}, {"一般公共预算支出表", "①市场监管总局"}),
    # a second reading's cases: a known body before 同 is its own name; a list keeps the class of its own
    # phrase; a noun that a word straddles is no noun; a verb before a negative list stays out of it
    ("市科技局同财政部联合发文。鼓励厦门钨业、盈趣科技等9家龙头企业和银行合作。由市生态环境局公开化工园区名单。"
     "投资活动违反外商投资准入负面清单规定的。",
     {"市科技局", "财政部", "外商投资准入负面清单"},
     {"市科技局同财政部", "市生态环境局公开化工园区", "投资活动违反外商投资准入负面清单"}),
    # a product type whose modifier says its kind is a product, even in general words
    ("鼓励发展信用保险、知识产权保险，提供信用贷款。", {"信用保险", "知识产权保险", "信用贷款"}, set()),
    # the fields a plan centres on, closed by 和 (but not the subjects it rests on)
    # a quoted name and a word before a programme's head name the programme, across a boundary word
    ("我局联合市人社局实施“海河工程师”培育计划。开展“借金还金”的试点。", {"“海河工程师”培育计划"}, {"“借金还金”的试点"}),
    ("我区以智能网联汽车、动力电池和车规级芯片为重点。以企业、高校和科研院所为主体。",
     {"智能网联汽车", "动力电池", "车规级芯片"}, {"企业", "高校", "科研院所"}),
])
def test_boundaries_found_on_unseen_documents(text: str, found: set[str], not_found: set[str]) -> None:
    got = names(text)
    assert found <= set(got), got
    assert not (not_found & set(got)), got
