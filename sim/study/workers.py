"""Where a study's replications run: in this process, on worker processes of this machine
(loky, joblib's process pool), or on a Ray cluster (``mc.backend=ray``).

Work is handed out as tasks, each a function and its arguments (one chunk of replications,
or one figure). Results come back in task order, whatever finished first, so a study folds
them in one order on every backend and worker count, and its numbers do not depend on
either. Only a few tasks per worker are in flight at once, so memory does not grow with the
number of tasks.

Locally, ``mc.n_jobs`` processes compute: this one and ``n_jobs - 1`` workers. This process
never only waits: while the result it needs next is not back, it runs the next task no
worker has taken. So a worker's start (about half a second: a new Python and its imports)
costs nothing but the work it would have done, and :meth:`Pool.start` starts workers early,
in the background, while this process imports what it needs. On Ray, each distinct
argument object (the config, the seed data) is put in the object store once and shared by
every task.

Left out: retrying a task a worker lost (Ray retries it itself; loky fails the run).
"""

from __future__ import annotations

import sys
import threading
import warnings
from collections import deque
from dataclasses import dataclass
from typing import Callable, Iterator

from sim.errors import InputError

BACKENDS = ("local", "ray")
IDLE_SECONDS = 300
"""Local workers left idle this long exit (a sweep's jobs reuse them meanwhile)."""


@dataclass(frozen=True)
class Pool:
    """How a study runs its tasks: ``backend`` (``local``: ``n_jobs`` processes of this
    machine, counting this one; ``ray``: a Ray cluster at ``ray_address``, or a local
    Ray started for the run if empty); each named as its ``mc.*`` key."""

    n_jobs: int = 1
    backend: str = "local"
    ray_address: str = ""

    @classmethod
    def of(cls, cfg) -> "Pool":
        from joblib import effective_n_jobs

        mc = cfg.mc
        return cls(effective_n_jobs(mc.n_jobs), mc.backend, mc.ray_address)

    def _executor(self):
        from joblib.externals.loky import get_reusable_executor

        return get_reusable_executor(max_workers=self.n_jobs - 1, timeout=IDLE_SECONDS)

    def connect(self) -> None:
        """Make sure the backend can take tasks, before a run touches any folder: for Ray,
        that it is installed and that a cluster answers at ``ray_address`` (or a local
        one starts). Refuses in one line naming ``mc.backend`` or ``mc.ray_address``."""
        if self.backend != "ray":
            return
        try:
            import ray
        except ImportError:
            raise InputError("mc.backend", "ray: Ray is not installed; pip install -c "
                                           "constraints.txt -e \".[ray]\", or use local") from None
        if ray.is_initialized():
            return
        try:
            _answers(self.ray_address)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # Ray's own advice, said in our line instead
                ray.init(address=self.ray_address or None, include_dashboard=False,
                         log_to_driver=False, configure_logging=False)
        except Exception as ex:  # noqa: BLE001 (a timeout, a refused port, a bad scheme)
            why = " ".join(str(ex).split())  # Ray's messages run over several lines
            raise InputError("mc.ray_address", f"{self.ray_address or '(a local Ray)'}: no "
                             f"Ray cluster could be reached ({why}); give a running "
                             "cluster's address (auto, ray://HEAD:10001), or leave it empty "
                             "to start a local one") from None

    def start(self, modules: list[str]) -> None:
        """Start the local workers now, each importing ``modules``, without waiting."""
        if self.backend == "local" and self.n_jobs > 1:
            executor = self._executor()
            _STARTING[:] = [executor.submit(_import, modules) for _ in range(self.n_jobs - 1)]

    def run(self, function: Callable, tasks: list[tuple], *, progress: bool = False,
            label: str = "", units: list[int] | None = None) -> Iterator:
        """``function(*task)`` for each task, yielded in task order; a progress bar counts
        ``units`` (replications) per task."""
        from tqdm.auto import tqdm

        bar = tqdm(total=sum(units or [1] * len(tasks)), desc=label, unit="rep",
                   disable=None if progress else True, leave=False)
        if self.backend == "ray":
            results = _on_ray(function, tasks, self.ray_address)
        elif self.n_jobs == 1 or len(tasks) <= 1:
            results = (function(*task) for task in tasks)
        else:
            results = _here_and_on_workers(function, tasks, self._executor(), self.n_jobs - 1,
                                           _started)
        try:
            for k, result in enumerate(results):
                bar.update(units[k] if units else 1)
                yield result
        finally:
            bar.close()
            results.close()

    def ahead(self, function: Callable, tasks: list[tuple]) -> "Ahead":
        """``function(*task)`` for each task, handed to the local workers now, without
        waiting: this process does other work meanwhile, then takes the results
        (:meth:`Ahead.results`). Elsewhere (one process, Ray) the tasks run when asked."""
        ahead = Ahead(function, tasks)
        if self.backend == "local" and self.n_jobs > 1:
            ahead.hand_out(self._executor(), self.n_jobs - 1)
        return ahead


class Ahead:
    """Tasks handed to the workers ahead of their results (:meth:`Pool.ahead`): one task
    per worker at a time, the next given as one comes back, so that whatever no worker has
    taken when this process asks for the results, this process runs."""

    def __init__(self, function: Callable, tasks: list[tuple]):
        self.function = function
        self.todo = deque(enumerate(tasks))
        self.futures: dict = {}
        self._lock = threading.Lock()
        self._executor = None

    def hand_out(self, executor, workers: int) -> None:
        self._executor = executor
        for _ in range(workers):
            self._next()

    def _next(self, _done=None) -> None:
        """Give a worker the first task nobody has taken (on each task's return too)."""
        with self._lock:
            if not self.todo or self._executor is None:
                return
            k, task = self.todo.popleft()
            try:
                future = self.futures[k] = self._executor.submit(self.function, *task)
            except RuntimeError:  # the executor is shutting down: this process runs it
                self.todo.appendleft((k, task))
                return
        future.add_done_callback(self._next)

    def _last(self) -> tuple | None:
        with self._lock:
            return self.todo.pop() if self.todo else None

    def results(self) -> list:
        """Every task's result, in task order: this process runs, from the last, each task
        no worker has taken (a worker takes them from the first), then waits for the rest."""
        here = {}
        try:
            while (taken := self._last()) is not None:
                here[taken[0]] = self.function(*taken[1])
            return [here[k] if k in here else self.futures[k].result()
                    for k in range(len(here) + len(self.futures))]
        finally:
            self.abandon()

    def abandon(self) -> None:
        """Run nothing more: hand out nothing, wait for the tasks the workers have."""
        with self._lock:
            self._executor = None
            self.todo.clear()
        from concurrent.futures import wait

        wait([f for f in self.futures.values() if not f.cancel()])

_STARTING: list = []
"""The import tasks :meth:`Pool.start` gave the workers (a worker is busy until its own is
done)."""


def _answers(address: str, seconds: float = 5.0) -> None:
    """For a cluster named by ``host:port`` (its head's GCS), check that the port answers:
    Ray itself would retry a dead address for minutes. Other forms (``auto``, ``ray://``,
    empty) are Ray's to check."""
    host, sep, port = address.rpartition(":")
    if not sep or "://" in address or not port.isdigit():
        return
    import socket

    with socket.create_connection((host, int(port)), timeout=seconds):
        pass


def _started() -> int:
    """How many workers have started: imported what :meth:`Pool.start` gave them."""
    if not _STARTING:  # never started early: each starts with its first task
        return sys.maxsize
    return sum(f.done() for f in _STARTING)


def _here_and_on_workers(function: Callable, tasks: list[tuple], executor, workers: int,
                         started: Callable[[], int]) -> Iterator:
    """Results in task order: two tasks per started worker are kept queued (results already
    back do not count, so a worker never waits for this process to catch up); while the
    next result is not back, this process runs the next task nobody has taken. A worker
    still starting gets nothing, so a short study never waits for a worker's imports."""
    todo = deque(enumerate(tasks))
    futures: dict = {}
    done_here: dict = {}
    try:
        for wanted in range(len(tasks)):
            while True:
                while todo and sum(not f.done() for f in futures.values()) < \
                        2 * min(workers, started()):
                    k, task = todo.popleft()
                    futures[k] = executor.submit(function, *task)
                if wanted in done_here:
                    yield done_here.pop(wanted)
                    break
                future = futures.get(wanted)
                if future is not None and (future.done() or not todo):
                    yield futures.pop(wanted).result()
                    break
                k, task = todo.popleft()  # the next task nobody has taken
                done_here[k] = function(*task)
    finally:
        for future in futures.values():
            future.cancel()


def _import(modules: list[str]) -> None:
    import importlib

    for name in modules:
        importlib.import_module(name)


def _on_ray(function: Callable, tasks: list[tuple], address: str) -> Iterator:
    """Each task as a Ray task, at most two per CPU of the cluster in flight; results in
    task order."""
    import ray

    if not ray.is_initialized():
        Pool(backend="ray", ray_address=address).connect()
    remote = ray.remote(function)
    shared: dict[int, tuple] = {}

    def put(arg):
        if arg is None or isinstance(arg, (bool, int, float, str, range)):
            return arg
        if id(arg) not in shared:
            shared[id(arg)] = (ray.put(arg), arg)  # keep arg alive: ids stay unique
        return shared[id(arg)][0]

    window = max(2, 2 * int(ray.cluster_resources().get("CPU", 1)))
    pending: deque = deque()
    todo = iter(tasks)
    for task in todo:
        pending.append(remote.remote(*map(put, task)))
        if len(pending) >= window:
            break
    while pending:
        result = ray.get(pending.popleft())
        task = next(todo, None)
        if task is not None:
            pending.append(remote.remote(*map(put, task)))
        yield result
