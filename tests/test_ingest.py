"""Ingest on real documents: metadata of the seed and bulk files, encodings, formats, bad files."""
from __future__ import annotations

import io
import os
import pickle
import random
import shutil
import zipfile
from pathlib import Path

import docx
import pytest

from graph.ingest import (
    IngestError, decode_bytes, discover, load_document, normalize_date, parse_text_metadata,
    read_corpus,
)
from graph.ingest.metadata import fields_in_line, looks_like_title, trailing_date
from graph.model import content_id

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
SEED = "000_fe01ddb8c0e7678e.txt"


@pytest.fixture(scope="module")
def seed_path(corpus_dir: Path) -> Path:
    path = corpus_dir / SEED
    if not path.is_file():
        pytest.skip(f"seed document absent: {path}")
    return path


@pytest.fixture(scope="module")
def seed_text(seed_path: Path) -> str:
    return seed_path.read_text(encoding="utf-8")


def _body_lines(text: str) -> list[str]:
    """The seed's body paragraphs (after its four metadata lines)."""
    return [ln for ln in text.split("\n") if ln and not ln.startswith("- ")]


def _expect_error(path: Path, *words: str, **kwargs) -> IngestError:
    with pytest.raises(IngestError) as info:
        load_document(path, **kwargs)
    err = info.value
    assert err.path == str(path)
    assert str(err).startswith(f"{path}: ")
    for word in words:
        assert word in err.reason, err.reason
    return err


def tiny_pdf(lines: list[str], title: str | None = None) -> bytes:
    """A valid one-page PDF with Helvetica text, written by hand (xref offsets computed)."""
    def esc(s: str) -> str:
        return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    content = "BT /F1 12 Tf 72 720 Td 14 TL " + " ".join(f"({esc(ln)}) Tj T*" for ln in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        " /Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    if title:
        objects.append(f"<< /Title ({esc(title)}) >>")
    out = b"%PDF-1.4\n"
    offsets = []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{obj}\nendobj\n".encode("ascii")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode("ascii")
    out += b"".join(f"{off:010d} 00000 n \n".encode("ascii") for off in offsets)
    info = f" /Info {len(objects)} 0 R" if title else ""
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R{info} >>\n"
            f"startxref\n{xref}\n%%EOF\n").encode("ascii")
    return out


# ---------------------------------------------------------------- real documents

def test_seed_metadata_and_text(seed_path: Path, seed_text: str) -> None:
    doc = load_document(seed_path)
    assert doc.issuer == "科技局"
    assert doc.number == "厦科函〔2025〕103号"
    assert doc.date == "2025-07-15"
    assert doc.index_no == "XM00105-12-00-2025-072"
    assert doc.title is None  # its first body line is the salutation 邱拱东委员:
    assert doc.id == content_id(seed_path.read_bytes())
    assert doc.text == seed_text  # offsets downstream point into the text as written
    assert doc.encoding == "utf-8"
    assert doc.name == SEED


def test_seed_body_starts_after_metadata_block(seed_text: str) -> None:
    meta = parse_text_metadata(seed_text)
    assert seed_text[meta.body_start:].startswith("邱拱东委员:")


def test_seed_without_metadata_takes_signature_date(seed_text: str) -> None:
    body = "\n".join(_body_lines(seed_text))
    meta = parse_text_metadata(body)
    assert (meta.issuer, meta.number, meta.index_no) == (None, None, None)
    assert meta.date == "2025-07-15"  # the 2025年7月15日 line above (此件主动公开)


@pytest.mark.parametrize("name, issuer, number, date, index_no", [
    ("01_jx-finance-epidemic-measures.txt", "省政府办公厅", "赣府厅字〔2020〕14号", "2020-02-09",
     "014500815/2020-01518"),
    ("06_beijing-intl-sci-tech-center-reg.txt", "北京市人民代表大会", None, "2024-01-25", None),
    ("12_state-council-ftz-reform-measures.txt", "国务院", "国发〔2018〕38号", "2018-11-07",
     "000014349/2018-00207"),
])
def test_corpus_metadata(corpus_dir: Path, name: str, issuer: str, number: str | None, date: str,
                         index_no: str | None) -> None:
    doc = load_document(corpus_dir / name)
    assert (doc.issuer, doc.number, doc.date, doc.index_no) == (issuer, number, date, index_no)
    # corpus files carry no title line: a salutation or an adoption line is not a title
    assert doc.title is None


def test_bulk_titles(shared_dir: Path) -> None:
    docs = shared_dir / "bulk" / "docs"
    if not docs.is_dir():
        pytest.skip(f"bulk corpus absent: {docs}")
    first = load_document(docs / "00001.txt")
    assert first.title == "国务院关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见"
    assert (first.issuer, first.number, first.date) == ("国务院", "国发〔2019〕5号", "2019-01-27")
    bare = load_document(docs / "00500.txt")  # no metadata lines at all
    assert bare.title == "上海市滩涂管理条例"
    assert bare.issuer is None
    dated = load_document(docs / "00061.txt")  # a title may begin with a year
    assert dated.title == "2020年全省粮食和物资储备改革发展工作要点"


def test_whole_corpus_reads_without_errors(corpus_dir: Path) -> None:
    docs, errors = read_corpus(corpus_dir)
    assert errors == []
    names = {d.name for d in docs}
    assert SEED in names and "13_state-council-bonded-zones.txt" in names
    assert len({d.id for d in docs}) == len(docs)


# ---------------------------------------------------------------- encodings

def test_gb18030_copy_reads_back_as_the_same_chinese(tmp_path: Path, seed_path: Path,
                                                     seed_text: str) -> None:
    path = tmp_path / "seed-gbk.txt"
    path.write_bytes(seed_text.encode("gb18030"))
    doc = load_document(path)
    assert doc.encoding == "gb18030"
    assert doc.text == seed_text
    assert (doc.issuer, doc.number, doc.date) == ("科技局", "厦科函〔2025〕103号", "2025-07-15")
    assert doc.id != load_document(seed_path).id  # the id is of the bytes, not the text


@pytest.mark.parametrize("start, size", [(0, 30), (0, 60), (160, 12)])
def test_short_gbk_text_is_not_taken_for_big5(seed_text: str, start: int, size: int) -> None:
    snippet = seed_text[start:start + size]  # charset-normalizer alone calls the first Big5
    text, encoding = decode_bytes(snippet.encode("gbk"))
    assert (text, encoding) == (snippet, "gb18030")


@pytest.mark.parametrize("codec", ["utf-16", "utf-8-sig"])
def test_byte_order_marks(tmp_path: Path, seed_text: str, codec: str) -> None:
    path = tmp_path / f"seed-{codec}.txt"
    path.write_bytes(seed_text.encode(codec))
    doc = load_document(path)
    assert doc.text == seed_text  # BOM gone, nothing else changed
    assert doc.encoding == codec
    assert doc.number == "厦科函〔2025〕103号"


def test_crlf_becomes_lf(tmp_path: Path, seed_text: str) -> None:
    path = tmp_path / "seed-crlf.txt"
    path.write_bytes(seed_text.replace("\n", "\r\n").encode("utf-8"))
    assert load_document(path).text == seed_text


def test_truncated_utf8_keeps_its_text(tmp_path: Path, seed_text: str) -> None:
    data = seed_text.encode("utf-8")
    cut = len(data) - 1
    while (data[cut] & 0xC0) == 0x80:  # step back into the middle of a 3-byte character
        cut -= 1
    path = tmp_path / "cut.txt"
    path.write_bytes(data[:cut + 1])
    doc = load_document(path)
    assert doc.encoding == "utf-8"
    assert doc.text.endswith("\ufffd")
    assert seed_text.startswith(doc.text[:-1])


# ---------------------------------------------------------------- HTML, DOCX, PDF

def test_html_sample_main_text_and_metadata() -> None:
    doc = load_document(SAMPLES / "page_concept-verification-centres.html")
    assert doc.title == "福州市科学技术局关于开展2025年度概念验证中心备案工作的通知"
    assert doc.issuer == "福州市科学技术局"
    assert doc.number == "榕科〔2025〕31号"
    assert doc.date == "2025-04-21"  # 成文日期 outranks 发布日期 and <meta name=PubDate>
    assert doc.index_no == "FZ00118-02-00-2025-027"
    lines = doc.text.split("\n")
    assert lines[0] == doc.title
    assert lines[1].startswith("各县(市)区科技局")
    assert lines[-1] == "2025年4月21日"  # <br> inside a paragraph splits the line
    for chrome in ("网站首页", "政务公开", "当前位置", "分享到", "主办单位", "相关链接", "访问量",
                   "_hmt", "text-indent", "索引号", "字号"):
        assert chrome not in doc.text


def test_gbk_gov_page_with_real_text(tmp_path: Path, seed_text: str) -> None:
    """A gov.cn-style page in GBK: info table with colon-less labels, chrome, body in #UCAP-CONTENT."""
    body = _body_lines(seed_text)[1:8]
    paragraphs = "".join(f"<p>\u3000\u3000{p}</p>\n" for p in body)
    page = f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk">
<title>关于市政协十四届四次会议第20251158号提案的答复_厦门市科学技术局</title></head>
<body><div id="top-nav"><a>首页</a><a>机构概况</a><a>政务公开</a></div>
<div class="crumb">您现在的位置：首页 &gt; 建议提案办理</div>
<table><tr><th>索 引 号</th><td>XM00105-12-00-2025-072</td><th>发文字号</th><td>厦科函〔2025〕103号</td></tr>
<tr><th>发布机构</th><td>科技局</td><th>发布日期</th><td>2025年07月16日</td></tr></table>
<div id="UCAP-CONTENT">{paragraphs}</div>
<div class="footer">版权所有 厦门市科学技术局</div></body></html>"""
    path = tmp_path / "reply.htm"
    path.write_bytes(page.encode("gbk"))
    doc = load_document(path)
    assert doc.encoding == "gb18030"
    assert (doc.issuer, doc.number, doc.index_no) == ("科技局", "厦科函〔2025〕103号",
                                                      "XM00105-12-00-2025-072")
    assert doc.date == "2025-07-16"
    assert doc.title == "关于市政协十四届四次会议第20251158号提案的答复"
    assert doc.text.split("\n") == [doc.title, *body]  # indentation stripped, chrome gone


def test_html_without_content_container_uses_body_minus_chrome(tmp_path: Path,
                                                               seed_text: str) -> None:
    body = _body_lines(seed_text)[1:4]
    page = ("<html><body><header><a>首页</a><a>政务公开</a></header>"
            "<div><p>" + "</p><p>".join(body) + "</p></div>"
            "<footer>网站地图 | 联系我们</footer></body></html>")
    path = tmp_path / "plain.html"
    path.write_text(page, encoding="utf-8")
    doc = load_document(path)
    assert doc.text.split("\n") == body
    assert doc.title is None


def test_docx_paragraphs_and_tables(tmp_path: Path, seed_text: str) -> None:
    body = _body_lines(seed_text)
    document = docx.Document()
    table = document.add_table(rows=2, cols=4)
    for row, cells in zip(table.rows, (("索引号", "XM00105-12-00-2025-072", "发布机构", "科技局"),
                                       ("文号", "厦科函〔2025〕103号", "成文日期", "2025年7月15日"))):
        for cell, value in zip(row.cells, cells):
            cell.text = value
    for paragraph in body[:6]:
        document.add_paragraph(paragraph)
    figures = document.add_table(rows=1, cols=2)
    figures.rows[0].cells[0].text = "国家级孵化器"
    figures.rows[0].cells[1].text = "10家"
    path = tmp_path / "reply.docx"
    document.save(path)
    doc = load_document(path)
    lines = doc.text.split("\n")
    assert lines[0] == "索引号\tXM00105-12-00-2025-072\t发布机构\t科技局"
    assert lines[2:8] == body[:6]
    assert lines[8] == "国家级孵化器\t10家"
    assert (doc.issuer, doc.number, doc.date, doc.index_no) == (
        "科技局", "厦科函〔2025〕103号", "2025-07-15", "XM00105-12-00-2025-072")


def test_pdf_text_and_title(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(tiny_pdf(["Annual Report on Innovation (2024)",
                               "Loans to tech firms reached 256.3 billion yuan."]))
    doc = load_document(path)
    assert doc.text == ("Annual Report on Innovation (2024)\n"
                        "Loans to tech firms reached 256.3 billion yuan.")
    assert doc.title == "Annual Report on Innovation (2024)"


# ---------------------------------------------------------------- bad files

@pytest.fixture()
def bad_files(tmp_path: Path) -> dict[str, Path]:
    """One file per failure kind, in a folder of their own."""
    bad = tmp_path / "bad"
    bad.mkdir()
    files = {
        "empty": bad / "empty.txt",
        "random": bad / "random.txt",
        "fake_pdf": bad / "fake.pdf",
        "zip_garbage": bad / "garbage.docx",
        "zip_not_docx": bad / "notdocx.docx",
        "truncated_pdf": bad / "truncated.pdf",
        "loop": bad / "loop.txt",
    }
    files["empty"].write_bytes(b"")
    files["random"].write_bytes(random.Random(7).randbytes(4096))
    files["fake_pdf"].write_text("关于印发《办法》的通知\n这是一个文本文件。", encoding="utf-8")
    files["zip_garbage"].write_bytes(b"PK\x03\x04" + random.Random(8).randbytes(300))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "not a word document")
    files["zip_not_docx"].write_bytes(buf.getvalue())
    pdf = tiny_pdf(["cut short"])
    files["truncated_pdf"].write_bytes(pdf[: len(pdf) // 2])
    os.symlink("loop.txt", files["loop"])
    return files


@pytest.mark.parametrize("kind, words", [
    ("empty", ("empty",)),
    ("random", ("binary",)),
    ("fake_pdf", ("corrupt PDF", "%PDF")),
    ("zip_garbage", ("corrupt DOCX",)),
    ("zip_not_docx", ("corrupt DOCX",)),
    ("truncated_pdf", ("corrupt PDF",)),
    ("loop", ("symlink loop",)),
])
def test_bad_file_gives_a_reason(bad_files: dict[str, Path], kind: str, words: tuple[str, ...]) -> None:
    _expect_error(bad_files[kind], *words)


def test_undecodable_and_control_character_text(tmp_path: Path, seed_text: str) -> None:
    rng = random.Random(3)
    noise = tmp_path / "noise.txt"  # high bytes only: no NUL, no valid encoding
    noise.write_bytes(bytes(rng.randrange(0x80, 0x100) for _ in range(3000)))
    _expect_error(noise, "undecodable")
    control = tmp_path / "control.txt"  # valid UTF-8, but every other character is a control code
    control.write_bytes("".join(ch + chr(rng.randrange(1, 9)) for ch in seed_text[:500]).encode())
    _expect_error(control, "binary", "control characters")


def test_stray_byte_in_utf8_is_marked_not_guessed(tmp_path: Path, seed_text: str) -> None:
    data = seed_text.encode("utf-8")
    middle = data.index("厦门科学城".encode("utf-8"))
    path = tmp_path / "stray.txt"
    path.write_bytes(data[:middle] + b"\xff" + data[middle:])
    doc = load_document(path)
    assert doc.encoding == "utf-8"
    assert doc.text.replace("\ufffd", "", 1) == seed_text


def test_too_large(tmp_path: Path, seed_path: Path) -> None:
    path = tmp_path / SEED
    shutil.copyfile(seed_path, path)
    _expect_error(path, "too large", "limit 1000", max_bytes=1000)
    assert load_document(path, max_bytes=path.stat().st_size).number == "厦科函〔2025〕103号"


def test_unreadable_file(tmp_path: Path, seed_path: Path) -> None:
    path = tmp_path / "locked.txt"
    shutil.copyfile(seed_path, path)
    path.chmod(0)
    try:
        try:
            path.open("rb").close()
        except PermissionError:
            _expect_error(path, "permission denied")
        else:
            pytest.skip("running as root: a mode-000 file is still readable")
    finally:
        path.chmod(0o644)


def test_missing_and_unsupported_named_files(tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    _expect_error(missing, "no such file")
    sheet = tmp_path / "figures.xlsx"
    sheet.write_bytes(b"PK")
    with pytest.raises(IngestError, match="unsupported file type .xlsx") as info:
        discover([sheet])
    assert info.value.path == str(sheet)
    _expect_error(sheet, "unsupported")


def test_ingest_error_survives_pickling() -> None:
    err = IngestError("docs/a.pdf", "corrupt PDF: no %PDF- header")
    copy = pickle.loads(pickle.dumps(err))
    assert (copy.path, copy.reason, str(copy)) == (err.path, err.reason, str(err))


# ---------------------------------------------------------------- discovery and corpus

def test_discover_walks_folders_sorted_and_survives_symlink_loops(tmp_path: Path,
                                                                 seed_path: Path) -> None:
    root = tmp_path / "docs"
    (root / "b" / "deep").mkdir(parents=True)
    (root / ".hidden").mkdir()
    shutil.copyfile(seed_path, root / "b" / "deep" / "reply.txt")
    shutil.copyfile(seed_path, root / "A.TXT")
    shutil.copyfile(seed_path, root / ".hidden" / "secret.txt")
    shutil.copyfile(seed_path, root / ".dotfile.txt")
    (root / "page.htm").write_text("<p>x</p>", encoding="utf-8")
    (root / "notes.csv").write_text("a,b", encoding="utf-8")
    os.symlink(root, root / "b" / "back-to-root")  # a folder loop
    found = discover(root)
    assert found == [root / "A.TXT", root / "b" / "deep" / "reply.txt", root / "page.htm"]
    assert discover([root / "A.TXT", root]) == found  # a file named twice is listed once


def test_read_corpus_mixing_good_and_bad_files(tmp_path: Path, seed_path: Path,
                                               seed_text: str, bad_files: dict[str, Path]) -> None:
    folder = bad_files["empty"].parent
    good = folder / "good"
    good.mkdir()
    shutil.copyfile(seed_path, good / "reply.txt")
    shutil.copyfile(seed_path, good / "reply-copy.txt")  # same bytes: one document
    (good / "reply-gbk.txt").write_bytes(seed_text.encode("gb18030"))
    shutil.copyfile(SAMPLES / "page_concept-verification-centres.html", good / "page.html")
    docs, errors = read_corpus([folder])
    assert [d.name for d in docs] == ["page.html", "reply-copy.txt", "reply-gbk.txt"]
    assert sorted(e.path for e in errors) == sorted(str(p) for p in bad_files.values())
    assert all(e.reason for e in errors)


def test_read_corpus_reports_a_missing_path_instead_of_raising(tmp_path: Path) -> None:
    docs, errors = read_corpus([tmp_path / "nowhere"])
    assert docs == []
    assert [e.path for e in errors] == [str(tmp_path / "nowhere")]


# ---------------------------------------------------------------- metadata parsing

def test_label_variants_in_a_header_block() -> None:
    text = ("- 索　引　号：FZ-2025-001\n- 发文机关：福州市科学技术局\n- 成文日期：二〇二五年三月二十日\n"
            "- 发布日期：2025年3月21日\n- 备注／文号：榕科〔2025〕9号\n关于印发《福州市某办法》的通知\n各有关单位：\n")
    meta = parse_text_metadata(text)
    assert meta.index_no == "FZ-2025-001"
    assert meta.issuer == "福州市科学技术局"
    assert meta.date == "2025-03-20"  # 成文日期 wins over a later 发布日期
    assert meta.number == "榕科〔2025〕9号"
    assert meta.title == "关于印发《福州市某办法》的通知"
    assert text[meta.body_start:].startswith("关于印发")


def test_info_line_of_a_page() -> None:
    pairs = fields_in_line("发布时间：2025-07-15 10:30 来源：厦门市科学技术局 字号：大 中 小")
    assert pairs == [("发布时间", "2025-07-15 10:30"), ("来源", "厦门市科学技术局")]


@pytest.mark.parametrize("raw, iso", [
    ("2025-07-15", "2025-07-15"), ("2025/7/5 09:00:00", "2025-07-05"), ("2025年7月15日", "2025-07-15"),
    ("2025年07月15日", "2025-07-15"), ("二〇二五年七月十五日", "2025-07-15"), ("2025-02-30", None),
    ("第20251158号", None),
])
def test_normalize_date(raw: str, iso: str | None) -> None:
    assert normalize_date(raw) == iso


@pytest.mark.parametrize("line, expected", [
    ("国务院关于印发国家职业教育改革实施方案的通知", True),
    ("邱拱东委员:", False), ("各市、县（区）人民政府，省政府各部门：", False),
    ("一、办理工作背景", False), ("第一章 总 则", False),
    ("2024年1月25日 北京市第十六届人民代表大会第二次会议通过", False),
    ("近年来我市深入实施科技创新引领工程。", False),
])
def test_looks_like_title(line: str, expected: bool) -> None:
    assert looks_like_title(line) is expected


def test_trailing_date_ignores_dates_inside_sentences() -> None:
    assert trailing_date("截至2024年末贷款余额1328.50亿元。\n本措施自2025年1月1日起施行。\n") is None


# ---------------------------------------------------------------- the team's samples

def test_samples_are_complete_documents() -> None:
    docs, errors = read_corpus(SAMPLES)
    assert errors == []
    assert len(docs) == 4
    for doc in docs:
        assert doc.issuer and doc.number and doc.date and doc.index_no, doc.name
        if doc.name.endswith(".txt"):
            assert 1500 <= len(doc.text) <= 3000, (doc.name, len(doc.text))
    titles = {d.name: d.title for d in docs}
    assert titles["reply_sci-tech-innovation-proposal.txt"] is None  # opens with a salutation
    assert titles["notice_new-rd-institutions-measures.txt"] == (
        "福州市科学技术局关于印发《福州市新型研发机构认定和扶持管理办法》的通知")
