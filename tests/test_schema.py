"""Outputs validate against the shared JSON Schema (where ../shared exists) and the project's own models."""

import json

import jsonschema

from conftest import SAMPLES, shared_or_skip
from kurultai.models import Extraction


def _validator():
    shared = shared_or_skip()
    schema = json.loads((shared / "schema" / "extraction.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def test_sample_outputs_validate(pipeline):
    validator = _validator()
    for path in sorted(SAMPLES.glob("*.txt")):
        data = pipeline.run_path(path).to_dict()
        errors = list(validator.iter_errors(data))
        assert not errors, (path.name, [e.message for e in errors[:3]])
        assert Extraction.model_validate(data).to_dict() == data


def test_dev_corpus_outputs_validate(pipeline):
    validator = _validator()
    shared = shared_or_skip()
    for path in sorted((shared / "corpus" / "dev").glob("*.txt")):
        data = pipeline.run_path(path).to_dict()
        assert not list(validator.iter_errors(data)), path.name
