"""The hostile-input battery (issue 8): malformed, hostile and odd files through `kurultai extract` and
`kurultai ingest` on SQLite and PostgreSQL. However a file is broken, the commands print no traceback,
give one `error:` line per bad input and a non-zero exit, put out every good file, store no control
character, and leave the stored documents and events alone when only bad inputs come.

Fixed cases (`_hostile_folder`): random bytes, UTF-8 cut or with bad bytes, cp1251 / koi8-r /
mac-cyrillic / UTF-16 without BOM, HTML without its charset or with a false one, a few NULs and many,
DOCX and PDF decompression bombs, a gzip bomb named .html, a billion-laughs feed, JSON Lines nested
100,000 deep, empty, with a NUL escape, with a 2,000-character id and with a line over the size limit, a
file over the size limit, a FIFO, a link to /dev/zero, a link loop, an unreadable file (as non-root),
control characters in a file name. They keep the fixes of items 1-5, 10 and 14 (its JSON Lines part) in
the suite. The generated part (hypothesis) mutates good articles. The wrong-decoding rate over the
encoding set (benchmarks/encoding_set.py) is held at 0: 2,897 inputs, 0 wrong, 2 rejected (kz1048 or
ptcp154 cannot be told apart), where the decoder before issue 8 gave 280 wrong and 1,693 rejected.
"""

from __future__ import annotations

import gzip
import importlib.util
import io
import json
import os
import random
import re
import sqlite3
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from typer.testing import CliRunner

from conftest import BACKENDS, PG_URL, ROOT, SAMPLES, new_store
from kurultai.clean import InputError, decode
from kurultai.cli import app
from kurultai.ingest import ingest
from kurultai.store.models import DocumentRow
from test_sources import P1, P2, P3, PDF_LINES, make_docx, make_pdf, page

_spec = importlib.util.spec_from_file_location("encoding_set", ROOT / "benchmarks" / "encoding_set.py")
encoding_set = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(encoding_set)

CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MB = 1024 * 1024


def _sample(name: str) -> str:
    return (SAMPLES / name).read_text(encoding="utf-8")


def _piece(text: str) -> str:
    """A piece of an article that its cleaned text keeps: the start of its longest line."""
    return max(text.split("\n"), key=len)[:40]


def _cut_in_last_char(text: str) -> bytes:
    raw = text.encode("utf-8")
    return raw[: max(i for i, b in enumerate(raw) if b >= 0xC0) + 1]


def _docx_bomb(tmp: Path) -> bytes:
    """A DOCX of some 400 KB whose document.xml unpacks to 65 MB."""
    good = make_docx(tmp / "seed.docx", [P1]).read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "word/document.xml":
                head, tail = data.split(b"</w:body>")
                paragraph = b"<w:p><w:r><w:t>" + P2.encode() * 2 + b"</w:t></w:r></w:p>"
                data = head + paragraph * 120_000 + b"</w:body>" + tail
            dst.writestr(item.filename, data)
    return out.getvalue()


FEED_SENTENCE = "Лента новостей не раскрывает вложенные сущности документа."
LAUGHS = ('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">'
          + "".join(f'<!ENTITY {c} "{("&" + p + ";") * 10}">' for p, c in zip("abcdefgh", "bcdefghi", strict=True))
          + ']><rss version="2.0"><channel><title>Вестник</title><item><title>Встреча министров</title>'
          + f"<description>&i; {P1} {FEED_SENTENCE}</description></item></channel></rss>")


def _jsonl(*objs) -> str:
    return "\n".join(o if isinstance(o, str) else json.dumps(o, ensure_ascii=False) for o in objs) + "\n"


def _hostile_folder(root: Path) -> tuple[Path, dict[str, str], dict[str, str]]:
    """The folder of fixed cases; the good files (name -> a piece of text that must be stored) and the bad
    ones (name -> a piece of the one error line each must give)."""
    folder = root / "in"
    folder.mkdir()
    rng = random.Random(8)
    good: dict[str, str] = {}
    bad: dict[str, str] = {}

    def put(name: str, data: bytes | str, expect: str | None = None, error: str | None = None) -> None:
        path = folder / name
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        if expect is not None:
            good[name] = expect
        if error is not None:
            bad[name] = error

    phone, visit, council = _sample("ru_phone_call.txt"), _sample("ru_visit_two_meetings.txt"), _sample("ru_planned_council.txt")
    japan, kk, tg = _sample("ru_ministerial_c5_japan.txt"), _sample("kk_bilateral.txt"), _sample("tg_c5_russia_video.txt")
    put("utf8.txt", phone, _piece(phone))
    put("cp1251.txt", visit.encode("cp1251"), _piece(visit))
    put("koi8r.txt", council.encode("koi8_r"), _piece(council))
    put("mac_cyrillic.txt", japan.encode("mac_cyrillic"), _piece(japan))
    put("utf16_no_bom.txt", kk.encode("utf-16-le"), _piece(kk))
    put("utf8_cut.txt", _cut_in_last_char(tg), _piece(tg))
    damaged = bytearray(_sample("ky_bilateral.txt").encode("utf-8"))
    damaged[40] = damaged[400] = 0xFF
    put("utf8_bad_bytes.txt", bytes(damaged), _piece(_sample("ky_bilateral.txt")))
    en = _sample("en_bilateral.txt")
    put("few_nuls.txt", en.replace(". ", ".\x00 ", 2).replace(" ", " \x07", 1), _piece(en))  # item 5
    put("ctl\x1b[2Jname.txt", _sample("uz_bilateral.txt"), _piece(_sample("uz_bilateral.txt")))
    word = "Сообщение подготовлено в текстовом редакторе для этой проверки."
    put("article.docx", make_docx(root / "a.docx", [P1, word]).read_bytes(), word)
    put("article.pdf", make_pdf(PDF_LINES), "подписали протокол")
    markup = page(paras=(P3,), charset="windows-1251")
    put("undeclared_cp1251.html", markup.replace('<meta charset="windows-1251">', "").encode("cp1251"), P3[:40])
    put("lying_koi8.html", page(paras=(P2,), charset="windows-1251").encode("koi8_r"), P2[:40])
    put("laughs.xml", LAUGHS, FEED_SENTENCE)
    put("lines.jsonl", _jsonl({"id": "nul", "title": "Встреча\x00", "text": "Встреча.\n" + P1 + "\x00" + P2},
                              {"id": "i" * 2000, "text": P2 + " " + P1}, '{"id": "half', "[" * 100_000),
        P1[-30:] + P2[:30], "lines.jsonl: line 3: bad JSON")  # the NUL between them dropped
    good["lines.jsonl#2"] = P2[:40]
    bad["lines.jsonl#4"] = "lines.jsonl: line 4: JSON nested too deep"  # item 14
    put("random.txt", rng.randbytes(5000), error="random.txt: ")
    put("many_nuls.txt", b"\x00\x01" * 3000 + P1.encode(), error="binary file")
    put("docx_bomb.docx", _docx_bomb(root), error="decompression bomb")  # item 2
    put("pdf_bomb.pdf", make_pdf(PDF_LINES, padding=30 * MB), error="PDF over a limit")
    put("gzip_bomb.html", gzip.compress(b"<p>" + b" " * (50 * MB) + b"</p>"), error="binary file")
    put("empty.jsonl", "\n\n", error="empty JSON Lines file")  # item 14
    with (folder / "huge_line.jsonl").open("w", encoding="utf-8") as fh:
        fh.write('{"text": "' + "слово " * (2 * MB) + '"}\n')
    bad["huge_line.jsonl"] = "line 1: longer than 20 MB"
    with (folder / "huge.txt").open("w", encoding="utf-8") as fh:
        fh.write("a" * (21 * MB))  # one line over the size limit
    bad["huge.txt"] = "file too large (21 MB, limit 20 MB)"
    os.mkfifo(folder / "fifo.txt")  # item 3
    bad["fifo.txt"] = "not a regular file"
    (folder / "zero.txt").symlink_to("/dev/zero")  # item 4
    bad["zero.txt"] = "not a regular file"
    (folder / "loop.txt").symlink_to(folder / "loop.txt")  # unreadable, even as root
    bad["loop.txt"] = "Too many levels of symbolic links"
    if os.geteuid() != 0:  # root reads a file whatever its mode
        put("unreadable.txt", phone + " ", error="Permission denied")
        (folder / "unreadable.txt").chmod(0)
    return folder, good, bad


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    return _hostile_folder(tmp_path_factory.mktemp("hostile"))


def _error_lines(output: str) -> list[str]:
    return [ln for ln in output.splitlines() if ln.startswith("error:")]


def _assert_clean_output(result) -> None:
    out = result.stdout + result.stderr
    assert "Traceback" not in out and "\x1b" not in out, out[-3000:]
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)


# -- kurultai extract --------------------------------------------------------------------------------------
def test_extract_every_file_one_line_each(hostile, tmp_path):
    folder, good, bad = hostile
    texts = sorted(n for n in good if n.endswith(".txt"))
    broken = sorted(n for n in bad if n.endswith(".txt")) + ["docx_bomb.docx", "gzip_bomb.html"]
    args = [str(folder / n) for n in texts + broken] + [str(folder / "missing.txt")]
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["extract", *args, "--out", str(out)])  # item 1: no usage box, exit 1
    _assert_clean_output(result)
    assert result.exit_code == 1
    errors = _error_lines(result.stderr)
    assert len(errors) == len(broken) + 1, errors
    for name in [*broken, "missing.txt"]:
        assert sum(f"/{name}:" in e for e in errors) == 1, (name, errors)
    for name in texts:
        extraction = json.loads((out / f"{Path(name).stem}.json").read_text(encoding="utf-8"))
        assert good[name] in extraction["document"]["text"], name
        assert not CONTROL.search(json.dumps(extraction, ensure_ascii=False).replace("\\", "")), name


# -- kurultai ingest ---------------------------------------------------------------------------------------
@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path):
    new_store(request.param, tmp_path).close()  # empty, migrated
    return f"sqlite:///{tmp_path / 'k.db'}" if request.param == "sqlite" else PG_URL


def _store_rows(url: str) -> tuple[list[tuple[str, str, str | None]], tuple[int, int, int]]:
    from kurultai.store import Store

    store = Store(url)
    try:
        with store.Session() as s:
            rows = [(r.source or "", r.text, r.title) for r in s.scalars(select(DocumentRow).order_by(DocumentRow.id))]
        st = store.stats()
        return rows, (st["documents"], st["events"], st["evidence_spans"])
    finally:
        store.close()


def test_ingest_stores_every_good_file_and_reports_every_bad_one(hostile, db_url, tmp_path):
    folder, good, bad = hostile
    runner = CliRunner()
    result = runner.invoke(app, ["ingest", str(folder), "--db", db_url])
    _assert_clean_output(result)
    assert result.exit_code == 1
    errors = _error_lines(result.stderr)
    assert len(errors) == len(bad), "\n".join(errors)
    for name, piece in bad.items():
        mine = [e for e in errors if f"/{name.split('#')[0]}" in e and piece in e]
        assert len(mine) == 1, (name, piece, errors)
    assert f"errors {len(bad)}" in result.stdout
    rows, counts = _store_rows(db_url)
    assert counts[0] == len(good)
    for name, piece in good.items():
        assert any(piece in text for _, text, _ in rows), (name, piece)
    for source, text, title in rows:
        assert not CONTROL.search(source + text + (title or "")), source
    # the same folder again, and then only its bad files: no stored document or event changes
    again = runner.invoke(app, ["ingest", str(folder), "--db", db_url])
    _assert_clean_output(again)
    assert f"already stored {len(good)}" in again.stdout
    only_bad = [str(folder / n.split("#")[0]) for n in bad if "#" not in n and n != "lines.jsonl"]
    third = runner.invoke(app, ["ingest", *only_bad, "--db", db_url])
    _assert_clean_output(third)
    assert third.exit_code == 1 and len(_error_lines(third.stderr)) == len(only_bad)
    assert _store_rows(db_url) == (rows, counts)


# -- generated cases -----------------------------------------------------------------------------------------
ARTICLES = [_sample(n) for n in ("ru_phone_call.txt", "kk_bilateral.txt", "en_bilateral.txt", "tg_c5_russia_video.txt")]
PARAGRAPHS = [json.loads(line)["text"] for line in encoding_set.DATA.read_text(encoding="utf-8").splitlines()]
ENCODINGS = ["utf-8", "utf-16-le", "utf-16-be", *encoding_set.CODE_PAGES]


@st.composite
def encoded_texts(draw) -> tuple[bytes, str]:
    """Paragraphs of any of our languages, mixed, in an encoding that can hold them all."""
    text = "\n\n".join(draw(st.lists(st.sampled_from(PARAGRAPHS), min_size=1, max_size=4)))
    encoding = draw(st.sampled_from(ENCODINGS))
    try:
        return text.encode(encoding), text
    except UnicodeEncodeError:
        return text.encode("utf-8"), text


@given(case=encoded_texts())
@settings(max_examples=150, deadline=None)
def test_a_text_in_any_of_our_encodings_decodes_to_itself_or_is_refused(case):
    data, text = case
    try:
        assert decode(data) == text
    except InputError as exc:  # refused rather than guessed: one line saying why
        assert "\n" not in str(exc)


@st.composite
def hostile_bytes(draw) -> bytes:
    """A good article in some encoding, then cut, flipped, spliced with NULs or random bytes; or noise."""
    if draw(st.booleans()):
        return draw(st.binary(min_size=0, max_size=4000))
    text, encoding = draw(st.sampled_from(ARTICLES)), draw(st.sampled_from(ENCODINGS))
    try:
        data = bytearray(text.encode(encoding))
    except UnicodeEncodeError:
        data = bytearray(text.encode("utf-8"))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["flip", "nul", "cut", "splice"]))
        if action == "flip" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif action == "nul":
            data[at:at] = b"\x00"
        elif action == "cut":
            del data[at:]
        else:
            data[at:at] = draw(st.binary(min_size=1, max_size=200))
    return bytes(data)


@given(data=hostile_bytes())
@settings(max_examples=100, deadline=None)
def test_broken_bytes_decode_to_printable_text_or_one_line(data):
    try:
        text = decode(data)
    except InputError as exc:
        assert str(exc) and "\n" not in str(exc)
    else:
        assert not CONTROL.search(text)


@pytest.fixture(scope="module")
def sqlite_store(tmp_path_factory):
    store = new_store("sqlite", tmp_path_factory.mktemp("gen"))
    yield store
    store.close()


@given(data=hostile_bytes(), name=st.sampled_from(["a.txt", "a.html", "a.jsonl", "a.xml", "a.docx", "a.pdf", "a"]))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_ingest_of_a_mutated_file_is_a_document_or_an_error(sqlite_store, tmp_path_factory, data, name):
    folder = tmp_path_factory.mktemp("one")
    (folder / name).write_bytes(data)
    before = sqlite_store.counts()
    report = ingest(sqlite_store, [str(folder)])
    assert all("\n" not in m and not CONTROL.search(m) for m in report.error_messages)
    after = sqlite_store.counts()
    assert after[0] - before[0] == report.stored + report.skipped  # a skipped article is stored as skipped
    if name != "a.jsonl" and name != "a.xml":  # one item each; a JSON Lines file or a feed may hold several
        assert report.documents + report.errors == 1, report
    with sqlite3.connect(str(sqlite_store.engine.url.database)) as c:
        assert not c.execute("SELECT count(*) FROM documents WHERE instr(text, char(0)) > 0").fetchone()[0]


# -- the encoding set ------------------------------------------------------------------------------------
def test_encoding_set_has_no_wrong_decoding():
    counts, misses = encoding_set.measure()
    total = sum(counts.values())
    wrong = [m for m in misses if m[2] == "wrong"]
    rejected = [m for m in misses if m[2] == "rejected"]
    assert total > 2500
    assert not wrong, wrong[:5]
    assert len(rejected) <= total // 200, rejected[:10]  # rejecting all would be no answer either
