"""Extraction does work in proportion to the text (issue 8, item 11), measured without a clock: the lines
of Kurultai's code that analysis and extraction execute (a quadratic lookup runs its loop once per
mention per sentence), the input the NER tagger holds at once, and the index structures checked against
plain scans. Timings are in benchmarks/linear.py."""

from __future__ import annotations

import datetime as dt
import gc
import itertools
import random
import re
import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kurultai import pipeline as pipeline_module
from kurultai.analyze import SUPPORTED, Analysis, Mention, Sentence, get_analyser
from kurultai.analyze.base import MAX_SENTENCE
from kurultai.analyze.ru import NER_CONTEXT, NER_PIECE
from kurultai.models import Document
from kurultai.sources import read_txt
from kurultai.spans import Taken, pieces

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
SRC = str(Path(pipeline_module.__file__).parent)  # Kurultai's own code
# a linear pass over 4x the text runs about 4x the lines (caches warm a little); before the lookups were
# linear, these texts ran 5.7x to 15x
LINEAR = 4.6


def lines_run(fn: Callable[[], object]) -> int:
    """How many lines of Kurultai's own code `fn` executes (loop iterations included)."""
    count = 0

    def local(frame: FrameType, event: str, arg: object) -> Callable | None:
        nonlocal count
        if event == "line":
            count += 1
        return local

    def calls(frame: FrameType, event: str, arg: object) -> Callable | None:
        return local if frame.f_code.co_filename.startswith(SRC) else None

    sys.settrace(calls)
    try:
        fn()
    finally:
        sys.settrace(None)
    return count


def extraction_lines(pipeline, text: str, lang: str, published: dt.date | None = None) -> int:
    doc = read_txt(text.encode("utf-8"), "long", None, published)
    doc.lang = lang
    analyser = get_analyser(lang)
    return lines_run(lambda: pipeline.extractor.extract(analyser.analyse(doc)))


def growth(pipeline, make: Callable[[int], str], lang: str, n: int, published: dt.date | None = None) -> float:
    """The work on a text of 4n units over that on n units (after one warm-up run)."""
    extraction_lines(pipeline, make(n), lang, published)
    small = extraction_lines(pipeline, make(n), lang, published)
    big = extraction_lines(pipeline, make(4 * n), lang, published)
    return big / small


def articles(lang: str) -> list[str]:
    return [p.read_text(encoding="utf-8").strip() for p in sorted(SAMPLES.glob(f"{lang}_*.txt"))]


@pytest.mark.parametrize("lang", SUPPORTED)
def test_work_grows_linearly_with_a_text_of_articles(pipeline, lang):
    arts = articles(lang)

    def make(k: int) -> str:
        return "\n\n".join(arts[i % len(arts)] for i in range(k * len(arts)))

    assert growth(pipeline, make, lang, 4) < LINEAR


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_work_grows_linearly_with_a_text_without_sentence_ends(pipeline, lang):
    # one huge line: the analysis reads it in sentences of at most base.MAX_SENTENCE characters
    arts = articles(lang)

    def make(k: int) -> str:
        return re.sub(r"[.!?\n]+", " ", " ".join(arts[i % len(arts)] for i in range(k * len(arts))))

    assert growth(pipeline, make, lang, 4) < LINEAR


def test_a_sentence_longer_than_the_bound_is_read_in_pieces():
    text = " ".join(["переговоры"] * 2000)
    doc = Document(id="long", text=text)
    sentences = get_analyser("ru").analyse(doc).sentences
    assert len(sentences) > 1 and all(s.end - s.start <= MAX_SENTENCE for s in sentences)
    assert "".join(text[s.start:s.end] for s in sentences) == text


def test_work_grows_linearly_with_the_mentions_of_one_person(pipeline):
    # the nominative of a name reads the distinct forms of its surname, not every mention of it
    def make(n: int) -> str:
        return "\n".join(f"Депутат Иван Сидоренко выступил на форуме номер {i}. Затем Сидоренко ответил на вопросы."
                         for i in range(n))

    assert growth(pipeline, make, "ru", 100) < LINEAR


SYLLABLES = ["Ко", "Ва", "Ли", "Ру", "Са", "Ти", "Бо", "Ме", "Ша", "Фе", "Да", "Го"]
SURNAMES = [f"{a}{b.lower()}{c.lower()}енко" for a, b, c in itertools.product(SYLLABLES, repeat=3)]


def test_work_grows_linearly_with_the_people_named(pipeline):
    # a role of nobody named ("глава МИД Казахстана") looks up the holders of that office, not everyone
    def make(n: int) -> str:
        return "\n".join(f"Депутат Иван {SURNAMES[i]} выступил на форуме. Глава МИД Казахстана провел переговоры с "
                         "главой МИД Кыргызстана." for i in range(n))

    assert growth(pipeline, make, "ru", 200, dt.date(2024, 1, 1)) < LINEAR


MONTHS = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"]
STATES = ["Казахстана", "Кыргызстана", "Узбекистана", "Таджикистана", "Туркменистана", "России", "Китая", "Турции"]


def distinct_meetings(n: int) -> str:
    """n meetings, each of two states on a day of its own: as many events, none the same as another."""
    rnd = random.Random(n)
    out = []
    for _ in range(n):
        a, b = rnd.sample(STATES, 2)
        day = dt.date(2000, 1, 1) + dt.timedelta(days=rnd.randrange(9000))
        out.append(f"{day.day} {MONTHS[day.month - 1]} {day.year} года министры иностранных дел {a} и {b} провели "
                   "переговоры. Стороны обсудили вопросы сотрудничества.")
    return "\n\n".join(out)


def test_work_grows_linearly_with_the_events_drafted(pipeline):
    # coreference compares a candidate with the latest drafted events only (common.LOOKBACK)
    assert growth(pipeline, distinct_meetings, "ru", 300, dt.date(2025, 1, 1)) < LINEAR


def figures_of_one_meeting(n: int) -> str:
    head = "Министры иностранных дел Кыргызстана и Казахстана провели переговоры в Бишкеке.\n"
    return head + "".join(f"Товарооборот между странами составил {i + 1} млн долларов. Подписано соглашение № {i}.\n"
                          for i in range(n))


def test_work_grows_linearly_with_the_figures_of_one_event(pipeline):
    # an event keeps at most common.MAX_ITEMS figures and outcomes, each looked up among those kept
    assert growth(pipeline, figures_of_one_meeting, "ru", 300, dt.date(2025, 1, 1)) < LINEAR


def test_the_cycle_collector_is_paused_during_analysis_and_extraction(pipeline, monkeypatch):
    analyser = get_analyser("ru")
    analyse, extract = analyser.analyse, pipeline.extractor.extract
    collector_on: list[bool] = []

    def watched(fn: Callable) -> Callable:
        def run(arg: object) -> object:
            collector_on.append(gc.isenabled())
            return fn(arg)
        return run

    monkeypatch.setattr(analyser, "analyse", watched(analyse))
    monkeypatch.setattr(pipeline.extractor, "extract", watched(extract))
    doc = read_txt("\n\n".join(articles("ru")).encode("utf-8"), "all")
    doc.lang = "ru"
    assert pipeline.run_document(doc).events
    assert collector_on == [False, False] and gc.isenabled()
    gc.disable()
    try:
        pipeline.run_document(doc)
        assert not gc.isenabled()  # as it was
    finally:
        gc.enable()


def test_ner_reads_a_long_text_in_pieces_and_finds_the_same_names(ru, monkeypatch):
    arts = articles("ru")
    text = "\n\n".join(arts[i % len(arts)] for i in range(320))  # about 300 KB (160,000 characters)
    assert len(text) > 3 * NER_PIECE
    tagger = ru._ner
    whole = [(s.start, s.stop) for s in tagger(text).spans if s.type == "PER"]
    seen: list[int] = []

    def spy(piece: str) -> object:
        seen.append(len(piece))
        return tagger(piece)

    monkeypatch.setattr(ru, "_ner", spy)
    people = ru.extra_persons(text, [], [])
    assert max(seen) <= NER_PIECE + 2 * NER_CONTEXT
    assert list(ru._person_spans(text)) == whole
    assert people and all(any(a <= s and e <= b for a, b in whole) for s, e, _ in people)


@given(st.text(alphabet="ab \n", max_size=300), st.integers(min_value=1, max_value=40))
def test_pieces_cover_the_text_cut_after_a_line_break(text, limit):
    spans = list(pieces(text, limit))
    assert "".join(text[a:b] for a, b in spans) == text
    assert all(b - a <= limit for a, b in spans)
    for a, b in spans[:-1]:
        if "\n" in text[a:a + limit]:
            assert text[b - 1] == "\n"


spans_st = st.lists(st.tuples(st.integers(0, 60), st.integers(1, 12)).map(lambda t: (t[0], t[0] + t[1])), max_size=30)


@given(spans_st, spans_st)
def test_taken_positions_answer_as_a_scan_of_the_spans_taken(taken, queries):
    kept: list[tuple[int, int]] = []
    t = Taken()
    for a, b in taken:
        assert t.free(a, b) == all(b <= s or a >= e for s, e in kept)
        if t.free(a, b):
            t.take(a, b)
            kept.append((a, b))
    for a, b in queries:
        overlaps = [s for s, e in kept if not (b <= s or a >= e)]
        assert t.free(a, b) == (not overlaps)
        if overlaps and a not in {p for s, e in kept for p in range(s, e)}:
            assert t.first(a, b) == min(overlaps)


def analysis_of(mentions: list[tuple[int, int, str]], sentences: list[tuple[int, int]]) -> Analysis:
    ms = sorted((Mention(a, b, kind, "x", "") for a, b, kind in mentions), key=lambda m: (m.start, -m.end))
    return Analysis(Document(id="d", text=""), "ru", [Sentence(i, a, b) for i, (a, b) in enumerate(sentences)], ms, {})


mention_st = st.tuples(st.integers(0, 80), st.integers(0, 10), st.sampled_from(["country", "cue", "date"])).map(
    lambda t: (t[0], t[0] + t[1], t[2]))


@given(st.lists(mention_st, max_size=40), st.integers(0, 90), st.integers(0, 30),
       st.none() | st.sets(st.sampled_from(["country", "cue", "date"])))
def test_span_lookups_return_what_a_scan_returns(mentions, start, length, kinds):
    a = analysis_of(mentions, [(0, 100)])
    end = start + length
    assert a.in_span(start, end, kinds) == [m for m in a.mentions if m.start >= start and m.end <= end
                                            and (kinds is None or m.kind in kinds)]


@given(st.lists(st.integers(1, 20), min_size=1, max_size=15), st.lists(st.integers(0, 5), min_size=15, max_size=15),
       st.integers(0, 400))
def test_sentence_at_returns_what_a_scan_returns(lengths, gaps, offset):
    sentences, pos = [], 0
    for n, gap in zip(lengths, gaps, strict=False):
        pos += gap
        sentences.append((pos, pos + n))
        pos += n
    a = analysis_of([], sentences)
    expected = next((s for s in a.sentences if s.start <= offset < s.end), a.sentences[-1])
    assert a.sentence_at(offset) is expected


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from(["Президент провел встречу", ". ", "\n", "\n\n", "г. ", "А. Б. Иванов", "США", "визит,",
                                 "! ", "? ", "  ", "переговоры", "Oʻzbekiston", "Астана.", "2021 ж."]), max_size=40))
def test_every_language_splits_sentences_in_order_without_overlaps(words):
    # Analysis.sentence_at bisects the sentences' starts: they must be in text order and disjoint
    text = "".join(words)
    for lang in SUPPORTED:
        spans = get_analyser(lang).split_sentences(text)
        assert all(a <= b for a, b in spans)
        assert all(b1 <= a2 for (_, b1), (a2, _) in zip(spans, spans[1:], strict=False))
