"""Every fingerprint the book keys on, in one place.

A fingerprint is a SHA-256 over bytes that decide an output: the code (the
``analysis`` package and the pinned packages) and the data files. Validated
data, warm kernels and rendered pages are each keyed by the fingerprints of
what they depend on, so a change to any of it is never served from a cache.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
LOCK = PACKAGE.parent / "requirements.txt"
# What validation reads: the tables, the source texts whose lines the facts cite, and the commentary.
DATA_PATTERNS = ("*.csv", "sources/*", "commentary/*.md")


def _stamp(paths: list[Path]) -> tuple:
    return tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in paths)


def code_fingerprint() -> str:
    """The analysis package's code (every module, the rules of validation among them) and the pinned environment."""
    # The spec (book.yml) decides what each page shows, so it is code here.
    paths = sorted([*PACKAGE.rglob("*.py"), *PACKAGE.rglob("*.yml")])
    return _code_fingerprint(_stamp(paths + ([LOCK] if LOCK.exists() else [])))


@lru_cache(maxsize=8)
def _code_fingerprint(stamp: tuple) -> str:
    # Keyed by path, size and modification time, so an unchanged checkout is hashed once per process.
    h = hashlib.sha256()
    for path, *_ in stamp:
        p = Path(path)
        h.update((p.relative_to(PACKAGE.parent).as_posix() if p.is_relative_to(PACKAGE.parent) else p.name).encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def data_fingerprint(data_dir: Path) -> str:
    """Every data file validation reads: any change gives a new value."""
    data_dir = Path(data_dir)
    paths = sorted({p for pattern in DATA_PATTERNS for p in data_dir.glob("**/" + pattern) if p.is_file()})
    return _data_fingerprint(str(data_dir), _stamp(paths))


@lru_cache(maxsize=8)
def _data_fingerprint(data_dir: str, stamp: tuple) -> str:
    # As for the code: each page asks (the worker, then the page's own load), and at 211 areas
    # reading and hashing 32 MB took 0.04 s a time.
    h = hashlib.sha256()
    for path, *_ in stamp:
        h.update(Path(path).relative_to(data_dir).as_posix().encode())
        h.update(Path(path).read_bytes())
    return h.hexdigest()[:20]


def validated_key(data_dir: Path) -> str:
    """The key of validated data: the data and the code that decides what is valid."""
    return hashlib.sha256(f"{code_fingerprint()}:{data_fingerprint(data_dir)}".encode()).hexdigest()[:24]
