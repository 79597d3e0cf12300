"""Physical ids of the created resources, and CloudFormation intrinsics resolved against them."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from infra.local.template import Template

__all__ = ["NO_VALUE", "Physical", "Resolver", "UnresolvedReferenceError", "references"]


class UnresolvedReferenceError(KeyError):
    """A Ref or GetAtt names a resource that has no physical value (yet)."""


class _NoValue:
    def __repr__(self) -> str:
        return "AWS::NoValue"


NO_VALUE: Any = _NoValue()
_SUB_VARIABLE = re.compile(r"\$\{([^}!][^}]*)\}")


@dataclass
class Physical(Mapping[str, str]):
    """Logical id -> what `Ref` returns; `GetAtt` attributes beside it. Read-only as a Mapping."""

    refs: dict[str, str] = field(default_factory=dict)
    attributes: dict[str, dict[str, str]] = field(default_factory=dict)

    def set(self, logical_id: str, ref: str, **attributes: str) -> None:
        self.refs[logical_id] = ref
        self.attributes[logical_id] = dict(attributes)

    def ref(self, logical_id: str) -> str:
        try:
            return self.refs[logical_id]
        except KeyError:
            raise UnresolvedReferenceError(f"no physical value for {logical_id!r}") from None

    def get_att(self, logical_id: str, attribute: str) -> str:
        try:
            return self.attributes[logical_id][attribute]
        except KeyError:
            raise UnresolvedReferenceError(f"no physical value for {logical_id}.{attribute}") from None

    def __getitem__(self, logical_id: str) -> str:
        return self.ref(logical_id)

    def __iter__(self) -> Iterator[str]:
        return iter(self.refs)

    def __len__(self) -> int:
        return len(self.refs)


@dataclass
class Resolver:
    """Resolves intrinsics to local values; `Fn::If` uses the template's evaluated conditions."""

    template: Template
    physical: Physical

    @property
    def pseudo(self) -> dict[str, Any]:
        t = self.template
        return {
            "AWS::Region": t.region,
            "AWS::AccountId": t.account_id,
            "AWS::Partition": "aws",
            "AWS::URLSuffix": "amazonaws.com",
            "AWS::StackName": t.stack_name,
            "AWS::StackId": f"arn:aws:cloudformation:{t.region}:{t.account_id}:stack/{t.stack_name}/local",
            "AWS::NotificationARNs": [],
            "AWS::NoValue": NO_VALUE,
        }

    def resolve(self, value: Any) -> Any:
        """Resolve recursively; keys whose value is `AWS::NoValue` disappear, as in CloudFormation."""
        if isinstance(value, list):
            return [v for v in (self.resolve(item) for item in value) if v is not NO_VALUE]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            ((key, arg),) = value.items()
            handler = getattr(self, "_" + key.replace("Fn::", "fn_").replace("::", "_"), None)
            if key == "Ref" or key.startswith("Fn::"):
                if handler is None:
                    raise ValueError(f"intrinsic {key} is not supported locally")
                return handler(arg)
        resolved = {k: self.resolve(v) for k, v in value.items()}
        return {k: v for k, v in resolved.items() if v is not NO_VALUE}

    def _Ref(self, name: str) -> Any:
        if name in self.pseudo:
            return self.pseudo[name]
        if name in self.template.parameters:
            return self.template.parameters[name]
        return self.physical.ref(name)

    def _fn_GetAtt(self, arg: list[Any]) -> str:
        logical_id, attribute = self.resolve(arg[0]), self.resolve(arg[1])
        return self.physical.get_att(logical_id, attribute)

    def _fn_Sub(self, arg: str | list[Any]) -> str:
        text, variables = (arg, {}) if isinstance(arg, str) else (arg[0], self.resolve(arg[1]))

        def substitute(match: re.Match[str]) -> str:
            name = match.group(1)
            if name in variables:
                return str(variables[name])
            if "." in name and not name.startswith("AWS::"):
                return str(self._fn_GetAtt(name.split(".", 1)))
            return str(self._Ref(name))

        return _SUB_VARIABLE.sub(substitute, text).replace("${!", "${")

    def _fn_Join(self, arg: list[Any]) -> str:
        delimiter, items = arg[0], self.resolve(arg[1])
        return delimiter.join(str(item) for item in items)

    def _fn_Select(self, arg: list[Any]) -> Any:
        return self.resolve(arg[1])[int(self.resolve(arg[0]))]

    def _fn_Split(self, arg: list[Any]) -> list[str]:
        return str(self.resolve(arg[1])).split(arg[0])

    def _fn_If(self, arg: list[Any]) -> Any:
        name, when_true, when_false = arg
        return self.resolve(when_true if self.template.conditions[name] else when_false)

    def _fn_Equals(self, arg: list[Any]) -> bool:
        left, right = (self.resolve(a) for a in arg)
        return str(left) == str(right)

    def _fn_Not(self, arg: list[Any]) -> bool:
        return not self.resolve(arg[0])

    def _fn_And(self, arg: list[Any]) -> bool:
        return all(self.resolve(a) for a in arg)

    def _fn_Or(self, arg: list[Any]) -> bool:
        return any(self.resolve(a) for a in arg)

    def _fn_FindInMap(self, arg: list[Any]) -> Any:
        name, top, second = (self.resolve(a) for a in arg[:3])
        return self.template.mappings[name][top][second]

    def _fn_Base64(self, arg: Any) -> str:
        return base64.b64encode(str(self.resolve(arg)).encode("utf-8")).decode("ascii")

    def _fn_ToJsonString(self, arg: Any) -> str:
        return json.dumps(self.resolve(arg), separators=(",", ":"))

    def _fn_Length(self, arg: Any) -> int:
        return len(self.resolve(arg))

    def _fn_GetAZs(self, arg: Any) -> list[str]:
        return [f"{self.template.region}{suffix}" for suffix in "abc"]


def references(value: Any) -> set[str]:
    """Names a value refers to through Ref, GetAtt or `${...}` in Sub (parameters included)."""
    found: set[str] = set()
    if isinstance(value, list):
        for item in value:
            found |= references(item)
    elif isinstance(value, dict):
        for key, arg in value.items():
            if key == "Ref" and isinstance(arg, str):
                found.add(arg)
            elif key == "Fn::GetAtt" and isinstance(arg, list) and isinstance(arg[0], str):
                found.add(arg[0])
            elif key == "Fn::Sub":
                text = arg if isinstance(arg, str) else arg[0]
                local = set() if isinstance(arg, str) else set(arg[1])
                found |= {m.split(".", 1)[0] for m in _SUB_VARIABLE.findall(text)} - local
                if not isinstance(arg, str):
                    found |= references(arg[1])
            else:
                found |= references(arg)
    return found
