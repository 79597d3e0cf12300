"""The whole application on one machine: moto, the template's resources, handlers, HTTP API and rules."""

from __future__ import annotations

import atexit
import logging
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from infra.local.clients import Clients
from infra.local.dispatcher import Dispatcher, Poller, TargetInvoker
from infra.local.gateway import Gateway
from infra.local.intrinsics import Physical
from infra.local.model import build_functions
from infra.local.moto_server import MotoServer
from infra.local.resources import create_resources
from infra.local.runtime import FunctionRuntime, Invocation, base_environment
from infra.local.specs import FunctionSpec, api_id
from infra.local.tap import Tap
from infra.local.template import DEFAULT_REGION, Template, load_template
from infra.local.wiring import TAP_PATTERN, Wiring, wire

__all__ = ["REPO_ROOT", "LocalStack", "quiet_console_logging"]

log = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parents[2]
Event = dict[str, Any]
T = TypeVar("T")


class LocalStack:
    """Start with `with LocalStack() as stack:`; every process it started is gone when the block ends."""

    def __init__(
        self,
        template_path: str | Path = REPO_ROOT / "template.yaml",
        *,
        region: str = DEFAULT_REGION,
        parameters: Mapping[str, Any] | None = None,
        log_dir: str | Path | None = None,
        secret_strings: Mapping[str, str] | None = None,
        tap_pattern: Mapping[str, Any] = TAP_PATTERN,
    ) -> None:
        self.template: Template = load_template(template_path, parameters=parameters, region=region)
        self.log_dir = Path(log_dir) if log_dir else self.template.root / "build" / "local" / "logs"
        self._secret_strings, self._tap_pattern = secret_strings, tap_pattern
        self._moto = MotoServer(self.log_dir / "moto.log")
        self._clients: Clients | None = None
        self._physical: Physical | None = None
        self._runtime: FunctionRuntime | None = None
        self._wiring: Wiring | None = None
        self._tap: Tap | None = None
        self._pollers: list[Poller] = []
        self._dispatcher: Dispatcher | None = None
        self._invoker: TargetInvoker | None = None
        self._gateways: dict[str, Gateway] = {}
        self._log_handler: logging.Handler | None = None
        self._previous_level = logging.NOTSET
        self.functions: dict[str, FunctionSpec] = {}

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> LocalStack:
        """Bring everything up; on any failure (Ctrl-C included) tear down what was started."""
        started = time.perf_counter()
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        log.info("local stack up in %.1f s: %s", time.perf_counter() - started, self.endpoint_url)
        return self

    def _start(self) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self._attach_log_file()
        atexit.register(self.stop)
        self._moto.start()
        clients = self._clients = Clients(region=self.template.region, endpoint_url=self._moto.endpoint_url)
        physical = self._physical = create_resources(self.template, clients, secret_strings=self._secret_strings)
        self.functions = build_functions(self.template, physical)
        env = base_environment(self._moto.endpoint_url, self.template.region)
        runtime = self._runtime = FunctionRuntime(self.functions, base_env=env, log_dir=self.log_dir)
        runtime.start()  # handlers import while the rules are wired
        wiring = self._wiring = wire(self.template, physical, self.functions, clients, tap_pattern=self._tap_pattern)
        account = self.template.account_id
        self._tap = Tap(clients, wiring.tap_queue_url, account_id=account)
        self._pollers = [Poller("tap", clients, wiring.tap_queue_url, self._tap.handle, batch_size=10)]
        self._invoker = TargetInvoker(runtime, clients)
        self._dispatcher = Dispatcher(wiring.deliveries, clients, self._invoker, account_id=account)
        for poller in self._pollers:
            poller.start()
        self._dispatcher.start()
        routes_by_api: dict[str, list[Any]] = {}
        for spec in self.functions.values():
            for route in spec.routes:
                routes_by_api.setdefault(route.api, []).append(route)
        for api, routes in routes_by_api.items():
            gateway = Gateway(api, api_id(api), routes, runtime.invoke, account_id=account)
            gateway.start()
            self._gateways[api] = gateway
        for function, error in runtime.wait_ready().items():
            log.warning("%s cannot serve: %s: %s", function, error["errorType"], error["errorMessage"])

    def stop(self) -> None:
        """Idempotent; stops listeners first so nothing new arrives, the moto server last."""
        for poller in self._pollers:
            poller.stopping.set()
        steps: list[Callable[[], None]] = [g.stop for g in self._gateways.values()]
        if self._dispatcher is not None:
            steps.append(self._dispatcher.stop)
        steps.append(self._join_pollers)
        if self._runtime is not None:
            steps.append(self._runtime.stop)
        steps.append(self._moto.stop)
        for step in steps:
            try:
                step()
            except Exception:
                log.exception("while stopping the local stack")
        self._gateways, self._pollers, self._dispatcher, self._runtime = {}, [], None, None
        atexit.unregister(self.stop)
        if self._log_handler is not None:
            logging.getLogger("infra.local").setLevel(self._previous_level)
            logging.getLogger("infra.local").removeHandler(self._log_handler)
            self._log_handler.close()
            self._log_handler = None

    def __enter__(self) -> LocalStack:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # -- what a user or a test needs ---------------------------------------------------------

    @property
    def endpoint_url(self) -> str:
        """The moto server: point boto3 (or `aws --endpoint-url`) here."""
        return self._moto.endpoint_url

    @property
    def api_urls(self) -> dict[str, str]:
        """Base URL of each HTTP API, by its logical id (`ServerlessHttpApi` when implicit)."""
        return {api: gateway.url for api, gateway in self._gateways.items()}

    @property
    def api_url(self) -> str:
        """Base URL of the template's first HTTP API with routes (the webhook API)."""
        if not self._gateways:
            raise RuntimeError("the stack is not started or the template has no HttpApi routes")
        return next(iter(self._gateways.values())).url

    @property
    def physical(self) -> Physical:
        """Logical id -> physical name, ARN or URL (what `Ref` gives); GetAtt values inside."""
        return self._require(self._physical)

    @property
    def clients(self) -> Clients:
        return self._require(self._clients)

    @property
    def wiring(self) -> Wiring:
        return self._require(self._wiring)

    def invoke(self, function_logical_id: str, event: Any) -> Invocation:
        """Invoke a function directly (RequestResponse), in its worker."""
        return self._require(self._runtime).invoke(function_logical_id, event)

    def bus_events(self) -> list[Event]:
        """Every event that reached the bus(es) so far and matched the tap, oldest first."""
        return self._require(self._tap).events()

    def wait_for_events(
        self, match: Callable[[Event], bool] | None = None, *, count: int = 1, timeout: float = 10.0
    ) -> list[Event]:
        """Wait until `count` bus events satisfy `match` (any event without it); return those events."""
        matches = match or (lambda _event: True)
        seen = self._require(self._tap).wait(lambda events: sum(map(matches, events)) >= count, timeout)
        return [event for event in seen if matches(event)]

    def flush_tap(self, *, timeout: float = 10.0) -> list[Event]:
        """Wait until every event already put on the bus is in `bus_events()`, and return them.

        Exact rather than a sleep: moto copies an event into the tap queue inside PutEvents, so
        once a handler has answered, its events are in the queue or already collected.
        """
        deadline = time.monotonic() + timeout
        while self._queue_depth(self.wiring.tap_queue_url):
            if time.monotonic() > deadline:
                raise TimeoutError(f"the tap did not drain in {timeout:.0f} s")
            time.sleep(0.02)
        return self.bus_events()

    def wait_until_idle(self, *, timeout: float = 30.0, quiet: float = 0.5) -> None:
        """Until no delivery queue holds a message (pending, in flight or waiting for a retry)."""
        queues = [d.queue_url for d in self.wiring.deliveries] + [self.wiring.tap_queue_url]
        deadline = time.monotonic() + timeout
        idle_since: float | None = None
        while time.monotonic() < deadline:
            busy = any(self._queue_depth(url) for url in queues)
            now = time.monotonic()
            idle_since = None if busy else (idle_since or now)
            if idle_since is not None and now - idle_since >= quiet:
                return
            time.sleep(0.1)
        raise TimeoutError(f"the stack was still busy after {timeout:.0f} s")

    def dead_letters(self) -> dict[str, int]:
        """Messages waiting in each dead-letter queue the local deliveries use."""
        urls = {d.dlq_url for d in self.wiring.deliveries if d.dlq_url}
        return {url.rsplit("/", 1)[-1]: self._queue_depth(url) for url in sorted(urls)}

    def fire_schedule(self, name: str) -> Invocation | str:
        """Run a schedule's target now, with its Input (Scheduler and schedule rules never fire locally)."""
        from infra.local.schedules import fire

        return fire(self.wiring, self._require(self._invoker), name, self.template)

    # -- helpers -----------------------------------------------------------------------------

    def _join_pollers(self) -> None:
        for poller in self._pollers:
            if poller.is_alive():
                poller.join(5)

    def _queue_depth(self, url: str) -> int:
        names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
        attributes = self.clients.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=names)["Attributes"]
        return sum(int(attributes.get(n, 0)) for n in names)

    def _attach_log_file(self) -> None:
        """Everything the stack does goes to stack.log; the console only sees what its handlers let through."""
        handler = logging.FileHandler(self.log_dir / "stack.log", mode="w", encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"))
        package = logging.getLogger("infra.local")
        self._previous_level = package.level
        package.setLevel(logging.DEBUG)
        package.addHandler(handler)
        self._log_handler = handler

    @staticmethod
    def _require(value: T | None) -> T:
        if value is None:
            raise RuntimeError("the local stack is not started")
        return value


def quiet_console_logging(level: int = logging.WARNING) -> None:
    """For command-line entry points: warnings on the terminal, the full story in stack.log."""
    logging.basicConfig(format="%(levelname)s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.setLevel(level)
