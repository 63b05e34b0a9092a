"""The project's scorer: the measure of `../shared/eval/score.py`, so both agree on the dev corpus.

Events of a document are paired one-to-one by similarity (parties, people, date, status; pairs under 0.4
are no match); then every field is counted as true / false positive / false negative; participants
match on the ASCII surname of `name_en` (fuzzy, ratio >= 0.8), figures on indicator, kind and value
within 1 %. Fields micro-F1 pools every field but the event counts.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from itertools import permutations
from pathlib import Path

SET_SLOTS = ("countries", "organizations", "topics")
ONE_SLOTS = ("status", "mode", "format", "named_format", "date", "location", "visit")


class Tally:
    def __init__(self) -> None:
        self.tp = self.fp = self.fn = 0

    def add(self, tp: int = 0, fp: int = 0, fn: int = 0) -> None:
        self.tp += tp
        self.fp += fp
        self.fn += fn

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else (1.0 if not self.fn else 0.0)
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else (1.0 if not self.fp else 0.0)
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


def latin_key(name: str) -> str:
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z]+", text)
    return words[-1] if words else ""


def same_person(a: str, b: str) -> bool:
    return bool(a) and bool(b) and difflib.SequenceMatcher(None, a, b).ratio() >= 0.8


def one_value(event: dict, slot: str):
    value = event.get(slot)
    if value is None:
        return None
    if slot == "date":
        return value.get("start")
    if slot == "location":
        return (value.get("name") or "").strip().lower().replace("-", " ").replace("'", "") or None
    if slot == "visit":
        return value.get("type")
    return value


def people(event: dict) -> list[tuple[str, str]]:
    return [(latin_key(p.get("name_en", "")), p.get("role", "")) for p in event.get("participants") or []]


def similarity(g: dict, p: dict) -> float:
    gc = set(g.get("countries") or []) | set(g.get("organizations") or [])
    pc = set(p.get("countries") or []) | set(p.get("organizations") or [])
    jac = len(gc & pc) / len(gc | pc) if gc | pc else 0.0
    gp, pp = [k for k, _ in people(g)], [k for k, _ in people(p)]
    shared = sum(1 for a in gp if any(same_person(a, b) for b in pp))
    ppl = shared / max(len(gp), len(pp)) if gp or pp else 0.0
    date = 1.0 if one_value(g, "date") == one_value(p, "date") else 0.0
    status = 1.0 if g.get("status") == p.get("status") else 0.0
    return 0.4 * jac + 0.3 * ppl + 0.2 * date + 0.1 * status


def match(gold: list[dict], pred: list[dict]) -> list[tuple[int, int]]:
    if not gold or not pred:
        return []
    sims = [[similarity(g, p) for p in pred] for g in gold]
    pairs: list[tuple[int, int]] = []
    if len(gold) <= 7 and len(pred) <= 7:
        small, large, flip = (gold, pred, False) if len(gold) <= len(pred) else (pred, gold, True)
        best = -1.0
        for perm in permutations(range(len(large)), len(small)):
            cand = [(j, i) if flip else (i, j) for i, j in enumerate(perm)]
            total = sum(sims[a][b] for a, b in cand if sims[a][b] >= 0.4)
            if total > best:
                best, pairs = total, cand
    else:
        used_g: set[int] = set()
        used_p: set[int] = set()
        for _, a, b in sorted(((sims[a][b], a, b) for a in range(len(gold)) for b in range(len(pred))), reverse=True):
            if a not in used_g and b not in used_p:
                pairs.append((a, b))
                used_g.add(a)
                used_p.add(b)
    return [(a, b) for a, b in pairs if sims[a][b] >= 0.4]


def _multiset(t: Tally, gold: list, pred: list) -> None:
    left = list(pred)
    tp = 0
    for item in gold:
        if item in left:
            left.remove(item)
            tp += 1
    t.add(tp, len(left), len(gold) - tp)


def score_pair(t: dict[str, Tally], g: dict | None, p: dict | None) -> None:
    g, p = g or {}, p or {}
    for slot in SET_SLOTS:
        _multiset(t[slot], sorted(set(g.get(slot) or [])), sorted(set(p.get(slot) or [])))
    for slot in ONE_SLOTS:
        gv, pv = one_value(g, slot), one_value(p, slot)
        if gv is not None and gv == pv:
            t[slot].add(tp=1)
        else:
            t[slot].add(fp=int(pv is not None), fn=int(gv is not None))
    left = list(people(p))
    for key, role in people(g):
        hit = next((q for q in left if same_person(key, q[0])), None)
        if hit:
            left.remove(hit)
            t["participants"].add(tp=1)
            if hit[1] == role:
                t["participant_roles"].add(tp=1)
            else:
                t["participant_roles"].add(fp=1, fn=1)
        else:
            t["participants"].add(fn=1)
            t["participant_roles"].add(fn=1)
    t["participants"].add(fp=len(left))
    t["participant_roles"].add(fp=len(left))
    _multiset(t["outcomes"], sorted(o.get("type", "") for o in g.get("outcomes") or []),
              sorted(o.get("type", "") for o in p.get("outcomes") or []))
    pf = [(f.get("indicator"), f.get("kind"), float(f.get("value") or 0)) for f in p.get("figures") or []]
    for f in g.get("figures") or []:
        ind, kind, val = f.get("indicator"), f.get("kind"), float(f.get("value") or 0)
        hit = next((q for q in pf if q[0] == ind and q[1] == kind and abs(q[2] - val) <= 0.01 * max(abs(val), 1)), None)
        if hit:
            pf.remove(hit)
            t["figures"].add(tp=1)
        else:
            t["figures"].add(fn=1)
    t["figures"].add(fp=len(pf))


def pairs_of(gold_dir: Path, pred_dir: Path) -> Iterator[tuple[str, dict, dict]]:
    """(name, gold, extraction) for each NAME.gold.json; a missing or broken extraction is empty."""
    for gold_path in sorted(gold_dir.glob("*.gold.json")):
        name = gold_path.name[: -len(".gold.json")]
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        try:
            pred = json.loads((pred_dir / f"{name}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pred = {"document": {}, "events": []}
        yield name, gold, pred


def score(gold_dir: Path, pred_dir: Path) -> dict:
    t: dict[str, Tally] = defaultdict(Tally)
    docs = {"lang": [0, 0], "published": [0, 0]}
    per_doc = {}
    for name, gold, pred in pairs_of(gold_dir, pred_dir):
        gdoc, pdoc = gold.get("document", {}), pred.get("document") or {}
        for key in docs:
            docs[key][1] += 1
            docs[key][0] += int(gdoc.get(key) == pdoc.get(key))
        gev = gold.get("events") or []
        pev = [e for e in pred.get("events") or [] if isinstance(e, dict)]
        pairs = match(gev, pev)
        t["events"].add(tp=len(pairs), fp=len(pev) - len(pairs), fn=len(gev) - len(pairs))
        held_g = {i for i, e in enumerate(gev) if e.get("status") == "held"}
        held_p = {j for j, e in enumerate(pev) if e.get("status") == "held"}
        hp = [(a, b) for a, b in pairs if a in held_g and b in held_p]
        t["held_events"].add(tp=len(hp), fp=len(held_p) - len(hp), fn=len(held_g) - len(hp))
        for a, b in pairs:
            score_pair(t, gev[a], pev[b])
        mg, mp = {a for a, _ in pairs}, {b for _, b in pairs}
        for a, e in enumerate(gev):
            if a not in mg:
                score_pair(t, e, None)
        for b, e in enumerate(pev):
            if b not in mp:
                score_pair(t, None, e)
        per_doc[name] = {"gold_events": len(gev), "pred_events": len(pev), "matched": len(pairs)}
    slots = {k: dict(zip(("p", "r", "f1"), v.prf(), strict=True), tp=v.tp, fp=v.fp, fn=v.fn) for k, v in sorted(t.items())}
    micro = Tally()
    for k, v in t.items():
        if k not in ("events", "held_events"):
            micro.add(v.tp, v.fp, v.fn)
    return {
        "documents": len(per_doc),
        "doc_accuracy": {k: (v[0] / v[1] if v[1] else 0.0) for k, v in docs.items()},
        "slots": slots,
        "fields_micro_f1": micro.prf()[2],
        "event_f1": t["events"].prf()[2],
        "per_document": per_doc,
    }


def score_by_language(gold_dir: Path, pred_dir: Path) -> dict[str, dict]:
    """`score` of each language group of the gold folder (the gold document's `lang`), and of all."""
    import shutil
    import tempfile

    groups: dict[str, list[Path]] = defaultdict(list)
    for g in sorted(gold_dir.glob("*.gold.json")):
        groups[json.loads(g.read_text(encoding="utf-8")).get("document", {}).get("lang", "und")].append(g)
    out = {}
    for lang, files in sorted(groups.items()):
        tmp = Path(tempfile.mkdtemp(prefix=f"kurultai-eval-{lang}-"))
        try:
            for f in files:
                (tmp / f.name).symlink_to(f.resolve())
            out[lang] = score(tmp, pred_dir)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    out["all"] = score(gold_dir, pred_dir)
    return out


def render_by_language(results: dict[str, dict]) -> str:
    lines = [f"{'lang':<6}{'docs':>6}{'event F1':>10}{'fields F1':>11}{'events P':>10}{'events R':>10}"]
    for lang, r in results.items():
        ev = r["slots"].get("events", {"p": 0.0, "r": 0.0})
        lines.append(f"{lang:<6}{r['documents']:>6}{r['event_f1']:>10.3f}{r['fields_micro_f1']:>11.3f}{ev['p']:>10.3f}{ev['r']:>10.3f}")
    return "\n".join(lines) + "\n"


# -- where the errors come from ------------------------------------------------------------------
STAGES = ("no mention", "mention not asserted or without parties", "joined to another event", "wrong status",
          "spurious event", "slot not attached", "slot wrong", "slot extra")


def explain(gold_dir: Path, pred_dir: Path) -> dict:
    """Every missed, spurious or wrong item attributed to the stage that lost it, per language:
    - a missed gold event: `no mention` (no trigger cue in the sentences of its evidence), `joined to
      another event` (a predicted event holds evidence in those sentences), else `mention not asserted
      or without parties`;
    - a predicted event matching no gold event: `spurious event`;
    - in a matched pair: `wrong status`, and per field `slot not attached` (gold has it, the extraction
      not), `slot wrong` (both, different), `slot extra` (the extraction only)."""
    from kurultai.analyze import get_analyser
    from kurultai.models import Document

    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    items: list[dict] = []
    for name, gold, pred in pairs_of(gold_dir, pred_dir):
        gdoc = gold.get("document", {})
        lang = gdoc.get("lang", "und")
        gev, pev = gold.get("events") or [], [e for e in pred.get("events") or [] if isinstance(e, dict)]
        pairs = match(gev, pev)
        analysis = None
        analyser = get_analyser(lang)
        # gold files need not hold the text: the extraction's cleaned text is the one its offsets use
        text = gdoc.get("text") or (pred.get("document") or {}).get("text") or ""
        if analyser is not None and text:
            analysis = analyser.analyse(Document(id=name, lang=lang, text=text))

        def add(stage: str, detail: str, lang: str = lang, name: str = name) -> None:
            counts[lang][stage] += 1
            items.append({"doc": name, "lang": lang, "stage": stage, "detail": detail})

        matched_g, matched_p = {a for a, _ in pairs}, {b for _, b in pairs}
        for a, e in enumerate(gev):
            if a in matched_g:
                continue
            label = f"gold event {a} ({e.get('status')}, {','.join(e.get('countries') or []) or '-'})"
            sentences = _evidence_sentences(analysis, e)
            if analysis is None or not sentences:
                add("no mention", label + (": no sentence names its people or states" if analysis is not None else ": no analyser"))
                continue
            cues = [m for s in sentences for m in analysis.in_sentence(s)
                    if (m.kind == "cue" and m.id.split(":")[0] in ("trigger", "verb")) or m.kind in ("body", "format")]
            if not cues:
                add("no mention", label)
            elif any(s.start <= _offset(analysis, sp[0]) < s.end for s in sentences for p in pev for sp in p.get("evidence") or []):
                add("joined to another event", label)
            else:
                add("mention not asserted or without parties", label)
        for b, e in enumerate(pev):
            if b not in matched_p:
                add("spurious event", f"predicted event {b} ({e.get('status')}, {','.join(e.get('countries') or []) or '-'})")
        for a, b in pairs:
            g, p = gev[a], pev[b]
            if g.get("status") != p.get("status"):
                add("wrong status", f"gold {a}: {g.get('status')} read as {p.get('status')}")
            gp, pp = [k for k, _ in people(g)], [k for k, _ in people(p)]
            for k in gp:
                if not any(same_person(k, x) for x in pp):
                    add("slot not attached", f"gold {a}: participant {k}")
            for k in pp:
                if not any(same_person(k, x) for x in gp):
                    add("slot extra", f"gold {a}: participant {k}")
            for slot in ONE_SLOTS + SET_SLOTS:
                if slot == "status":
                    continue
                gv, pv = _slot_value(g, slot), _slot_value(p, slot)
                if gv == pv:
                    continue
                if gv and not pv:
                    add("slot not attached", f"gold {a}: {slot} {gv}")
                elif pv and not gv:
                    add("slot extra", f"gold {a}: {slot} {pv}")
                else:
                    add("slot wrong", f"gold {a}: {slot} {gv} read as {pv}")
    return {"counts": {k: dict(v) for k, v in sorted(counts.items())}, "items": items}


def _slot_value(e: dict, slot: str):
    if slot in SET_SLOTS:
        return tuple(sorted(set(e.get(slot) or [])))
    return one_value(e, slot)


def _offset(analysis, pos: int) -> int:
    """An offset of the document's text in the analysis' text (the same, unless the text was read
    rewritten: Kazakh Latin read in Cyrillic)."""
    return analysis.rewrite.rewritten_offset(pos) if analysis.rewrite is not None else pos


def _evidence_sentences(analysis, event: dict) -> list:
    """The sentences that tell of a gold event: those of its evidence, else those naming one of its
    people (by English surname), else those naming at least two of its states (one if it has one)."""
    if analysis is None:
        return []
    spans = list(event.get("evidence") or [])
    for p in event.get("participants") or []:
        spans += p.get("evidence") or []
    seen = []
    for sp in spans:
        if isinstance(sp, (list, tuple)) and len(sp) == 2:
            s = analysis.sentence_at(_offset(analysis, sp[0]))
            if s not in seen:
                seen.append(s)
    if seen:
        return seen
    surnames = [k for k, _ in people(event) if k]
    states = set(event.get("countries") or []) | set(event.get("organizations") or [])
    need = min(2, len(states))
    for s in analysis.sentences:
        ms = analysis.in_sentence(s)
        names = [latin_key(analysis.persons[m.id].name_en) for m in ms if m.kind == "person" and m.id in analysis.persons]
        if any(same_person(a, b) for a in surnames for b in names) or not surnames and need and len({m.id for m in ms if m.kind in ("country", "org")} & states) >= need:
            seen.append(s)
    return seen


def render_explain(result: dict, show_items: bool = True) -> str:
    langs = list(result["counts"])
    lines = [f"{'stage':<42}" + "".join(f"{x:>6}" for x in langs) + f"{'all':>6}"]
    for stage in STAGES:
        row = [result["counts"][x].get(stage, 0) for x in langs]
        lines.append(f"{stage:<42}" + "".join(f"{n:>6}" for n in row) + f"{sum(row):>6}")
    if show_items:
        lines.append("")
        for it in result["items"]:
            if not it["stage"].startswith("slot"):
                lines.append(f"{it['doc']:<14}{it['stage']:<42}{it['detail']}")
    return "\n".join(lines) + "\n"


def render(result: dict) -> str:
    lines = [f"{'slot':<20}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'fp':>6}{'fn':>6}"]
    for name, s in result["slots"].items():
        lines.append(f"{name:<20}{s['p']:>7.3f}{s['r']:>7.3f}{s['f1']:>7.3f}{s['tp']:>6}{s['fp']:>6}{s['fn']:>6}")
    for k, v in result["doc_accuracy"].items():
        lines.append(f"document {k} accuracy {v:.3f}")
    lines.append(f"documents {result['documents']}  event F1 {result['event_f1']:.3f}  fields micro F1 {result['fields_micro_f1']:.3f}")
    return "\n".join(lines) + "\n"


def extract_gold_dir(gold_dir: Path, out_dir: Path) -> Iterator[str]:
    """Extract every NAME.txt beside NAME.gold.json, with the publication date meta.json gives."""
    from kurultai.clean import InputError
    from kurultai.meta import load_meta
    from kurultai.pipeline import Pipeline

    meta_path = gold_dir / "meta.json"
    meta = load_meta(meta_path) if meta_path.exists() else {}
    pipeline = Pipeline()
    for gold_path in sorted(gold_dir.glob("*.gold.json")):
        name = gold_path.name[: -len(".gold.json")]
        txt = gold_dir / f"{name}.txt"
        if not txt.exists():
            yield f"warning: {name}: no {txt.name}"
            continue
        day = meta[name].published if name in meta else None
        try:
            result = pipeline.run_path(txt, day)
        except InputError as exc:
            yield f"error: {txt}: {exc}"
            continue
        (out_dir / f"{name}.json").write_text(result.to_json() + "\n", encoding="utf-8")
