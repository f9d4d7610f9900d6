"""OneAhead: a posting's parts are stored in order, one at a time, and a failure is never lost."""
import threading
import time

import pytest

from finshare.core.store.background import OneAhead


def test_calls_run_in_order_one_at_a_time_off_the_calling_thread():
    seen, running = [], []

    def store(k):
        running.append(k)
        assert len(running) == 1                      # never two stores at once
        time.sleep(0.01)
        seen.append((k, threading.current_thread() is not threading.main_thread()))
        running.pop()

    with OneAhead() as ahead:
        for k in range(5):
            ahead.submit(store, k)
    assert seen == [(k, True) for k in range(5)]


def test_a_failed_store_is_raised_at_the_next_submit_and_later_parts_do_not_run():
    done = []

    def store(k):
        if k == 1:
            raise ValueError("disk full")
        done.append(k)

    with pytest.raises(ValueError, match="disk full"):
        with OneAhead() as ahead:
            for k in range(4):
                ahead.submit(store, k)
    assert done == [0]


def test_a_failure_of_the_last_store_is_raised_when_the_block_ends():
    def store():
        raise RuntimeError("constraint failed")

    with pytest.raises(RuntimeError, match="constraint failed"):
        with OneAhead() as ahead:
            ahead.submit(store)


def test_when_the_block_fails_the_running_store_is_waited_for_and_the_block_error_wins():
    finished = []

    def store():
        time.sleep(0.05)
        finished.append(True)

    with pytest.raises(KeyError):
        with OneAhead() as ahead:
            ahead.submit(store)
            raise KeyError("booking failed")
    assert finished == [True]                          # nothing still writes while the transaction rolls back
