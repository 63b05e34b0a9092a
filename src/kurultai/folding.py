"""Names as a filter compares them, in every script: one fold for the in-memory index, SQLite and
PostgreSQL, so a filter gives the same events from each.

SQL's `lower()` and `LIKE` fold ASCII only on SQLite (and depend on the collation on PostgreSQL), so
"Лавров" never found "ЛАВРОВ". Instead each participant row stores `fold(name) + KEY_SEP +
fold(name_en)` (`ParticipantRow.name_key`, migration 0006) and a filter value is folded the same way
here, in Python: Unicode case folding (`str.casefold`, every script), NFKC (compatibility forms, a
no-break space is a space), the apostrophes of Uzbek Latin oʻ / gʻ written any way ('‘’ʻʼ`´) as one,
ё as е, and runs of spaces as one.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from kurultai.kb.gazetteer import APOSTROPHES

KEY_SEP = "\x1f"  # between the folded name and English name of a key (no filter value holds it: control characters are refused)
_APOSTROPHES = str.maketrans({a: "ʻ" for a in APOSTROPHES + "ʹʽ′"})
_SPACES = re.compile(r"\s+")
_E_DIAERESIS = str.maketrans({"ё": "е"})


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """`text` as filters compare it (see the module's doc)."""
    out = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    return _SPACES.sub(" ", out.translate(_APOSTROPHES).translate(_E_DIAERESIS)).strip()


def name_key(name: str, name_en: str) -> str:
    """What `ParticipantRow.name_key` holds for a participant written `name` (English `name_en`)."""
    return fold(name) + KEY_SEP + fold(name_en)


@lru_cache(maxsize=1)
def _kb_names() -> tuple[tuple[str, tuple[str, ...]], ...]:
    from kurultai.kb import load_kb

    kb = load_kb()
    return tuple((p.name_en, tuple(sorted({fold(n) for n in (*p.names.values(), *p.aliases) if n})))
                 for p in kb.persons.values())


@lru_cache(maxsize=1024)
def kb_people(needle: str) -> frozenset[str]:
    """The English names of the KB's people one of whose names, in any language, holds the folded
    `needle`: "Лавров" is Sergey Lavrov although only English reports of him are stored."""
    if not needle:
        return frozenset()
    return frozenset(name_en for name_en, names in _kb_names() if any(needle in n for n in names))


def name_matches(needle: str, name_en: str, names) -> bool:
    """Whether a person (English name `name_en`, written `names` in the store) is who the folded
    `needle` asks for: a part of one of their names, or of one of the KB's names of them."""
    return (needle in fold(name_en) or any(needle in fold(n) for n in names)) or name_en in kb_people(needle)
