"""Lambda-like execution: one spawned worker process per function, one invocation at a time."""

from __future__ import annotations

import contextlib
import json
import logging
import multiprocessing
import os
import threading
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from infra.local import worker
from infra.local.specs import FunctionSpec

__all__ = ["FunctionRuntime", "FunctionWorker", "Invocation", "InvocationError"]

log = logging.getLogger(__name__)

INIT_TIMEOUT_SECONDS = 30.0  # Lambda allows 10 s; a cold local import of pydantic can take longer
_SPAWN = multiprocessing.get_context("spawn")


@dataclass(frozen=True)
class Invocation:
    """The outcome of one invoke: the handler's JSON result, or the runtime's error payload."""

    function: str
    request_id: str
    result: Any = None
    error: dict[str, Any] | None = None
    duration_ms: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None

    def raise_for_error(self) -> Any:
        if self.error is not None:
            raise InvocationError(self)
        return self.result


class InvocationError(RuntimeError):
    """A handler raised, timed out or crashed its process."""

    def __init__(self, invocation: Invocation) -> None:
        error = invocation.error or {}
        super().__init__(f"{invocation.function}: {error.get('errorType')}: {error.get('errorMessage')}")
        self.invocation = invocation


class FunctionWorker:
    """The parent's handle on one function's sandbox; restarts it after a timeout or a crash."""

    def __init__(self, spec: FunctionSpec, *, base_env: Mapping[str, str], log_dir: Path) -> None:
        self.spec = spec
        self.log_path = log_dir / f"{spec.logical_id}.log"
        self._base_env = dict(base_env)
        self._lock = threading.Lock()
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None
        self._ready = False
        self.init_error: dict[str, Any] | None = None

    def start(self) -> None:
        """Spawn the sandbox; it imports the handler (the cold start) while the caller goes on."""
        parent, child = _SPAWN.Pipe()
        process = _SPAWN.Process(
            target=worker.main,
            args=(child, self._config()),
            name=f"lambda-{self.spec.logical_id}",
            daemon=True,
        )
        process.start()
        child.close()  # only the child holds its end: EOF tells each side the other is gone
        self._process, self._conn, self._ready = process, parent, False

    def wait_ready(self, timeout: float = INIT_TIMEOUT_SECONDS) -> dict[str, Any] | None:
        """Block until the handler module is imported; returns the init error, if any."""
        with self._lock:
            self._ensure_ready(timeout)
            return self.init_error

    def invoke(self, event: Any, *, request_id: str | None = None) -> Invocation:
        request_id = request_id or str(uuid.uuid4())
        payload = json.dumps(event)
        with self._lock:
            started = time.perf_counter()
            try:
                self._ensure_ready(INIT_TIMEOUT_SECONDS)
                assert self._conn is not None
                deadline_ms = int(time.time() * 1000) + self.spec.timeout * 1000
                self._conn.send((request_id, payload, deadline_ms))
                if not self._conn.poll(self.spec.timeout + 0.5):
                    self._kill()
                    message = f"Task timed out after {self.spec.timeout:.2f} seconds"
                    return self._failed(request_id, "Sandbox.Timedout", message, started)
                status, value = self._conn.recv()
            except TimeoutError as error:
                return self._failed(request_id, "Runtime.InitTimeout", str(error), started)
            except (EOFError, OSError):
                code = self._process.exitcode if self._process else None
                self._kill()
                message = f"RequestId: {request_id} Error: Runtime exited with error: exit status {code}"
                return self._failed(request_id, "Runtime.ExitError", message, started)
            duration = (time.perf_counter() - started) * 1000
        if status == "ok":
            return Invocation(self.spec.logical_id, request_id, json.loads(value), None, duration)
        return Invocation(self.spec.logical_id, request_id, None, value, duration)

    def stop(self, grace: float = 2.0) -> None:
        conn, process = self._conn, self._process
        self._conn = self._process = None
        if conn is not None:
            with contextlib.suppress(OSError):
                conn.send(None)
            conn.close()
        if process is not None:
            process.join(grace)
            if process.is_alive():
                process.kill()
                process.join(grace)

    def _ensure_ready(self, timeout: float) -> None:
        if self._process is None or not self._process.is_alive():
            self.start()
        if self._ready:
            return
        assert self._conn is not None
        if not self._conn.poll(timeout):
            self._kill()
            raise TimeoutError(f"{self.spec.logical_id}: init did not finish in {timeout:.0f} s")
        try:
            _, info = self._conn.recv()
        except (EOFError, OSError):
            code = self._process.exitcode if self._process else None
            self._kill()
            message = f"the worker exited during init (exit status {code}); see {self.log_path}"
            info = {"init_ms": 0, "error": {"errorType": "Runtime.ExitError", "errorMessage": message}}
        self._ready, self.init_error = True, info["error"]
        if self.init_error:
            log.error("%s: init failed: %s", self.spec.logical_id, self.init_error["errorMessage"])
        else:
            log.debug("%s: ready (init %.0f ms)", self.spec.logical_id, info["init_ms"])

    def _kill(self) -> None:
        """Lambda discards a sandbox after a timeout or crash; the next invoke is a cold start."""
        if self._process is not None and self._process.is_alive():
            self._process.kill()
            self._process.join(5)
        if self._conn is not None:
            self._conn.close()
        self._process = self._conn = None
        self._ready = False

    def _failed(self, request_id: str, kind: str, message: str, started: float) -> Invocation:
        log.warning("%s: %s", self.spec.logical_id, message)
        error = {"errorType": kind, "errorMessage": message, "stackTrace": []}
        return Invocation(self.spec.logical_id, request_id, None, error, (time.perf_counter() - started) * 1000)

    def _config(self) -> worker.WorkerConfig:
        spec = self.spec
        log_group = f"/aws/lambda/{spec.name}"
        stream = f"{datetime.now(UTC):%Y/%m/%d}/[$LATEST]{uuid.uuid4().hex}"
        lambda_env = {
            "AWS_LAMBDA_FUNCTION_NAME": spec.name,
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(spec.memory_size),
            "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
            "AWS_LAMBDA_FUNCTION_TIMEOUT": str(spec.timeout),
            "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
            "AWS_LAMBDA_LOG_GROUP_NAME": log_group,
            "AWS_LAMBDA_LOG_STREAM_NAME": stream,
            "LAMBDA_TASK_ROOT": str(spec.code_dir),
            "_HANDLER": f"{spec.module.rsplit('.', 1)[-1]}.{spec.attribute}",
            # No X-Ray daemon listens locally; Powertools would otherwise try to send segments.
            "POWERTOOLS_TRACE_DISABLED": "true",
            "AWS_XRAY_SDK_ENABLED": "false",
        }
        return worker.WorkerConfig(
            logical_id=spec.logical_id,
            function_name=spec.name,
            function_arn=spec.arn,
            module=spec.module,
            attribute=spec.attribute,
            memory_size=spec.memory_size,
            # Function variables may not override what Lambda itself sets.
            environment={**spec.environment, **self._base_env, **lambda_env},
            sys_path=(str(_package_root(spec)), *(str(d) for d in spec.layer_dirs)),
            trailing_sys_path=(str(spec.code_dir),),
            log_path=str(self.log_path),
            log_group_name=log_group,
            log_stream_name=stream,
        )


def _package_root(spec: FunctionSpec) -> Path:
    """The folder from which `spec.module` imports: CodeUri's depth above the code folder."""
    root = spec.code_dir
    for _ in range(spec.module.count(".")):
        root = root.parent
    return root


class FunctionRuntime:
    """All functions of the stack, each in its own worker."""

    def __init__(self, functions: Mapping[str, FunctionSpec], *, base_env: Mapping[str, str], log_dir: Path):
        log_dir.mkdir(parents=True, exist_ok=True)
        self.workers = {
            logical_id: FunctionWorker(spec, base_env=base_env, log_dir=log_dir)
            for logical_id, spec in functions.items()
        }

    def start(self) -> None:
        """Spawn every sandbox; they import their handlers in parallel."""
        for w in self.workers.values():
            w.log_path.write_text("", encoding="utf-8")
            w.start()

    def wait_ready(self) -> dict[str, dict[str, Any]]:
        """Block until every handler is imported; return the init errors by function."""
        errors = {name: w.wait_ready() for name, w in self.workers.items()}
        return {name: error for name, error in errors.items() if error}

    def invoke(self, function: str, event: Any) -> Invocation:
        try:
            w = self.workers[function]
        except KeyError:
            raise KeyError(f"no function {function!r}; known: {', '.join(self.workers)}") from None
        return w.invoke(event)

    def stop(self) -> None:
        threads = [threading.Thread(target=w.stop) for w in self.workers.values()]
        for t in threads:
            t.start()
        for t in threads:
            t.join()


def base_environment(endpoint_url: str, region: str) -> dict[str, str]:
    """What every sandbox sees besides its function's variables: moto, fake credentials, UTC."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "TZ": "UTC",
        "AWS_ENDPOINT_URL": endpoint_url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_REGION": region,
        "AWS_DEFAULT_REGION": region,
        # Never read a developer's real ~/.aws profile from a local sandbox.
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "PYTHONUNBUFFERED": "1",
    }
