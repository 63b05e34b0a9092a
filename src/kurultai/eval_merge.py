"""How well the store merges reports of one event: `kurultai eval-merge --gold DIR`.

DIR holds NAME.txt with NAME.gold.json (the dev corpus' layout), meta.json (publication dates) and
same_events.json (the gold events that are one real event). Every article is extracted once, with its
publication date, and its predicted events are aligned with its gold events as the scorer aligns them.
Then, for each of several shuffled orders, the extractions are added one by one to a fresh store, and
the store's clustering of the gold events (a gold event belongs to the stored event of the report
aligned with it; one never extracted is alone) is compared with the gold clustering: pairwise precision
and recall, B-cubed precision, recall and F1, the pairs merged wrongly and those left apart.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import tempfile
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

from sqlalchemy import select

from kurultai.evaluate import match
from kurultai.models import Extraction

GoldEvent = tuple[str, int]  # (document name, index of its gold event)


@dataclass
class MergeScore:
    order: list[str]
    pair_precision: float
    pair_recall: float
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float
    wrong: list[tuple[GoldEvent, GoldEvent]] = field(default_factory=list)  # merged, gold says apart
    apart: list[tuple[GoldEvent, GoldEvent]] = field(default_factory=list)  # apart, gold says one


@dataclass
class Corpus:
    extractions: dict[str, Extraction]
    aligned: dict[GoldEvent, int]  # gold event: index of the predicted event aligned with it
    gold: dict[GoldEvent, int]  # gold event: its gold cluster
    descriptions: dict[int, str]


def load(gold_dir: Path) -> Corpus:
    from kurultai.pipeline import Pipeline

    meta_path = gold_dir / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
    same_path = gold_dir / "same_events.json"
    same = json.loads(same_path.read_text(encoding="utf-8")) if same_path.exists() else []
    pipeline = Pipeline()
    extractions, aligned, events = {}, {}, []
    for gold_path in sorted(gold_dir.glob("*.gold.json")):
        name = gold_path.name[: -len(".gold.json")]
        txt = gold_dir / f"{name}.txt"
        if not txt.exists():
            continue
        published = (meta.get(name) or {}).get("published")
        ex = pipeline.run_path(txt, dt.date.fromisoformat(published) if published else None)
        extractions[name] = ex
        gold_events = json.loads(gold_path.read_text(encoding="utf-8"))["events"]
        pred_events = ex.to_dict()["events"]
        for gi, pi in match(gold_events, pred_events):
            aligned[name, gi] = pi
        events += [(name, i) for i in range(len(gold_events))]
    gold: dict[GoldEvent, int] = {}
    descriptions = {}
    for n, group in enumerate(same):
        descriptions[n] = group.get("event", "")
        for r in group["reports"]:
            gold[r["doc"], r["event_index"]] = n
    for e in events:
        gold.setdefault(e, len(descriptions) + len(gold))
    return Corpus(extractions, aligned, gold, descriptions)


def clustering_in_store(corpus: Corpus, order: list[str], url: str) -> dict[GoldEvent, object]:
    """Each gold event's cluster in a store made by adding the documents in `order`."""
    from kurultai.store import Store
    from kurultai.store.models import ReportRow

    store = Store(url)
    try:
        doc_ids = {name: store.add(corpus.extractions[name]).document_id for name in order}
        with store.Session() as s:
            event_of = {(d, i): e for d, i, e in s.execute(
                select(ReportRow.document_id, ReportRow.event_index, ReportRow.event_id))}
    finally:
        store.close()
    out: dict[GoldEvent, object] = {}
    for ge in corpus.gold:
        pi = corpus.aligned.get(ge)
        eid = event_of.get((doc_ids.get(ge[0]), pi)) if pi is not None else None
        out[ge] = eid if eid is not None else ("alone", ge)
    return out


def compare_clusterings(gold: dict[GoldEvent, int], pred: dict[GoldEvent, object], order: list[str]) -> MergeScore:
    items = sorted(gold)
    wrong, apart = [], []
    tp = fp = fn = 0
    for a, b in combinations(items, 2):
        same_gold, same_pred = gold[a] == gold[b], pred[a] == pred[b]
        if same_gold and same_pred:
            tp += 1
        elif same_pred:
            fp += 1
            wrong.append((a, b))
        elif same_gold:
            fn += 1
            apart.append((a, b))
    bp = br = 0.0
    for e in items:
        mine_pred = {x for x in items if pred[x] == pred[e]}
        mine_gold = {x for x in items if gold[x] == gold[e]}
        both = len(mine_pred & mine_gold)
        bp += both / len(mine_pred)
        br += both / len(mine_gold)
    bp, br = bp / len(items), br / len(items)
    f1 = 2 * bp * br / (bp + br) if bp + br else 0.0
    return MergeScore(order, tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0,
                      bp, br, f1, wrong, apart)


def evaluate_merge(gold_dir: Path, orders: int = 5, seed: int = 0, corpus: Corpus | None = None) -> list[MergeScore]:
    corpus = corpus or load(gold_dir)
    names = sorted(corpus.extractions)
    results = []
    for k in range(orders):
        order = list(names)
        random.Random(seed + k).shuffle(order)
        with tempfile.TemporaryDirectory(prefix="kurultai-merge-") as tmp:
            pred = clustering_in_store(corpus, order, f"sqlite:///{tmp}/merge.db")
        results.append(compare_clusterings(corpus.gold, pred, order))
    return results


def render(results: list[MergeScore]) -> str:
    lines = [f"{'order':>5} {'pair P':>7} {'pair R':>7} {'B3 P':>6} {'B3 R':>6} {'B3 F1':>6} {'wrong':>6} {'apart':>6}"]
    for k, r in enumerate(results):
        lines.append(f"{k:>5} {r.pair_precision:7.3f} {r.pair_recall:7.3f} {r.bcubed_precision:6.3f} "
                     f"{r.bcubed_recall:6.3f} {r.bcubed_f1:6.3f} {len(r.wrong):>6} {len(r.apart):>6}")
    seen: set = set()
    for r in results:
        for kind, pairs in (("merged wrongly", r.wrong), ("left apart", r.apart)):
            for a, b in pairs:
                if (kind, a, b) not in seen:
                    seen.add((kind, a, b))
                    lines.append(f"{kind}: {a[0]}#{a[1]} + {b[0]}#{b[1]}")
    return "\n".join(lines) + "\n"
