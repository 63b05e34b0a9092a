"""The extractor holds no word of any language: outside comments and docstrings its sources contain no
letter of a supported script but Latin identifiers, and no Latin word of a supported language in a
string (the words live in kb/data/lexicon/LANG.yaml)."""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

import kurultai.extract as extract_pkg
from kurultai.kb.lexicon import available_languages, load_lexicon

SOURCES = sorted(Path(extract_pkg.__file__).parent.glob("*.py"))
# the machinery every analyser shares: no lexicon word in its strings either (a script test is fine)
SHARED = [Path(extract_pkg.__file__).parents[1] / "analyze" / name for name in ("base.py", "morph.py")]
CYRILLIC = re.compile(r"[\u0400-\u04FF\u0500-\u052F]")
LATIN_LETTERS_OF_THE_REGION = re.compile(r"[ʻʼ‘’çşğöüäýžňıİ]")


def _code_without_comments_and_docstrings(path: Path) -> list[tuple[int, str]]:
    source = path.read_text(encoding="utf-8")
    docstrings = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Expr) and isinstance(getattr(node, "value", None), ast.Constant) and isinstance(node.value.value, str):
            docstrings.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
    out = []
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.COMMENT or tok.start[0] in docstrings:
            continue
        out.append((tok.start[0], tok.string))
    return out


def test_extractor_sources_hold_no_letters_of_the_supported_scripts():
    assert SOURCES
    found = [(p.name, line, s) for p in SOURCES for line, s in _code_without_comments_and_docstrings(p)
             if CYRILLIC.search(s) or LATIN_LETTERS_OF_THE_REGION.search(s)]
    assert found == []


def test_extractor_strings_hold_no_lexicon_word():
    words = set()
    for lang in available_languages():
        lex = load_lexicon(lang)
        for key in ("coordinators", "place_prepositions", "year_prepositions", "clause_words", "articles", "state_words"):
            words.update(str(w).lower() for w in lex.get(key) or [])
    words.update(w for lang in available_languages() for key in ("host_prepositions", "clause_breaking_words", "role_breaking_words")
                 for w in (str(x).lower() for x in load_lexicon(lang).get(key) or []))
    found = []
    for p in SOURCES + SHARED:
        for line, s in _code_without_comments_and_docstrings(p):
            if s[:1] in "\"'" or s[:2] in ("r\"", "r'"):  # (f-strings hold code: left out)
                found += [(p.name, line, w) for w in re.findall(r"(?<![^\W\d])([^\W\d_]+)(?![^\W\d])", s)
                          if w.lower() in words and len(w) > 1 or w.lower() in words and not w.isascii()]
    assert found == []
