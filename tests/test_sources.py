"""Source readers: HTML, DOCX, PDF, JSON Lines, RSS/Atom, folders and globs, and polite HTTP fetching.

Every text here is written for these tests. The HTTP tests use a local server on 127.0.0.1 only.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import threading
import zipfile
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kurultai.clean import InputError
from kurultai.models import Document
from kurultai.sources import (
    Link,
    iter_feed,
    iter_jsonl,
    open_source,
    read_docx,
    read_html,
    read_pdf,
    read_txt,
)
from kurultai.sources.url import USER_AGENT, Fetcher, clear_robots_cache, fetch

P1 = ("Министры иностранных дел Казахстана и Киргизии провели переговоры в Астане. "
      "Стороны обсудили транзит грузов и совместное использование водных ресурсов.")
P2 = ("По итогам встречи министры подписали меморандум о сотрудничестве в сфере транспорта. "
      "Следующий раунд консультаций намечен на осень в Бишкеке.")
P3 = ("Министр иностранных дел Узбекистана принял в Ташкенте своего коллегу из Таджикистана. "
      "Собеседники договорились ускорить подготовку соглашения о границе.")
TITLE = "Министры обсудили транзит и воду"


def page(title: str = TITLE, paras: tuple[str, ...] = (P1, P2), date: str | None = "2024-03-15",
         charset: str = "utf-8", site: str = "Вестник Степи") -> str:
    meta_date = f'<meta property="article:published_time" content="{date}T09:30:00+05:00">' if date else ""
    body = "\n".join(f"<p>{p}</p>" for p in paras)
    return f"""<!DOCTYPE html>
<html lang="ru"><head><meta charset="{charset}"><title>{title} | {site}</title>
<meta property="og:site_name" content="{site}">
<meta property="og:title" content="{title}">
{meta_date}
<script>window.dataLayer = [{{"tracker": "counterscript"}}];</script>
<style>.cookie {{ position: fixed; }}</style>
</head><body>
<nav class="menu"><ul><li><a href="/">Главная</a></li><li><a href="/politics">Политика</a></li>
<li><a href="/economy">Экономика</a></li><li><a href="/sport">Спорт</a></li></ul></nav>
<div class="cookie-banner" id="cookie-consent">Мы используем файлы cookie, чтобы сайт работал лучше. Принять</div>
<main><article>
<h1>{title}</h1>
{body}
</article></main>
<aside class="related"><h3>Читайте также</h3><ul><li><a href="/a">Курс валют на сегодня</a></li></ul></aside>
<footer><p>© 2019 {site}. Все права защищены.</p><a href="/ads">Реклама на сайте</a> Поделиться</footer>
<script>console.log("footer counterscript");</script>
</body></html>"""


# -- HTML ------------------------------------------------------------------------------------------------
def test_html_article_without_page_chrome():
    doc = read_html(page().encode("utf-8"), "h1", source="local.html")
    assert isinstance(doc, Document)
    assert P1 in doc.text and P2 in doc.text
    assert doc.text.index(P1) < doc.text.index(P2)
    for chrome in ("Главная", "cookie", "counterscript", "Все права", "Реклама", "Читайте также", "Поделиться",
                   "dataLayer", "position: fixed"):
        assert chrome not in doc.text, chrome
    assert doc.title == TITLE
    assert TITLE not in doc.text  # the headline is the title, not the first body line
    assert doc.published == dt.date(2024, 3, 15)
    assert doc.outlet == "Вестник Степи"
    assert doc.id == "h1" and doc.source == "local.html"


def test_html_given_date_wins_and_dateline_fills_when_no_meta():
    doc = read_html(page().encode("utf-8"), "h", published=dt.date(2024, 1, 2))
    assert doc.published == dt.date(2024, 1, 2)
    lead = "АСТАНА, 14 марта 2024 года. " + P1
    doc = read_html(page(paras=(lead, P2), date=None).encode("utf-8"), "h")
    assert doc.published == dt.date(2024, 3, 14)


def test_html_declared_charset():
    data = page(charset="windows-1251").encode("cp1251")
    doc = read_html(data, "cp")
    assert P1 in doc.text and doc.title == TITLE


def test_html_undeclared_or_lying_charset_is_guessed():
    markup = page(charset="windows-1251")
    undeclared = markup.replace('<meta charset="windows-1251">', "").encode("cp1251")
    assert P1 in read_html(undeclared, "u").text  # the markup itself is no mark of a wrong decoding
    lying = markup.encode("koi8_r")  # says windows-1251, is koi8-r: was stored as "нЙОЙУФТЩ ЙОПУФТБООЩИ"
    assert P1 in read_html(lying, "l").text


@pytest.mark.parametrize("data", [
    b"<html><head><title>x</title></head><body></body></html>",
    b"<html><body><div><<<>>><//p></div><table><tr><td>1</td><td>2",
    b"<<<<>>>>" * 50,
    b"\x00\x01\x02\xff\xfe" * 200,
    b"",
])
def test_broken_html_is_an_input_error(data):
    with pytest.raises(InputError) as err:
        read_html(data, "bad")
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("data", [b"<html><body><div><span>1</span><span>2</span></div></body></html>",
                                  b"<<<<>>>>" * 50, b"<html><body><div><<<>>><//p></div><table><tr><td>1"])
def test_html_garbage_says_no_article_text(data):
    with pytest.raises(InputError, match="^no article text in HTML$"):
        read_html(data, "bad")


# -- DOCX ------------------------------------------------------------------------------------------------
def make_docx(path, paragraphs, *, table=None, title=None, created=None):
    import docx

    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    if table:
        t = d.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                t.cell(r, c).text = value
    d.add_paragraph(P3)
    if title:
        d.core_properties.title = title
    if created:
        d.core_properties.created = created
    d.save(str(path))
    return path


def test_docx_paragraphs_and_tables_in_order(tmp_path):
    path = make_docx(tmp_path / "a.docx", [P1], table=[[P2, "Итоги встречи министров в столице"]],
                     title="Заголовок из свойств", created=dt.datetime(2024, 3, 15, 10, 0))
    doc = read_docx(path.read_bytes(), "a", str(path))
    assert doc.text.index(P1) < doc.text.index(P2) < doc.text.index(P3)
    assert doc.title == "Заголовок из свойств"  # the text has no title line
    assert doc.published == dt.date(2024, 3, 15)  # nor a dateline


def test_docx_text_wins_over_properties(tmp_path):
    path = make_docx(tmp_path / "b.docx", [TITLE, "БИШКЕК, 12 марта 2024 года. " + P1, P2],
                     title="Заголовок из свойств", created=dt.datetime(2023, 1, 1))
    doc = read_docx(path.read_bytes(), "b")
    assert doc.title == TITLE
    assert doc.published == dt.date(2024, 3, 12)


def test_broken_docx(tmp_path):
    good = make_docx(tmp_path / "g.docx", [P1]).read_bytes()
    other_zip = io.BytesIO()
    with zipfile.ZipFile(other_zip, "w") as z:
        z.writestr("notes.txt", P1)
    for data in (b"PK\x03\x04" + b"\x00garbage" * 40, good[: len(good) // 2], other_zip.getvalue(), b"plain text"):
        with pytest.raises(InputError, match="^broken DOCX: ") as err:
            read_docx(data, "x")
        assert "\n" not in str(err.value)


def test_docx_decompression_bombs_are_refused_unread(tmp_path):
    """A 21 MB document.xml packed into some 100 KB was read for seconds (63 MB: over 100 s, issue 8 item 2)."""
    good = make_docx(tmp_path / "g.docx", [P1]).read_bytes()

    def repack(extra: dict[str, bytes], body_copies: int = 0) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for item in src.infolist():
                data = src.read(item)
                if item.filename == "word/document.xml" and body_copies:
                    head, tail = data.split(b"</w:body>")[0], b"</w:body>" + data.split(b"</w:body>")[1]
                    paragraph = b"<w:p><w:r><w:t>" + P2.encode() + b"</w:t></w:r></w:p>"
                    data = head + paragraph * body_copies + tail
                dst.writestr(item.filename, data)
            for name, data in extra.items():
                dst.writestr(name, data)
        return out.getvalue()

    bombs = {
        "markup": (repack({}, body_copies=21 * 1024 * 1024 // 250), "markup unpacks to 2"),
        "media": (repack({"word/media/zeros.png": bytes(101 * 1024 * 1024)}), "unpacks to 10"),
        "parts": (repack({f"customXml/item{i}.bin": b"" for i in range(2001)}), r"DOCX of 2\d\d\d parts \(limit 2000\)"),
    }
    for kind, (data, message) in bombs.items():
        assert len(data) < 1024 * 1024, kind
        with pytest.raises(InputError, match=message):
            read_docx(data, kind)
    assert read_docx(repack({"word/media/photo.png": bytes(1024)}), "ok").text.startswith(P1[:20])


# -- PDF -------------------------------------------------------------------------------------------------
def make_pdf(lines: list[str], *, padding: int = 0) -> bytes:
    """A one-page PDF whose text layer holds `lines` (Identity-H codes = Unicode, with a ToUnicode map).
    With `padding`, the page's content stream ends with that many spaces and is compressed (FlateDecode)."""
    content = "\n".join(["BT", "/F1 11 Tf", "40 800 Td", "14 TL"]
                        + ["<" + "".join(f"{ord(c):04X}" for c in ln) + "> Tj T*" for ln in lines]
                        + ["ET"]).encode("ascii")
    stream_filter = b""
    if padding:
        content, stream_filter = zlib.compress(content + b" " * padding, 9), b" /Filter /FlateDecode"
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            b"/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
            b"1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
            b"3 beginbfrange <0020> <00FF> <0020> <0400> <04FF> <0400> <2000> <20FF> <2000> endbfrange\n"
            b"endcmap CMapName currentdict /CMap defineresource pop end end\n")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >>"
        b" /Contents 4 0 R >>",
        b"<< /Length %d%s >>\nstream\n" % (len(content), stream_filter) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /Arial /Encoding /Identity-H /DescendantFonts [6 0 R]"
        b" /ToUnicode 7 0 R >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Arial /CIDSystemInfo << /Registry (Adobe)"
        b" /Ordering (Identity) /Supplement 0 >> /FontDescriptor 8 0 R /DW 500 >>",
        b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"endstream",
        b"<< /Type /FontDescriptor /FontName /Arial /Flags 32 /FontBBox [0 -200 1000 900] /ItalicAngle 0"
        b" /Ascent 900 /Descent -200 /CapHeight 700 /StemV 80 >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


PDF_LINES = [
    TITLE,
    "БИШКЕК, 12 марта 2024 года. Министры иностранных дел Киргизии и",
    "Таджикистана провели переговоры в столице. Стороны обсудили вопросы",
    "границы и совместного использования водных ресурсов.",
    "По итогам встречи министры подписали протокол о сотрудничестве в сфере транспорта.",
]


def test_pdf_text_layer_with_wrapped_lines_rejoined():
    doc = read_pdf(make_pdf(PDF_LINES), "p", "p.pdf")
    assert doc.title == TITLE
    assert doc.published == dt.date(2024, 3, 12)
    assert "Киргизии и Таджикистана провели переговоры" in doc.text
    assert "вопросы границы" in doc.text
    assert "подписали протокол" in doc.text


def test_pdf_unwrap_keeps_headings_and_datelines_apart():
    from kurultai.sources.pdf import unwrap

    text = ("Министры иностранных дел пяти стран собрались на совещание в Астане\n"
            "АСТАНА, 12 марта 2024 года. Министры иностранных дел пяти стран провели\n"
            "встречу в столице. Они обсудили торговлю, транспорт и водные ресурсы реги-\n"
            "она, а также подготовку саммита глав государств в конце года.\n"
            "Итоги")
    assert unwrap(text).split("\n") == [
        "Министры иностранных дел пяти стран собрались на совещание в Астане",
        "АСТАНА, 12 марта 2024 года. Министры иностранных дел пяти стран провели встречу в столице. "
        "Они обсудили торговлю, транспорт и водные ресурсы региона, а также подготовку саммита глав "
        "государств в конце года.",
        "Итоги",
    ]


def test_broken_and_encrypted_pdf():
    from pypdf import PdfReader, PdfWriter

    good = make_pdf(PDF_LINES)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(good)))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    locked = io.BytesIO()
    writer.write(locked)
    with pytest.raises(InputError, match="encrypted"):
        read_pdf(locked.getvalue(), "x")
    for data in (b"%PDF-1.4\n" + b"\x00\x13garbage" * 30, good[:300], b"not a pdf at all", b""):
        with pytest.raises(InputError) as err:
            read_pdf(data, "x")
        assert "\n" not in str(err.value)


def test_pdf_decompression_bomb_and_the_reading_time_limit(monkeypatch):
    from kurultai import limits

    assert "переговоры" in read_pdf(make_pdf(PDF_LINES, padding=1024 * 1024), "fine").text
    bomb = make_pdf(PDF_LINES, padding=30 * 1024 * 1024)  # some 30 KB inflating to 30 MB
    assert len(bomb) < 100_000
    with pytest.raises(InputError, match="PDF over a limit"):
        read_pdf(bomb, "bomb")
    monkeypatch.setattr(limits, "MAX_READ_SECONDS", -1.0)  # the clock has run out before the first page
    with pytest.raises(InputError, match=r"PDF text takes too long to read .*0 of 1 pages"):
        read_pdf(make_pdf(PDF_LINES), "slow")


# -- JSON Lines ------------------------------------------------------------------------------------------
def test_jsonl_bad_line_does_not_stop_the_others():
    lines = [
        json.dumps({"id": "n1", "text": P1 + "\n" + P2, "published": "2024-03-15", "title": "Первая"},
                   ensure_ascii=False),
        '{"id": "n2", "text": "обрыв строки',
        "",
        json.dumps({"url": "https://example.org/n3", "html": page(paras=(P3,)),
                    "published": "2024-03-16T08:00:00Z"}, ensure_ascii=False),
        json.dumps({"text": P3}, ensure_ascii=False),
        json.dumps({"id": "n5", "title": "без текста"}, ensure_ascii=False),
        json.dumps({"id": "n6", "text": P1, "published": "вчера"}, ensure_ascii=False),
        json.dumps([1, 2, 3]),
    ]
    items = list(iter_jsonl("\n".join(lines).encode("utf-8"), "c.jsonl"))
    assert len(items) == 7
    first, bad2, third, fourth, bad6, bad7, bad8 = items
    assert isinstance(first, Document) and first.id == "n1" and first.title == "Первая"
    assert first.published == dt.date(2024, 3, 15) and P2 in first.text
    assert isinstance(bad2, InputError) and str(bad2).startswith("c.jsonl: line 2: bad JSON")
    assert isinstance(third, Document) and third.source == "https://example.org/n3"
    assert third.published == dt.date(2024, 3, 16) and P3 in third.text and "Главная" not in third.text
    assert third.id == next(iter_jsonl(lines[3].encode(), "other")).id  # a stable hash of the url
    assert isinstance(fourth, Document) and len(fourth.id) == 16 and fourth.text == P3
    assert str(bad6).startswith("c.jsonl: line 6: ")
    assert str(bad7).startswith("c.jsonl: line 7: bad published date")
    assert str(bad8).startswith("c.jsonl: line 8: not a JSON object")


# -- feeds -----------------------------------------------------------------------------------------------
def rss(items: list[dict], title: str = "Лента Вестника") -> bytes:
    out = []
    for it in items:
        parts = [f"<title>{it['title']}</title>"]
        if "link" in it:
            parts.append(f"<link>{it['link']}</link><guid>{it['link']}</guid>")
        if "date" in it:
            parts.append(f"<pubDate>{it['date']}</pubDate>")
        if "encoded" in it:
            parts.append(f"<content:encoded><![CDATA[{it['encoded']}]]></content:encoded>")
        if "description" in it:
            parts.append(f"<description><![CDATA[{it['description']}]]></description>")
        out.append("<item>" + "".join(parts) + "</item>")
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
            f'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>{title}</title>'
            f"<link>http://127.0.0.1/</link><description>Новости</description>{''.join(out)}</channel></rss>"
            ).encode()


def test_rss_entries_documents_and_links():
    data = rss([
        {"title": "Переговоры в Астане", "link": "https://example.org/a1", "date": "Fri, 15 Mar 2024 10:00:00 GMT",
         "encoded": f"<p>{P1}</p><p>{P2}</p>", "description": "Коротко."},
        {"title": "Встреча в Ташкенте", "link": "https://example.org/a2", "date": "Sat, 16 Mar 2024 10:00:00 GMT",
         "description": f"<p>{P3}</p>"},
        {"title": "Только ссылка", "link": "https://example.org/a3", "date": "Sun, 17 Mar 2024 10:00:00 GMT"},
        {"title": "Ни текста, ни ссылки"},
    ])
    items = list(iter_feed(data, "f.rss"))
    assert len(items) == 4
    a1, a2, a3, bad = items
    assert isinstance(a1, Document) and a1.id == a1.source == "https://example.org/a1"
    assert a1.title == "Переговоры в Астане" and a1.published == dt.date(2024, 3, 15)
    assert P1 in a1.text and P2 in a1.text and "<p>" not in a1.text
    assert a1.outlet == "Лента Вестника"
    assert isinstance(a2, Document) and P3 in a2.text and a2.published == dt.date(2024, 3, 16)
    assert a3 == Link(url="https://example.org/a3", title="Только ссылка", published=dt.date(2024, 3, 17),
                      source="f.rss")
    assert isinstance(bad, InputError) and str(bad).startswith("f.rss: entry 4: ")


def test_atom_feed():
    data = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Атом-лента</title><id>urn:feed</id>
<updated>2024-03-18T00:00:00Z</updated>
<entry><title>Консультации министров</title><id>urn:e1</id><link href="https://example.org/e1"/>
<updated>2024-03-18T06:00:00Z</updated><content type="html">&lt;p&gt;{P1}&lt;/p&gt;&lt;p&gt;{P2}&lt;/p&gt;</content></entry>
<entry><title>Без содержания</title><id>urn:e2</id><link href="https://example.org/e2"/>
<published>2024-03-17T06:00:00Z</published></entry>
</feed>""".encode()
    e1, e2 = list(iter_feed(data, "f.atom"))
    assert isinstance(e1, Document) and e1.published == dt.date(2024, 3, 18) and e1.title == "Консультации министров"
    assert P1 in e1.text and P2 in e1.text and e1.source == "https://example.org/e1"
    assert isinstance(e2, Link) and e2.url == "https://example.org/e2" and e2.published == dt.date(2024, 3, 17)


def test_not_a_feed():
    (err,) = list(iter_feed(b"<?xml version='1.0'?><catalog><book>x</book></catalog>", "x.xml"))
    assert isinstance(err, InputError) and str(err).startswith("x.xml: ")


# -- folders, globs, files -------------------------------------------------------------------------------
def test_folder_mixed_files(tmp_path):
    root = tmp_path / "in"
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "a.txt").write_bytes(f"{TITLE}\n{P1}\n{P2}\n".encode("cp1251"))
    (root / "sub" / "b.html").write_text(page(), encoding="utf-8")
    make_docx(root / "sub" / "deeper" / "c.docx", [P1, P2])
    (root / "d.pdf").write_bytes(make_pdf(PDF_LINES))
    (root / "e.jsonl").write_text(json.dumps({"id": "j1", "text": P3}, ensure_ascii=False) + "\n{oops\n",
                                  encoding="utf-8")
    (root / "f.rss").write_bytes(rss([{"title": "Лента", "link": "https://example.org/x",
                                       "encoded": f"<p>{P3}</p>"}]))
    (root / "g.page").write_text(page(), encoding="utf-8")  # unknown suffix: sniffed as HTML
    (root / "h.bin").write_bytes(b"%PDF-1.7\n\x00\x01 not really")  # sniffed as PDF, broken
    (root / "i.docx").write_bytes(b"PK\x03\x04 broken")
    (root / "empty.txt").write_bytes(b"")
    (root / ".hidden.txt").write_text(P1, encoding="utf-8")
    (root / ".git" / "x.txt").write_text(P1, encoding="utf-8")

    items = list(open_source(root))
    docs = [i for i in items if isinstance(i, Document)]
    errors = [str(i) for i in items if isinstance(i, InputError)]
    assert [d.id for d in docs] == ["a", "d", "j1", "https://example.org/x", "g", "sub__b", "sub__deeper__c"]
    # the headline stays the first line of the text
    assert docs[0].text == f"{TITLE}\n\n{P1}\n{P2}" and docs[0].title == TITLE and docs[0].source == str(root / "a.txt")
    assert P1 in docs[5].text and "Главная" not in docs[5].text and docs[5].published == dt.date(2024, 3, 15)
    assert [e.split(": ", 1)[0] for e in errors] == [str(root / n) for n in ("e.jsonl", "empty.txt", "h.bin", "i.docx")]
    assert errors[0].startswith(f"{root / 'e.jsonl'}: line 2: ")
    assert "broken DOCX" in errors[3]
    assert not any(isinstance(i, Link) for i in items)


def test_glob_single_file_missing_path_and_published(tmp_path):
    for name in ("x1.txt", "x2.txt", "y.html"):
        (tmp_path / name).write_text(f"{P1}\n{P2}\n", encoding="utf-8")
    assert [d.id for d in open_source(str(tmp_path / "x*.txt"))] == ["x1", "x2"]
    (doc,) = open_source(tmp_path / "x1.txt", published=dt.date(2024, 2, 1))
    assert doc.published == dt.date(2024, 2, 1) and doc.id == "x1"
    assert read_txt((tmp_path / "x1.txt").read_bytes(), "x1").text == f"{P1}\n{P2}"
    (err,) = open_source(str(tmp_path / "nothing*.txt"))
    assert isinstance(err, InputError) and str(err).startswith(str(tmp_path / "nothing*.txt"))
    (err,) = open_source(tmp_path / "missing.txt")
    assert isinstance(err, InputError) and str(err).startswith(str(tmp_path / "missing.txt") + ": ")


# -- HTTP ------------------------------------------------------------------------------------------------
class Site(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.hits: dict[str, int] = {}
        self.agents: set[str] = set()
        self.lock = threading.Lock()
        self.robots_status = 200

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class Handler(BaseHTTPRequestHandler):
    server: Site

    def log_message(self, *args):  # keep test output quiet
        pass

    def send(self, status: int, body: bytes = b"", ctype: str = "text/html; charset=utf-8", **headers):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers.items():
            self.send_header(k.replace("_", "-"), v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        site = self.server
        with site.lock:
            n = site.hits[self.path] = site.hits.get(self.path, 0) + 1
            site.agents.add(self.headers.get("User-Agent", ""))
        base = site.base
        if self.path == "/robots.txt":
            if site.robots_status != 200:
                return self.send(site.robots_status, b"no", "text/plain")
            return self.send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
        if self.path in ("/news/1.html", "/news/2.html", "/private/secret.html"):
            paras = (P1, P2) if self.path == "/news/1.html" else (P3,)
            return self.send(200, page(paras=paras).encode("utf-8"))
        if self.path == "/cp1251.html":
            return self.send(200, page().replace('<meta charset="utf-8">', "").encode("cp1251"),
                             "text/html; charset=windows-1251")
        if self.path == "/feed.xml":
            return self.send(200, rss([
                {"title": "Первая", "link": f"{base}/news/1.html", "date": "Fri, 15 Mar 2024 10:00:00 GMT"},
                {"title": "Вторая", "link": f"{base}/news/2.html"},
                {"title": "Закрытая", "link": f"{base}/private/secret.html"},
                {"title": "С текстом", "link": f"{base}/news/3.html", "encoded": f"<p>{P3}</p>"},
                {"title": "Пропавшая", "link": f"{base}/news/missing.html"},
            ]), "application/rss+xml")
        if self.path == "/flaky.html":
            if n <= 2:
                return self.send(503, b"busy")
            return self.send(200, page().encode("utf-8"))
        if self.path == "/always503":
            return self.send(503, b"busy")
        if self.path == "/too-busy":
            return self.send(429, b"later", Retry_After="3600")
        if self.path == "/doc.pdf":
            return self.send(200, make_pdf(PDF_LINES), "application/pdf")
        if self.path == "/moved":
            return self.send(302, b"", Location="/news/1.html")
        if self.path == "/moved-private":
            return self.send(302, b"", Location="/private/secret.html")
        return self.send(404, b"not found")


@pytest.fixture()
def site(monkeypatch):
    monkeypatch.setenv("KURULTAI_URL_ALLOW", "127.0.0.1")  # the SSRF guard refuses loopback otherwise
    clear_robots_cache()
    server = Site()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=2)
        clear_robots_cache()


@pytest.fixture()
def fetcher():
    with Fetcher(timeout=2, retries=3, backoff=0.01) as f:
        yield f


def test_fetch_page_retries_and_user_agent(site):
    body, ctype, final = fetch(f"{site.base}/flaky.html", timeout=2, retries=3, backoff=0.01)
    assert site.hits["/flaky.html"] == 3 and P1.encode() in body
    assert ctype.startswith("text/html") and final == f"{site.base}/flaky.html"
    assert site.agents == {USER_AGENT}
    assert site.hits["/robots.txt"] == 1


def test_fetch_gives_up(site, fetcher):
    with pytest.raises(InputError, match="HTTP 503"):
        fetcher.fetch(f"{site.base}/always503")
    assert site.hits["/always503"] == 4  # the first try and 3 retries
    with pytest.raises(InputError, match="^HTTP 404$"):
        fetcher.fetch(f"{site.base}/nowhere")
    assert site.hits["/nowhere"] == 1  # a 4xx is not retried
    with pytest.raises(InputError, match="Retry-After"):
        fetcher.fetch(f"{site.base}/too-busy")
    assert site.hits["/too-busy"] == 1
    with Fetcher(timeout=1, retries=1, backoff=0.01, respect_robots=False) as closed, \
            pytest.raises(InputError, match="fetch failed after 2 attempts: ConnectError"):
        closed.fetch("http://127.0.0.1:9/x")  # nothing listens on the discard port


def test_robots_txt(site, fetcher):
    with pytest.raises(InputError, match=r"^disallowed by robots\.txt$"):
        fetcher.fetch(f"{site.base}/private/secret.html")
    with pytest.raises(InputError, match="disallowed by robots.txt"):  # a redirect into /private/ too
        fetcher.fetch(f"{site.base}/moved-private")
    assert "/private/secret.html" not in site.hits
    body, _, final = fetcher.fetch(f"{site.base}/moved")
    assert final == f"{site.base}/news/1.html" and P1.encode() in body
    assert site.hits["/robots.txt"] == 1  # cached per host
    (err,) = open_source(f"{site.base}/private/secret.html", fetcher=fetcher)
    assert str(err) == f"{site.base}/private/secret.html: disallowed by robots.txt"


def test_robots_missing_allows_and_unreachable_forbids(site, fetcher):
    site.robots_status = 404
    assert P3.encode() in fetcher.fetch(f"{site.base}/private/secret.html")[0]
    clear_robots_cache()
    site.robots_status = 500
    with pytest.raises(InputError, match="robots.txt unreachable"):
        fetcher.fetch(f"{site.base}/news/1.html")


def test_open_url_dispatch_by_content_type(site, fetcher):
    (doc,) = open_source(f"{site.base}/news/1.html", fetcher=fetcher)
    assert doc.id == f"{site.base}/news/1.html" and P2 in doc.text and doc.published == dt.date(2024, 3, 15)
    (doc,) = open_source(f"{site.base}/cp1251.html", fetcher=fetcher)
    assert P1 in doc.text
    (doc,) = open_source(f"{site.base}/doc.pdf", fetcher=fetcher)
    assert doc.published == dt.date(2024, 3, 12) and "подписали протокол" in doc.text
    (err,) = open_source(f"{site.base}/nowhere", fetcher=fetcher)
    assert str(err) == f"{site.base}/nowhere: HTTP 404"


def test_open_url_feed_fetches_linked_pages(site, fetcher):
    items = list(open_source(f"{site.base}/feed.xml", fetcher=fetcher))
    assert len(items) == 5
    one, two, private, three, missing = items
    assert isinstance(one, Document) and one.id == f"{site.base}/news/1.html" and one.title == TITLE
    assert one.published == dt.date(2024, 3, 15) and P1 in one.text
    assert isinstance(two, Document) and P3 in two.text
    assert str(private) == f"{site.base}/private/secret.html: disallowed by robots.txt"
    assert isinstance(three, Document) and three.text == P3 and three.title == "С текстом"
    assert "/news/3.html" not in site.hits  # the entry had its content
    assert str(missing) == f"{site.base}/news/missing.html: HTTP 404"


def test_open_url_feed_is_bounded(site, fetcher):
    items = list(open_source(f"{site.base}/feed.xml", fetcher=fetcher, max_feed_entries=2))
    assert [type(i) for i in items] == [Document, Document, InputError]
    assert "skipped" in str(items[2])


def test_folder_walk_reads_articles_not_their_annotations(tmp_path):
    from kurultai.sources import open_source

    (tmp_path / "a.txt").write_text("Астана, 3 марта 2025 года. Текст статьи.", encoding="utf-8")
    (tmp_path / "a.gold.json").write_text('{"events": []}', encoding="utf-8")
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (tmp_path / "style.css").write_text("body {}", encoding="utf-8")
    (tmp_path / "noext").write_text("Бишкек, 5 мая 2025 года. Ещё одна статья.", encoding="utf-8")
    ids = sorted(d.id for d in open_source(tmp_path))
    assert ids == ["a", "noext"]
    explicit = list(open_source(tmp_path / "a.gold.json"))
    assert len(explicit) == 1  # named on purpose: still read (as text)


def test_folder_walk_skips_fifos_and_device_links(tmp_path):
    import os

    (tmp_path / "good.txt").write_text("Министры иностранных дел провели переговоры в Астане 3 марта 2025 года.", encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    items = list(open_source(tmp_path))  # would block on the FIFO or never end on /dev/zero
    errors = sorted(str(i) for i in items if isinstance(i, InputError))
    docs = [i for i in items if not isinstance(i, InputError)]
    assert len(docs) == 1 and len(errors) == 2
    assert all("not a regular file" in e for e in errors)


def test_jsonl_deep_nesting_is_one_bad_line_and_an_empty_file_an_error(tmp_path):
    good = json.dumps({"id": "a", "text": "Министры иностранных дел провели переговоры в Астане 3 марта 2025 года."},
                      ensure_ascii=False)
    f = tmp_path / "deep.jsonl"
    f.write_text("[" * 100_000 + "\n" + good + "\n", encoding="utf-8")
    items = list(open_source(f))
    errors = [str(i) for i in items if isinstance(i, InputError)]
    assert len(errors) == 1 and "line 1" in errors[0] and len(items) == 2
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n", encoding="utf-8")
    assert [str(i) for i in open_source(empty)] == [f"{empty}: empty JSON Lines file"]


def test_jsonl_line_over_the_limit_is_skipped_unread(tmp_path):
    from kurultai import limits

    f = tmp_path / "huge.jsonl"
    good = json.dumps({"id": "a", "text": P1}, ensure_ascii=False)
    with f.open("w", encoding="utf-8") as fh:
        fh.write('{"id": "big", "text": "' + "x" * (limits.MAX_BYTES + 10) + '"}\n' + good + "\n")
    items = list(open_source(f))
    assert [type(i) for i in items] == [InputError, Document]
    assert str(items[0]) == f"{f}: line 1: longer than 20 MB"
    assert items[1].id == "a"


def test_an_id_too_long_for_the_store_is_shortened_stably():
    """PostgreSQL refused a 2,000-character JSON Lines id (documents.doc_key holds 1,024): the batch died."""
    long_a, long_b = "a" * 2000, "a" * 1999 + "b"
    data = "\n".join(json.dumps({"id": i, "text": P1}) for i in (long_a, long_b, long_a)).encode()
    docs = [d for d in iter_jsonl(data, "ids.jsonl") if isinstance(d, Document)]
    assert [len(d.id) for d in docs] == [1024, 1024, 1024]
    assert docs[0].id == docs[2].id != docs[1].id and docs[0].id.startswith("a" * 1000)
    assert Document(id="short", text="x").id == "short"


def test_gzipped_jsonl_shards_are_read_line_by_line(tmp_path, monkeypatch):
    import gzip

    from kurultai import limits
    from kurultai.clean import InputError
    from kurultai.sources import open_source

    lines = [json.dumps({"id": f"a{i}", "text": f"Статья номер {i}. Министры встретились в Астане."}, ensure_ascii=False)
             for i in range(3)]
    good = tmp_path / "part.jsonl.gz"
    with gzip.open(good, "wt", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    assert [d.id for d in open_source(str(good))] == ["a0", "a1", "a2"]
    # a line that inflates past the limit is skipped with one error; the lines around it still come
    monkeypatch.setattr(limits, "MAX_BYTES", 2000)
    big = tmp_path / "big.jsonl.gz"
    with gzip.open(big, "wt", encoding="utf-8") as fh:
        fh.write(lines[0] + "\n" + json.dumps({"id": "x", "text": "а" * 50_000}) + "\n" + lines[1] + "\n")
    items = list(open_source(str(big)))
    assert [type(i).__name__ for i in items] == ["Document", "InputError", "Document"]
    # a cut or corrupt stream ends its shard with one error after the lines before it
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(good.read_bytes()[:-20])
    items = list(open_source(str(cut)))
    assert isinstance(items[-1], InputError) and str(items[-1]).count("\n") == 0
    bad = tmp_path / "bad.jsonl.gz"
    bad.write_bytes(b"not gzip at all")
    assert [type(i).__name__ for i in open_source(str(bad))] == ["InputError"]
