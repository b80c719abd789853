"""The metadata Chinese government documents carry: 索引号, 文号, 发布机构, dates and title.

Pages put these fields in a header block (``- 发布机构:科技局``), an info table
(``<td>发文字号：</td><td>国发〔2018〕38号</td>``), an info line
(``发布时间：2025-07-15 来源：厦门市科学技术局``) or ``<meta>`` tags. Labels vary
(成文日期 / 公文生成日期 / 发布日期, 文号 / 发文字号 / 备注/文号) and are written with
spaces inside them (``索 引 号``) and full-width colons, so labels are matched
after removing spaces and NFKC-folding, and values are kept exactly as written,
except dates, which become ISO ``YYYY-MM-DD`` so they compare and sort.
"""
from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from dataclasses import dataclass, field

__all__ = [
    "Metadata", "parse_text_metadata", "fields_in_line", "normalize_date",
    "trailing_date", "looks_like_title", "clean_page_title",
]

#: Known label -> (field, rank). A lower rank wins when a page carries several labels
#: for one field: 成文日期 (the date the document was signed) is the document's date; the
#: publication date of the web page is a fallback.
LABELS: dict[str, tuple[str, int]] = {
    "索引号": ("index_no", 0),
    "发文字号": ("number", 0),
    "文号": ("number", 0),
    "备注/文号": ("number", 0),
    "发文文号": ("number", 0),
    "文件编号": ("number", 1),
    "发布机构": ("issuer", 0),
    "发文机关": ("issuer", 0),
    "发文机构": ("issuer", 0),
    "发文单位": ("issuer", 0),
    "发布单位": ("issuer", 0),
    "制发机关": ("issuer", 0),
    "来源": ("issuer", 4),
    "信息来源": ("issuer", 4),
    "成文日期": ("date", 0),
    "公文生成日期": ("date", 1),
    "印发日期": ("date", 1),
    "发文日期": ("date", 1),
    "发布日期": ("date", 2),
    "发布时间": ("date", 2),
    "标题": ("title", 0),
    "文件名称": ("title", 0),
}
#: <meta name=…> of gov.cn-style pages (lower-cased) -> (field, rank).
META_TAGS: dict[str, tuple[str, int]] = {
    "articletitle": ("title", 1),
    "pubdate": ("date", 3),
    "publishdate": ("date", 3),
    "firstpublishedtime": ("date", 3),
    "contentsource": ("issuer", 3),
}
#: Values that fill a field's slot without being a value (an empty 文号 cell).
_EMPTY_VALUES = frozenset({"", "无", "-", "—", "/", "／", "暂无", "null", "none"})

_SPACES = re.compile(r"[\s\u3000\xa0]+")


def _label_key(label: str) -> str:
    """The form a label is looked up by: NFKC (／ -> /, ： -> :), no spaces, no colon."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", label)).rstrip(":").strip("【】[]")


def _spaced(label: str) -> str:
    """A regex for a label that tolerates spaces between its characters (索 引 号)."""
    return r"[\s\u3000\xa0]*".join(re.escape(ch) if ch != "/" else "[/／]" for ch in label)


# Longest labels first so 备注/文号 wins over 文号 and 公文生成日期 over 成文日期.
_KNOWN_LABEL = re.compile(
    "(?P<label>" + "|".join(_spaced(lb) for lb in sorted(LABELS, key=len, reverse=True)) + ")"
    r"(?:[\s\u3000\xa0]*[:：]|[ \xa0\u3000]*\t)"
)
# Any other short "label:" in a line ends the value before it (来源：X 字号：大 中 小).
_OTHER_LABEL = re.compile(r"(?:^|\s)[^\s:：\d][^\s:：]{0,7}[:：]")  # not a time (10:30)
# A header-block line: "- label:value" (the dash marks the block in the corpus format).
_BLOCK_LINE = re.compile(r"^[ \t\u3000]*[-*•·][ \t\u3000]*(?P<label>[^:：\n]{1,16}?)[ \t\u3000]*[:：](?P<value>.*)$")


@dataclass
class Metadata:
    """Fields found for one document; ``body_start`` is where text after the header block begins."""

    title: str | None = None
    issuer: str | None = None
    number: str | None = None
    date: str | None = None
    index_no: str | None = None
    body_start: int = 0
    _ranks: dict[str, int] = field(default_factory=dict, init=False, repr=False, compare=False)

    def offer(self, name: str, value: str | None, rank: int) -> None:
        """Keep ``value`` unless the field already holds one of the same or a better rank."""
        if value is None:
            return
        value = value.strip(" \t\u3000\xa0")
        if value.lower() in _EMPTY_VALUES:
            return
        if name == "date":
            value = normalize_date(value)
            if value is None:
                return
        if name in self._ranks and self._ranks[name] <= rank:
            return
        setattr(self, name, value)
        self._ranks[name] = rank

    def offer_label(self, label: str, value: str | None) -> bool:
        """Offer a value under a page label; False when the label is not a known field."""
        known = LABELS.get(_label_key(label))
        if known is None:
            return False
        self.offer(known[0], value, known[1])
        return True


def fields_in_line(line: str) -> list[tuple[str, str]]:
    """Every (label, value) pair of known labels in one line of a page or table row.

    A value runs to the next label (known, or any short ``X：``) and, in a table
    row where cells are tab-separated, stops at the end of its first non-empty cell.
    """
    found = list(_KNOWN_LABEL.finditer(line))
    pairs: list[tuple[str, str]] = []
    for i, m in enumerate(found):
        end = found[i + 1].start() if i + 1 < len(found) else len(line)
        span = line[m.end():end]
        other = _OTHER_LABEL.search(span)
        if other and other.start() > 0:
            span = span[:other.start()]
        cells = [c.strip(" \u3000\xa0") for c in span.split("\t")]
        value = next((c for c in cells if c), "")
        pairs.append((m.group("label"), value))
    return pairs


def parse_text_metadata(text: str) -> Metadata:
    """Fields of the leading header block of a plain-text document, and the title after it.

    The block is the run of ``- label:value`` lines (or lines with a known label)
    at the top. The title is the first line after the block when it looks like one;
    the seed starts its body with a salutation (``邱拱东委员:``), which is not a title.
    Without a dated field, a date line among the last lines (the signature date) is used.
    """
    meta = Metadata()
    pos = 0
    body_start = 0
    while pos < len(text):
        nl = text.find("\n", pos)
        end = len(text) if nl < 0 else nl + 1
        line = text[pos:end].rstrip("\r\n")
        if not line.strip():
            pos = end
            continue
        block = _BLOCK_LINE.match(line)
        if block:
            meta.offer_label(block.group("label"), block.group("value"))
        else:
            if not _KNOWN_LABEL.match(line.lstrip(" \t\u3000\xa0")):
                break
            pairs = fields_in_line(line)
            for label, value in pairs:
                meta.offer_label(label, value)
        pos = body_start = end
    meta.body_start = body_start
    first = _first_line(text, body_start)
    if first is not None and looks_like_title(first):
        meta.offer("title", first.strip().lstrip("#").strip(), 5)
    if meta.date is None:
        meta.offer("date", trailing_date(text[body_start:]), 9)
    return meta


def _first_line(text: str, start: int) -> str | None:
    for line in text[start:].split("\n", 20)[:20]:
        if line.strip():
            return line
    return None


_CN_DIGITS = {ch: i for i, ch in enumerate("〇一二三四五六七八九")} | {"○": 0, "零": 0, "Ｏ": 0, "O": 0}
_DATE_NUM = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)")
_DATE_CN = re.compile(r"([〇○零Ｏ一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,2})\s*月\s*([一二三四五六七八九十]{1,3})\s*日")


def _cn_number(s: str) -> int:
    """一 .. 三十一 (the 十 forms used in month and day) to an int."""
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    return _CN_DIGITS[s]


def normalize_date(value: str) -> str | None:
    """ISO date from 2025-07-15, 2025/7/15, 2025年7月15日, 二〇二五年七月十五日 (time ignored)."""
    m = _DATE_NUM.search(value)
    if m:
        y, mo, d = (int(g) for g in m.groups())
    else:
        m = _DATE_CN.search(value)
        if not m:
            return None
        y = int("".join(str(_CN_DIGITS[ch]) for ch in m.group(1)))
        mo, d = _cn_number(m.group(2)), _cn_number(m.group(3))
    try:
        return _dt.date(y, mo, d).isoformat()
    except ValueError:
        return None


_DATE_LINE = re.compile(
    r"^[\s(（]*(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
    r"|[〇○零Ｏ一二三四五六七八九]{4}\s*年\s*[一二三四五六七八九十]{1,2}\s*月\s*[一二三四五六七八九十]{1,3}\s*日)[\s)）]*$"
)


def trailing_date(text: str, lines: int = 15) -> str | None:
    """The signature date: the last line among the final ``lines`` that is only a date."""
    tail = [ln for ln in text.rsplit("\n", lines * 3)[-lines * 3:] if ln.strip()][-lines:]
    for line in reversed(tail):
        if _DATE_LINE.match(line):
            return normalize_date(line)
    return None


_NUMBERED = re.compile(
    r"^(第[一二三四五六七八九十百零〇\d]+[条章节编款]|[一二三四五六七八九十]+[、.．]"
    r"|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．)）]|[①-⑳])"
)
_STARTS_WITH_DATE = re.compile(r"^\s*(\d{4}\s*年\s*\d{1,2}\s*月|[〇○零一二三四五六七八九]{4}\s*年)")
_WORDLIKE = re.compile(r"[\u4e00-\u9fffA-Za-z]")


def looks_like_title(line: str) -> bool:
    """A short heading line: not a sentence, salutation, numbered clause or date line."""
    s = line.strip().lstrip("#").strip()
    if not 2 <= len(s) <= 80 or not _WORDLIKE.search(s):
        return False
    if s.endswith(("。", "！", "？", "；", "：", ":", "，", ",", "、", "!", "?", ";")) or "。" in s:
        return False
    if _NUMBERED.match(s) or _STARTS_WITH_DATE.match(s):
        return False
    key = _label_key(s.split("：", 1)[0].split(":", 1)[0])
    return key not in LABELS


_TITLE_SUFFIX = re.compile(r"\s*(?:_|\||｜|\s-\s|\s—\s).*$")


def clean_page_title(title: str) -> str | None:
    """An HTML <title> without the site name gov pages append (…的通知_中国政府网)."""
    s = _SPACES.sub(" ", title).strip()
    s = _TITLE_SUFFIX.sub("", s).strip()
    return s or None
