"""The review operations of a store (`Store` inherits them): correct, confirm or reject, merge, split,
history. Each is one write transaction that logs what it did; the rules that keep the decisions are in
`review.py` and `merging.py`."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import delete, select

from kurultai.store.locking import lock_for_writing
from kurultai.store.merging import Merger, summary
from kurultai.store.models import EventRow, OverrideRow, ReportRow, ReviewLogRow
from kurultai.store.review import (
    DECISIONS,
    FIELDS,
    ReviewError,
    link,
    log,
    normalise,
    read,
    reports_of,
    write,
)

__all__ = ["Reviews", "ReviewError"]


class Reviews:
    Session: Any

    def correct(self, event_id: int, changes: dict[str, Any], actor: str, reason: str = "") -> bool:
        """Set fields of an event (an override each, logged); False when there is no such event."""
        if not changes:
            raise ReviewError("body", "no field to change; editable: " + ", ".join(FIELDS))
        values = {f: normalise(f, v) for f, v in changes.items()}  # all checked before anything is written
        with self.Session() as s:
            lock_for_writing(s, rewrite=True)
            row = s.get(EventRow, event_id)
            if row is None:
                return False
            for field, value in values.items():
                before = read(row, field)
                s.merge(OverrideRow(event_id=event_id, field=field, value=json.dumps(value, ensure_ascii=False)))
                write(s, row, field, value)
                log(s, event_id, actor, "correct", reason, field, before, value)
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

    @staticmethod
    def _reviewed(s, row: EventRow, state: str) -> None:
        row.review_state = state
        row.new_since_review = False
        row.summary = summary(row)
        s.flush()
