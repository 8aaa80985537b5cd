"""Running templates: papermill on a kernel that each worker keeps warm.

A papermill run on a new kernel pays for the kernel's start (about 1 s) and
for importing pandas, plotly and the book's code (about 0.7 s) before the
page's own work, which is often less than half a second. Here each worker
(a process, or a dask worker thread) starts one kernel and runs all its
pages on it: the namespace and the execution counter are reset before each
page, so every page still starts from nothing but the already-imported
modules. A kernel is restarted whenever the book's code or data changed
since it started, so no cached result outlives its inputs.
"""
from __future__ import annotations

import atexit
import functools
import multiprocessing.util
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import nbformat

from analysis import ROOT

# Run silently before each page: it leaves no output and does not count as a cell.
# (IPython's own reset also runs the garbage collector, 80 ms a page.)
RESET_CODE = """\
def _reset(ip):
    hm = ip.history_manager
    hm.output_hist.clear()
    hm.input_hist_parsed[:] = [""]
    hm.input_hist_raw[:] = [""]
    ip.user_ns.clear()
    ip.init_user_ns()
    ip.execution_count = 1
_reset(get_ipython())
"""
# No history database: pages never read it, and writing it costs time on every cell.
KERNEL_ARGS = ["--HistoryManager.enabled=False"]
KERNEL_NAME = "python3"
PAGE_TIMEOUT = 600  # seconds a cell may run before the page fails


class _Warm(threading.local):
    km = None
    kc = None
    key = None


_warm = _Warm()  # one kernel per thread: a dask worker may run several pages at once
_started: list = []  # (kernel manager, client) of every kernel this process started and has not stopped


def _stop(km, kc) -> None:
    from jupyter_core.utils import run_sync
    if kc is not None:
        kc.stop_channels()
    if km is not None and km.has_kernel:
        run_sync(km.shutdown_kernel)(now=True)


def _shutdown() -> None:
    """Stop this thread's kernel."""
    pair = (_warm.km, _warm.kc)
    _warm.km = _warm.kc = _warm.key = None
    if pair in _started:
        _started.remove(pair)
    _stop(*pair)


@atexit.register
def _shutdown_all() -> None:
    while _started:
        _stop(*_started.pop())


def _forget_parents_kernels() -> None:
    # A forked worker inherits its parent's kernel objects, whose sockets it must not use or close.
    _warm.km = _warm.kc = _warm.key = None
    _started.clear()


os.register_at_fork(after_in_child=_forget_parents_kernels)


def warm_kernel(key: str):
    """This thread's kernel manager and client, started on first use and restarted when ``key`` changes.

    The client is kept too: a new one waits about 0.2 s for the kernel's
    output channel to fall quiet, which is half a small page's cost."""
    if _warm.km is not None and (_warm.key != key or not _warm.km.has_kernel):
        _shutdown()
    if _warm.km is None:
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync
        km = AsyncKernelManager(kernel_name=KERNEL_NAME)
        run_sync(km.start_kernel)(cwd=str(ROOT), extra_arguments=KERNEL_ARGS)
        if not _started:
            # Pool workers leave through os._exit, which skips atexit; multiprocessing's finalizers still run.
            multiprocessing.util.Finalize(None, _shutdown_all, exitpriority=10)
        kc = km.client()
        kc.allow_stdin = False
        kc.start_channels()
        _started.append((km, kc))
        run_sync(kc.wait_for_ready)(timeout=60)
        _warm.km, _warm.kc, _warm.key = km, kc, key
    return _warm.km, _warm.kc


@functools.cache
def _client_class():
    from papermill.clientwrap import PapermillNotebookClient

    class WarmClient(PapermillNotebookClient):
        """papermill's client, with the namespace reset before the first cell."""

        prelude = RESET_CODE

        def papermill_execute_cells(self):
            reply = self.wait_for_reply(self.kc.execute(self.prelude, silent=True, store_history=False))
            if reply is None or reply["content"]["status"] != "ok":
                raise RuntimeError("the kernel could not be reset before the page")
            super().papermill_execute_cells()

    return WarmClient


@functools.cache
def _engine_class():
    from papermill.engines import NBClientEngine, logger
    from papermill.utils import merge_kwargs, remove_args

    class WarmEngine(NBClientEngine):
        """papermill's nbclient engine, running on the worker's warm kernel."""

        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                     stderr_file=None, start_timeout=60, execution_timeout=None, **kwargs):
            kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
            km, kc = kwargs.pop("warm")
            prelude = kwargs.pop("prelude")
            client = _client_class()(nb_man, km=km, **merge_kwargs(
                kwargs, timeout=execution_timeout, startup_timeout=start_timeout, kernel_name=kernel_name,
                log=logger, log_output=log_output, stdout_file=stdout_file, stderr_file=stderr_file))
            client.prelude = prelude
            client.kc = kc  # given a kernel and a client, nbclient starts neither and stops neither
            return client.execute()

    return WarmEngine


def register_engine() -> str:
    from papermill.engines import papermill_engines
    if "book-warm" not in papermill_engines._engines:
        papermill_engines.register("book-warm", _engine_class())
    return "book-warm"


def current_key() -> str:
    """What a warm kernel's cached state depends on: the book's code and its data."""
    from analysis import DATA_DIR
    from analysis.data.keys import code_fingerprint, data_fingerprint
    return f"{code_fingerprint()}-{data_fingerprint(DATA_DIR)}"


# What every page imports first: loaded once a kernel, so its first page does not wait for it.
PRELOAD = "import analysis.pages.blocks, analysis.pages.pagedata"


def warm_up(kernel_key: str) -> None:
    """Start this worker's kernel ahead of its first page, with the pages' modules imported;
    a render submits one per worker while the data are still being validated."""
    from jupyter_core.utils import run_sync
    _, kc = warm_kernel(kernel_key)
    msg_id = kc.execute(PRELOAD, silent=True, store_history=False)
    while True:
        reply = run_sync(kc.get_shell_msg)(timeout=60)
        if reply["parent_header"].get("msg_id") == msg_id:
            break
    if reply["content"]["status"] != "ok":
        _shutdown()  # the first page starts a new kernel and reports the error itself


def execute_template(template: Path, params: dict, kernel_key: str = "") -> nbformat.NotebookNode:
    """Run one template with papermill on this thread's warm kernel; return the executed notebook.
    The page makes its own data (analysis.pages.pagedata): nothing of one page's data is left
    in the kernel for the next, whose namespace is reset first.

    ``kernel_key`` is the caller's :func:`current_key`; a worker whose own
    code or data differ refuses the page rather than render it from other inputs.
    """
    import papermill

    here = current_key()
    if kernel_key and kernel_key != here:
        raise RuntimeError("this worker's copy of the book's code or data differs from the one that asked for the "
                           "render; give every worker the same checkout")
    warm = warm_kernel(here)
    try:
        return papermill.execute_notebook(
            str(template), None, parameters=params, engine_name=register_engine(), warm=warm, prelude=RESET_CODE,
            kernel_name=KERNEL_NAME, progress_bar=False, log_output=False, execution_timeout=PAGE_TIMEOUT,
        )
    except Exception:
        # A failed page may leave the kernel in any state; the next page gets a new one.
        _shutdown()
        raise


# --- where pages run -------------------------------------------------------------------------

DASK_PREFIX = "dask://"


def check_executor(spec: str) -> str:
    """``local`` (a process pool on this machine) or ``dask://HOST:PORT`` (a dask.distributed scheduler).

    >>> check_executor("dask://10.0.0.5:8786")
    'dask://10.0.0.5:8786'
    >>> check_executor("spark://x")
    Traceback (most recent call last):
    ValueError: executor 'spark://x' is not known: use 'local' or 'dask://HOST:PORT'
    """
    if spec == "local" or (spec.startswith(DASK_PREFIX) and ":" in spec[len(DASK_PREFIX):]):
        return spec
    raise ValueError(f"executor {spec!r} is not known: use 'local' or 'dask://HOST:PORT'")


DASK_CONNECT_TIMEOUT = "20s"


@contextmanager
def executor(spec: str, jobs: int):
    """A concurrent.futures executor for ``spec``; see :func:`check_executor`.

    Each dask worker thread keeps its own warm kernel, as a local worker does;
    every worker needs the same checkout of the book (render refuses otherwise).
    """
    if check_executor(spec) == "local":
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            yield pool
        return
    from distributed import Client
    address = "tcp://" + spec[len(DASK_PREFIX):]
    try:
        client = Client(address, timeout=DASK_CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        raise RuntimeError(f"cannot reach the dask scheduler at {address}: {exc}") from None
    with client:
        yield client.get_executor(pure=False)
