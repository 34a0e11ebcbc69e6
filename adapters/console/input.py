"""Reading the terminal's input without holding up the event loop or the exit."""

from __future__ import annotations

import asyncio
import codecs
import os
import threading
from typing import TextIO


class Lines:
    """The lines typed or piped in, read on a thread of their own so the loop stays free.

    The thread is a daemon and reads the file descriptor itself: a stop (SIGTERM, Ctrl-C)
    never waits for a next line that may not come, and exiting never waits for that thread.
    """

    def __init__(self, stream: TextIO) -> None:
        self._queue: asyncio.Queue[str | None] = asyncio.Queue()
        loop = asyncio.get_running_loop()
        try:
            fd = stream.fileno()
        except (AttributeError, OSError, ValueError):
            fd = None
        encoding = getattr(stream, "encoding", None) or "utf-8"
        reader = self._read_fd if fd is not None else self._read_stream
        source = fd if fd is not None else stream
        threading.Thread(
            target=reader, args=(source, encoding, loop), name="console-input", daemon=True
        ).start()

    async def next(self, stop: asyncio.Event) -> str | None:
        """The next line; None at the end of input or once stop is set."""
        if stop.is_set():
            return None
        line = asyncio.ensure_future(self._queue.get())
        stopped = asyncio.ensure_future(stop.wait())
        await asyncio.wait((line, stopped), return_when=asyncio.FIRST_COMPLETED)
        stopped.cancel()
        if stop.is_set():
            line.cancel()
            return None
        return line.result()

    def _put(self, loop: asyncio.AbstractEventLoop, line: str | None) -> bool:
        try:
            loop.call_soon_threadsafe(self._queue.put_nowait, line)
        except RuntimeError:  # the loop has closed: nobody is reading any more
            return False
        return True

    def _read_fd(self, fd: int, encoding: str, loop: asyncio.AbstractEventLoop) -> None:
        # Not sys.stdin's own buffer: a daemon thread blocked inside it holds its lock, and
        # the interpreter may need that lock on the way out.
        decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        pending = ""
        while True:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                chunk = b""
            pending += decoder.decode(chunk, final=not chunk)
            *complete, pending = pending.split("\n")
            for line in complete:
                if not self._put(loop, line + "\n"):
                    return
            if not chunk:
                if pending:
                    self._put(loop, pending)
                self._put(loop, None)
                return

    def _read_stream(self, stream: TextIO, _: str, loop: asyncio.AbstractEventLoop) -> None:
        while True:
            line = stream.readline()
            if not self._put(loop, line or None) or not line:
                return
