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
            words.update(str(w).lower() for w in lex.get(key) or [] if len(str(w)) > 1)
    found = []
    for p in SOURCES:
        for line, s in _code_without_comments_and_docstrings(p):
            if s[:1] in "\"'" or s[:2] in ("f\"", "r\"", "rf"):
                found += [(p.name, line, w) for w in re.findall(r"(?<![A-Za-z_])([A-Za-z]+)(?![A-Za-z_])", s)
                          if w.lower() in words]
    assert found == []
