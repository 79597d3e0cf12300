"""The template's functions, resolved against the created resources: what the workers run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from infra.local.intrinsics import Physical, Resolver
from infra.local.specs import FUNCTION_TYPES, FunctionSpec, cfn_string
from infra.local.template import Template
from infra.local.triggers import function_triggers

__all__ = ["FunctionSpec", "build_functions"]


def build_functions(template: Template, physical: Physical) -> dict[str, FunctionSpec]:
    """Every function of the template with resolved environment and triggers, by logical id."""
    resolver = Resolver(template, physical)
    functions: dict[str, FunctionSpec] = {}
    for resource in template.of_type(*FUNCTION_TYPES):
        props = resolver.resolve(resource.properties)
        code_uri, handler = props.get("CodeUri"), props.get("Handler")
        if not isinstance(code_uri, str) or not isinstance(handler, str):
            raise ValueError(f"{resource.logical_id}: local runs need a CodeUri folder and a Handler")
        module_name, _, attribute = handler.rpartition(".")
        package = Path(code_uri).as_posix().strip("/").replace("/", ".")
        variables = (props.get("Environment") or {}).get("Variables") or {}
        triggers = function_triggers(template, resolver, resource)
        functions[resource.logical_id] = FunctionSpec(
            logical_id=resource.logical_id,
            name=physical.ref(resource.logical_id),
            arn=physical.get_att(resource.logical_id, "Arn"),
            module=f"{package}.{module_name}" if package not in ("", ".") else module_name,
            attribute=attribute,
            code_dir=(template.root / code_uri).resolve(),
            timeout=int(props.get("Timeout", 3)),
            memory_size=int(props.get("MemorySize", 128)),
            environment={k: cfn_string(v) for k, v in variables.items()},
            layer_dirs=_layer_dirs(template, resource.properties.get("Layers") or []),
            **triggers,
        )
    return functions


def _layer_dirs(template: Template, layers: list[Any]) -> tuple[Path, ...]:
    """Folders of the template's own layers, as Lambda mounts them on sys.path (`python/` if present)."""
    dirs: list[Path] = []
    for layer in layers:
        resource = template.resources.get(layer.get("Ref", "")) if isinstance(layer, dict) else None
        content = resource.properties.get("ContentUri") if resource else None
        if isinstance(content, str):
            root = (template.root / content).resolve()
            dirs.append(root / "python" if (root / "python").is_dir() else root)
    return tuple(dirs)
