"""Create template.yaml's resources in whatever endpoint the clients point at (moto server or mock_aws)."""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path

from infra.local import creators
from infra.local.clients import Clients
from infra.local.intrinsics import Physical, Resolver, UnresolvedReferenceError, references
from infra.local.specs import api_id
from infra.local.template import Resource, Template

__all__ = ["create_resources", "demo_secret_strings", "secret_env_targets"]

log = logging.getLogger(__name__)

DEMO_SECRETS = Path("events/secrets.demo.json")
PLATFORM_SECRET_ENV = "PLATFORM_SECRETS_ARN"  # noqa: S105 - a variable name, not a secret

# Name property and ARN shape of resources that are not created but can still be referenced.
_PLACEHOLDERS: dict[str, tuple[str, str]] = {
    "AWS::Serverless::Function": ("FunctionName", "arn:aws:lambda:{r}:{a}:function:{n}"),
    "AWS::Lambda::Function": ("FunctionName", "arn:aws:lambda:{r}:{a}:function:{n}"),
    "AWS::Serverless::LayerVersion": ("LayerName", "arn:aws:lambda:{r}:{a}:layer:{n}:1"),
    "AWS::Logs::LogGroup": ("LogGroupName", "arn:aws:logs:{r}:{a}:log-group:{n}:*"),
    "AWS::CloudWatch::Alarm": ("AlarmName", "arn:aws:cloudwatch:{r}:{a}:alarm:{n}"),
    "AWS::IAM::Role": ("RoleName", "arn:aws:iam::{a}:role/{n}"),
    "AWS::Events::Archive": ("ArchiveName", "arn:aws:events:{r}:{a}:archive/{n}"),
}


def create_resources(
    template: Template,
    clients: Clients,
    *,
    only: Collection[str] | None = None,
    secret_strings: Mapping[str, str] | None = None,
) -> Physical:
    """Create every supported resource (or `only` these logical ids/types and what they need).

    Other resource types (alarms, log groups, layers, the HTTP API, functions...) are not
    created but get placeholder physical values, so references to them still resolve.
    """
    physical = Physical()
    resolver = Resolver(template, physical)
    if secret_strings is None:
        secret_strings = demo_secret_strings(template)
    selected = _selection(template, only)
    to_create = [r for r in template.resources.values() if r.type in creators.CREATORS and r.logical_id in selected]
    others = [r for r in _dependency_order(template.resources.values()) if r not in to_create]
    # Placeholders first, so created resources can refer to functions, log groups and the like;
    # once more at the end, for placeholder names that refer to created resources.
    for resource in others:
        _placeholder(template, resolver, resource)
    for resource in _dependency_order(to_create):
        try:
            props = resolver.resolve(resource.properties)
        except UnresolvedReferenceError as error:
            raise ValueError(f"{resource.logical_id}: cannot resolve {error}") from None
        if resource.logical_id in secret_strings:
            props = {**props, "SecretString": secret_strings[resource.logical_id]}
        ctx = creators.Context(template, clients, resource, resolver)
        ref, attributes = creators.CREATORS[resource.type](ctx, props)
        physical.set(resource.logical_id, ref, **attributes)
        log.debug("created %s (%s): %s", resource.logical_id, resource.type, ref)
    for resource in others:
        _placeholder(template, resolver, resource)
    skipped = [f"{r.logical_id} ({r.type})" for r in others if r.type not in creators.CREATORS]
    if skipped:
        log.debug("not created locally (by design): %s", ", ".join(skipped))
    return physical


def secret_env_targets(template: Template, env_name: str = PLATFORM_SECRET_ENV) -> set[str]:
    """Logical ids of the secrets that functions receive through `env_name` (as `!Ref Secret`)."""
    found: set[str] = set()
    for resource in template.of_type("AWS::Serverless::Function"):
        value = ((resource.properties.get("Environment") or {}).get("Variables") or {}).get(env_name)
        if isinstance(value, dict) and isinstance(value.get("Ref"), str):
            found.add(value["Ref"])
    return found


def demo_secret_strings(template: Template, path: Path = DEMO_SECRETS) -> dict[str, str]:
    """The platform secret holds the demo credentials that the samples are signed with."""
    file = path if path.is_absolute() else template.root / path
    if not file.is_file():
        return {}
    content = file.read_text(encoding="utf-8")
    json.loads(content)  # fail here, not in a handler, if the file is broken
    return dict.fromkeys(secret_env_targets(template), content)


def _selection(template: Template, only: Collection[str] | None) -> set[str]:
    if only is None:
        return set(template.resources)
    wanted = [r.logical_id for r in template.resources.values() if r.logical_id in only or r.type in only]
    unknown = set(only) - set(wanted) - {r.type for r in template.resources.values()}
    if unknown:
        raise ValueError(f"not in the template: {', '.join(sorted(unknown))}")
    selected: set[str] = set()
    while wanted:
        logical_id = wanted.pop()
        if logical_id not in selected:
            selected.add(logical_id)
            deps = references(template.resources[logical_id].properties)
            wanted.extend(dep for dep in deps if dep in template.resources)
    return selected


def _dependency_order(resources: Iterable[Resource]) -> list[Resource]:
    """Referenced resources first; a cycle (rare outside IAM) falls back to template order."""
    pending = {r.logical_id: r for r in resources}
    ordered: list[Resource] = []
    while pending:
        ready = [r for r in pending.values() if not (references(r.properties) & (pending.keys() - {r.logical_id}))]
        if not ready:
            log.debug("reference cycle among %s; using template order", ", ".join(pending))
            ready = list(pending.values())
        for resource in ready:
            ordered.append(pending.pop(resource.logical_id))
    return ordered


def _placeholder(template: Template, resolver: Resolver, resource: Resource) -> None:
    name_key, arn_format = _PLACEHOLDERS.get(resource.type, ("Name", ""))
    name = f"{template.stack_name}-{resource.logical_id}"
    if name_key in resource.properties:
        # A placeholder only needs to be plausible: keep the default when the name cannot resolve.
        with contextlib.suppress(UnresolvedReferenceError, KeyError, ValueError):
            name = str(resolver.resolve(resource.properties[name_key]))
    if resource.type in ("AWS::Serverless::HttpApi", "AWS::ApiGatewayV2::Api", "AWS::Serverless::Api"):
        name = api_id(resource.logical_id)
    if not arn_format:
        service = resource.type.split("::")[1].lower()
        arn_format = f"arn:aws:{service}:{{r}}:{{a}}:{resource.logical_id.lower()}/{{n}}"
    arn = arn_format.format(r=template.region, a=template.account_id, n=name)
    ref = arn if resource.type == "AWS::Serverless::LayerVersion" else name
    resolver.physical.set(resource.logical_id, ref, Arn=arn, Name=name)
