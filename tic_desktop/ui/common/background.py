"""The one way slow work leaves the GUI thread: run_in_background(fn, on_done, on_error).

Results come back by queued signal on the GUI thread; nothing touches a widget from a worker.
A result that arrives after its `owner` widget was deleted (a window closed, a page torn down while
the work ran) is dropped: the handler would reach into a deleted widget. The owner is `owner=`, or
else the object `on_done` is a bound method of.

With `on_progress`, `fn` is called with one argument, `report(*values)`, that it may call from
the worker as often as it likes; each call reaches `on_progress(*values)` on the GUI thread, in
order, before the result (dropped like the result once the owner is gone).

With `pause_gc=True` (a long job that builds many objects), Python's cyclic collector waits while
the job runs and is restored after (`ui.common.gc_pause`): its passes in the worker hold the GIL
and would stop the GUI thread.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from tic_desktop.ui.common.gc_pause import paused_gc


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)
    progress = Signal(object)


class _Task(QRunnable):
    def __init__(self, fn: Callable[..., Any], relay: _Relay, with_report: bool, pause_gc: bool = False) -> None:
        super().__init__()
        self._fn = fn
        self._relay = relay
        self._with_report = with_report
        self._pause_gc = pause_gc

    def report(self, *values: Any) -> None:
        self._emit(self._relay.progress, values)

    def run(self) -> None:
        try:
            with paused_gc() if self._pause_gc else contextlib.nullcontext():
                result = self._fn(self.report) if self._with_report else self._fn()
        except BaseException as exc:  # noqa: BLE001 - handed to on_error on the GUI thread
            self._emit(self._relay.failed, exc)
        else:
            self._emit(self._relay.done, result)

    def _emit(self, signal: Any, value: Any) -> None:
        if not shiboken6.isValid(self._relay):  # the application quit while this ran: nobody to tell
            return
        with contextlib.suppress(RuntimeError):  # deleted between the check and the emit (quitting)
            signal.emit(value)


_live: set[_Relay] = set()


def run_in_background(
    fn: Callable[..., Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None],
    *,
    owner: QObject | None = None,
    on_progress: Callable[..., None] | None = None,
    pause_gc: bool = False,
) -> None:
    relay = _Relay()
    _live.add(relay)
    if owner is None and isinstance(getattr(on_done, "__self__", None), QObject):
        owner = on_done.__self__  # type: ignore[attr-defined]

    def finish(handler: Callable[[Any], None], value: Any) -> None:
        _live.discard(relay)
        if owner is not None and not shiboken6.isValid(owner):
            return
        handler(value)

    relay.done.connect(lambda value: finish(on_done, value))
    relay.failed.connect(lambda exc: finish(on_error, exc))
    if on_progress is not None:
        def progress(values: tuple[Any, ...]) -> None:
            if owner is None or shiboken6.isValid(owner):
                on_progress(*values)

        relay.progress.connect(progress)
    QThreadPool.globalInstance().start(_Task(fn, relay, on_progress is not None, pause_gc))
