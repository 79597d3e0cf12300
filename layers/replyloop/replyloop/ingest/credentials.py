"""The platform secret: credentials that authenticate webhooks and the ids of the brand's own accounts."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator


class BrandAccounts(BaseModel):
    """Which authors are the brand itself, per platform (their comments are answers, not questions)."""

    model_config = ConfigDict(frozen=True)

    meta_page_ids: frozenset[str] = frozenset()
    instagram_usernames: frozenset[str] = frozenset()
    x_user_ids: frozenset[str] = frozenset()
    telegram_bot_ids: frozenset[str] = frozenset()
    telegram_channel_ids: frozenset[str] = frozenset()


class PlatformCredentials(BaseModel):
    """The JSON object stored in the secret named by PLATFORM_SECRETS_ARN (keys are a contract).

    Secrets are `SecretStr` so that a repr or a log line never shows them.
    Unknown keys are kept. The API tokens at the end are needed only by the react
    function in `live` mode; ingest never reads them.
    """

    model_config = ConfigDict(frozen=True, extra="allow")

    meta_app_secret: SecretStr = SecretStr("")
    meta_verify_token: SecretStr = SecretStr("")
    meta_page_ids: frozenset[str] = frozenset()
    instagram_usernames: frozenset[str] = frozenset()
    x_consumer_secret: SecretStr = SecretStr("")
    x_user_ids: frozenset[str] = frozenset()
    telegram_secret_token: SecretStr = SecretStr("")
    telegram_bot_ids: frozenset[str] = frozenset()
    telegram_channel_ids: frozenset[str] = frozenset()
    generic_hmac_secret: SecretStr = SecretStr("")
    # Tokens that let the react function reply and hide (live mode only).
    meta_page_access_token: SecretStr = SecretStr("")
    meta_page_access_tokens: dict[str, SecretStr] = Field(
        default_factory=dict, description="Facebook Page id or Instagram account id -> that account's Page token."
    )
    x_user_access_token: SecretStr = SecretStr("")
    telegram_bot_token: SecretStr = SecretStr("")

    @field_validator("meta_page_ids", "x_user_ids", "telegram_bot_ids", "telegram_channel_ids", mode="before")
    @classmethod
    def _ids_as_strings(cls, value: object) -> object:
        # Ids are compared as strings; operators often paste them as JSON numbers.
        if isinstance(value, list | tuple | set | frozenset):
            return frozenset(str(item) for item in value)
        return value

    @field_validator("instagram_usernames", mode="before")
    @classmethod
    def _usernames_lower(cls, value: object) -> object:
        if isinstance(value, list | tuple | set | frozenset):
            return frozenset(str(item).lstrip("@").lower() for item in value)
        return value

    def meta_access_token(self, account_id: str | None) -> str:
        """The Page token for `account_id`, else the default one ("" when none is configured)."""
        token = self.meta_page_access_tokens.get(account_id or "", self.meta_page_access_token)
        return token.get_secret_value()

    @property
    def brand(self) -> BrandAccounts:
        return BrandAccounts(
            meta_page_ids=self.meta_page_ids,
            instagram_usernames=self.instagram_usernames,
            x_user_ids=self.x_user_ids,
            telegram_bot_ids=self.telegram_bot_ids,
            telegram_channel_ids=self.telegram_channel_ids,
        )
