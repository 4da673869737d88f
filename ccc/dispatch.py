"""Handing Celery tasks to the broker without making a request wait on it.

A request only puts the task on an in-process queue; one background thread sends it. When the broker
is down, sending can block for seconds (connecting, retrying): that is the thread's time, never the
user's. Whatever is not sent is not lost, because the work is recorded in the database first (an
outbox, such as a queue item with no ``notified_at``) and beat's sweep sends what is still due.
After a failure the thread stops trying for a while, so a dead broker costs one timeout, not one per
task.
"""

import logging
import os
import queue
import threading
import time
from typing import Any

from kombu.exceptions import OperationalError as BrokerError

logger = logging.getLogger(__name__)
# Bounded: if the broker is slow and tasks pile up, the newest are dropped for the sweep to send.
BACKLOG = 1000
# How long to leave the broker alone after a failed send.
BACK_OFF_SECONDS = 30.0


class Dispatcher:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: queue.Queue = queue.Queue(maxsize=BACKLOG)
        self._thread: threading.Thread | None = None
        self._pid = 0
        self.broker_down_until = 0.0

    def send(self, task: Any, *args: Any) -> bool:
        """Queue ``task(*args)`` for sending; never blocks. False when it was left for the sweep."""
        if time.monotonic() < self.broker_down_until:
            return False
        self._start()
        try:
            self._pending.put_nowait((task, args))
        except queue.Full:
            logger.warning("Dispatch backlog full: %s left for the sweep", task.name)
            return False
        return True

    def wait_until_sent(self, timeout: float = 30) -> None:
        """Tests and management commands: block until everything queued so far was tried."""
        deadline = time.monotonic() + timeout
        while self._pending.unfinished_tasks and time.monotonic() < deadline:
            time.sleep(0.01)

    def _start(self) -> None:
        # A forked worker (gunicorn) inherits the object but not the thread: start one of its own.
        with self._lock:
            if self._thread is not None and self._thread.is_alive() and self._pid == os.getpid():
                return
            self._pending = queue.Queue(maxsize=BACKLOG)
            self._pid = os.getpid()
            self._thread = threading.Thread(target=self._run, name="ccc-dispatch", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        pending = self._pending
        while True:
            task, args = pending.get()
            try:
                if time.monotonic() >= self.broker_down_until:
                    task.apply_async(args=list(args), retry=False)
            except (BrokerError, OSError):
                self.broker_down_until = time.monotonic() + BACK_OFF_SECONDS
                logger.warning("Broker unavailable: %s%s left for the sweep", task.name, args)
            except Exception:  # a bug in one send must not stop the thread that does all of them
                logger.exception("Could not send %s%s", task.name, args)
            finally:
                pending.task_done()


dispatcher = Dispatcher()


def dispatch(task: Any, *args: Any) -> bool:
    return dispatcher.send(task, *args)
