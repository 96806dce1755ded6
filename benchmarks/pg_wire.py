"""A loopback proxy in front of PostgreSQL that counts what the client sends, message by message
of the wire protocol: what a message really costs, whichever layer (SQLAlchemy or asyncpg
directly) sent it.

- round trips: a Sync (extended protocol) or a Query (simple protocol) each wait for the
  server's ReadyForQuery; asyncpg never pipelines past one.
- statements: Execute messages, plus simple queries (BEGIN, COMMIT, ROLLBACK, ...).
- prepares: Parse messages (a statement not yet prepared on that connection).

Only for benchmarks: it adds its own latency, so timings are taken without it.
"""

from __future__ import annotations

import asyncio
import struct
from collections import Counter
from collections.abc import Callable

_SSL_REQUEST = 80877103
_GSS_REQUEST = 80877104


class WireCounter:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.sent: Counter[str] = Counter()
        self.simple: Counter[str] = Counter()
        self.parsed: list[str] = []  # the text of every statement prepared
        self._server: asyncio.Server | None = None

    async def start(self) -> int:
        """Listen on 127.0.0.1; returns the port to connect to instead of the server's."""
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return int(self._server.sockets[0].getsockname()[1])

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()

    def reset(self) -> None:
        self.sent.clear()
        self.simple.clear()
        self.parsed.clear()

    @property
    def round_trips(self) -> int:
        return self.sent["S"] + self.sent["Q"]

    @property
    def statements(self) -> int:
        return self.sent["E"] + self.sent["Q"]

    async def _serve(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        server_r, server_w = await asyncio.open_connection(self.host, self.port)
        # Startup: refuse encryption (so the messages stay readable), forward the rest.
        while True:
            (length,) = struct.unpack("!i", await client_r.readexactly(4))
            body = await client_r.readexactly(length - 4)
            (code,) = struct.unpack("!i", body[:4])
            if code in (_SSL_REQUEST, _GSS_REQUEST):
                client_w.write(b"N")
                await client_w.drain()
                continue
            server_w.write(struct.pack("!i", length) + body)
            break
        back = asyncio.create_task(_pipe(server_r, client_w))
        try:
            await self._forward(client_r, server_w)
        finally:
            back.cancel()
            server_w.close()
            client_w.close()

    async def _forward(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            try:
                head = await reader.readexactly(5)
            except asyncio.IncompleteReadError:
                return
            kind = chr(head[0])
            (length,) = struct.unpack("!i", head[1:])
            body = await reader.readexactly(length - 4)
            self.sent[kind] += 1
            if kind == "P":
                self.parsed.append(body.split(b"\0", 2)[1].decode())
            if kind == "Q":
                self.simple[body.split(b" ", 1)[0].rstrip(b"\0;").decode().upper()] += 1
            writer.write(head + body)
            await writer.drain()


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    finally:
        # The server hung up (after a Terminate): so does the proxy, or the client waits.
        writer.close()


def describe(counter: WireCounter, messages: int, on: Callable[[str], None] = print) -> None:
    simple = ", ".join(f"{name} {count / messages:.2f}" for name, count in counter.simple.items())
    on(
        f"wire per message: round trips {counter.round_trips / messages:.2f}  "
        f"statements {counter.statements / messages:.2f}  "
        f"prepares {counter.sent['P'] / messages:.2f}  (simple queries: {simple or 'none'})"
    )
