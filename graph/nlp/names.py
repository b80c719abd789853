"""Grammar for names in no list: head words, left boundaries, quotes, titles, people.

A Chinese name ends in a head that says what it is (…实验室, …有限公司, …局). Where it starts is
the hard part: the pipeline reads characters, not words, so the start is found by scanning left
over name characters and cutting after the last verb or function word of the genre
(``data/lexicon/left_boundaries.txt``), unless that word sits inside a protected compound
(工业和信息化). A name whose modifier is nothing but generic words (企业研发中心) is a class
mention, not an entity.
"""
from __future__ import annotations

import re
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from ..model import ORGANIZATION_TYPES
from .candidates import Candidate, candidates, doc_text
from .lexicon import automaton, find_all, gazetteer, heads, resolve_data_dir, table, word_list

_OPEN = {"）": "（", ")": "("}
_QUOTE_PAIRS = {"”": "“", "」": "「", "’": "‘"}
_DATE = re.compile(r"\d{2,4}年(?:[度初中底末]|\d{1,2}月(?:\d{1,2}日)?)?|[今明去本当]年[度初中底末]|第[一二三四1-4]季度|[上下]半年")
_BRACKET_REMARK = re.compile(r"[，,。；;：:]|简称|统称")  # 、 may list places: 中国（郑州、洛阳）跨境电子商务综合试验区
#: aims, not one platform: 打造国际化科技创新平台, 建设高水平研发平台
_AIM = re.compile(r"国际化|高水平|一流|世界级|高能级|专业|多元|多层次|各类|一批|若干")
_AIM_CLAUSE = re.compile(r"(?:成为|建设成|打造成|建成)[^，。；：！？\n]*$")
_ADMIN_ONLY = re.compile(r"(?:自治)?[省市县区乡镇州旗盟]+级?")
_PLACE_NAMED = re.compile(r"[\u4e00-\u9fff]{1,8}(?:省|市|县|区|乡|镇|州|旗|盟|自治区|特别行政区)(?:[\u4e00-\u9fff]{0,3}(?:省|市|县|区|乡|镇))?$")
_AFTER_NAME = re.compile(r"[内受]")  # not 外: 省外办 is an office
# what links a place-bound body to the words before it: 受 (passive), 内 (within), a conjunction, 送 (抄送, 报送)
_BODY_LINK = re.compile(r"[内受和与及同送]")
# what may stand between a verb and a place-bound body when the place is only implied
_TOWN_LEVEL = frozenset("乡镇县区")
_NAME_LINKS = frozenset("内和与及同")  # link characters that also end town names (河内乡, 共和镇, 和县)
_PLACE_WORD = re.compile(r"本级|上一级|(?:自治)?[省市县区乡镇州旗][省市县区乡镇级（）()、]*")
_DEFINED = re.compile(r"以下(?:简|统)?称[“「]?([\u4e00-\u9fff]{2,8})[”」]?[）)]")
_ITEM_HEAD = re.compile(r"[一二三四五六七八九十]是$")
_BUILD_VERBS = frozenset({"建设", "建立", "搭建", "打造", "设立", "组建"})
_PLACE_SUFFIX = re.compile(r"[（(]([\u4e00-\u9fff]{2,6})[）)]")
_NUM_CLASSIFIER = re.compile(
    r"(?:\d+(?:\.\d+)?|[一二三四五六七八九十两几]+)(?:多|余)?(?:万元|亿元|元|万|亿|家|个|所|项|批|类|座|条|支|户|名|位|处|期|笔|%)"
    r"|\d+次|两次|一次(?!性)|过[一二两三四五六七八九十]+次")  # not 二次供水, 三次产业, 一次性
_TITLE = re.compile(r"《([^《》\n]{2,80})》")
_QUOTED = re.compile(r"[“「]([^“”「」\n]{1,30})[”」]")
_PERSON_ROLE = re.compile(
    r"(?:^|\n|[，。；：:\s、])(?P<name>[\u4e00-\u9fff](?:[ \u3000]?[\u4e00-\u9fff]){1,2})"
    r"(?:等?(?:委员|代表)(?=[:：，,])|同志|总书记|主席|总理|部长|省长|市长|书记|院士|教授)")
_PERSON_BEFORE = re.compile(r"(?:^|(?<=[\n，。；：:\s、]))(?P<name>[\u4e00-\u9fff]{2,3})、$")
_PERSON_LABEL = re.compile(
    r"(?:领导署名|联\s*系\s*人|签\s*发\s*人|署\s*名|负\s*责\s*人)\s*[:：]\s*(?P<name>[\u4e00-\u9fff](?:[ \u3000]?[\u4e00-\u9fff]){1,2})(?=\s|$|[，。；（(])")
#: a member list line: 陈宝生　　教育部部长 (召 集 人：孙春兰　　国务院副总理)
_PERSON_LIST = re.compile(
    r"^(?:[^\n：:]{1,8}[：:][ \u3000]*)?(?P<name>[\u4e00-\u9fff](?:[ \u3000]?[\u4e00-\u9fff]){1,2})[ \u3000]{2,}"
    r"[^\n]{0,30}?(?:总理|部长|主任|秘书长|局长|司长|署长|行长|主席|书记|厅长|会长|委员|院长|校长|市长|省长|区长|县长|"
    r"董事长|总经理|巡视员|参事|助理|司令员|政委|研究员|教授|院士|社长|总编辑|馆长)[ \u3000]*$", re.M)
#: a contact line names more people after the first: 联系人：罗嘉川（…），电话：…；杜文静（…）
_CONTACT_LINE = re.compile(r"联\s*系\s*人\s*[:：][^\n]*")
_CONTACT_MORE = re.compile(r"[；;，,、]\s*(?P<name>[\u4e00-\u9fff]{2,3})(?=\s*[（(]|\s*[，,]?\s*电话)")
_PERSON_CELL = re.compile(
    r"(?:^|\t)(?P<name>[\u4e00-\u9fff](?:[ \u3000]?[\u4e00-\u9fff]){1,2})\s*[（(][^（）()\t\n]{2,40}(?:主任|书记|局长|县长|市长|区长|主席|总经理|董事长|副主任|副书记|副局长|副县长|副市长|副区长|部长|厅长|处长|委员|常委|秘书长|经理|主任委员)[）)]?")
_QUOTE_BEFORE = re.compile(r"[“「]([^“”「」\n]{1,30})[”」][\u4e00-\u9fff]{0,4}$")
_ITEM_MARK = re.compile(r"^(?:[①-⑳]|[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+是|[一二三四五六七八九十]+、|\d+[.、．])")
_CONJUNCTIONS = frozenset("和与及或")
# types of the bodies whose units are named after them (中国科学院计算技术研究所), and of those units
_HOSTS = frozenset({"University", "ResearchInstitute", "Lab"})
# characters that open a clause, never a name standing before a class word (就融资担保公司, 自私募基金)
_ASCII_ALNUM = re.compile(r"[0-9A-Za-z]")
#: 以…等行业为重点: what closes a list of focus fields opened by 以
_FOCUS_TAIL = re.compile(r"[\u4e00-\u9fff]{0,6}?(?:行业|产业|领域)为(?:重点|主)")
#: 聚焦A和B， / 聚焦A、B和C，: a focus list closed by the clause, not by 等
_REGION = re.compile(r"华[东南北中]|西[南北]|东北")
_FOCUS_PAIR = re.compile(r"聚焦(?P<items>(?:[^、，。；：“”\n和及等]{2,8}、){0,4}[^、，。；：“”\n和及等]{2,8}[和及][^、，。；：“”\n和及等]{2,8})(?=[，。；])"
                         # 以智能网联汽车、动力电池和车规级芯片为重点: the fields a plan centres on, closed by 和
                         r"|(?<![所可难予加足])以(?P<centred>(?:[^、，。；：“”\n和及等为]{2,8}、){0,4}[^、，。；：“”\n和及等为]{2,8}"
                         r"[和及][^、，。；：“”\n和及等为]{2,8})为重点")
#: a list of labs whose shared head is the class after 等N家 (…、东南大学智能感知芯片等5家全国重点实验室)
_SHARED_CLASS = re.compile(r"(?P<items>(?:[^、，。；：“”\n等]{4,24}、)+[^、，。；：“”\n等]{4,24})等(?:\d+|[一二三四五六七八九十]+)家"
                           r"(?P<cls>全国重点实验室|国家重点实验室)")
#: a list counted by its members (…等8个平台, 等10余家): they are named ones (a count of kinds, 等三类, is not)
_COUNTED_LIST = re.compile(r"[^，。；：\n]{0,80}?等(?:\d+|[一二三四五六七八九十两]+)(?:多|余)?[个家所]")
#: a count in a programme's name (三年百万青年见习计划), not the 一 of 一般
_COUNT_WORD = re.compile(r"[一二三四五六七八九十两百千万]+(?:年|百|千|万|个|项|大|批)")
#: a character of the phrase after 等 that still names the class (not 的/和/为…, which start another part)
_CLASS_WORD = r"(?:(?![的之和与及为对向给]|方面)[\u4e00-\u9fff])"
#: what singles a platform out (see NameGrammar._descriptive)
_PROPER_MARK = re.compile(r"[“”「」A-Za-z0-9（(]")
#: a strategy named by what makes which place strong (科教兴国, 人才强市, 科技兴豫, 海洋强省)
_STRATEGY = re.compile(r"(?P<name>[\u4e00-\u9fff]{2}[兴强]"
                       r"[国省市县区豫鲁晋冀苏浙皖闽赣湘鄂粤桂琼川蜀黔滇陕甘青宁新藏蒙辽吉黑津沪渝京])(?=战略|[、和及])")
#: what follows a strategy's name inside a list that 战略 closes (…科教兴国、人才强国和创新驱动发展战略)
_STRATEGY_LIST_END = re.compile(r"[、和及][^，。；：\n]{0,20}?战略")
#: the 和/及 that joins the last two items of a field list (at least two characters on each side)
_LAST_JOIN = re.compile(r"(?<=[^、，。；：\n]{2})[和及](?=[^、，。；：\n]{2})")
#: one technology broken through, the clause ending with it (a list of them ends in 等: field_rx)
_ONE_TECHNOLOGY = re.compile(r"(?:突破|攻克)了?(?P<name>[^，。；：、“”（）()\n\s]{4,30}?(?:技术|工艺))(?=[，。；\n])")
_NUMERAL_SLOGAN = re.compile(r"^[一二三四五六七八九十两百千万]+[个位条项大种号]")
_PRODUCT_AFTER = re.compile(r"等?(?:业务|产品|贷款|保险|险种|融资产品)")
_EVENT_ENDS = ("杯", "赛", "节", "会", "论坛", "峰会", "大会", "博览会")
_QUOTE_BAD = re.compile(r"[+＋、，,。；;/／\-—－%：:]|\d{3,}|^[\d.]+$")


def _alternation(words) -> str:
    """A regex matching any of ``words``, longest first; one that never matches if there are none."""
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True)) or r"(?!)"


def is_name_char(ch: str) -> bool:
    """Characters a Chinese organisation or programme name is made of."""
    o = ord(ch)
    return (0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or o >= 0x20000 or ch.isalnum()
            or ch in "·•—－-&")


class NameGrammar:
    """Finds names by their heads, quoted names, 《titles》 and people named with a role."""

    def __init__(self, data_dir: str, max_chars: int) -> None:
        d = resolve_data_dir(data_dir)
        self.heads = heads(d)
        self.max_head = max(map(len, self.heads))
        self.head_auto = automaton(list(self.heads))
        self.boundary_auto = automaton(word_list(d, "left_boundaries"))
        self.leading = sorted(word_list(d, "leading_words"), key=len, reverse=True)
        self.leading_auto = automaton(self.leading)
        self.protected_words = word_list(d, "protected")
        self.protected_auto = automaton(self.protected_words)
        self.soft = word_list(d, "soft_boundaries")
        self.places = frozenset(k for k, v in gazetteer(d).items() if v.type == "Place")
        self.soft_nouns = word_list(d, "soft_protected_nouns")
        self.generic = word_list(d, "generic_words")
        self.head_words = frozenset(h for h in heads(d) if len(h) >= 2)
        self.org_names = frozenset(k for k, v in gazetteer(d).items() if v.type in ORGANIZATION_TYPES)
        self.known_names = frozenset(k for k, v in gazetteer(d).items() if v.type != "Place")
        self.known_lengths = sorted({len(k) for k in self.known_names}, reverse=True)
        self.known_auto = automaton(list(self.places | self.org_names))
        self.surnames = word_list(d, "surnames")
        self.not_people = word_list(d, "not_people")
        self.followers = table(d, "head_followers")
        self.preceders = table(d, "head_preceders")
        self.agency_generic = word_list(d, "agency_generic_words")
        self.agency_classes = tuple(word_list(d, "agency_class_prefixes"))
        self.max_chars = max_chars
        self.bare_after = re.compile(_alternation(word_list(d, "quoted_instrument_after")))
        self.bare_before = word_list(d, "quoted_instrument_before")
        self.not_entities = word_list(d, "not_entities")
        self.verbal = word_list(d, "verbal_nouns")
        singlers = {k: tuple(v.split()) for k, v in table(d, "platform_singlers").items()}
        self.single_opens, self.single_hosts, self.single_only = singlers["opens"], singlers["hosts"], singlers["only"]
        self.clause_openers = word_list(d, "clause_openers")
        not_fields = {k: tuple(v.split()) for k, v in table(d, "not_field_words").items()}
        self.work_starts, self.work_ends = not_fields["starts"], not_fields["ends"]
        self.common = word_list(d, "common_words")
        self.verbal_auto = automaton(list(self.verbal))
        self.class_nouns = tuple(word_list(d, "class_nouns"))
        self.class_auto = automaton(list(self.class_nouns))
        self.actor_nouns = tuple(word_list(d, "actor_nouns"))
        self.actor_adverbs = tuple(word_list(d, "actor_adverbs"))
        self.actor_verb_auto = automaton(word_list(d, "actor_verbs"))
        self.head_keywords = {h: tuple(ws.split()) for h, ws in table(d, "head_keywords").items()}
        self.financial_words = tuple(word_list(d, "financial_firm_words"))
        self.place_bound = word_list(d, "place_bound_heads")
        self.body_auto = automaton(list(self.place_bound))
        self.national = tuple(word_list(d, "national_prefixes"))
        self.descriptive_heads = word_list(d, "descriptive_heads")
        self.form_ends = tuple(word_list(d, "form_title_ends"))
        self.prepositions = word_list(d, "name_prepositions")
        self.enum_classes = table(d, "enumeration_classes")
        classes = _alternation(self.enum_classes)
        self.enum_rx = re.compile(
            r"[、](?:[^、，。；\n]{2,14})(?P<tail>等(?P<count>\d+(?:多|余)?[家个所]|一批|多家)?" + _CLASS_WORD + r"{0,4}?"
            r"(?P<cls>" + classes + r"))")
        # a class noun further on in the same phrase is the one the list is of (等高校衍生企业: firms, not
        # universities; but in 等9家龙头企业和银行 the firms stay firms)
        self.enum_later = re.compile(_CLASS_WORD + r"{1,4}?(?P<cls>" + classes + r")")
        self.field_rx = re.compile(
            r"(?P<trig>聚焦|围绕|突破|攻克|(?<![所可难予加足])以)(?P<items>(?:(?:(?!(?<![高平同中初])等(?![离级同待]))[^、，。；：“”\n]){2,30}、)+(?:(?!(?<![高平同中初])等(?![离级同待]))[^、，。；：“”\n]){2,30}?)"
            r"(?:等(?:一批|多项|\d+项)?|(?=[一二三四五六七八九十两]+大))")  # …、先进材料四大主导产业
        # …等重点产业和人工智能、低空经济等未来产业: a second list joined to the first
        self.field_more = re.compile(r"[\u4e00-\u9fff]{0,6}?(?:产业|行业|领域)(?:和|及|以及)"
                                     r"(?P<items>(?:(?:(?!(?<![高平同中初])等(?![离级同待]))[^、，。；：“”\n]){2,30}、)*(?:(?!(?<![高平同中初])等(?![离级同待]))[^、，。；：“”\n]){2,30}?)等")
        self.industry_tail = re.compile(r"[\u4e00-\u9fff]{0,8}?(?:产业|行业|集群|赛道|领域|方向)")

    # -- public -------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        found = candidates(doc)
        found.extend(self.head_names(text, self._short_names(text)))
        found.extend(self.titles(text))
        found.extend(self.quoted(text))
        found.extend(self.people(text))
        found.extend(self.elided_heads(text, found))
        found.extend(self.enumerations(text))
        found.extend(self.shared_class_heads(text))
        found.extend(self.strategies(text))
        found.extend(self.field_lists(text))
        return doc

    # -- heads ----------------------------------------------------------------------------
    @staticmethod
    def _short_names(text: str) -> tuple[str, ...]:
        """The short names the document defines (以下简称“恒芯装备”, “开发区”)."""
        return tuple(sorted({m.group(1) for m in _DEFINED.finditer(text)}))

    def head_names(self, text: str, shorts: tuple[str, ...] = ()) -> list[Candidate]:
        """Every head occurrence that ends a specific name; ``shorts``: the document's short names."""
        out: list[Candidate] = []
        matches = find_all(self.head_auto, text)
        # longest head per end position: 有限公司 wins over 公司
        best: dict[int, tuple[int, str]] = {}
        for start, end, head in matches:
            if end not in best or start < best[end][0]:
                best[end] = (start, head)
        for end, (hstart, head) in best.items():
            cand = self._name_ending(text, hstart, end, head, shorts)
            if cand is not None:
                out.append(cand)
        return out

    def _name_ending(self, text: str, hstart: int, end: int, head: str,
                     shorts: tuple[str, ...] = ()) -> Candidate | None:
        type_, min_mod = self.heads[head]
        nxt = text[end:end + 1]
        if nxt and nxt in self.followers.get(head, ""):
            return None
        prev = text[hstart - 1:hstart]
        if prev and prev in self.preceders.get(head, ""):
            return None
        chunk_start = self._scan_left(text, hstart)
        if min_mod < 0:
            # quoted-only heads: the name is the quoted part plus the head (“百行进万企”活动)
            # (up to four characters may stand between: “技术流”评价体系)
            m = _QUOTE_BEFORE.search(text, max(0, hstart - 40), hstart)
            if (m and not _QUOTE_BAD.search(m.group(1)) and not _NUMERAL_SLOGAN.match(m.group(1))
                    and not find_all(self.boundary_auto, text[m.end(1) + 1:hstart])):
                return Candidate(m.start(), end, type_, "grammar.quoted_head", 0.8,
                                 text=text[m.start():end])
            return None
        if chunk_start > 0 and text[chunk_start - 1] in "“「" and text[end:end + 1] and text[end] in "”」":
            start = chunk_start  # a whole quoted name is never cut: “低密度微球及复合材料研究院”
        else:
            start = self._cut(text, chunk_start, hstart, shorts)
            if type_ == "Policy":
                # “海河工程师”培育计划: a quoted name and a few words before the head is one programme's
                # name, even where a boundary word (培育) stands between them
                q = _QUOTE_BEFORE.search(text, max(chunk_start, hstart - 40), hstart)
                gap = text[q.end(1) + 1:hstart] if q else ""
                if (q and q.start() < start and len(gap) <= 2 and not _QUOTE_BAD.search(q.group(1))
                        and not any(ch in "的等和与及或之" for ch in gap)):
                    start = q.start()
        if _AIM_CLAUSE.search(text, max(0, start - 60), start):
            return None  # 把高新区建设成为…试验区、…示范区: what a place is to become, not a named thing
        # 上传国家市场监督管理总局, 市科技局同财政部: a known name ends the run, and a verb or preposition stands
        # right before it, or a verb and no other known name stands before it (but never the place that owns
        # it, 厦门市|…, and never before a head, 新型显示|创新联合体, which takes modifiers)
        tail = next((k for k in self.known_lengths if 2 < k < end - start and text[end - k:end] in self.known_names
                     and text[end - k:end] not in self.heads), 0)
        if tail:
            before = text[start:end - tail]
            known_before = find_all(self.known_auto, before)
            verbs = self._soft_hits(before, first=0)
            if (not any(e == len(before) for _s, e, w in known_before if w in self.places)
                    and (before[-1:] in self.prepositions or any(e == len(before) for _s, e, _w in verbs)
                         or (verbs and not any(e - s >= 2 for s, e, _w in known_before)))):
                start = end - tail
        modifier = text[start:hstart]
        if head in self.place_bound and modifier and not self._names_a_place(modifier):
            if min_mod > 0:
                return None  # 建议政府, 依据人民法院: a verb, not a place, before the body
            start, modifier = hstart, ""  # 办结海关: the customs itself
        if (modifier in self.soft or (modifier in self.verbal and type_ not in ("FinancialProduct", "GovernmentAgency"))
                or (len(modifier) > 2 and modifier[-1] in _CONJUNCTIONS and modifier[-2:] not in self.common)):
            # 宣传试验区, 检查基金: a verb before a head used alone (试验区, 基金 = the one named;
            # but 抵押贷款 is a kind of loan, 统计局 an office); 评审意见和基金: a list, not a
            # modifier (雍和园, 上海太和有限公司: 雍和, 太和 are words)
            return None
        if self._verb_before_class(text[start:end]):
            return None  # 检查融资担保公司, 其担任融资担保公司: a verb before a class, not a name
        if (head in shorts and (len(modifier) <= 4 or self._soft_hits(modifier, first=0))
                and not self._names_inside(modifier)):
            return None  # (以下简称开发区) 领导开发区, 共同做好自贸试验区: the short name after a verb
        bare = not modifier and min_mod == 0  # a head that is a name by itself: 海关, 综合保税区
        if len(modifier.strip("“”「」")) < min_mod:
            return None
        keywords = self.head_keywords.get(head)
        plain = re.sub(r"[（）()]", "", modifier) if keywords else modifier
        if keywords and not any(k in plain for k in keywords):
            return None  # 逾期贷款, 城市算力基础设施: the modifier names no kind this head takes
        if type_ == "Policy" and (modifier in self.org_names or self._places_only(modifier)):
            return None  # 科技部试点, 湖北省黄石市试点: a known body's or a place's pilots, not a named programme
        # (a product whose modifier names its kind, 信用贷款 or 知识产权保险, is a product type: named too)
        pools = (type_ in ("Fund", "FinancialProduct")
                 and (len(modifier) >= 4 or (type_ == "FinancialProduct" and bool(keywords))))
        # a platform the text builds is named by what it does (建立人才综合服务平台): one thing
        built = (type_ == "InnovationPlatform" and len(modifier) >= 4
                 and text[max(0, start - 2):start] in _BUILD_VERBS
                 and not _AIM.match(modifier) and not _ITEM_HEAD.search(text, max(0, start - 6), start - 2)
                 and not (text[end:end + 1] == "、" and not _COUNTED_LIST.match(text, end)))
        if not (bare or pools or built) and self.is_generic(modifier, agency=type_ == "GovernmentAgency"):
            return None  # (a fund or product type with a long modifier is named: 科技产业投资基金)
        if head == "险" and modifier[-1:] in "风保危":
            return None
        # an open bracket or quote left dangling means the cut went wrong
        if modifier.count("（") + modifier.count("(") != modifier.count("）") + modifier.count(")"):
            return None
        if modifier.count("“") != modifier.count("”"):
            return None
        if type_ == "InnovationPlatform" and not built and self._descriptive(text, start, end, modifier):
            return None
        # 人才资助计划, 生态工业园区: a plan or park named only by what it is is a kind too (an action plan or
        # one with a count, 三年百万青年见习计划, is a programme's title; one word alone may be its proper
        # name: 火炬园区, 星火计划)
        if (head in self.descriptive_heads and len(modifier) > 2 and not modifier.endswith("行动")
                and not _COUNT_WORD.search(modifier) and self._descriptive(text, start, end, modifier)):
            return None
        if type_ == "Enterprise" and any(w in modifier for w in self.financial_words):
            type_ = "FinancialInstitution"  # 四川锦城银行股份有限公司, 省融资担保股份有限公司
        elif type_ == "GovernmentAgency" and head.endswith("行") and "银行" in modifier and "人民银行" not in modifier:
            type_ = "FinancialInstitution"  # 江苏澄源银行苏州分行 (人民银行厦门市分行 stays an agency)
        conf = 0.75 if len(modifier) >= 2 else 0.6
        suffix = _PLACE_SUFFIX.match(text, end)
        if suffix and (suffix.group(1) in self.places or _REGION.fullmatch(suffix.group(1))):
            end = suffix.end()  # 国家企业信用信息公示系统（江西）, 中国石油大学（华东）
        return Candidate(start, end, type_, "grammar.head", conf, text=text[start:end])

    def _scan_left(self, text: str, pos: int) -> int:
        """Leftmost start of the run of name characters (balanced brackets and quotes included)."""
        i = pos
        limit = max(0, pos - self.max_chars)
        while i > limit:
            ch = text[i - 1]
            if ch in _OPEN or ch in _QUOTE_PAIRS:
                opener = _OPEN.get(ch) or _QUOTE_PAIRS[ch]
                j = text.rfind(opener, limit, i - 1)
                if j < 0 or "\n" in text[j:i]:
                    break
                if ch in _OPEN and (i - j > 10 or _BRACKET_REMARK.search(text, j, i)):
                    break  # （纸质，一式2份） is a remark, not part of a name like 华金(厦门)
                i = j
                continue
            if ch in "+＋" and i >= 2 and _ASCII_ALNUM.match(text[i - 2]) and _ASCII_ALNUM.match(text[i:i + 1]):
                i -= 1  # 1+X证书制度试点 (a plus between words, 新型研发机构+概念验证中心, lists)
                continue
            if not is_name_char(ch):
                break
            i -= 1
        return i

    def _cut(self, text: str, start: int, hstart: int, shorts: tuple[str, ...] = ()) -> int:
        """Where the name starts inside its run: after the last boundary word or count (a verb
        after a name, or after one of the document's ``shorts``, starts the next clause part)."""
        chunk = text[start:hstart]
        protected = [(s, e) for s, e, _ in find_all(self.protected_auto, chunk)]
        shielded = _shielded(chunk)
        soft = [h for h in self._soft_hits(chunk) if not self._noun_at(chunk, h[0])]  # 满意度 is no verb
        unit = self._head_type_at(text, hstart) in _HOSTS
        window = text[start:start + len(chunk) + self.max_head]  # the run and the head after it
        known = find_all(self.known_auto, window)  # places and organisations, found once per run
        known_in_chunk = [k for k in known if k[1] <= len(chunk)]
        leading = [(s, e, w) for s, e, w in find_all(self.leading_auto, chunk) if s > 0]
        cut = 0
        hits = sorted(find_all(self.boundary_auto, chunk)
                      + [(m.start(), m.end(), "") for m in _NUM_CLASSIFIER.finditer(chunk)]
                      + [(m.start(), m.end(), "") for m in _DATE.finditer(chunk)]
                      # after a name that ends in a head, a verb starts the next clause part
                      # (区人民政府承担市人民政府, 示范区重点建设中关村科学城)
                      + [(s, e, w) for s, e, w in leading
                         if (w not in self.generic or len(chunk) - e >= 2)
                         and (self._ends_in_head(chunk[:s], chunk[s]) or chunk[:s].endswith(shorts)
                              or self._ends_known(known_in_chunk, s, places=w in _BUILD_VERBS))]
                      # 集聚区内职工…, 管委会受市人民政府…: a postposition or passive after a name
                      + [(m.start(), m.end(), "") for m in _AFTER_NAME.finditer(chunk)
                         if m.start() > 0 and (self._ends_in_head(chunk[:m.start()], m.group())
                                               or chunk[m.start() - 1] in "区市县省园镇")]
                      # general-lexicon verbs only after an organisation's name and before more
                      # name (平台查询…计划), never right before the head (市政协提案委员会)
                      + [(s, e, w) for s, e, w in soft
                         if len(chunk) - e >= 2 and self._ends_in_head(chunk[:s], chunk[s], organisations=True)
                         # 中国科学院计算技术研究所: an academy's or university's unit is named after it
                         and not (unit and self._ends_in_head(chunk[:s], types=_HOSTS))
                         and not self._starts_with_head(chunk[e:])]
                      + self._verb_cuts(chunk, soft + leading)
                      + [h for h in self._verb_before_body(window, soft, known) if h[1] <= len(chunk)]
                      + self._class_before_place(chunk, known_in_chunk))
        for s, e, _w in hits:
            if any(ps <= s and e <= pe and (ps, pe) != (s, e) for ps, pe in protected):
                continue
            if any(ps < e and s < pe and not (s <= ps and pe <= e) for ps, pe in protected):
                continue
            if shielded[s]:
                continue
            if (_w in _CONJUNCTIONS and e == len(chunk) and chunk[s - 1:e] in self.common
                    and chunk[s - 1:e] not in self.soft):
                continue  # 上海太和有限公司, 雍和园: right before the head, the character ends a word (not 参与)
            if (_w in _CONJUNCTIONS and s > cut and e < len(chunk) and not self._conjoins_names(chunk[cut:s])
                    and not (s - cut <= 4 and self.is_generic(chunk[cut:s]))
                    and not (s - cut <= 6 and self._verb_at_end(chunk[cut:s]))
                    and not self._verb_at_start(chunk[e:])):
                continue  # 研发测试与实证实验室: 与 joins words, not names (部署和省委: right before a head it does)
            cut = max(cut, e)
        cut = self._strip_leading(chunk, cut)
        return start + cut

    def _verb_cuts(self, chunk: str, verbs: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
        """An actor then its verb inside a run (保险机构推广信用保险, 各地区建设…中心): a name, or
        only a kind (其他投资主体创办科技企业孵化器), follows. ``verbs``: the run's general verbs."""
        out = []
        # the actor's own verbs (投保, 开发) cut whatever follows; general verbs only before a name
        own = {(s, e) for s, e, _w in find_all(self.actor_verb_auto, chunk) if s > 0}
        for s, e, w in verbs + [(s, e, "") for s, e in own]:
            # 专门机构具体负责集约化平台: an adverb may stand between the actor and its verb
            before = chunk[:s]
            adverb = next((a for a in self.actor_adverbs if before.endswith(a)), "")
            if not before[:len(before) - len(adverb)].endswith(self.actor_nouns):
                continue
            rest = chunk[e:]
            if (s, e) not in own and (len(rest) < 2 or self._starts_with_head(rest)):
                continue
            out.append((s, e, w))
        return out

    def _verb_before_body(self, name: str, verbs: list[tuple[int, int, str]],
                          known: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
        """A verb or a conjunction right before a place and its once-per-place body (临时召集省人民代表大会,
        受上一级人民代表大会常务委员会, 法规和省人民政府, 建议和湖北省人民政府): the body is named from the place on."""
        out: list[tuple[int, int, str]] = []
        bodies = [p for p, _e, _w in find_all(self.body_auto, name) if p > 0]
        if not bodies:
            return out
        verbs = verbs + find_all(self.verbal_auto, name)  # 审查市人民政府: verbal nouns too
        for p in bodies:
            for s, e, w in verbs + [(m.start(), m.end(), "") for m in _BODY_LINK.finditer(name, 0, p)]:
                if e - s == 1 and name[s] in _NAME_LINKS and name[e:p] in _TOWN_LEVEL:
                    continue  # 共和镇人民政府, 安徽省和县人民政府: the character belongs to the town's name
                if (e < p and (_PLACE_WORD.fullmatch(name, e, p) or self._places_only(name[e:p]))
                        and not any(ks < e and s < ke for ks, ke, _k in known)):
                    out.append((s, e, w))  # (登封市人民政府: 登封 is the place, not a verb)
        return out

    def _descriptive(self, text: str, start: int, end: int, modifier: str) -> bool:
        """公共服务平台, 学生实习实践培训基地, 人才资助计划, 生态农业示范区: a platform, plan or park
        named only by what it is, in words of the general lexicon, is a kind the text speaks of, unless
        something singles one out: a place, a known or quoted name, a host's name (…大学前沿材料概念验证中心),
        a proof-of-concept or pilot centre, a word making it the only one (统一, 全市, 一体化), or a count
        of the list it is in (…等8个平台)."""
        name = text[start:end]
        if (text[start - 1:start] == "、" or text[end:end + 1] in ("、", "等")) and _COUNTED_LIST.match(text, end):
            return False  # 建设A平台、B平台等8个…: the members of a list of platforms are named ones
        if (self._names_inside(modifier) or _PROPER_MARK.search(name) or name.startswith(self.single_opens)
                or any(w in name for w in self.single_hosts)
                or any(w in text[max(0, start - 12):end] for w in self.single_only)):
            return False
        return _covered(modifier, self.common)

    def _ends_known(self, known: list[tuple[int, int, str]], end: int, places: bool) -> bool:
        """Whether a known organisation (or, with ``places``, a place) of ``known`` ends at ``end``: 西咸新区
        in 西咸新区建设…; a place before other words is usually the name's own (北京市服务业…试点)."""
        return any(e == end and e - s >= 2 and (places or w not in self.places) for s, e, w in known)

    def _places_only(self, text: str) -> bool:
        """Whether ``text`` is known places one after another (广东省深圳市)."""
        while text:
            k = next((k for k in range(min(len(text), 12), 1, -1) if text[:k] in self.places), 0)
            if not k:
                return False
            text = text[k:]
        return True

    def _class_before_place(self, chunk: str, known: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
        """龙头企业厦门钨业…, 在孵企业武汉瀚宸…: a kind, then a place (of ``known``) that opens the name itself."""
        places = {s for s, e, w in known if w in self.places}
        return [(s, e, w) for s, e, w in find_all(self.class_auto, chunk) if e in places]

    def _strip_leading(self, chunk: str, cut: int) -> int:
        """Drop item marks (（一）, 二是) and the verbs that open a run before a name."""
        rest = chunk[cut:]
        stripped = True
        while stripped:
            stripped = False
            mark = _ITEM_MARK.match(rest)
            if mark:
                rest, cut, stripped = rest[mark.end():], cut + mark.end(), True
                continue
            for w in self.leading:
                if rest.startswith(w) and not any(len(p) > len(w) and rest.startswith(p)
                                                  for p in self.protected_words):
                    rest, cut, stripped = rest[len(w):], cut + len(w), True
                    break
            else:
                # a general-lexicon verb or adverb opening the run (审阅, 择优, 依照) goes too;
                # only at the start, since inside a name such words are part of it (开放创新平台)
                for k in (4, 3, 2):
                    if (len(rest) >= k and rest[:k] in self.soft
                            and not any(rest.startswith(n) for n in self._nouns_at(rest))
                            and not any(len(p) > k and rest.startswith(p) for p in self.protected_words)
                            and not any(rest[:n] in self.places for n in range(k + 1, min(len(rest), 8) + 1))):
                        rest, cut, stripped = rest[k:], cut + k, True
                        break
        return cut

    def _generic_name(self, name: str) -> bool:
        """A whole name (head included) with no distinguishing modifier: 联合实验室."""
        head = self._head_of(name, len(name))
        return self.is_generic(name[:-len(head)] if head else name)

    def _head_of(self, name: str, longest: int) -> str | None:
        """The longest head (at most ``longest`` characters) that ends ``name``."""
        for k in range(min(longest, self.max_head), 0, -1):
            if name[-k:] in self.heads:
                return name[-k:]
        return None

    def _names_a_place(self, modifier: str) -> bool:
        """市, 石龙区, 新疆维吾尔自治区, 省（区、市）: what a place-bound body (人民政府) is of."""
        m = re.sub(r"[（）()、]", "", modifier)
        if m.endswith("政府") and len(m) > 2:  # 市政府办公厅: the office of a place's government
            m = m[:-4] if m.endswith("人民政府") else m[:-2]
        return bool(_ADMIN_ONLY.fullmatch(m) or _PLACE_NAMED.search(m) or self._names_inside(m)
                    or m.startswith(self.agency_classes) or m.startswith(self.national))

    def _verb_before_class(self, name: str) -> bool:
        """A class word (融资担保公司, 村镇银行) ends the name, and what stands before it has a verb
        or opens with 其/所: a clause about the class, not a firm named after it."""
        for k in range(len(name) - 1, 2, -1):
            if name[-k:] in self.not_entities:
                before = name[:-k]
                if self._names_inside(before):
                    return False  # 新疆维吾尔自治区人民政府: a place's own body
                # a general word that straddles two words of a name is no verb (先进|制造 reads 进制);
                # a verbal noun standing alone before it is one (检查融资担保公司, 分析私募基金)
                return (before[:1] in self.clause_openers or before[-1:] in ("与", "和", "及", "向", "对")
                        or before in self.verbal
                        or any(not (s and before[s - 1:s + 1] in self.generic)
                               for s, _e, _w in self._soft_hits(before, first=0)))
        return False

    def _names_inside(self, modifier: str) -> bool:
        """Whether a place or known organisation is written in the modifier (临港试验区)."""
        return any(e - s >= 2 for s, e, _w in find_all(self.known_auto, modifier))

    def _noun_at(self, chunk: str, i: int) -> bool:
        """Whether a noun of the general lexicon starts at ``i`` and ends where a word does (满意度|调查;
        but 接入|网格化 and 公开|化工: the next word takes the noun's last character)."""
        return any(chunk[i + len(n) - 1:i + len(n) + 1] not in self.common for n in self._nouns_at(chunk[i:]))

    def _nouns_at(self, rest: str) -> list[str]:
        """Nouns of the general lexicon that the run starts with (化合物半导体 starts with 化合物)."""
        return [rest[:k] for k in range(3, min(6, len(rest)) + 1) if rest[:k] in self.soft_nouns]

    def _soft_hits(self, chunk: str, first: int = 1) -> list[tuple[int, int, str]]:
        """General-lexicon verbs in a run (查询, 承担) from ``first`` on: candidates for a cut after a head."""
        return [(i, i + k, chunk[i:i + k]) for i in range(first, len(chunk))
                for k in (2, 3, 4) if chunk[i:i + k] in self.soft]

    def _verb_at_end(self, text: str) -> bool:
        """债券发行和…: a short clause part ends in a verb before the conjunction (a long one,
        电化学储能系统研发测试与…, is more likely a name with a verbal noun inside)."""
        return any(text[-k:] in self.soft for k in (2, 3, 4) if len(text) >= k)

    def _verb_at_start(self, text: str) -> bool:
        """…或扩大合作贷款: a verb right after the conjunction starts a new clause part."""
        return any(text.startswith(w) for w in self.leading)

    def _starts_with_head(self, text: str) -> bool:
        """征信中心…: a verb followed by a head is part of a name, not a boundary."""
        return any(text.startswith(h) for h in self.heads if len(h) >= 2)

    def _head_type_at(self, text: str, pos: int) -> str | None:
        """The type of the longest head starting at ``pos``."""
        return next((self.heads[text[pos:pos + k]][0] for k in range(self.max_head, 0, -1)
                     if text[pos:pos + k] in self.heads), None)

    def _ends_in_head(self, text: str, nxt: str = "", organisations: bool = False,
                      types: frozenset[str] | None = None) -> bool:
        """Whether a name (of ``types``, or of an organisation) ends ``text``, unless ``nxt`` shows the
        head goes on (工程建设)."""
        wanted = types or (ORGANIZATION_TYPES if organisations else None)
        for k in range(1, min(len(text), self.max_head) + 1):
            spec = self.heads.get(text[-k:])
            if (spec and (wanted is None or spec[0] in wanted)
                    and not (nxt and nxt in self.followers.get(text[-k:], ""))):
                return True
        return False

    def _conjoins_names(self, left: str) -> bool:
        """Whether 和/与/及 after ``left`` joins two names (or a clause and a name)."""
        core = left.rstrip("”」")
        return (core != left or self._ends_in_head(core) or core.endswith(self.class_nouns)
                or any(core[-k:] in self.org_names or core[-k:] in self.places
                       for k in range(2, min(len(core), 12) + 1))
                or any(w in left for w in self.leading) or "“" in left)

    def is_generic(self, modifier: str, agency: bool = False) -> bool:
        """True when generic words cover the whole modifier (no distinguishing part)."""
        m = re.sub(r"[“”「」（）()、\s]", "", modifier)
        if not m:
            return True
        if agency and (m.startswith(self.agency_classes) or "所在地" in m):
            return True
        if not agency and m in self.head_words:
            return True  # a head as the whole modifier adds no name: 自贸试验区交易所
        return _covered(m, self.agency_generic if agency else self.generic)

    # -- titles, quotes, people ---------------------------------------------------------------
    def titles(self, text: str) -> list[Candidate]:
        """《…》 is a document or law title: a Policy (but a form, 《…支出表》 or 《…许可证》, is none)."""
        return [Candidate(m.start(), m.end(), "Policy", "grammar.title", 0.9, text=m.group(0))
                for m in _TITLE.finditer(text) if not m.group(1).endswith(self.form_ends)]

    def quoted(self, text: str) -> list[Candidate]:
        """A short quoted name: typed by its head when it has one, else a candidate instrument."""
        out: list[Candidate] = []
        for m in _QUOTED.finditer(text):
            inner = m.group(1)
            if _QUOTE_BAD.search(inner) or len(inner) < 2:
                continue
            head_type = self._type_by_head(inner)
            if inner.endswith(_EVENT_ENDS) or (head_type is None and len(inner) < 3) or _NUMERAL_SLOGAN.match(inner):
                continue  # events (“苏颂杯”) and two-character slogans (“三农”) are no instruments
            if head_type is None and not (self.bare_after.match(text, m.end())
                                          or text[max(0, m.start() - 2):m.start()] in self.bare_before):
                continue
            if head_type is None and (inner.endswith(self.class_nouns) or _NUMERAL_SLOGAN.match(inner)):
                continue  # “僵尸企业”, “数字化车间”, “四个全面”: kinds and slogans, not instruments
            if head_type is None and _PRODUCT_AFTER.match(text, m.end()):
                head_type = "FinancialProduct"  # “科贷通”等业务
            if head_type == "GovernmentAgency" and inner.endswith("办") and len(inner) <= 4 and inner[0] not in "省市区县":
                head_type = None  # “掌上办”, “网上办”: a way of doing business, not an office
            out.append(Candidate(m.start(), m.end(), head_type or "Policy",
                                 "grammar.quoted" if head_type else "grammar.quoted_bare",
                                 0.8 if head_type else 0.5, text=m.group(0)))
        return out

    def elided_heads(self, text: str, found: list[Candidate]) -> list[Candidate]:
        """郑州、洛阳、新乡国家高新技术产业开发区: the places before the last share its rest, and each
        gets the full name (the annotation guide's one name not copied verbatim)."""
        out: list[Candidate] = []
        for c in [c for c in found if c.source == "grammar.head"]:
            items: list[tuple[int, int]] = []
            pos = c.start
            while pos > 0 and text[pos - 1] == "、":
                k = next((k for k in (2, 3, 4) if text[max(0, pos - 1 - k):pos - 1] in self.places), 0)
                if not k:
                    break
                items.append((pos - 1 - k, pos - 1))
                pos -= 1 + k
            if not items:
                continue
            stem = items[0][1] - items[0][0]  # the last named place is written as long as the others
            rest = text[c.start + stem:c.end]
            if len(rest) < 2 or text[c.start:c.start + stem] not in self.places:
                continue  # 浦东新区、中国（上海）自由贸易试验区: the last name starts with no place of that length
            for s, e in items:
                out.append(Candidate(s, e, c.type, "grammar.elided", 0.7, text=text[s:e],
                                     name=text[s:e] + rest))
        return out

    def enumerations(self, text: str) -> list[Candidate]:
        """Members of a list typed by the class noun after it: 厦门钨业、盈趣科技等9家龙头企业."""
        out: list[Candidate] = []
        for m in self.enum_rx.finditer(text):
            later = self.enum_later.match(text, m.end("cls"))
            type_ = self.enum_classes[(later or m).group("cls")]
            if type_ == "Enterprise" and not m.group("count"):
                continue  # 研究开发投入、企业规模等…企业 lists criteria; named firms come counted (等9家)
            items_end = m.start("tail")
            # the run is the list itself: members separated by 、 (scan over each member)
            members: list[tuple[int, int]] = []
            end = items_end
            while True:
                start = self._scan_left(text, end)
                if start == end:
                    break
                members.append((start, end))
                if start > 0 and text[start - 1] == "、":
                    end = start - 1
                    continue
                break
            if not members:
                continue
            first_start, first_end = members[-1]
            members[-1] = (self._cut(text, first_start, first_end), first_end)
            for s, e in members:
                name = text[s:e]
                if not 2 <= len(name) <= 14 or self._generic_name(name) or name in self.not_entities:
                    continue
                if name in self.soft:  # 银行、证券、结算、…等金融机构: a general word is a kind, not a name
                    continue
                out.append(Candidate(s, e, type_, "grammar.enumeration", 0.7, text=name))
        return out

    def shared_class_heads(self, text: str) -> list[Candidate]:
        """南京大学介观光电材料、东南大学智能感知芯片等5家全国重点实验室: each member is a lab named
        with the class as its head (the guide's elided-head names)."""
        out: list[Candidate] = []
        if "重点实验室" not in text:
            return out
        for m in _SHARED_CLASS.finditer(text):
            pos, labs = m.start("items"), []
            for item in re.finditer(r"[^、]+", m.group("items")):
                s, e = pos + item.start(), pos + item.end()
                if item.start() == 0:
                    s = self._scan_left(text, e)
                host = min((p for p in (text.find(w, s, e) for w in self.single_hosts) if p >= 0), default=-1)
                if host < 0:
                    break  # 能源、材料等3家重点实验室: fields, not the labs of named hosts
                if item.start() == 0:  # the context before the first host's name is cut off
                    s = self._cut(text, s, host)
                named = text[s:e] if text.endswith("实验室", s, e) else text[s:e] + m.group("cls")
                labs.append(Candidate(s, e, "Lab", "grammar.elided", 0.7, text=text[s:e], name=named))
            else:
                out.extend(labs)
        return out

    @staticmethod
    def strategies(text: str) -> list[Candidate]:
        """科教兴国战略, 人才强市战略, and the members of 实施科教兴国、人才强国和创新驱动发展战略: strategies
        named "X兴/强 + the place", each with 战略 (written once for a list, the guide's elided head)."""
        out: list[Candidate] = []
        for m in _STRATEGY.finditer(text):
            s, e = m.span("name")
            if text.startswith("战略", e):
                out.append(Candidate(s, e + 2, "Policy", "grammar.strategy", 0.7, text=text[s:e + 2]))
            elif _STRATEGY_LIST_END.match(text, e):
                out.append(Candidate(s, e, "Policy", "grammar.elided", 0.7, text=text[s:e], name=text[s:e] + "战略"))
        return out

    def field_lists(self, text: str) -> list[Candidate]:
        """Industries after 聚焦/围绕 and 以…为重点, technologies after 突破/攻克: lists ending in 等 or in
        N大…产业, short 聚焦A和B lists closed by the clause, and one technology closing its clause."""
        out: list[Candidate] = []
        for m in self.field_rx.finditer(text):
            type_ = "Industry" if m.group("trig") in ("聚焦", "围绕", "以") else "Technology"
            tail = self.industry_tail.match(text, m.end())
            if type_ == "Industry" and not tail:
                continue  # 聚焦高质量、一体化等核心发展指标: aims, not industries
            if m.group("trig") == "以" and not _FOCUS_TAIL.match(text, m.end()):
                continue  # 以煤炭、化工等行业为重点: the fields a plan centres on (以…为 alone is any means)
            if (m.group("trig") == "围绕" and tail and tail.group(0).endswith("领域")
                    and not any(i.endswith(("业", "经济")) for i in m.group("items").split("、"))):
                continue  # 围绕资源节约、清洁生产等领域: areas of work, not industries
            lists = [(m.start("items"), m.group("items"))]
            more = self.field_more.match(text, m.end()) if type_ == "Industry" else None
            if more:
                lists.append((more.start("items"), more.group("items")))
            for pos, listed in lists:
                out.extend(self._field_items(text, pos, listed, type_))
        for m in _FOCUS_PAIR.finditer(text):  # 聚焦新型显示和光伏新能源，: a short list with no 等
            group = "items" if m.group("items") else "centred"
            if not any(c.start <= m.start(group) < c.end for c in out):
                found = self._field_items(text, m.start(group), m.group(group), "Industry")
                if len(found) >= 2 and not any(c.text.startswith(self.work_starts) or c.text.endswith(self.work_ends)
                                               for c in found):
                    out.extend(found)  # (聚焦重大问题和关键技术: kinds of work, not fields)
        for m in _ONE_TECHNOLOGY.finditer(text):  # 攻克深海多参数原位传感器低功耗组网技术，…
            name = m.group("name")
            if not (self.is_generic(name[:-2]) or _AIM.search(name) or name in self.not_entities
                    or any(b - a >= 2 or w == "的" for a, b, w in find_all(self.boundary_auto, name))):
                out.append(Candidate(m.start("name"), m.end("name"), "Technology", "grammar.field_list", 0.7,
                                     text=name))
        return out

    def _field_items(self, text: str, pos: int, listed: str, type_: str) -> list[Candidate]:
        """The members of one field list; none when one member reads as a clause, not a field."""
        items: list[Candidate] = []
        spans = [(pos + m.start(), pos + m.end()) for m in re.finditer(r"[^、，。；：\n]+", listed)]
        if type_ == "Industry" and spans:
            # …、具身智能机器人和新一代半导体: the last two industries may be joined by 和/及 (文化和旅游
            # inside the list stays one field)
            s, e = spans[-1]
            join = _LAST_JOIN.search(text, s, e)
            if join:
                spans[-1:] = [(s, join.start()), (join.end(), e)]
        for s, e in spans:
            name = text[s:e]
            if type_ == "Technology" and not name.endswith(("技术", "工艺", "装备", "材料")):
                continue
            if type_ == "Industry" and (len(name) > 8 or any(b - a >= 2 or w == "的"
                                                              for a, b, w in find_all(self.boundary_auto, name))):
                return []
            if len(name) < 2 or name in self.not_entities:
                continue
            items.append(Candidate(s, e, type_, "grammar.field_list", 0.7, text=name))
        return items

    def _type_by_head(self, name: str) -> str | None:
        head = self._head_of(name, len(name) - 1)
        return self.heads[head][0] if head else None

    def people(self, text: str) -> list[Candidate]:
        """People named with a role: 邱拱东委员, 领导署名:王达, table cells 吴国荣（…副主任）."""
        out: list[Candidate] = []
        for rx, conf in ((_PERSON_LABEL, 0.9), (_PERSON_ROLE, 0.7), (_PERSON_CELL, 0.8), (_PERSON_LIST, 0.85)):
            for m in rx.finditer(text):
                spans = [(m.start("name"), m.end("name"))]
                if rx is _PERSON_ROLE:  # 邓乃扬、韩汝琦委员: the role names everyone in the list
                    while (prev := _PERSON_BEFORE.search(text, max(0, spans[-1][0] - 5), spans[-1][0])):
                        spans.append((prev.start("name"), prev.end("name")))
                    if text[spans[-1][0] - 1:spans[-1][0]] == "、":
                        spans = []  # the list goes on past what reads as a name: no one is sure
                for a, b in spans:
                    name = text[a:b]
                    if not self._person_name(name):
                        continue
                    # 孙　尧: a list pads two-character names to three columns
                    out.append(Candidate(a, b, "Person", "grammar.person", conf, text=name,
                                         name=re.sub(r"[ \u3000]", "", name)))
        for line in _CONTACT_LINE.finditer(text):
            for m in _CONTACT_MORE.finditer(text, line.start(), line.end()):
                if self._person_name(m.group("name")):
                    out.append(Candidate(m.start("name"), m.end("name"), "Person", "grammar.person", 0.85,
                                         text=m.group("name")))
        return out

    def _person_name(self, name: str) -> bool:
        """A surname first, no role word, no preposition before a role (由副主席, 向大会主席)."""
        return ((name[0] in self.surnames or name[:2] in self.surnames) and name not in self.not_people
                and "副" not in name and not name.startswith(("由", "向", "应当")))


def _shielded(chunk: str) -> list[bool]:
    """Positions inside quotes or brackets, where no boundary word cuts."""
    out = [False] * (len(chunk) + 1)
    depth = 0
    for i, ch in enumerate(chunk):
        if ch in "“「（(":
            depth += 1
        out[i] = depth > 0
        if ch in "”」）)" and depth:
            depth -= 1
    return out


@lru_cache(maxsize=65536)
def _covered(m: str, generic: frozenset[str]) -> bool:
    n = len(m)
    ok = [False] * (n + 1)
    ok[0] = True
    for i in range(n):
        if not ok[i]:
            continue
        for j in range(i + 1, min(n, i + 8) + 1):
            if m[i:j] in generic:
                ok[j] = True
    return ok[n]


@Language.factory("pkg_names", assigns=["doc._.pkg_candidates"],
                  default_config={"data_dir": "", "max_chars": 30})
def make_names(nlp: Language, name: str, data_dir: str, max_chars: int) -> NameGrammar:
    return NameGrammar(data_dir, max_chars)
