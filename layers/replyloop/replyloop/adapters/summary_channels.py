"""Posting the monthly post's teaser on the configured channels through the platform clients."""

from __future__ import annotations

from replyloop.adapters.platforms import PlatformClients
from replyloop.summary.policy import Channel

__all__ = ["PlatformChannels"]


class PlatformChannels:
    """The summary's ChannelPoster port: a Page's feed, a Telegram channel, the brand's X account."""

    def __init__(self, clients: PlatformClients) -> None:
        self._clients = clients

    def post(self, channel: Channel, text: str) -> str:
        if channel.platform == "facebook":
            return self._clients.meta.post_to_page(channel.target, text)
        if channel.platform == "telegram":
            return self._clients.telegram.post_to_channel(channel.target, text)
        return self._clients.x.post(text)
