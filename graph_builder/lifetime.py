"""Worker processes that never outlive the build that started them.

A worker started by a process pool keeps running when its parent is killed
(``kill -9``, or a signal Python does not handle): it is re-parented and
parses on, holding hundreds of MB. :func:`die_with_parent` (run in each
worker as it starts) asks Linux to send it ``SIGKILL`` when its parent dies
(``prctl(PR_SET_PDEATHSIG)``). A worker of a fork server (the server is its
parent) watches the build itself: the server only ends when its last worker
has, so a worker that waited for it would wait forever. The watch is a daemon
thread waiting on a pidfd of the build (Linux), else polling its pid.
:func:`stop_workers` ends a pool's workers at once, for a build that
stops early (an error, ``SIGTERM``, Ctrl-C), rather than letting them finish
the chunks in flight.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import select
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor

__all__ = ["die_with_parent", "stop_workers"]

_PR_SET_PDEATHSIG = 1
_POLL_SECONDS = 1.0
_MANAGER_JOIN_SECONDS = 10.0


def die_with_parent(parent: int) -> None:
    """End this process when the process ``parent`` ends: its parent, or the build that
    started the fork server it comes from."""
    if parent == os.getppid() and sys.platform.startswith("linux") and _set_parent_death_signal():
        # The parent may have died before the call: then this process is already re-parented.
        if os.getppid() != parent:
            os._exit(1)
        return
    threading.Thread(target=_watch, args=(parent,), daemon=True, name="parent-watch").start()


def _set_parent_death_signal() -> bool:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch(pid: int) -> None:
    """Exit as soon as the process ``pid`` has ended."""
    try:
        handle = os.pidfd_open(pid)
    except ProcessLookupError:
        os._exit(1)
    except (AttributeError, OSError):  # not Linux 5.3 or later
        while _alive(pid):
            time.sleep(_POLL_SECONDS)
        os._exit(1)
    select.select([handle], [], [])  # readable once the process has ended
    os._exit(1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process now has the pid: the build has ended
    return True


def stop_workers(pool: ProcessPoolExecutor) -> None:
    """Kill ``pool``'s workers now and cancel what they have not started."""
    terminate = getattr(pool, "terminate_workers", None)  # Python 3.14
    if terminate is not None:
        terminate()
        return
    # Before shutdown(), which forgets the processes and the manager thread.
    processes = list((getattr(pool, "_processes", None) or {}).values())
    manager = getattr(pool, "_executor_manager_thread", None)
    for process in processes:
        process.kill()
    pool.shutdown(wait=False, cancel_futures=True)
    if manager is not None:
        # The manager thread closes its wake-up pipe when it sees the dead workers; at exit
        # Python writes to that pipe, and before 3.12 the two race ("Bad file descriptor").
        manager.join(_MANAGER_JOIN_SECONDS)
