"""Storage faults to put a database through: a small tmpfs that fills up, a read-only
remount, an immutable file, a user who may not write, and damaged pages.

Each way needs something the machine may not allow (root, ``mount``, ``chattr``); the
helpers raise ``Unavailable`` with the reason, and the tests skip with it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import pwd
import random
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

PAGE = 4096


class Unavailable(Exception):
    """This way of injecting the fault does not work here (the message says why)."""


def _run(*command: str) -> None:
    try:
        subprocess.run(command, check=True, capture_output=True, text=True, timeout=30)
    except FileNotFoundError:
        raise Unavailable(f"{command[0]} is not installed") from None
    except subprocess.CalledProcessError as exc:
        raise Unavailable(f"{' '.join(command[:3])} failed: {exc.stderr.strip()}") from None


@contextlib.contextmanager
def tmpfs(mountpoint: Path, size_kib: int) -> Iterator[Path]:
    """A tmpfs of ``size_kib`` KiB mounted at ``mountpoint`` (root only), owner-only."""
    if os.geteuid() != 0:
        raise Unavailable("mounting a tmpfs needs root")
    mountpoint.mkdir(parents=True, exist_ok=True)
    _run("mount", "-t", "tmpfs", "-o", f"size={size_kib}k,mode=0700", "tmpfs", str(mountpoint))
    try:
        yield mountpoint
    finally:
        subprocess.run(["umount", "-l", str(mountpoint)], check=False, capture_output=True)


def remount(mountpoint: Path, mode: str) -> None:
    """Remount a tmpfs ``ro`` or ``rw``."""
    _run("mount", "-o", f"remount,{mode}", str(mountpoint))


def fill(folder: Path) -> Path:
    """Write a file in ``folder`` until the disk is full; returns it (delete it to free)."""
    filler = folder / "filler"
    block = b"\0" * 4096
    with filler.open("wb", buffering=0) as handle:
        while True:
            try:
                handle.write(block)
            except OSError as exc:
                if exc.errno != errno.ENOSPC:
                    raise
                break
    return filler


@contextlib.contextmanager
def immutable(path: Path) -> Iterator[None]:
    """``chattr +i`` on ``path`` (root and a file system that supports it)."""
    if os.geteuid() != 0:
        raise Unavailable("chattr +i needs root")
    _run("chattr", "+i", str(path))
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=False, capture_output=True)


def nobody() -> tuple[int, int]:
    """The uid and gid of an unprivileged user to drop to (root only)."""
    if os.geteuid() != 0:
        raise Unavailable("dropping privileges needs root")
    try:
        entry = pwd.getpwnam("nobody")
    except KeyError:
        raise Unavailable("there is no user 'nobody'") from None
    return entry.pw_uid, entry.pw_gid


def pages(db: Path) -> int:
    return db.stat().st_size // PAGE


def damage(db: Path, first: int, last: int, rng: random.Random, zeros: bool = False) -> bytes:
    """Overwrite pages ``first..last`` (0-based, inclusive) with random bytes or zeros;
    returns what is now there, to check later that nothing wrote over it."""
    size = (last - first + 1) * PAGE
    garbage = bytes(size) if zeros else rng.randbytes(size)
    with db.open("r+b") as handle:
        handle.seek(first * PAGE)
        handle.write(garbage)
    return garbage


def region(db: Path, first: int, last: int) -> bytes:
    with db.open("rb") as handle:
        handle.seek(first * PAGE)
        return handle.read((last - first + 1) * PAGE)


def copy_private(source: Path, target: Path) -> Path:
    shutil.copyfile(source, target)
    target.chmod(0o600)
    return target
