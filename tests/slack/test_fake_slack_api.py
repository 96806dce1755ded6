"""The loopback Slack fake answers the real slack-sdk AsyncWebClient the way Slack does."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.channels.slack.retry import RateLimitRetry
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.slack_signing import SlackSigner, sign

TOKEN = "xoxb-fake-token"


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlackApi]:
    async with FakeSlackApi(token=TOKEN) as api:
        yield api


def client_for(fake: FakeSlackApi, token: str = TOKEN, **kwargs: object) -> AsyncWebClient:
    return AsyncWebClient(token=token, base_url=fake.base_url, **kwargs)  # type: ignore[arg-type]


async def test_auth_test_answers_the_bot_identity(fake: FakeSlackApi) -> None:
    answer = await client_for(fake).auth_test()
    assert answer["user_id"] == fake.bot_user_id
    assert answer["bot_id"] == fake.bot_id
    assert fake.calls_of("auth.test")[0].token == TOKEN


async def test_wrong_token_is_refused(fake: FakeSlackApi) -> None:
    with pytest.raises(SlackApiError) as raised:
        await client_for(fake, token="xoxb-wrong").auth_test()
    assert raised.value.response["error"] == "invalid_auth"


async def test_post_update_and_record_json_blocks(fake: FakeSlackApi) -> None:
    client = client_for(fake)
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "hi &lt;!here&gt;"}}]
    posted = await client.chat_postMessage(channel="C1", text="hi", blocks=blocks)
    assert posted["channel"] == "C1"
    assert posted["ts"]
    call = fake.calls_of("chat.postMessage")[0]
    assert call.params["blocks"] == blocks

    await client.chat_update(channel="C1", ts=posted["ts"], text="updated", blocks=[])
    stored = fake.messages[("C1", posted["ts"])]
    assert stored.text == "updated"
    assert stored.blocks == []
    assert stored.history[0]["blocks"] == blocks

    with pytest.raises(SlackApiError):
        await client.chat_update(channel="C1", ts="1.2", text="x")


async def test_form_encoded_calls_are_parsed(fake: FakeSlackApi) -> None:
    # api_call with data= sends a form; structured fields arrive as JSON strings.
    client = client_for(fake)
    await client.api_call(
        "chat.postMessage",
        data={"channel": "C9", "text": "form", "blocks": '[{"type": "divider"}]'},
    )
    call = fake.calls_of("chat.postMessage")[0]
    assert call.params["text"] == "form"
    assert call.params["blocks"] == [{"type": "divider"}]


async def test_ephemeral_views_and_lookups(fake: FakeSlackApi) -> None:
    client = client_for(fake)
    fake.add_user("U1", "amina", "Amina Mushi")
    fake.add_channel("C1", "integration-team")
    assert (await client.chat_postEphemeral(channel="C1", user="U1", text="only you"))["ok"]
    opened = await client.views_open(trigger_id="t.1", view={"type": "modal", "callback_id": "x"})
    assert opened["view"]["id"].startswith("V")
    assert fake.calls_of("views.open")[0].params["view"]["callback_id"] == "x"
    with pytest.raises(SlackApiError):
        await client.views_open(trigger_id="", view={"type": "modal"})
    assert (await client.users_info(user="U1"))["user"]["real_name"] == "Amina Mushi"
    assert (await client.conversations_info(channel="C1"))["channel"]["name"] == "integration-team"
    with pytest.raises(SlackApiError):
        await client.users_info(user="U404")
    dm = await client.conversations_open(users="U1")
    assert dm["channel"]["id"] == "DU1"


async def test_rate_limit_answers_429_and_our_retry_handler_waits_retry_after(
    fake: FakeSlackApi,
) -> None:
    fake.rate_limit("chat.postMessage", times=1, retry_after=0)
    plain = client_for(fake)
    with pytest.raises(SlackApiError) as raised:
        await plain.chat_postMessage(channel="C1", text="dropped?")
    assert raised.value.response.status_code == 429
    assert raised.value.response.headers["Retry-After"] == "0"

    waits: list[float] = []

    async def record_wait(seconds: float) -> None:
        waits.append(seconds)

    fake.rate_limit("chat.postMessage", times=2, retry_after=7)
    retrying = client_for(
        fake, retry_handlers=[RateLimitRetry(max_retry_count=3, sleep=record_wait)]
    )
    posted = await retrying.chat_postMessage(channel="C1", text="kept")
    assert posted["ok"]
    assert waits == [7.0, 7.0]
    limited = [c for c in fake.calls if c.rate_limited]
    assert len(limited) == 3
    assert [c.params["text"] for c in fake.calls_of("chat.postMessage")] == ["kept"]


async def test_awaiting_calls(fake: FakeSlackApi) -> None:
    client = client_for(fake)
    upcoming = fake.next_call("chat.postMessage")
    assert not upcoming.done()
    await client.chat_postMessage(channel="C1", text="one")
    assert (await upcoming).params["text"] == "one"
    await client.chat_postMessage(channel="C1", text="two")
    assert (await fake.called("chat.postMessage", 2)).params["text"] == "two"


async def test_response_url_posts_are_recorded(fake: FakeSlackApi) -> None:
    hook = AsyncWebhookClient(fake.response_url("abc"))
    await hook.send(text="ephemeral answer", response_type="ephemeral")
    call = await fake.called("response_url")
    assert call.params == {"text": "ephemeral answer", "response_type": "ephemeral", "hook": "abc"}


def test_signer_matches_slack_sdk_verifier() -> None:
    signer = SlackSigner("s3cret")
    request = signer.command(user_id="U1", channel_id="D1", text="help")
    verifier = SignatureVerifier("s3cret")
    assert verifier.is_valid_request(request.body, request.headers)
    assert not SignatureVerifier("other").is_valid_request(request.body, request.headers)
    assert sign("s", "1", "b") == sign("s", "1", "b") != sign("s", "2", "b")
