"""Per-file facts about articles, in the corpus' `meta.json` form (`../shared/corpus/dev/meta.json`):
`{NAME: {"published": "YYYY-MM-DD" | null, "source": URL | null, "lang": ...}}`, NAME being the file's
name without its suffix. `kurultai extract --meta` and `kurultai eval` read it."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path


class MetaError(ValueError):
    """The file is not in the meta.json form; the message says where."""


@dataclass(frozen=True)
class ArticleMeta:
    published: dt.date | None = None
    source: str | None = None
    lang: str | None = None


def load_meta(path: Path) -> dict[str, ArticleMeta]:
    """The entries of a meta.json file; `MetaError` (one line) when it cannot be read or is not that form."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise MetaError(f"{path}: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MetaError(f"{path}: not JSON ({exc})") from None
    if not isinstance(data, dict):
        raise MetaError(f"{path}: expected an object of NAME: {{published, source, lang}}")
    out: dict[str, ArticleMeta] = {}
    for name, entry in data.items():
        if not isinstance(entry, dict):
            raise MetaError(f"{path}: {name}: expected an object with published, source, lang")
        published = entry.get("published")
        try:
            day = dt.date.fromisoformat(published) if published else None
        except (TypeError, ValueError):
            raise MetaError(f"{path}: {name}: published {published!r} is not a date (YYYY-MM-DD)") from None
        source, lang = entry.get("source"), entry.get("lang")
        for key, value in (("source", source), ("lang", lang)):
            if value is not None and not isinstance(value, str):
                raise MetaError(f"{path}: {name}: {key} is not a string")
        out[str(name)] = ArticleMeta(day, source or None, lang or None)
    return out
