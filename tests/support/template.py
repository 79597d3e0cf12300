"""template.yaml for tests: parsed with its intrinsic tags, or translated to CloudFormation as SAM CLI does."""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

from infra.local.template import read_template

__all__ = ["TEMPLATE_PATH", "load_template", "translate_template"]

TEMPLATE_PATH = Path(__file__).resolve().parents[2] / "template.yaml"

# Properties that name local files until `sam package` uploads them and puts S3 URIs in their place.
_LOCAL_URIS = {
    "AWS::Serverless::Function": "CodeUri",
    "AWS::Serverless::LayerVersion": "ContentUri",
    "AWS::Serverless::StateMachine": "DefinitionUri",
    "AWS::Serverless::Api": "DefinitionUri",
    "AWS::Serverless::HttpApi": "DefinitionUri",
}


def load_template(path: Path = TEMPLATE_PATH) -> dict[str, Any]:
    """The SAM template as written (intrinsics as `{"Ref": ...}` / `{"Fn::Sub": ...}` dicts)."""
    return read_template(path)


class _NoManagedPolicies:
    """aws-sam-translator asks IAM for managed policy ARNs; offline we know none (SAM falls back to names)."""

    def load(self) -> dict[str, str]:
        return {}


def translate_template(template: dict[str, Any] | None = None, *, region: str = "eu-central-1") -> dict[str, Any]:
    """The CloudFormation that aws-sam-translator makes of the template, local URIs replaced as at package time."""
    from samtranslator.translator.transform import transform

    sam = copy.deepcopy(template if template is not None else load_template())
    for logical_id, resource in sam.get("Resources", {}).items():
        key = _LOCAL_URIS.get(resource.get("Type", ""))
        properties = resource.get("Properties", {})
        if key and isinstance(properties.get(key), str) and not properties[key].startswith("s3://"):
            properties[key] = f"s3://replyloop-artifacts/{logical_id}"
    function_globals = sam.get("Globals", {}).get("Function", {})
    if isinstance(function_globals.get("CodeUri"), str):
        function_globals["CodeUri"] = "s3://replyloop-artifacts/globals"
    # The translator reads the region from boto3's default session only.
    previous = os.environ.get("AWS_DEFAULT_REGION")
    os.environ["AWS_DEFAULT_REGION"] = region
    try:
        return transform(sam, {}, _NoManagedPolicies())
    finally:
        if previous is None:
            del os.environ["AWS_DEFAULT_REGION"]
        else:
            os.environ["AWS_DEFAULT_REGION"] = previous
