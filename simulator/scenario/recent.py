"""A small cache of the last few results, bounded by their number and safe across threads (the
dashboard's sessions load scenarios in threads); for the loader's parsed files and timelines."""

from __future__ import annotations

import threading
from collections.abc import Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class Recent(Generic[T]):
    """The last ``keep`` values put, by key; the least recently used goes first."""

    def __init__(self, keep: int):
        self.keep = keep
        self._items: dict[Hashable, T] = {}
        self._lock = threading.Lock()

    def take(self, key: Hashable) -> T | None:
        """The value for ``key`` (None if not kept); :meth:`put` it back to keep it."""
        with self._lock:
            return self._items.pop(key, None)

    def put(self, key: Hashable, value: T) -> None:
        with self._lock:
            self._items[key] = value  # most recent last
            while len(self._items) > self.keep:
                self._items.pop(next(iter(self._items)))

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)
