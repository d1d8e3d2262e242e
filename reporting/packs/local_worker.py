"""The local worker of the embedded default: with no broker configured, packs are built by one
background thread of the web process, so the request that asks for a pack returns at once and the
Packs tab shows its progress.

One thread builds one pack at a time, in the order asked (a pack may need hundreds of megabytes;
two at once would double that). It opens its own database connections and closes them after each
pack. If the process stops mid-build, the pack is left running and the job sweeper
(`manage.py sweep_jobs`) requeues or fails it, as it does for a Celery worker that died.

Tests that need a build to finish call `wait_until_idle()`.
"""

from __future__ import annotations

import logging
import queue
import threading

from django.db import close_old_connections, connections

logger = logging.getLogger(__name__)

_jobs: queue.SimpleQueue[int] = queue.SimpleQueue()
_state = threading.Condition()
_pending: list[int] = []
_thread: threading.Thread | None = None


def submit(pack_id: int) -> None:
    """Queue a pack for the local worker, starting the worker if it is not running."""
    global _thread
    with _state:
        _pending.append(pack_id)
        if _thread is None or not _thread.is_alive():
            _thread = threading.Thread(target=_work, name="pack-local-worker", daemon=True)
            _thread.start()
    _jobs.put(pack_id)


def pending() -> list[int]:
    """Ids of the packs asked of the local worker and not finished yet (the one building first)."""
    with _state:
        return list(_pending)


def wait_until_idle(timeout: float = 120) -> bool:
    """Wait until the local worker has finished every pack asked of it. False on timeout."""
    with _state:
        return _state.wait_for(lambda: not _pending, timeout=timeout)


def _work() -> None:
    from reporting.packs.services import pack_build

    while True:
        pack_id = _jobs.get()
        try:
            close_old_connections()
            pack_build(pack_id=pack_id)
        except Exception:
            # pack_build fails the pack with a reason itself; this is only what it could not record.
            logger.exception("The local worker could not build pack %s", pack_id)
        finally:
            connections.close_all()
            with _state:
                _pending.remove(pack_id)
                _state.notify_all()
