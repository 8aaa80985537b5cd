"""One table read and schema-checked, remembered by content.

A table's frame and problems are a function of its bytes, its label, its columns
and the schema (the builder and what it is built from: the dimension tables).
Remembering them under exactly those, for this process only, means a folder
validated again with one file changed re-checks only that file; any changed
byte, label or dimension is a new key, so a stale result is never served.

``IdentityMemo`` is the other kind: what a model or a page makes from one table in
hand (an index of the facts, the registry's tree), kept while it is that very table.
"""
from __future__ import annotations

import hashlib
from collections import OrderedDict
from pathlib import Path
from typing import Callable

import pandas as pd

from analysis.data.read import parse_table
from analysis.data.vocabulary import Problem

_LIMIT = 256  # entries: a data folder has a dozen or so tables
_MEMO: OrderedDict = OrderedDict()


def frozen(value):
    """A hashable stand-in for a schema argument, equal only for equal content.

    >>> frozen({"b", "a"}) == frozen({"a", "b"}), frozen(pd.DataFrame({"x": ["1"]})) == frozen(pd.DataFrame({"x": ["2"]}))
    (True, False)
    """
    if isinstance(value, pd.DataFrame):
        return ("frame", tuple(value.columns), tuple(value.index), tuple(value.dtypes.astype(str)),
                tuple(map(tuple, value.to_numpy(dtype=object).tolist())))
    if isinstance(value, (set, frozenset)):
        return ("set", frozenset(value))
    if isinstance(value, (list, tuple)):
        return ("seq", tuple(frozen(v) for v in value))
    hash(value)  # anything else must already be a value
    return value


def checked_table(path: Path, columns: list[str], label: str, schema_of: Callable, args: tuple = (),
                  optional: tuple[str, ...] = (), args_key=None) -> tuple[pd.DataFrame, list[Problem]]:
    """``read_table`` then ``schema_problems(schema_of(*args), ...)``, computed once per content.
    ``args_key`` is ``frozen(args)`` when the caller has it (the same dimensions check many files)."""
    from analysis.data.schema import schema_problems
    raw = path.read_bytes()
    key = (hashlib.sha256(raw).digest(), label, tuple(columns), tuple(optional), schema_of,
           frozen(args) if args_key is None else args_key)
    hit = _MEMO.get(key)
    if hit is None:
        frame, problems = parse_table(raw, columns, label, optional)
        problems = problems + schema_problems(schema_of(*args), frame, label)
        hit = _MEMO[key] = (frame, tuple(problems))
        if len(_MEMO) > _LIMIT:
            _MEMO.popitem(last=False)
    else:
        _MEMO.move_to_end(key)
    frame, problems = hit
    # A copy each time: callers may change the frame they are given.
    return frame.copy(), list(problems)


class IdentityMemo:
    """What ``compute(*objs)`` made from these very objects (tables in hand), made once: keyed
    by their ``id()`` and checked by identity, as an id is reused once its object is gone. A
    warm kernel renders many pages of one data set, and each page asks many times."""

    def __init__(self, limit: int = 8):
        self._limit, self._items = limit, {}

    def get(self, compute: Callable, *objs):
        key = tuple(map(id, objs))
        hit = self._items.get(key)
        if hit is None or any(a is not b for a, b in zip(hit[0], objs)):
            if len(self._items) >= self._limit:
                self._items.clear()
            hit = self._items[key] = (objs, compute(*objs))
        return hit[1]
