"""The review operations of a store (`Store` inherits them): correct, confirm or reject, merge, split,
history. Each is one write transaction that logs what it did; the rules that keep the decisions are in
`review.py` and `merging.py`."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import delete, select

from kurultai.store.locking import lock_for_writing
from kurultai.store.merging import Merger, summary
from kurultai.store.models import DocumentRow, EventRow, MarkedSpanRow, OverrideRow, ReportRow, ReviewLogRow
from kurultai.store.review import (
    DECISIONS,
    FIELDS,
    ReviewError,
    link,
    log,
    mark_dict,
    marks_checked,
    normalise,
    read,
    reports_of,
    write,
)

__all__ = ["Reviews", "ReviewError"]


def logged(m: MarkedSpanRow, text: str) -> dict[str, Any]:
    """A marked span as the review log keeps it (who and when are the log row's own)."""
    d = mark_dict(m, text)
    return {k: d[k] for k in ("id", "document_id", "field", "item", "span", "quote")}


class Reviews:
    Session: Any

    def correct(self, event_id: int, changes: dict[str, Any], actor: str, reason: str = "",
                marks: list[dict[str, Any]] | None = None, unmark: list[int] | None = None) -> bool:
        """Set fields of an event (an override each, logged); False when there is no such event.
        `marks`: spans of its sources marked as the evidence of a field ({field, item, document_id,
        span: [start, end]}, offsets in code points of the document's text), each kept and logged;
        `unmark`: ids of marked spans of the event to take back."""
        if not changes and not marks and not unmark:
            raise ReviewError("body", "no field to change; editable: " + ", ".join(FIELDS))
        values = {f: normalise(f, v) for f, v in (changes or {}).items()}  # all checked before anything is written
        with self.Session() as s:
            lock_for_writing(s, rewrite=True)
            row = s.get(EventRow, event_id)
            if row is None:
                return False
            texts = dict(s.execute(select(DocumentRow.id, DocumentRow.text)
                                   .where(DocumentRow.id.in_([d.document_id for d in row.sources]))).all())
            new_marks = marks_checked(marks or [], {i: len(t) for i, t in texts.items()})
            gone = []
            for mark_id in dict.fromkeys(unmark or []):
                m = s.get(MarkedSpanRow, mark_id) if type(mark_id) is int else None
                if m is None or m.event_id != event_id:
                    raise ReviewError("unmark", f"{mark_id} is not a marked span of event {event_id}")
                gone.append(m)
            for field, value in values.items():
                before = read(row, field)
                s.merge(OverrideRow(event_id=event_id, field=field, value=json.dumps(value, ensure_ascii=False)))
                write(s, row, field, value)
                log(s, event_id, actor, "correct", reason, field, before, value)
            now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
            for m in gone:
                log(s, event_id, actor, "unmark", reason, m.field, logged(m, texts.get(m.document_id, "")), None)
                s.delete(m)
            for m in new_marks:
                r = MarkedSpanRow(event_id=event_id, document_id=m["document_id"], field=m["field"], item=m["item"],
                                  start=m["span"][0], end=m["span"][1], actor=actor[:128], at=now)
                s.add(r)
                s.flush()
                log(s, event_id, actor, "mark", reason, m["field"], None, logged(r, texts.get(r.document_id, "")))
            self._reviewed(s, row, "corrected")
            s.commit()
        return True

    def review(self, event_id: int, decision: str, actor: str, reason: str = "") -> bool:
        """Confirm (every field becomes reviewed) or reject an event."""
        if decision not in DECISIONS:
            raise ReviewError("decision", f"one of {', '.join(DECISIONS)}")
        with self.Session() as s:
            lock_for_writing(s, rewrite=True)
            row = s.get(EventRow, event_id)
            if row is None:
                return False
            if decision == "confirm":
                for field in FIELDS:
                    s.merge(OverrideRow(event_id=event_id, field=field,
                                        value=json.dumps(read(row, field), ensure_ascii=False)))
            log(s, event_id, actor, decision, reason, "review_state", row.review_state, DECISIONS[decision])
            self._reviewed(s, row, DECISIONS[decision])
            s.commit()
        return True

    def merge_events(self, event_ids: list[int], actor: str, reason: str = "") -> int | None:
        """Make the events one (the lowest id stays); None when one of them does not exist."""
        ids = sorted(set(event_ids))
        if len(ids) < 2:
            raise ReviewError("ids", "at least two distinct event ids")
        with self.Session() as s:
            lock_for_writing(s, rewrite=True)
            rows = [s.get(EventRow, i) for i in ids]
            if any(r is None for r in rows):
                return None
            reports = {i: reports_of(s, i) for i in ids}
            keys = [r.key for i in ids for r in reports[i]]
            for a in range(len(keys)):  # every pair of their reports is one event (earlier splits undone)
                for b in range(a + 1, len(keys)):
                    link(s, keys[a], keys[b], "same")
            for i in ids[1:]:
                # the events that disappear lose their reviews: they were this one
                s.execute(delete(OverrideRow).where(OverrideRow.event_id == i))
                s.execute(delete(MarkedSpanRow).where(MarkedSpanRow.event_id == i))
                rows[ids.index(i)].review_state = "unreviewed"
            everyone = [r for i in ids for r in reports[i]]
            component = min(r.component for r in everyone)
            for r in everyone:
                r.component = component
            for i in ids:
                log(s, i, actor, "merge", reason, "events", ids, ids[0])
            s.flush()
            merger = Merger(s)
            merger.recluster(list(s.scalars(select(ReportRow).where(ReportRow.component == component))))
            survivor = s.get(EventRow, everyone[0].event_id)
            self._reviewed(s, survivor, "corrected")
            s.commit()
        return survivor.id

    def split_event(self, event_id: int, document_ids: list[int], actor: str, reason: str = "") -> list[int] | None:
        """Take the sources `document_ids` out of an event: their reports are another event than the
        rest. Returns the ids of the events they are in now; None when there is no such event."""
        with self.Session() as s:
            lock_for_writing(s, rewrite=True)
            row = s.get(EventRow, event_id)
            if row is None:
                return None
            reports = reports_of(s, event_id)
            out = [r for r in reports if r.document_id in set(document_ids)]
            stay = [r for r in reports if r.document_id not in set(document_ids)]
            if not out or not stay:
                raise ReviewError("documents", "some but not all of the event's sources: "
                                  + ", ".join(str(r.document_id) for r in reports))
            for a in out:
                for b in stay:
                    link(s, a.key, b.key, "apart")
            for a in range(len(out)):
                for b in range(a + 1, len(out)):
                    link(s, out[a].key, out[b].key, "same")
            log(s, event_id, actor, "split", reason, "documents", sorted(r.document_id for r in reports),
                sorted(r.document_id for r in stay))
            # spans marked in the sources that leave point into no source of the event any more
            s.execute(delete(MarkedSpanRow).where(MarkedSpanRow.event_id == event_id,
                                                  MarkedSpanRow.document_id.in_([r.document_id for r in out])))
            for r in out:
                r.event_id = None  # they leave: the event (its id, review, overrides) stays with the rest
            s.flush()
            merger = Merger(s)
            merger.recluster(list(s.scalars(select(ReportRow).where(ReportRow.component == reports[0].component))),
                             changed=frozenset({event_id}))
            self._reviewed(s, row, "corrected")
            moved = sorted({r.event_id for r in out if r.event_id is not None})
            for e in moved:
                log(s, e, actor, "split", reason, "documents", None, sorted(r.document_id for r in out))
            s.commit()
        return moved

    def history(self, event_id: int) -> list[dict]:
        with self.Session() as s:
            rows = s.scalars(select(ReviewLogRow).where(ReviewLogRow.event_id == event_id).order_by(ReviewLogRow.id))
            return [{"id": r.id, "actor": r.actor, "at": r.at.isoformat(), "action": r.action, "field": r.field,
                     "before": json.loads(r.before) if r.before is not None else None,
                     "after": json.loads(r.after) if r.after is not None else None, "reason": r.reason} for r in rows]

    def marks(self, event_id: int | None = None, document_id: int | None = None) -> list[dict]:
        """The spans analysts marked as evidence, of an event or in a document, in text order:
        {id, event_id, document_id, field, item, span, quote, actor, at}."""
        with self.Session() as s:
            q = select(MarkedSpanRow, DocumentRow.text).join(DocumentRow, DocumentRow.id == MarkedSpanRow.document_id)
            if event_id is not None:
                q = q.where(MarkedSpanRow.event_id == event_id)
            if document_id is not None:
                q = q.where(MarkedSpanRow.document_id == document_id)
            q = q.order_by(MarkedSpanRow.document_id, MarkedSpanRow.start, MarkedSpanRow.id)
            return [mark_dict(m, text) for m, text in s.execute(q)]

    @staticmethod
    def _reviewed(s, row: EventRow, state: str) -> None:
        row.review_state = state
        row.new_since_review = False
        row.summary = summary(row)
        s.flush()
