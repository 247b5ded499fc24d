import json
from decimal import Decimal

import pytest
from jsonschema import Draft202012Validator

from caremarket.engine.allocation import (
    AllocationInputError,
    from_json,
    generate,
    schema,
    solve,
    to_json,
)


def _doc() -> dict:
    return json.loads(to_json(generate("county", 3)))


def _errors(doc: dict) -> list[str]:
    with pytest.raises(AllocationInputError) as info:
        from_json(json.dumps(doc))
    return info.value.errors


def test_a_bad_value_names_the_field_at_fault():
    doc = _doc()
    doc["referrals"][12]["hours"] = "-3"
    assert 'referrals[12].hours: must be a positive decimal, got "-3"' in _errors(doc)


def test_schema_faults_name_the_field_and_all_are_reported():
    doc = _doc()
    doc["referrals"][2]["hours"] = "seven"
    del doc["providers"][0]["quality"]
    doc["referrals"][5]["urgency"] = "soon"
    doc["capacity"][1]["colour"] = "blue"
    errors = _errors(doc)
    assert 'referrals[2].hours: must be a decimal such as "7.5", got "seven"' in errors
    assert "providers[0].quality: is required" in errors
    assert any(e.startswith("referrals[5].urgency: must be one of") for e in errors)
    assert any(e.startswith("capacity[1]: Additional properties") for e in errors)


def test_unknown_references_and_broken_json_are_clear():
    doc = _doc()
    doc["eligibility"][0]["provider"] = "nobody"
    assert "eligibility[0].provider: unknown provider 'nobody'" in _errors(doc)
    with pytest.raises(AllocationInputError, match="not valid JSON"):
        from_json("{")
    with pytest.raises(AllocationInputError, match="referrals: is required"):
        from_json("{}")


def test_numbers_are_accepted_as_decimals_without_float_loss():
    doc = _doc()
    doc["referrals"][0]["hours"] = 7.1
    doc["eligibility"][0]["hourly_price"] = 19.3
    problem = from_json(json.dumps(doc))
    assert problem.referrals[0].hours == Decimal("7.1")
    assert problem.eligibility[0].hourly_price == Decimal("19.3")


def test_output_matches_its_schema():
    problem = generate("county", 3)
    validator = Draft202012Validator(schema("output"))
    for method in ("optimal", "greedy"):
        out = json.loads(to_json(solve(problem, method, time_limit=2)))
        assert list(validator.iter_errors(out)) == []
    empty = json.loads(to_json(solve(from_json(json.dumps(_doc() | {"referrals": []})))))
    assert empty["status"] == "empty"
    assert list(validator.iter_errors(empty)) == []
