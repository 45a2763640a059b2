"""Python's cyclic garbage collector held off while a long background job runs:
`run_in_background(..., pause_gc=True)` runs its job inside `paused_gc()`.

Why: a job that builds some hundred thousand live objects (the round page's import of 105 sheet
files and its consolidation of 150 centers: sheets, inputs, the report) sets off the collector's
passes over all of them, in the worker; a pass holds the GIL, so the GUI thread stood still
0.1–0.3 s each time. `python -m bench` measures it (`round_page_stall_150`, the longest gap
between two ticks of a 5 ms timer on the GUI thread, target ≤ 100 ms): about 90 ms without the
pause, about 30 ms with it.

Scope: from the start of the first such job to the end of the last one (jobs are counted; they may
overlap). Before, the collector's state is noted; after, it is restored — a collector that was
off stays off. Meanwhile reference counting still frees whatever the job drops (the jobs make
almost no cycles). At the end, what is alive is moved to the oldest generation without a pass
(`gc.freeze()` then at once `gc.unfreeze()`: nothing stays frozen); else the first young
collection after the job, on the GUI thread, would walk every object the job left at once. Those
objects are looked at again by the next full pass like any old object (their cycles freed then).
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

_lock = threading.Lock()
_jobs = 0
_was_enabled = True


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """The collector off while the body runs (and while any other paused job runs), restored after."""
    global _jobs, _was_enabled
    with _lock:
        if _jobs == 0:
            _was_enabled = gc.isenabled()
        _jobs += 1
        gc.disable()
    try:
        yield
    finally:
        with _lock:
            _jobs -= 1
            if _jobs == 0:
                gc.freeze()  # into the permanent generation, then at once back into the oldest one:
                gc.unfreeze()  # the job's survivors become old without a pass over them
                if _was_enabled:
                    gc.enable()
