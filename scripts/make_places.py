"""Derive data/gazetteer/places.tsv and data/lexicon/place_straddles.tsv.

Sources: jieba's dictionary (its `ns` entries: provinces, cities, counties and the bare stems of
provinces and cities) and the administrative-division list `adcodes.csv` of the `cpca` 0.5.5 wheel
(MIT), which holds every county and district, most of which jieba lacks (崂山区, 吴中区), and every
prefecture-level city, whose bare stem is written as often as its full name (合肥, 景德镇). The committed
files were made with both:

    pip download cpca==0.5.5 --no-deps -d /tmp/cpca && unzip -o /tmp/cpca/cpca-0.5.5-*.whl -d /tmp/cpca
    python scripts/make_places.py data/gazetteer/places.tsv data/lexicon/place_straddles.tsv \
        /tmp/cpca/cpca/resources/adcodes.csv

Run once when the lists need refreshing; the output is committed so run time needs neither jieba nor cpca.
"""
from __future__ import annotations

import csv
import os
import sys
from pathlib import Path

import jieba

#: 区-words that name a kind of area, not an administrative place.
NOT_PLACES = ("地区", "郊区", "山区", "市区", "城区", "军区", "灾区", "社区", "园区", "矿区", "景区", "林区",
              "牧区", "老区", "战区", "小区", "库区", "港区", "湖区", "校区", "片区", "街区", "苏区", "辖区",
              "特区", "禁区", "疫区", "新市", "省市", "县市")
STEM_MIN_FREQ = 3
#: stems of real cities that are more often other words in policy text, chosen by hand from jieba's tags
#: and the bulk corpus (临海 "coastal", 榆树 "elm", 安宁 "calm", 日照 "sunshine", 来宾 "guests", 开封 "to open")
AMBIGUOUS_STEMS = {"中和", "安宁", "大城", "北流", "沙河", "开平", "龙井", "北安", "安国", "海城", "南宫", "临江",
                   "东川", "长乐", "三河", "临海", "榆树", "安东", "汉城", "京山", "通化", "大同", "长治", "安康",
                   "永康", "太平", "平安", "和平", "平川", "新乐", "东兴", "海阳", "东港", "临河", "山南", "北镇",
                   "日照", "来宾", "白银", "开封", "包头", "三明", "天水", "河源", "海口", "保定", "黄石", "孝感",
                   "信阳", "怀化", "遵义", "营口", "自贡", "百色", "平凉", "清远", "常德", "承德", "玉林", "武威",
                   "金昌", "白城", "资阳", "铜仁", "三沙"}
#: words the dictionary tags as places that are kinds of city
NOT_PLACE_WORDS = {"大都市", "大城市", "中城市", "小城市", "超大城市", "特大城市", "城市", "都市"}
SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "新区", "省", "市", "县", "区", "州", "镇")


STRADDLE_MIN_FREQ = 200


#: adcodes rows that are placeholders or kinds of area, not one place
ADCODE_SKIP = ("市辖区", "直辖县级行政区划")
#: divisions whose names are more often other words (会同县级…, 新建区域, 老城区 "old town", 上海港区)
AMBIGUOUS_DIVISIONS = {"会同县", "新建区", "港口区", "老城区", "新城区", "平房区", "古城区", "海港区", "南湖区",
                       "城中区", "城东区", "城西区", "城北区", "城南区"}


def main(out: Path, straddles: Path, adcodes: Path | None = None) -> None:
    words: dict[str, int] = {}
    common: dict[str, int] = {}  # every word: what may straddle the start of a bare stem
    with open(os.path.join(os.path.dirname(jieba.__file__), "dict.txt"), encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3 and parts[2] == "ns":
                words[parts[0]] = int(parts[1])
            elif len(parts) == 3 and 2 <= len(parts[0]) <= 3 and int(parts[1]) >= STRADDLE_MIN_FREQ:
                common[parts[0]] = int(parts[1])
    divisions: set[str] = set()
    city_stems: dict[str, str] = {}  # official names: 崂山区 and 东西湖区 are districts, not mountain or lake areas
    if adcodes:  # a division jieba lacks counts as a place (a county's bare stem still needs jieba's word)
        with open(adcodes, encoding="utf-8") as f:
            for row in csv.DictReader(f):
                name = row["name"]
                if len(name) >= 3 and not name.endswith(ADCODE_SKIP) and name not in AMBIGUOUS_DIVISIONS:
                    words[name] = max(words.get(name, 0), STEM_MIN_FREQ)
                    divisions.add(name)
                code = row["adcode"]
                # a prefecture-level city is written without 市 as often as with it (合肥, 景德镇)
                if code[4:] == "00000000" and code[2:4] != "00" and name.endswith("市") and len(name) >= 3:
                    city_stems[name[:-1]] = name
    rows: dict[str, str] = {}
    for w, freq in words.items():
        if (not 2 <= len(w) <= 10 or freq < 3 or (w.endswith(NOT_PLACES) and w not in divisions)
                or w.startswith("中国")
                or w in NOT_PLACE_WORDS or w.startswith("非") or (w.endswith("城市") and w not in divisions)):
            continue
        suf = next((x for x in SUFFIXES if w.endswith(x)), None)
        if suf and len(w) > len(suf) + 1:  # the longest suffix decides: 自治县 alone is no place
            rows[w] = w
            stem = w[: -len(suf)]
            # a bare stem (厦门) only when common as a place: rarer ones are often other words (中和)
            if (suf in ("省", "市") and words.get(stem, 0) >= STEM_MIN_FREQ and len(stem) >= 2
                    and stem not in AMBIGUOUS_STEMS):
                rows.setdefault(stem, w)
    for stem, city in city_stems.items():
        if stem not in AMBIGUOUS_STEMS:
            rows.setdefault(stem, city)
    with open(out, "w", encoding="utf-8") as f:
        f.write("# name\tcanonical  (derived from jieba's dict.txt ns entries and cpca's adcodes.csv by "
                "scripts/make_places.py)\n")
        for name in sorted(rows):
            f.write(f"{name}\t{rows[name]}\n")
    # 弘扬中华 holds no 扬中: a common word ending in the first characters of a bare stem (or of a city
    # named …城市), written right before it, means the name is not a word there
    by_last: dict[str, list[str]] = {}
    # a place too may stand before a name ending in 城市 (上海城市 holds no 海城市)
    for w in [*common, *(w for w, freq in words.items() if 2 <= len(w) <= 3 and freq >= STRADDLE_MIN_FREQ)]:
        by_last.setdefault(w[-1], []).append(w)
    with open(straddles, "w", encoding="utf-8") as f:
        f.write("# bare place stem or city named …城市\tcommon (for …城市 also place) words that, ending in its "
                "first characters, straddle its start (scripts/make_places.py)\n")
        # (also a city whose name ends in 城市: 沿海城市 holds no 海城市)
        for name in sorted(n for n, c in rows.items() if n != c or n.endswith("城市")):
            hits = sorted(w for k in range(1, len(name)) for w in by_last.get(name[k - 1], [])
                          if w.endswith(name[:k]) and len(w) > k
                          and (name.endswith("城市") or (w in common and w not in rows)))
            if hits:
                f.write(f"{name}\t{' '.join(hits)}\n")


if __name__ == "__main__":
    # usage: make_places.py [places.tsv [place_straddles.tsv [cpca/resources/adcodes.csv]]]
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "data/gazetteer/places.tsv"),
         Path(sys.argv[2] if len(sys.argv) > 2 else "data/lexicon/place_straddles.tsv"),
         Path(sys.argv[3]) if len(sys.argv) > 3 else None)
