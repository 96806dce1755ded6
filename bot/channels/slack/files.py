"""Files on Slack: what a `file_share` message carries, fetching a file's bytes from its
`url_private_download` with the bot token as Bearer, and uploading a ticket's attachment into
the alert's thread (files_upload_v2: files.getUploadURLExternal, the upload,
files.completeUploadExternal).

Some events announce a file by its id alone (`"file_access": "check_file_info"`: files shared
from another organisation over Slack Connect, for instance); its name, size and download URL
come from `files.info`, asked when the event arrives and again by the download queue if that
first call failed."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from handlers.downloads import TOO_BIG, UNAVAILABLE, FetchError, FileRef
from handlers.events import IncomingFile
from storage.files import FileStore
from storage.outbox import Delivery

from .client import api_error
from .mrkdwn import escape_clipped

log = logging.getLogger("deskbot.slack")

# Where Slack serves private files; the token is sent nowhere else.
SLACK_FILE_HOSTS = ("slack.com", "slack-edge.com", "slack-files.com")
CHUNK = 64 * 1024


CHECK_FILE_INFO = "check_file_info"
# files.info answers that no retry can change.
GONE = frozenset({"file_not_found", "file_deleted", "access_denied", "not_visible"})
ClientSource = Callable[[], AsyncWebClient]
# What a files.info call raises when Slack cannot be reached or does not answer in time
# (SlackApiError, an answer, is handled apart).
UNREACHABLE = (SlackClientError, aiohttp.ClientError, TimeoutError)


def files_of(event: dict[str, Any]) -> tuple[IncomingFile, ...]:
    """The files of a `file_share` message (or a mention) that can be downloaded (not
    tombstones, not files hidden by the workspace's plan, not links to external storage), and
    those announced by id alone (no `source` yet: see `with_file_info`)."""
    found = []
    for item in event.get("files") or []:
        if not isinstance(item, dict):
            continue
        if item.get("file_access") == CHECK_FILE_INFO and item.get("id"):
            found.append(IncomingFile("file", str(item["id"])))
            continue
        file = file_of(item)
        if file is not None:
            found.append(file)
    return tuple(found)


def file_of(item: dict[str, Any]) -> IncomingFile | None:
    """A full Slack file object (an event's, or files.info's) as an IncomingFile; None when it
    cannot be downloaded."""
    if item.get("mode") in ("tombstone", "hidden_by_limit"):
        return None
    url = item.get("url_private_download") or item.get("url_private")
    if not isinstance(url, str) or not url or item.get("is_external"):
        return None
    size = item.get("size")
    return IncomingFile(
        "file",
        str(item.get("id") or ""),
        str(item.get("name") or item.get("title") or ""),
        size if isinstance(size, int) and not isinstance(size, bool) else None,
        str(item.get("mimetype") or ""),
        url,
    )


async def with_file_info(
    client: AsyncWebClient, files: tuple[IncomingFile, ...]
) -> tuple[IncomingFile, ...]:
    """`files` with those announced by id alone completed from files.info, so their names and
    sizes are known before anything is said about them. One that files.info does not describe
    now is kept as it is: the download queue asks again, and says why when it cannot fetch it."""
    found = []
    for file in files:
        if file.source:
            found.append(file)
            continue
        try:
            answer = await client.files_info(file=file.platform_file_id)
        except SlackApiError as error:
            log.info("slack: files.info %s failed: %s", file.platform_file_id, error.response)
            found.append(file)
            continue
        except UNREACHABLE as error:
            # Slack unreachable or not answering: the message (its text, its other files) is
            # still read; this file is asked about again by the download queue.
            log.info("slack: files.info %s failed: %r", file.platform_file_id, error)
            found.append(file)
            continue
        item = answer.get("file")
        full = file_of(item) if isinstance(item, dict) else None
        found.append(full or file)
    return tuple(found)


class SlackFetcher:
    """The download queue's fetcher for channel "slack"."""

    def __init__(self, token: str, api_base_url: str, client: ClientSource | None = None) -> None:
        self.token = token
        # A Web API served elsewhere (a proxy, the tests' loopback fake) serves its files too.
        self.api_host = urlsplit(api_base_url).hostname or ""
        # For files.info, when a file was announced by its id alone.
        self.client = client

    def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        host = parts.hostname or ""
        if host == self.api_host:
            return parts.scheme in ("http", "https")
        return parts.scheme == "https" and any(
            host == known or host.endswith("." + known) for known in SLACK_FILE_HOSTS
        )

    async def fetch(self, ref: FileRef, max_bytes: int) -> bytes:
        if ref.declared_size is not None and ref.declared_size > max_bytes:
            raise FetchError(f"{ref.declared_size} bytes", TOO_BIG)
        url = ref.source or await self._url_from_info(ref.platform_file_id, max_bytes)
        if not self.allowed(url):
            # Never send the bot token to a host that is not Slack's.
            raise FetchError("not a Slack file URL", UNAVAILABLE)
        headers = {"Authorization": f"Bearer {self.token}"}
        timeout = aiohttp.ClientTimeout(total=300, sock_connect=10, sock_read=30)
        async with (
            aiohttp.ClientSession(timeout=timeout) as session,
            session.get(url, headers=headers) as response,
        ):
            if response.status == 429:
                after = response.headers.get("Retry-After", "")
                raise FetchError(
                    "slack rate limit", None, float(after) if after.isdigit() else None
                )
            if response.status in (401, 403, 404, 410):
                raise FetchError(f"slack file: HTTP {response.status}", UNAVAILABLE)
            if response.status != 200:
                raise FetchError(f"slack file: HTTP {response.status}")
            if response.content_type == "text/html" and not ref.name.lower().endswith(
                (".html", ".htm")
            ):
                # What Slack answers a request it does not accept: its sign-in page, with 200.
                raise FetchError("slack answered with a sign-in page (files:read?)", UNAVAILABLE)
            data = bytearray()
            async for chunk in response.content.iter_chunked(CHUNK):
                data += chunk
                if len(data) > max_bytes:
                    raise FetchError(f"over {max_bytes} bytes", TOO_BIG)
            return bytes(data)

    async def _url_from_info(self, file_id: str, max_bytes: int) -> str:
        """The download URL of a file announced by id alone, from files.info."""
        if self.client is None or not file_id:
            raise FetchError("no URL and no files.info", UNAVAILABLE)
        try:
            answer = await self.client().files_info(file=file_id)
        except SlackApiError as error:
            response = error.response
            code = api_error(error)
            if code in GONE:
                raise FetchError(f"files.info: {code}", UNAVAILABLE) from error
            after = response.headers.get("Retry-After", "") if response is not None else ""
            raise FetchError(
                f"files.info: {code or error}", None, float(after) if after.isdigit() else None
            ) from error
        except UNREACHABLE as error:
            raise FetchError(f"files.info: {error!r}") from error  # tried again later
        item = answer.get("file")
        file = file_of(item) if isinstance(item, dict) else None
        if file is None or not file.source:
            raise FetchError("files.info: not a downloadable file", UNAVAILABLE)
        if file.size is not None and file.size > max_bytes:
            raise FetchError(f"{file.size} bytes", TOO_BIG)
        return file.source


async def upload_file(
    client: AsyncWebClient,
    files: FileStore | None,
    item: Delivery,
    alert_message_id: str | None,
) -> str | None:
    """One attachment into the team channel, in the thread of the ticket's alert."""
    if files is None:
        raise RuntimeError("no attachment folder to read the file from")
    facts: dict[str, Any] = item.payload["file"]
    data = await files.read(str(facts["storage_name"]))
    name = str(facts.get("name") or "file")
    answer = await client.files_upload_v2(
        channel=item.chat_id,
        thread_ts=alert_message_id,
        file=data,
        filename=name,
        title=name,
        initial_comment=escape_clipped(str(item.payload.get("text", "")), 3000),
    )
    uploaded = answer.get("file") or {}
    return str(uploaded.get("id") or "") or None


FilesSource = Callable[[], FileStore | None]
