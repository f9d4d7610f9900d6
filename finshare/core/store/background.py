"""Store one part of a batch in a background thread while the next part is booked.

A large posting is booked and stored period by period (:func:`finshare.core.result.by_period`).
Booking a part is pandas work; storing it is largely the database's own work: each
statement inserts 256 rows (:mod:`finshare.core.store.bulk`), and while SQLite runs it the
driver lets other Python threads run. :class:`OneAhead` runs each store call in one worker
thread, in order, at most one part ahead of the booking, so the two overlap on a machine with
two cores. The connection is only ever used by one thread at a time: the caller hands the
writer over with :meth:`OneAhead.submit` and touches the connection again only after
:meth:`OneAhead.wait` (or the end of the ``with`` block).
"""
from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor


class OneAhead:
    """Run store calls in order in one worker thread, at most one waiting at a time.

    Used as a context manager: leaving the block waits for the last call and raises its
    exception, if any (when the block itself raised, that exception wins and the pending call
    is still waited for, so the transaction is never rolled back under a running insert).
    """

    def __init__(self):
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="finshare-store")
        self._pending: Future | None = None

    def submit(self, fn, *args, **kwargs) -> None:
        """Wait for the previous call (raising its exception), then start ``fn(*args, **kwargs)``."""
        self.wait()
        self._pending = self._pool.submit(fn, *args, **kwargs)

    def wait(self) -> None:
        """Wait for the running call, if any, and raise its exception."""
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.result()

    def __enter__(self) -> "OneAhead":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                self.wait()
            elif self._pending is not None:
                self._pending.exception()           # wait; the block's own exception is the one raised
                self._pending = None
        finally:
            self._pool.shutdown(wait=True)
