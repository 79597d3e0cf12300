"""template.yaml as data: CFN short tags, parameters, conditions and SAM Globals applied."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "DEFAULT_ACCOUNT_ID",
    "DEFAULT_REGION",
    "Resource",
    "Template",
    "evaluate_condition",
    "load_template",
    "read_template",
]

DEFAULT_REGION = "eu-central-1"
DEFAULT_ACCOUNT_ID = "123456789012"  # moto's account; ARNs must match what moto returns
LOCAL_STAGE = "local"

_FUNCTION_TYPE = "AWS::Serverless::Function"


class _CfnLoader(yaml.SafeLoader):
    """SafeLoader that turns `!Ref x` into `{"Ref": "x"}` and `!Sub s` into `{"Fn::Sub": s}`."""


def _construct_tag(loader: yaml.SafeLoader, tag_suffix: str, node: yaml.Node) -> dict[str, Any]:
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    if tag_suffix in ("Ref", "Condition"):
        return {tag_suffix: value}
    if tag_suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {f"Fn::{tag_suffix}": value}


_CfnLoader.add_multi_constructor("!", _construct_tag)


@dataclass(frozen=True)
class Resource:
    """One entry of Resources, with Globals merged and its Condition already known to hold."""

    logical_id: str
    type: str
    properties: dict[str, Any]
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Template:
    """What the local stack needs from template.yaml; intrinsics stay unresolved until creation."""

    path: Path
    resources: dict[str, Resource]
    parameters: dict[str, Any]
    conditions: dict[str, bool]
    mappings: dict[str, Any]
    outputs: dict[str, Any]
    skipped_by_condition: tuple[str, ...]
    region: str = DEFAULT_REGION
    account_id: str = DEFAULT_ACCOUNT_ID
    stack_name: str = "replyloop-local"

    @property
    def root(self) -> Path:
        """Directory that CodeUri and DefinitionUri paths are relative to."""
        return self.path.parent

    def of_type(self, *types: str) -> list[Resource]:
        return [r for r in self.resources.values() if r.type in types]


def read_template(path: str | Path) -> dict[str, Any]:
    """The template exactly as written, intrinsics as `{"Ref": ...}` / `{"Fn::Sub": ...}` dicts."""
    return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_CfnLoader)  # noqa: S506 - SafeLoader subclass


def load_template(
    path: str | Path,
    *,
    parameters: Mapping[str, Any] | None = None,
    region: str = DEFAULT_REGION,
    account_id: str = DEFAULT_ACCOUNT_ID,
) -> Template:
    """Read a SAM template; parameter defaults apply, `Stage` is `local` unless overridden."""
    path = Path(path).resolve()
    raw = read_template(path)
    values = {name: spec.get("Default") for name, spec in (raw.get("Parameters") or {}).items()}
    if "Stage" in values:
        values["Stage"] = LOCAL_STAGE
    values.update(parameters or {})
    missing = sorted(name for name, value in values.items() if value is None)
    if missing:
        raise ValueError(f"{path.name}: parameters without a default need a value: {', '.join(missing)}")
    stack_name = f"replyloop-{values.get('Stage', LOCAL_STAGE)}"

    conditions: dict[str, bool] = {}
    condition_specs = raw.get("Conditions") or {}
    context = _ConditionContext(values, condition_specs, conditions, region, account_id, stack_name)
    for name in condition_specs:
        conditions[name] = context.evaluate({"Condition": name})

    globals_function = (raw.get("Globals") or {}).get("Function") or {}
    resources: dict[str, Resource] = {}
    skipped: list[str] = []
    for logical_id, spec in (raw.get("Resources") or {}).items():
        condition = spec.get("Condition")
        if condition is not None and not conditions[condition]:
            skipped.append(logical_id)
            continue
        properties = dict(spec.get("Properties") or {})
        if spec["Type"] == _FUNCTION_TYPE:
            properties = _merge_globals(globals_function, properties)
        resources[logical_id] = Resource(logical_id, spec["Type"], properties, spec.get("Metadata") or {})
    return Template(
        path=path,
        resources=resources,
        parameters=values,
        conditions=conditions,
        mappings=raw.get("Mappings") or {},
        outputs=raw.get("Outputs") or {},
        skipped_by_condition=tuple(skipped),
        region=region,
        account_id=account_id,
        stack_name=stack_name,
    )


def _merge_globals(globals_function: Mapping[str, Any], properties: Mapping[str, Any]) -> dict[str, Any]:
    """SAM's rules: maps merge key by key, lists concatenate (globals first), scalars are overridden."""
    merged = copy.deepcopy(dict(globals_function))
    for key, value in properties.items():
        current = merged.get(key)
        if isinstance(current, dict) and isinstance(value, dict) and not _is_intrinsic(value):
            merged[key] = _merge_globals(current, value)
        elif isinstance(current, list) and isinstance(value, list):
            merged[key] = current + copy.deepcopy(value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _is_intrinsic(value: Mapping[str, Any]) -> bool:
    return len(value) == 1 and next(iter(value)) in {"Ref", "Condition"} | _FN_KEYS


_FN_KEYS = {
    f"Fn::{name}"
    for name in ("Sub", "GetAtt", "If", "Not", "Equals", "And", "Or", "Join", "Select", "Split", "FindInMap")
}


@dataclass
class _ConditionContext:
    """Conditions may only use parameters, pseudo parameters and other conditions."""

    parameters: Mapping[str, Any]
    specs: Mapping[str, Any]
    known: dict[str, bool]
    region: str
    account_id: str
    stack_name: str

    def evaluate(self, node: Any) -> Any:
        if not isinstance(node, dict):
            return node
        ((key, arg),) = node.items()
        if key == "Condition":
            if arg not in self.known:
                self.known[arg] = bool(self.evaluate(self.specs[arg]))
            return self.known[arg]
        if key == "Ref":
            pseudo = {"AWS::Region": self.region, "AWS::AccountId": self.account_id}
            pseudo |= {"AWS::StackName": self.stack_name, "AWS::Partition": "aws"}
            return pseudo[arg] if arg in pseudo else self.parameters[arg]
        values = [self.evaluate(a) for a in arg]
        operators = {
            "Fn::Equals": lambda: str(values[0]) == str(values[1]),
            "Fn::Not": lambda: not values[0],
            "Fn::And": lambda: all(values),
            "Fn::Or": lambda: any(values),
        }
        if key not in operators:
            raise ValueError(f"unsupported intrinsic in a condition: {key}")
        return operators[key]()


def evaluate_condition(template: Template, name: str) -> bool:
    """The value of a named condition (for `Fn::If` in properties)."""
    return template.conditions[name]
