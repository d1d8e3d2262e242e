"""Holding off Python's cyclic garbage collector around one bulk read.

A 10,000-entry read builds tens of thousands of small acyclic objects (rows, records, lists of
ids, JSON dicts) that reference counting frees as soon as the caller lets go of them. Left
running, the cyclic collector walks them, and the whole heap with them, several times a request:
about a third of the time a whole-case flags evaluation or JSON export takes. Pausing it around
such a read changes nothing but when a cycle elsewhere would have been found.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Disable the cyclic collector inside the block; re-enable it only if it was enabled on entry."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
