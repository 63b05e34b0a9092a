"""Stored events as dictionaries and as text with their evidence quoted (CLI, API, exports)."""

from __future__ import annotations

from urllib.parse import urlsplit

from kurultai.dates import date_dict
from kurultai.store.models import ConflictRow, DocumentRow, EventRow, EvidenceRow, ReportRow


def event_dict(row: EventRow, docs: list[DocumentRow] | None = None, evidence: list[EvidenceRow] | None = None,
               conflicts: list[ConflictRow] | None = None, reports: list[ReportRow] | None = None) -> dict:
    out = {
        "id": row.id, "status": row.status, "mode": row.mode, "format": row.format, "named_format": row.named_format,
        "date": date_dict(row.date_start, row.date_end, row.date_precision) if row.date_start else None,
        "location": {"name": row.location_name, "country": row.location_country, "lat": row.lat, "lon": row.lon}
        if row.location_name else None,
        "countries": sorted(c.iso3 for c in row.countries), "organizations": sorted(o.org for o in row.organizations),
        "participants": [{"name": p.name, "name_en": p.name_en, "role": p.role, "country": p.country} for p in row.participants],
        "visit": {"type": row.visit_type, "visitor": row.visit_visitor, "host": row.visit_host} if row.visit_type else None,
        "topics": sorted(t.topic for t in row.topics),
        "outcomes": [{"type": o.type, "title": o.title, "document_id": o.document_id} for o in row.outcomes],
        "figures": [{"indicator": f.indicator, "value": f.value, "unit": f.unit, "kind": f.kind, "year": f.year,
                     "document_id": f.document_id} for f in row.figures],
        "sources": sorted(d.document_id for d in row.sources),
        "review": {"state": row.review_state, "new_since_review": row.new_since_review},
        "confidence": row.confidence,
    }
    if docs is not None:
        text = {d.id: d.text for d in docs}
        merged = {r.document_id: r for r in reports or []}
        out["documents"] = [{"id": d.id, "key": d.doc_key, "source": d.source, "lang": d.lang, "title": d.title,
                             "published": d.published.isoformat() if d.published else None, **outlet_dict(d),
                             "merge": _merge(merged.get(d.id))} for d in docs]
        out["evidence"] = [{"document_id": e.document_id, "field": e.field, "item": e.item, "span": [e.start, e.end],
                            "quote": text.get(e.document_id, "")[e.start:e.end]} for e in evidence or []]
        out["conflicts"] = [{"field": c.field, "value": c.value, "document_id": c.document_id} for c in conflicts or []]
    return out


OUTLET_BY = {"mark": "its mark in the text", "host": "the URL's host", "site": "the page's site name",
             "feed": "the feed"}


def outlet_dict(d: DocumentRow) -> dict:
    """A document's outlet and where it was read: `outlet_by` (mark | host | site | feed), `outlet_found`
    (the mark as written, or the host) and `host`, the host of its URL (the other provenance), if any."""
    host = None
    if d.source and "://" in d.source:
        try:
            host = urlsplit(d.source).hostname
        except ValueError:
            host = None
    return {"outlet": d.outlet, "outlet_by": d.outlet_by, "outlet_found": d.outlet_found, "host": host}


def outlet_text(doc: dict) -> str:
    """"Кабар (mark "/Кабар/" in the text)", "Sputnik (URL host ru.sputnik.kz)"; "" without an outlet."""
    if not doc.get("outlet"):
        return ""
    by, found = doc.get("outlet_by"), doc.get("outlet_found")
    if by == "mark":
        how = f"mark “{found}” in the text" + (f"; URL host {doc['host']}" if doc.get("host") else "")
    elif by == "host":
        how = f"URL host {found}"
    else:
        how = OUTLET_BY.get(by or "", "")
    return f"{doc['outlet']} ({how})" if how else doc["outlet"]


def _merge(report: ReportRow | None) -> dict | None:
    """How a source's report came to be in its event: joined (with the confidence and the evidence of
    the decision), alone, or apart because it fits several events."""
    if report is None:
        return None
    return {"state": report.merge_state, "confidence": report.merge_confidence, "basis": report.merge_basis}


def render_event(row: EventRow, docs: list[DocumentRow], evidence: list[EvidenceRow], conflicts: list[ConflictRow],
                 reports: list[ReportRow] | None = None) -> str:
    d = event_dict(row, docs, evidence, conflicts, reports)
    lines = [f"event {row.id}: {row.status}, {row.mode}, {row.named_format or row.format}"]
    if d["date"]:
        lines.append(f"  date: {d['date']['text']}" + (f" (precision {d['date']['precision']})"
                                                          if d["date"]["precision"] not in (None, "day") else ""))
    if d["location"]:
        lines.append(f"  location: {d['location']['name']} ({d['location']['country']})")
    lines.append(f"  countries: {' '.join(d['countries'])}  organizations: {' '.join(d['organizations']) or '-'}")
    for p in d["participants"]:
        lines.append(f"  participant: {p['name']} / {p['name_en']} ({p['role']}, {p['country'] or '-'})")
    if d["visit"]:
        lines.append(f"  visit: {d['visit']['type']} {d['visit']['visitor']} -> {d['visit']['host']}")
    lines.append(f"  topics: {', '.join(d['topics']) or '-'}")
    for o in d["outcomes"]:
        lines.append(f"  outcome: {o['type']}: {o['title']}")
    for f in d["figures"]:
        lines.append(f"  figure: {f['indicator']} {f['value']:,.0f} {f['unit']} ({f['kind']}{', ' + str(f['year']) if f['year'] else ''})")
    for c in d["conflicts"]:
        lines.append(f"  other value of {c['field']} in document {c['document_id']}: {c['value']}")
    for doc in d["documents"]:
        lines.append(f"\n  source {doc['id']} [{doc['lang']}] {doc['source'] or doc['key']} {doc['published'] or ''}")
        if doc["outlet"]:
            lines.append(f"    outlet: {outlet_text(doc)}")
        m = doc["merge"]
        if m and m["state"] == "joined":
            lines.append(f"    merged: confidence {m['confidence']:.2f} ({m['basis']})")
        elif m and m["state"] == "ambiguous":
            lines.append("    kept apart: fits several events")
        for e in d["evidence"]:
            if e["document_id"] == doc["id"]:
                lines.append(f"    {e['field']}{' ' + e['item'] if e['item'] else ''}: «{e['quote']}» [{e['span'][0]}:{e['span'][1]}]")
    return "\n".join(lines) + "\n"
