"""The bytes of attachments on disk, under `[attachments] path`.

Files are named by the SHA-256 of their content: a name the desk generates (never the sender's,
so no sender can choose a path), and the same bytes are stored once however often they are sent.
The folder is private to the desk's user (mode 0700), like the SQLite database file.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import tempfile
from pathlib import Path

_NAME = re.compile(r"^[0-9a-f]{64}$")


class FileStore:
    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def ensure(self) -> None:
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        # mkdir's mode is masked by the umask, and an existing folder keeps its own.
        os.chmod(self.root, 0o700)

    def path(self, name: str) -> Path:
        if not _NAME.match(name):
            raise ValueError("not a stored attachment name")
        return self.root / name

    async def put(self, data: bytes) -> str:
        """Store `data`; returns its name (its SHA-256 in hex)."""
        return await asyncio.to_thread(self._put, data)

    def _put(self, data: bytes) -> str:
        name = hashlib.sha256(data).hexdigest()
        target = self.path(name)
        if target.exists():
            return name
        self.ensure()
        # Written whole under a temporary name, then renamed: a reader never sees half a file.
        handle, temporary = tempfile.mkstemp(dir=self.root, prefix=".incoming-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.chmod(temporary, 0o600)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return name

    async def read(self, name: str) -> bytes:
        return await asyncio.to_thread(self.path(name).read_bytes)

    def exists(self, name: str) -> bool:
        return self.path(name).exists()
