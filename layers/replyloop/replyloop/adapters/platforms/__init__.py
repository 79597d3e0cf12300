"""Platform API clients (Graph API, Telegram Bot API, X API v2) behind the reactions' PlatformClient port."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import cached_property

from replyloop.adapters.platforms.http import HttpClient, Response, RetryPolicy, Verdict
from replyloop.adapters.platforms.meta import MetaClient, graph_verdict
from replyloop.adapters.platforms.telegram import TelegramClient, telegram_verdict
from replyloop.adapters.platforms.x import XClient, x_verdict
from replyloop.ingest.credentials import PlatformCredentials
from replyloop.reactions.ports import PlatformClient

__all__ = ["MetaClient", "PlatformClients", "RetryPolicy", "TelegramClient", "XClient"]


class PlatformClients:
    """One client per platform family, made on first use; `generic` has no API to answer through."""

    def __init__(
        self,
        *,
        credentials: Callable[[], PlatformCredentials],
        graph_base_url: str,
        telegram_base_url: str,
        x_base_url: str,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._credentials = credentials
        self._urls = {"meta": graph_base_url, "telegram": telegram_base_url, "x": x_base_url}
        self._retry = retry or RetryPolicy()
        self._sleep = sleep

    def _http(self, family: str, classify: Callable[[Response], Verdict]) -> HttpClient:
        return HttpClient(self._urls[family], platform=family, retry=self._retry, classify=classify, sleep=self._sleep)

    @cached_property
    def meta(self) -> MetaClient:
        return MetaClient(self._http("meta", graph_verdict), self._credentials)

    @cached_property
    def telegram(self) -> TelegramClient:
        return TelegramClient(self._http("telegram", telegram_verdict), self._credentials)

    @cached_property
    def x(self) -> XClient:
        return XClient(self._http("x", x_verdict), self._credentials)

    def __call__(self, platform: str) -> PlatformClient | None:
        if platform in ("facebook", "instagram"):
            return self.meta
        if platform == "telegram":
            return self.telegram
        if platform == "x":
            return self.x
        return None
