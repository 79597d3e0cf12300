"""The monthly post's archive in S3 (SUMMARY_BUCKET): the post per language, its checklist and manifest."""

from __future__ import annotations

from typing import Any

from replyloop.adapters.aws import LazyClient

__all__ = ["S3Archive"]


class S3Archive:
    """The summary's Archive port; the bucket encrypts, versions and blocks public access (template.yaml)."""

    client = LazyClient("s3")

    def __init__(self, bucket: str, *, client: Any = None) -> None:
        self.bucket = bucket
        self._client = client

    def put(self, key: str, body: bytes, content_type: str) -> None:
        self.client.put_object(Bucket=self.bucket, Key=key, Body=body, ContentType=content_type)
