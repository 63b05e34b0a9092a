"""Per-language lexicons (data files in kb/data/lexicon/LANG.yaml): triggers, topics, roles, months..."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

LEXICON_KEYS = (
    "months", "year_words", "relative_days", "relative_years", "relative_months", "weekdays", "triggers", "occurrence", "anaphoric_place",
    "visit_types", "roles", "non_participant_cues", "bilateral_cues", "prospective_cues", "retrospective_cues", "topics", "topic_exceptions",
    "outcome_heads", "adoption_verbs", "figure_indicators", "target_cues", "magnitudes", "currencies",
)


class LexiconError(ValueError):
    pass


class Lexicon:
    """One language's cue words. Hashable by language so per-language caches can key on it."""

    def __init__(self, lang: str, data: dict[str, Any]):
        self.lang = lang
        missing = [k for k in ("months",) if k not in data]
        if missing:
            raise LexiconError(f"lexicon/{lang}.yaml: missing sections {', '.join(missing)}")
        self.data = data
        self.months: list[list[str]] = [[str(s) for s in m] for m in data["months"]]
        if len(self.months) != 12:
            raise LexiconError(f"lexicon/{lang}.yaml: 'months' must list 12 months, found {len(self.months)}")
        self.year_words: list[str] = [str(w) for w in data.get("year_words", [])]
        self.relative_days: dict[str, int] = {str(k): int(v) for k, v in (data.get("relative_days") or {}).items()}
        self.relative_years: dict[str, int] = {str(k): int(v) for k, v in (data.get("relative_years") or {}).items()}
        self.relative_months: dict[str, int] = {str(k): int(v) for k, v in (data.get("relative_months") or {}).items()}
        # Monday .. Sunday: the phrases that name each day ("в пятницу", "juma kuni"); "*" lets a word go on
        self.weekdays: list[list[str]] = [[str(w) for w in day] for day in data.get("weekdays") or []]
        if self.weekdays and len(self.weekdays) != 7:
            raise LexiconError(f"lexicon/{lang}.yaml: 'weekdays' must list 7 days, found {len(self.weekdays)}")

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def __hash__(self) -> int:
        return hash(self.lang)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Lexicon) and other.lang == self.lang

    def __repr__(self) -> str:
        return f"Lexicon({self.lang!r})"


@cache
def load_lexicon(lang: str) -> Lexicon:
    path = resources.files("kurultai.kb") / "data" / "lexicon" / f"{lang}.yaml"
    if not path.is_file():
        raise LexiconError(f"no lexicon for language {lang!r}")
    with path.open(encoding="utf-8") as fh:
        data = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}  # libyaml: ~8x faster
    return Lexicon(lang, data)


def available_languages() -> list[str]:
    folder = resources.files("kurultai.kb") / "data" / "lexicon"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml"))
