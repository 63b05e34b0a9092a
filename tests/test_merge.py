"""Merging reports of one event: the comparison's rules, order-independence, transitive joins, ambiguity,
re-merging, and the project-written test set of tests/data/merge scored as `kurultai eval-merge` does."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
from sqlalchemy import select

from conftest import BACKENDS, new_store
from kurultai.merge import compare, content_hash, report_of
from kurultai.models import DateRange, Document, Event, Extraction, Location, Participant

MERGE_SET = Path(__file__).parent / "data" / "merge"
D = dt.date(2026, 4, 14)


def ev(status="held", mode="in_person", day=None, people=(), countries=(), orgs=(), fmt=None, place=None, month=False):
    date = None
    if day is not None:
        date = (DateRange(start=day.replace(day=1), end=(day.replace(day=28)), precision="month") if month
                else DateRange(start=day, end=day))
    return Event(status=status, mode=mode, date=date, named_format=fmt,
                 location=Location(name=place, country="KGZ") if place else None, countries=list(countries),
                 organizations=list(orgs), format="multilateral" if len(countries) + len(orgs) > 2 else "bilateral",
                 participants=[Participant(name=p, name_en=p, role="other") for p in people])


def rep(e: Event, doc: int, published=None, key=None):
    return report_of(e, key or f"k{doc}", doc, published)


KGZ_UZB = dict(people=("Zheenbek Kulubaev", "Bakhtiyor Saidov"), countries=("KGZ", "UZB"))


def test_same_people_same_day_join_and_another_day_conflicts():
    a = rep(ev(day=D, **KGZ_UZB), 1)
    assert compare(a, rep(ev(day=D + dt.timedelta(days=1), **KGZ_UZB), 2)).joins  # a day apart: time zones
    assert compare(a, rep(ev(day=D + dt.timedelta(days=7), **KGZ_UZB), 2)).conflict == "date"


def test_same_day_other_counterpart_or_mode_conflicts():
    a = rep(ev(day=D, people=("Zheenbek Kulubaev", "Bakhtiyor Saidov"), countries=("KGZ", "UZB")), 1)
    b = rep(ev(day=D, people=("Zheenbek Kulubaev", "Alexey Overchuk"), countries=("KGZ", "RUS")), 2)
    assert compare(a, b).conflict == "people"
    assert compare(a, rep(ev(day=D, mode="phone", **KGZ_UZB), 2)).conflict == "mode"
    assert compare(a, rep(ev(day=D, **KGZ_UZB), 1)).conflict == "one document"


def test_planned_council_of_a_later_date_is_not_the_held_one_but_the_plan_of_that_day_is():
    held = rep(ev(day=D, orgs=("CIS",), fmt="CIS:CFM", place="Dushanbe"), 1)
    later = rep(ev(status="planned", day=dt.date(2026, 10, 1), month=True, orgs=("CIS",), fmt="CIS:CFM"), 2)
    assert compare(held, later).conflict == "date"
    plan = rep(ev(status="planned", day=D, orgs=("CIS",), fmt="CIS:CFM", place="Dushanbe"), 3)
    assert compare(held, plan).joins


def test_an_undated_report_is_placed_by_its_publication_and_status():
    held = rep(ev(day=D, **KGZ_UZB), 1)
    assert compare(held, rep(ev(**KGZ_UZB), 2, published=D + dt.timedelta(days=2))).joins
    assert compare(held, rep(ev(**KGZ_UZB), 2, published=D + dt.timedelta(days=30))).conflict == "date"
    assert compare(held, rep(ev(**KGZ_UZB), 2, published=D - dt.timedelta(days=3))).conflict == "date"  # after it
    assert compare(held, rep(ev(status="referenced", **KGZ_UZB), 2, published=D + dt.timedelta(days=90))).joins


def test_an_undated_report_is_placed_within_the_kb_term_of_an_office_named():
    from kurultai.kb import load_kb

    kb = load_kb()
    start, end = kb.tenure("Murat Nurtleu", "foreign_minister", "KAZ")
    assert start and end
    undated = Event(named_format="C5+CHN", countries=["CHN", "KAZ", "KGZ", "TJK", "TKM", "UZB"], format="multilateral",
                    participants=[Participant(name="x", name_en="Murat Nurtleu", role="foreign_minister", country="KAZ")])
    before = Event(named_format="C5+CHN", countries=["CHN", "KAZ", "KGZ", "TJK", "TKM", "UZB"], format="multilateral",
                   date=DateRange(start=start - dt.timedelta(days=400), end=start - dt.timedelta(days=400)))
    during = before.model_copy(update={"date": DateRange(start=start + dt.timedelta(days=60), end=start + dt.timedelta(days=60))})
    assert compare(rep(undated, 1), rep(before, 2)).conflict == "date"
    assert compare(rep(undated, 1), rep(during, 2)).joins


def test_a_meeting_of_two_sides_is_not_the_session_beside_it():
    summit = rep(ev(day=D, countries=("KAZ", "KGZ", "RUS"), orgs=("CSTO",), fmt="CSTO:SUMMIT", people=("Vladimir Putin",)), 1)
    bilateral = rep(ev(day=D, countries=("KAZ", "RUS"), people=("Vladimir Putin", "Kassym-Jomart Tokayev")), 2)
    assert compare(summit, bilateral).conflict == "session"


def test_a_year_is_no_evidence_of_the_day():
    a = rep(ev(day=dt.date(2020, 1, 1), countries=("UZB",), orgs=("CIS",)), 1)
    a = a.__class__(**{**a.__dict__, "hi": dt.date(2020, 12, 31).toordinal()})  # a year's window
    b = rep(ev(day=dt.date(2020, 1, 1), countries=("UZB",), orgs=("CIS",)), 2)
    b = b.__class__(**{**b.__dict__, "hi": dt.date(2020, 12, 31).toordinal()})
    assert not compare(a, b).joins  # two parties in one year: not enough


def test_no_anchor_no_join():
    a = rep(ev(day=D, countries=("KAZ",)), 1)
    assert not compare(a, rep(ev(day=D, countries=("KAZ",)), 2)).joins  # one state on one day is not a meeting


# -- in the store -------------------------------------------------------------------------------
def doc(name: str, *events: Event, published=None) -> Extraction:
    return Extraction(document=Document(id=name, text=f"Report {name}: " + " ".join(f"w{name}{i}" for i in range(40)),
                                        published=published), events=list(events))


def partition(store) -> set[frozenset[str]]:
    from kurultai.store.models import ReportRow

    with store.Session() as s:
        groups: dict[int, set[str]] = {}
        for key, eid in s.execute(select(ReportRow.key, ReportRow.event_id)):
            groups.setdefault(eid, set()).add(key)
    return {frozenset(g) for g in groups.values()}


@pytest.fixture(params=BACKENDS)
def backend(request):
    return request.param


def test_a_later_report_joins_two_stored_events_it_proves_one(backend, tmp_path):
    council = ev(day=D, orgs=("CSTO",), fmt="CSTO:CFM")  # the council, by its name
    talks = ev(countries=("KAZ", "KGZ", "RUS"), people=("Sergey Lavrov", "Zheenbek Kulubaev"))  # who met, undated
    both = ev(day=D, countries=("KAZ", "KGZ", "RUS"), orgs=("CSTO",), fmt="CSTO:CFM", people=("Sergey Lavrov",))
    store = new_store(backend, tmp_path)
    store.add(doc("a", council))
    store.add(doc("c", talks))
    assert store.counts()[1] == 2
    res = store.add(doc("b", both))
    assert res.events_merged == 1 and store.counts()[1] == 1
    assert len(partition(store)) == 1
    store.close()


def test_a_report_fitting_two_events_joins_none_and_records_its_candidates(backend, tmp_path):
    from kurultai.store.models import MergeCandidateRow, ReportRow

    store = new_store(backend, tmp_path)
    store.add(doc("april", ev(day=D, **KGZ_UZB)))
    store.add(doc("october", ev(day=dt.date(2026, 10, 2), **KGZ_UZB)))
    res = store.add(doc("undated", ev(**KGZ_UZB)))  # neither date nor publication: it fits both
    assert (res.events_created, res.events_merged) == (1, 0) and store.counts()[1] == 3
    with store.Session() as s:
        state = s.scalar(select(ReportRow.merge_state).where(ReportRow.document_id == res.document_id))
        n = len(s.scalars(select(MergeCandidateRow)).all())
    assert state == "ambiguous" and n == 2
    store.close()


@pytest.mark.parametrize("seed", range(3))
def test_the_store_is_the_same_in_any_order(backend, tmp_path, seed):
    reports = [
        doc("r1", ev(day=D, **KGZ_UZB)),
        doc("r2", ev(**KGZ_UZB), published=D),
        doc("r3", ev(**KGZ_UZB)),
        doc("r4", ev(day=dt.date(2026, 10, 2), **KGZ_UZB)),
        doc("r5", ev(day=D, orgs=("CIS",), fmt="CIS:CFM", place="Dushanbe"),
            ev(status="planned", day=dt.date(2026, 10, 1), month=True, orgs=("CIS",), fmt="CIS:CFM")),
        doc("r6", ev(status="planned", day=D, orgs=("CIS",), fmt="CIS:CFM", place="Dushanbe")),
        doc("r7", ev(status="planned", orgs=("CIS",), fmt="CIS:CFM"), published=dt.date(2026, 9, 1)),
    ]
    orders = [list(reports)] + [random.Random(seed * 10 + k).sample(reports, len(reports)) for k in range(2)]
    seen = []
    for k, order in enumerate(orders):
        (tmp_path / f"o{k}").mkdir()
        store = new_store(backend, tmp_path / f"o{k}")
        for ex in order:
            store.add(ex)
        seen.append((partition(store), sorted(_contents(store))))
        store.close()
    assert all(s == seen[0] for s in seen)
    name = {content_hash(ex.document.text): ex.document.id for ex in reports}
    groups = {frozenset(f"{name[k.split(':')[0]]}#{int(k.split(':')[1])}" for k in g) for g in seen[0][0]}
    assert groups == {frozenset({"r1#0", "r2#0"}),  # April, and its undated report published that day
                      frozenset({"r3#0"}),  # undated and unpublished: fits April and October, joins neither
                      frozenset({"r4#0"}),  # October
                      frozenset({"r5#0", "r6#0"}),  # the council held, and its plan of that day
                      frozenset({"r5#1", "r7#0"})}  # the next council, announced in both


def _contents(store) -> list[tuple]:
    """Every event's fields without its id."""
    from kurultai.store.models import EventRow
    from kurultai.views import event_dict

    with store.Session() as s:
        out = []
        for row in s.scalars(select(EventRow)):
            d = event_dict(row)
            d.pop("id")
            d["sources"] = len(d["sources"])
            d["outcomes"] = [(o["type"], o["title"]) for o in d["outcomes"]]
            out.append(repr(sorted(d.items())))
    return out


def test_remerge_rebuilds_the_same_events(backend, tmp_path):
    store = new_store(backend, tmp_path)
    for ex in [doc("a", ev(day=D, **KGZ_UZB)), doc("b", ev(**KGZ_UZB), published=D), doc("c", ev(day=D, orgs=("CIS",), fmt="CIS:CFM"))]:
        store.add(ex)
    before, contents = partition(store), sorted(_contents(store))
    out = store.remerge()
    assert out["events_before"] == out["events_after"] == 2
    assert partition(store) == before and sorted(_contents(store)) == contents
    store.close()


# -- the project-written set ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def merge_corpus():
    from kurultai.eval_merge import load

    return load(MERGE_SET)


def test_merge_set_is_clustered_right_in_every_order(merge_corpus):
    from kurultai.eval_merge import evaluate_merge

    assert len(merge_corpus.extractions) >= 12
    langs = {ex.document.lang for ex in merge_corpus.extractions.values()}
    assert len(langs) >= 4
    for r in evaluate_merge(MERGE_SET, orders=5, seed=11, corpus=merge_corpus):
        assert not r.wrong, r.wrong
        assert not r.apart, r.apart
        assert r.bcubed_f1 == 1.0


def test_eval_merge_scores_a_clustering():
    from kurultai.eval_merge import compare_clusterings

    gold = {("a", 0): 0, ("b", 0): 0, ("c", 0): 1, ("d", 0): 2}
    perfect = compare_clusterings(gold, {("a", 0): 1, ("b", 0): 1, ("c", 0): 2, ("d", 0): 3}, [])
    assert (perfect.pair_precision, perfect.pair_recall, perfect.bcubed_f1) == (1.0, 1.0, 1.0)
    lumped = compare_clusterings(gold, {k: 1 for k in gold}, [])
    assert lumped.pair_recall == 1.0 and lumped.pair_precision == pytest.approx(1 / 6) and len(lumped.wrong) == 5
    split = compare_clusterings(gold, {k: i for i, k in enumerate(gold)}, [])
    assert split.pair_recall == 0.0 and split.apart == [(("a", 0), ("b", 0))]
    assert split.bcubed_precision == 1.0 and split.bcubed_recall == pytest.approx(0.75)


def test_migration_makes_reports_of_an_older_store(tmp_path):
    """A store made before reports were kept gets one report per (event, document), and re-merges."""
    import sqlalchemy as sa

    from conftest import old_store
    from kurultai.store import Store
    from kurultai.store.models import ReportRow

    url = old_store(
        tmp_path / "old.db", "0002",
        *[f"INSERT INTO documents (id, doc_key, content_hash, lang, text, published) "
          f"VALUES ({i}, 'd{i}', 'h{i}', 'en', 'text {i}', '2026-04-14')" for i in (1, 2)],
        "INSERT INTO events (id, status, mode, format, summary, date_start, date_end, date_precision) "
        "VALUES (1, 'held', 'in_person', 'bilateral', '', '2026-04-14', '2026-04-14', 'day'),"
        " (2, 'held', 'in_person', 'bilateral', '', NULL, NULL, NULL)",
        "INSERT INTO event_documents (event_id, document_id, status) VALUES (1, 1, 'held'), (2, 2, 'held')",
        "INSERT INTO event_countries VALUES (1, 'KGZ'), (1, 'UZB'), (2, 'KGZ'), (2, 'UZB')",
        "INSERT INTO participants (event_id, name, name_en, role) VALUES "
        "(1, 'a', 'Zheenbek Kulubaev', 'other'), (1, 'b', 'Bakhtiyor Saidov', 'other'),"
        " (2, 'a', 'Zheenbek Kulubaev', 'other'), (2, 'b', 'Bakhtiyor Saidov', 'other')",
        "INSERT INTO evidence (event_id, document_id, field, start, \"end\") VALUES (1, 1, 'event', 0, 4)")
    s = Store(url)
    with s.Session() as ses:
        reports = ses.execute(sa.select(ReportRow.document_id, ReportRow.event_id, ReportRow.key)).all()
        payload = ses.scalar(sa.select(ReportRow.payload).where(ReportRow.document_id == 1))
    assert sorted(reports) == [(1, 1, "h1:0000"), (2, 2, "h2:0000")]
    assert Event.model_validate_json(payload).evidence == [(0, 4)]
    out = s.remerge()  # the second report (undated, published that day) is the first one's meeting
    assert (out["events_before"], out["events_after"]) == (2, 1)
    s.close()


def test_dev_corpus_same_events_are_merged_and_nothing_else():
    """`kurultai eval-merge --gold ../shared/corpus/dev`: its real same-event reports (published or not,
    dated or not, in other words) are merged, and no other pair of its gold events, in several orders."""
    from conftest import shared_or_skip
    from kurultai.eval_merge import evaluate_merge

    dev = shared_or_skip() / "corpus" / "dev"
    for r in evaluate_merge(dev, orders=3, seed=5):
        assert not r.wrong, r.wrong
        assert r.bcubed_f1 >= 0.95 and r.pair_recall == 1.0, r.apart


def test_one_document_signed_is_one_outcome_whatever_the_number_of_reports(backend, tmp_path):
    from kurultai.models import Outcome
    from kurultai.store.models import EventRow

    def signed(*titles):
        e = ev(day=D, **KGZ_UZB)
        return e.model_copy(update={"outcomes": [Outcome(type=t, title=title) for t, title in titles]})

    store = new_store(backend, tmp_path)
    store.add(doc("ru", signed(("joint_statement", "Совместное заявление"), ("agreement", "Соглашение о транзите"))))
    store.add(doc("en", signed(("joint_statement", "Joint Statement"))))
    store.add(doc("uz", signed(("joint_statement", "Qo'shma bayonot"), ("agreement", "Tranzit"), ("agreement", "Suv"))))
    with store.Session() as s:
        (row,) = s.scalars(select(EventRow)).all()
        types = sorted(o.type for o in row.outcomes)
    assert types == ["agreement", "agreement", "joint_statement"]  # two agreements (the uz report names both)
    store.close()


def test_near_duplicates_are_found_through_the_index_of_a_store_made_before_it(tmp_path):
    """Migration 0007 computes the LSH keys of the documents stored before it; a near-copy added after
    finds the old document through them (no in-memory index)."""
    import sqlalchemy as sa

    from conftest import old_store
    from kurultai.merge import signature, to_bytes
    from kurultai.models import Document, Extraction
    from kurultai.store import Store
    from kurultai.store.models import DocumentBand

    text = ("Министр иностранных дел Кыргызстана встретился в Бишкеке с министром иностранных дел Узбекистана. "
            "Стороны обсудили вопросы транспорта, транзита и водно-энергетического сотрудничества двух стран.")
    blob = to_bytes(signature(text)).hex()
    url = old_store(tmp_path / "old.db", "0006",
                    "INSERT INTO documents (id, doc_key, content_hash, lang, text, minhash) "
                    f"VALUES (7, 'old', 'h-old', 'ru', 'x', X'{blob}')")
    s = Store(url)
    try:
        with s.Session() as ses:
            assert ses.scalar(sa.select(sa.func.count()).select_from(DocumentBand)) >= 1
        copy = Document(id="copy", text=text + " Поделиться", lang="ru")
        res = s.add(Extraction(document=copy, events=[]))
        assert res.status == "stored" and res.duplicate_of == 7
    finally:
        s.close()
