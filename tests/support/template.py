"""template.yaml as data: its short forms kept as {"Ref": ...}, {"Sub": ...}, and a reading of its policies."""

from __future__ import annotations

import re
from collections.abc import Mapping
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

import yaml

TEMPLATE = Path(__file__).resolve().parents[2] / "template.yaml"
# What the pseudo parameters and the Stage parameter are, for reading ARNs and names.
SAMPLE_VALUES = {
    "AWS::Partition": "aws",
    "AWS::Region": "eu-west-2",
    "AWS::AccountId": "123456789012",
    "AWS::URLSuffix": "amazonaws.com",
    "Stage": "prod",
}


class _CloudFormationLoader(yaml.SafeLoader):
    """Reads CloudFormation's short forms (!Ref, !GetAtt, !Sub...) as {"Fn": value}."""


def _tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return {suffix: value}


_CloudFormationLoader.add_multi_constructor("!", _tag)


def load_template() -> dict[str, Any]:
    return yaml.load(TEMPLATE.read_text(encoding="utf-8"), Loader=_CloudFormationLoader)  # type: ignore[no-any-return]


def resources() -> dict[str, Any]:
    return load_template()["Resources"]  # type: ignore[no-any-return]


def text(value: Any) -> str:
    """A string of the template as deployed with SAMPLE_VALUES: a !Sub filled in, a !GetAtt as X.Arn."""
    if isinstance(value, str):
        return value
    if "Sub" in value:
        body = value["Sub"] if isinstance(value["Sub"], str) else value["Sub"][0]
        return re.sub(r"\$\{([^}]+)\}", lambda m: SAMPLE_VALUES.get(m.group(1), m.group(1)), body)
    if "GetAtt" in value:
        return str(value["GetAtt"])
    if "Ref" in value:
        return SAMPLE_VALUES.get(value["Ref"], value["Ref"])
    raise ValueError(f"not a string of the template: {value}")


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def role_statements(role: dict[str, Any]) -> list[dict[str, Any]]:
    """Every statement of an IAM role's inline policies."""
    return [
        statement
        for policy in role["Properties"].get("Policies", [])
        for statement in policy["PolicyDocument"]["Statement"]
    ]


def _condition_holds(operator: str, tests: dict[str, Any], context: Mapping[str, str]) -> bool:
    if operator == "ForAllValues:StringLike":
        # Every partition key the request names matches one of the patterns (none named: it holds).
        keys = context.get("dynamodb:LeadingKeys", ())
        return all(any(fnmatchcase(key, p) for p in tests["dynamodb:LeadingKeys"]) for key in keys)
    match = {"StringEquals": str.__eq__, "ArnEquals": str.__eq__, "ArnLike": fnmatchcase, "StringLike": fnmatchcase}
    assert operator in match, f"a condition this reading does not model: {operator}"
    return all(
        name in context and any(match[operator](str(context[name]), text(v)) for v in as_list(values))
        for name, values in tests.items()
    )


def allows(
    statements: list[dict[str, Any]],
    action: str,
    resource: str,
    leading_keys: tuple[str, ...] = (),
    context: Mapping[str, str] | None = None,
) -> bool:
    """Whether an Allow among `statements` grants `action` on `resource` (ARNs read with SAMPLE_VALUES),
    for a request naming these partition keys (dynamodb:LeadingKeys) and with these other condition
    keys, as IAM matches actions, resources and the conditions the template uses."""
    request: dict[str, Any] = {**(context or {}), "dynamodb:LeadingKeys": leading_keys}
    for statement in statements:
        if statement.get("Effect") != "Allow":
            continue
        if not any(fnmatchcase(action, pattern) for pattern in as_list(statement["Action"])):
            continue
        if not any(fnmatchcase(resource, text(pattern)) for pattern in as_list(statement["Resource"])):
            continue
        conditions = statement.get("Condition", {})
        if all(_condition_holds(operator, tests, request) for operator, tests in conditions.items()):
            return True
    return False
