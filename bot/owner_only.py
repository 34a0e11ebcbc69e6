"""Files Rebound writes are its owner's alone: 0600 files, 0700 folders, whatever the umask.

Blocking calls, meant for a worker thread (asyncio.to_thread), never the event loop.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

logger = logging.getLogger(__name__)

FILE_MODE = 0o600
FOLDER_MODE = 0o700
# O_EXCL never opens an existing name, and with O_CREAT it fails on a symbolic link too, even a
# dangling one; O_NOFOLLOW says the same again for systems that read O_EXCL loosely.
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
# How many numbered names to try next to a taken one before giving up.
NAME_TRIES = 1000


def make_folder(folder: Path) -> None:
    """Create the folder and its missing parents owner-only (0700); leave existing ones alone."""
    missing = []
    current = folder
    while not current.exists() and current.parent != current:
        missing.append(current)
        current = current.parent
    for path in reversed(missing):
        try:
            path.mkdir(mode=FOLDER_MODE)
        except FileExistsError:
            continue  # someone else made it meanwhile: it is theirs to set
        # mkdir's mode passes through the umask, which could take the owner's own bits away.
        os.chmod(path, FOLDER_MODE)


def tighten(path: Path) -> None:
    """Make an existing file owner-only (0600); a missing file is fine."""
    try:
        os.chmod(path, FILE_MODE)
    except FileNotFoundError:
        pass
    except PermissionError as error:
        # Someone else's file (a shared deployment): SQLite will say whether it can use it.
        logger.warning("could not make %s owner-only: %s", path, error.strerror)


def prepare_database(path: Path) -> None:
    """Make the database file owner-only before SQLite opens it, creating it if need be.

    SQLite creates the -wal and -shm files with the permissions of the database file itself
    (os_unix.c, robust_open), so an owner-only database file is all it takes for them too:
    no process-wide umask, which other threads' files would share. A database or log left
    readable by an earlier version is tightened here as well.
    """
    make_folder(path.parent)
    fd = os.open(path, os.O_RDONLY | os.O_CREAT | os.O_CLOEXEC, FILE_MODE)
    os.close(fd)
    for name in (str(path), f"{path}-wal", f"{path}-shm", f"{path}-journal"):
        tighten(Path(name))


def create_file(path: Path) -> int:
    """Open a new owner-only file to write; FileExistsError if the name is taken, even by a link."""
    fd = os.open(path, _NEW_FILE, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)  # the umask may have taken the owner's bits away
    except BaseException:
        os.close(fd)
        raise
    return fd


def write_new_file(folder: Path, filename: str, data: bytes) -> Path:
    """Write data to a new owner-only file in folder, under a fresh name if filename is taken.

    The folder itself may be a link: the operator chose it in REBOUND_FILES_DIR. Only the file's
    own name is never followed, so a link planted in the folder cannot send the file elsewhere.
    """
    make_folder(folder)
    name = Path(filename).name  # a name, never a path into another folder
    stem, suffix = Path(name).stem, Path(name).suffix
    for n in range(NAME_TRIES):
        path = folder / (name if n == 0 else f"{stem}-{n}{suffix}")
        try:
            fd = create_file(path)
        except FileExistsError:
            continue
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
        except BaseException:
            path.unlink(missing_ok=True)  # no half-written file is left looking complete
            raise
        return path
    raise FileExistsError(f"{NAME_TRIES} files named like {name} already exist in {folder}")
