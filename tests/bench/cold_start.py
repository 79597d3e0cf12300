"""Cold start: each handler module's import time in a fresh interpreter, next to a bare `import boto3` in the same run.

Run: `python -m tests.bench.cold_start [--runs 7] [--detail]`. Every import is timed in a new process
(nothing cached in memory; the OS file cache is warm, as on a Lambda host after the first start) as
the CPU time it takes, so that other work on the machine does not count; the modules are interleaved
run by run and the table gives medians.
The environment is the function's own from template.yaml plus what Lambda sets, so Powertools
behaves as deployed (Tracer patches botocore, as with `Tracing: Active`).
`--detail` adds the heaviest imports of each handler (`python -X importtime`).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tests.support.observability import function_services
from tests.support.template import load_template

ROOT = Path(__file__).resolve().parents[2]
BASELINE = "boto3"
# CPU time of the importing process: what a Lambda container spends, whatever else this machine is running.
_TIMED = (
    "import time, importlib; t = time.process_time(); importlib.import_module({module!r}); "
    "print(time.process_time() - t)"
)


def handlers() -> dict[str, tuple[str, dict[str, str]]]:
    """Handler module per function, with the environment variables template.yaml gives it (Globals merged)."""
    sam = load_template()
    shared = sam.get("Globals", {}).get("Function", {}).get("Environment", {}).get("Variables", {})
    found = {}
    for logical_id, (_, app) in function_services(sam).items():
        module = ".".join(app.relative_to(ROOT).with_suffix("").parts)
        own = sam["Resources"][logical_id]["Properties"].get("Environment", {}).get("Variables", {})
        env = {name: _value(sam, name, value) for name, value in {**shared, **own}.items()}
        found[module] = (logical_id, env)
    return dict(sorted(found.items()))


def _value(sam: dict[str, Any], name: str, value: Any) -> str:
    """A parameter's default for a Ref to it; other Refs and Subs (resource names) resolve at deploy time."""
    if isinstance(value, dict) and value.get("Ref") in sam.get("Parameters", {}):
        return str(sam["Parameters"][value["Ref"]].get("Default", ""))
    return value if isinstance(value, str) else f"bench-{name.lower().replace('_', '-')}"


def lambda_environment(function: str, extra: dict[str, str]) -> dict[str, str]:
    """What a Lambda container has, minus credentials: region, function name, handler path, the template's env."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'layers' / 'replyloop'}",
        "TZ": "UTC",
        "AWS_REGION": "eu-central-1",
        "AWS_DEFAULT_REGION": "eu-central-1",
        "AWS_LAMBDA_FUNCTION_NAME": f"replyloop-bench-{function}",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512",
        "AWS_EXECUTION_ENV": "AWS_Lambda_python3.13",
        "LAMBDA_TASK_ROOT": str(ROOT),
        "_X_AMZN_TRACE_ID": "Root=1-00000000-000000000000000000000000;Parent=0000000000000000;Sampled=0",
    }
    return {**env, **extra}


def time_import(module: str, env: dict[str, str]) -> float:
    command = [sys.executable, "-c", _TIMED.format(module=module)]
    output = subprocess.run(command, capture_output=True, text=True, check=True, env=env, cwd=ROOT).stdout
    return float(output.split()[-1])


def heaviest(module: str, env: dict[str, str], top: int = 6) -> list[tuple[float, str]]:
    """The direct imports of the handler (and of its top-level imports) that take longest, in ms."""
    command = [sys.executable, "-X", "importtime", "-c", f"import {module}"]
    lines = subprocess.run(command, capture_output=True, text=True, check=True, env=env, cwd=ROOT).stderr.splitlines()
    found = []
    for line in lines:
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, name = line.removeprefix("import time:").split("|")
        if cumulative.strip().isdigit() and 0 < len(name) - len(name.lstrip()) <= 3:
            found.append((int(cumulative) / 1000, name.strip()))
    return sorted(found, reverse=True)[:top]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--detail", action="store_true", help="the heaviest imports of each handler")
    args = parser.parse_args(argv)

    modules = handlers()
    envs = {module: lambda_environment(function, env) for module, (function, env) in modules.items()}
    envs[BASELINE] = lambda_environment("baseline", {})
    times: dict[str, list[float]] = {name: [] for name in envs}
    for _ in range(args.runs):
        for name, env in envs.items():
            times[name].append(time_import(name, env))
    baseline = statistics.median(times[BASELINE])
    width = max(map(len, envs))
    print(
        f"cold start: CPU time of the import in a fresh interpreter, median of {args.runs} runs "
        f"(Python {sys.version.split()[0]})"
    )
    print(f"{'module':<{width}}  {'ms':>6}  {'min':>6}  {'max':>6}  {'x boto3':>7}")
    for name in [BASELINE, *modules]:
        median = statistics.median(times[name])
        print(
            f"{name:<{width}}  {median * 1000:6.0f}  {min(times[name]) * 1000:6.0f}  {max(times[name]) * 1000:6.0f}"
            f"  {median / baseline:7.2f}"
        )
    ratios = [statistics.median(times[m]) / baseline for m in modules]
    print(f"handlers: median {statistics.median(ratios):.2f}x, worst {max(ratios):.2f}x a bare `import boto3`")
    if args.detail:
        for module in modules:
            parts = ", ".join(f"{name} {ms:.0f}" for ms, name in heaviest(module, envs[module]))
            print(f"  {module}: {parts}")


if __name__ == "__main__":
    main()
