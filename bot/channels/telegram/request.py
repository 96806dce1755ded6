"""PTB's request seam filled with aiohttp instead of httpx.

python-telegram-bot sends every Bot API call through a `BaseRequest`; its default (httpx) costs
about a millisecond of CPU per call, which dominates a desk that makes two or three calls per
update (answer the button, edit its message, reply). aiohttp (already a dependency, for the
webhook server) does the same for a fraction. The wire format is PTB's own: `RequestData` still
decides the fields (form-encoded, JSON-typed values as JSON text, multipart when files are
attached); only the HTTP client differs.
"""

from __future__ import annotations

import re
from typing import cast

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

FORM = "application/x-www-form-urlencoded"
_TOKEN_IN_PATH = re.compile(r"/bot[^/\s'\"]+/")


class AiohttpRequest(BaseRequest):
    """A `BaseRequest` on one aiohttp ClientSession (keep-alive pool of `connection_limit`)."""

    def __init__(
        self,
        *,
        connection_limit: int = 64,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
    ) -> None:
        self._limit = connection_limit
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._limit)
            self._session = aiohttp.ClientSession(
                connector=connector, headers={"User-Agent": self.USER_AGENT}
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        read = _given(read_timeout, self._read_timeout)
        connect = _given(connect_timeout, self._connect_timeout)
        # aiohttp has no separate write timeout; the read clock starts once the body is sent.
        timeout = aiohttp.ClientTimeout(total=None, sock_connect=connect, sock_read=read)
        data: aiohttp.FormData | str | None = None
        headers: dict[str, str] = {}
        if request_data is not None and request_data.contains_files:
            data = _multipart(request_data)
        elif request_data is not None:
            data = request_data.url_encoded_parameters()
            headers["Content-Type"] = FORM
        try:
            async with self._session.request(
                method, url, data=data, headers=headers, timeout=timeout
            ) as response:
                return response.status, await response.read()
        except TimeoutError:
            raise TimedOut from None
        except aiohttp.ClientError as error:
            # Never `str(error)` nor the error as a cause: aiohttp quotes the request URL, which
            # holds the bot token, and this text ends up in logs and in outbox.last_error.
            raise NetworkError(f"aiohttp.{type(error).__name__}: {_describe(error)}") from None


def _describe(error: aiohttp.ClientError) -> str:
    if isinstance(error, aiohttp.ClientResponseError):
        return f"{error.status}, {error.message}"
    if isinstance(error, aiohttp.ClientConnectorError):
        return f"cannot connect to {error.host}:{error.port} ({error.strerror})"
    if isinstance(error, aiohttp.InvalidURL):
        return "invalid URL"
    return _TOKEN_IN_PATH.sub("/bot[redacted]/", str(error))


def _given(value: object, default: float | None) -> float | None:
    """A per-call timeout, or this request's default when PTB passed its DEFAULT_NONE."""
    return default if value is BaseRequest.DEFAULT_NONE else cast("float | None", value)


def _multipart(request_data: RequestData) -> aiohttp.FormData:
    form = aiohttp.FormData()
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, (filename, content, mimetype) in request_data.multipart_data.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form
