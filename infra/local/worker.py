"""Inside a function's worker process: a Lambda-like sandbox that imports the handler once and serves invokes."""

from __future__ import annotations

import importlib
import json
import os
import resource
import signal
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

__all__ = ["LambdaContext", "WorkerConfig", "error_payload", "main"]


@dataclass(frozen=True)
class WorkerConfig:
    """Everything the sandbox needs; picklable, because spawn sends it to the child."""

    logical_id: str
    function_name: str
    function_arn: str
    module: str
    attribute: str
    memory_size: int
    environment: dict[str, str]
    sys_path: tuple[str, ...]
    log_path: str
    log_group_name: str
    log_stream_name: str
    trailing_sys_path: tuple[str, ...] = field(default=())


@dataclass
class LambdaContext:
    """The attributes and method of the Python runtime's context object that handlers use."""

    function_name: str
    function_version: str
    invoked_function_arn: str
    memory_limit_in_mb: int
    aws_request_id: str
    log_group_name: str
    log_stream_name: str
    deadline_ms: int
    identity: Any = None
    client_context: Any = None

    def get_remaining_time_in_millis(self) -> int:
        return max(0, self.deadline_ms - int(time.time() * 1000))


def error_payload(error: BaseException, error_type: str | None = None) -> dict[str, Any]:
    """The runtime's error shape: errorType, errorMessage, stackTrace."""
    return {
        "errorType": error_type or type(error).__name__,
        "errorMessage": str(error),
        "stackTrace": traceback.format_exception(error),
    }


def main(conn: Connection, config: WorkerConfig) -> None:
    """Process entry point: init (env, sys.path, import), then one invocation at a time until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it stops us cleanly
    _redirect_output(config.log_path)
    os.environ.clear()
    os.environ.update(config.environment)
    time.tzset()
    sys.path[:0] = [p for p in config.sys_path if p not in sys.path]
    sys.path.extend(p for p in config.trailing_sys_path if p not in sys.path)

    started = time.perf_counter()
    handler: Callable[[Any, LambdaContext], Any] | None = None
    init_error: dict[str, Any] | None = None
    try:
        module = importlib.import_module(config.module)
        handler = getattr(module, config.attribute)
    except AttributeError as error:
        init_error = error_payload(error, "Runtime.HandlerNotFound")
    except Exception as error:  # what Lambda reports as an init failure, with the cause
        init_error = error_payload(error, "Runtime.ImportModuleError")
    init_ms = (time.perf_counter() - started) * 1000
    if init_error:
        print(json.dumps(init_error), file=sys.stderr, flush=True)
    conn.send(("ready", {"init_ms": init_ms, "error": init_error}))

    cold = True
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return  # the parent is gone: never outlive it
        if message is None:
            return
        request_id, event_json, deadline_ms = message
        if handler is None:
            conn.send(("error", init_error))
            continue
        conn.send(
            _invoke(
                config,
                handler=handler,
                request_id=request_id,
                event_json=event_json,
                deadline_ms=deadline_ms,
                init_ms=init_ms if cold else None,
            )
        )
        cold = False


def _invoke(
    config: WorkerConfig,
    *,
    handler: Callable[[Any, LambdaContext], Any],
    request_id: str,
    event_json: str,
    deadline_ms: int,
    init_ms: float | None,
) -> tuple[str, Any]:
    context = LambdaContext(
        function_name=config.function_name,
        function_version="$LATEST",
        invoked_function_arn=config.function_arn,
        memory_limit_in_mb=config.memory_size,
        aws_request_id=request_id,
        log_group_name=config.log_group_name,
        log_stream_name=config.log_stream_name,
        deadline_ms=deadline_ms,
    )
    os.environ["_X_AMZN_TRACE_ID"] = f"Root=1-{int(time.time()):08x}-{request_id.replace('-', '')[:24]};Sampled=0"
    print(f"START RequestId: {request_id} Version: $LATEST", flush=True)
    started = time.perf_counter()
    outcome: tuple[str, Any]
    try:
        result = handler(json.loads(event_json), context)
    except Exception as error:
        outcome = ("error", error_payload(error))
    else:
        try:
            outcome = ("ok", json.dumps(result))
        except (TypeError, ValueError) as error:
            outcome = ("error", error_payload(error, "Runtime.MarshalError"))
    duration = (time.perf_counter() - started) * 1000
    if outcome[0] == "error":
        print(json.dumps({**outcome[1], "requestId": request_id}), file=sys.stderr, flush=True)
    max_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    init = f"\tInit Duration: {init_ms:.2f} ms" if init_ms is not None else ""
    print(f"END RequestId: {request_id}", flush=True)
    print(
        f"REPORT RequestId: {request_id}\tDuration: {duration:.2f} ms\tBilled Duration: {int(duration) + 1} ms"
        f"\tMemory Size: {config.memory_size} MB\tMax Memory Used: {max_rss_mb} MB{init}",
        flush=True,
    )
    return outcome


def _redirect_output(log_path: str) -> None:
    """Send fd 1 and 2 (so print, logging and C extensions alike) to the function's log file."""
    fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(line_buffering=True)
