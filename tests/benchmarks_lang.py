"""Import shim: the language-identification measure lives in benchmarks/lang_id.py."""

import importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location("lang_id", Path(__file__).resolve().parents[1] / "benchmarks" / "lang_id.py")
_mod = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_mod)
evaluate = _mod.evaluate
