"""The AWS stand-in: `python -m moto.server` on loopback as a child process that cannot outlive us."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import IO

__all__ = ["MotoServer", "free_port"]

log = logging.getLogger(__name__)

HOST = "127.0.0.1"
MOTO_CONFIG = {"stepfunctions": {"execute_state_machine": True}}


def free_port(host: str = HOST) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _die_with_parent() -> None:
    """Linux: SIGTERM the server when the process that started it dies, even by SIGKILL."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class MotoServer:
    """Start, probe and stop one moto server; its output goes to `log_path`.

    The server dies with the thread that started it (Linux parent-death signal), so start it
    from a thread that lives as long as the stack, as `LocalStack.start` callers do.
    """

    def __init__(self, log_path: Path, *, host: str = HOST) -> None:
        self.host = host
        self.log_path = log_path
        self.port = 0
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def endpoint_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = 20.0, attempts: int = 3) -> None:
        """Retry on another port if the chosen one was taken between probing and binding."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        for attempt in range(1, attempts + 1):
            self.port = free_port(self.host)
            self._spawn()
            if self._wait_until_up(timeout):
                self._configure()
                log.debug("moto server up at %s", self.endpoint_url)
                return
            self.stop()
            log.warning("moto server did not start on port %s (attempt %s)", self.port, attempt)
        raise RuntimeError(f"moto server did not start; see {self.log_path}")

    def stop(self, grace: float = 5.0) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(grace)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(grace)
        if self._log is not None:
            self._log.close()
            self._log = None

    def _spawn(self) -> None:
        env = {
            **os.environ,
            "MOTO_PORT": str(self.port),  # Step Functions tasks call back to this port
            "TZ": "UTC",  # moto compares TimestampPath waits with local time
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "PYTHONUNBUFFERED": "1",
        }
        self._log = self.log_path.open("ab")
        self._process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", self.host, "-p", str(self.port)],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches only us; we stop the server in order
            preexec_fn=_die_with_parent,  # noqa: PLW1509 - called before any thread in the child
        )

    def _wait_until_up(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process is None or self._process.poll() is not None:
                return False
            try:
                with urllib.request.urlopen(f"{self.endpoint_url}/moto-api/config", timeout=1):  # noqa: S310 - our http URL
                    return True
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.05)
        return False

    def _configure(self) -> None:
        request = urllib.request.Request(  # noqa: S310 - our own loopback server
            f"{self.endpoint_url}/moto-api/config",
            data=json.dumps(MOTO_CONFIG).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        # moto 5.2.5 stores the stepfunctions key but leaves it out of its answer, so only
        # the status can be checked here; the wiring tests prove that executions really run.
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - our http URL
            if response.status >= 300:
                raise RuntimeError(f"moto refused {MOTO_CONFIG}: HTTP {response.status}")
