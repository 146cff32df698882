"""Tasks handed to the workers ahead of their results (:meth:`sim.study.workers.Pool.ahead`)
come back in task order with the values this process alone would compute, whoever ran
them; and once abandoned, nothing is left running."""

from __future__ import annotations

import operator

import pytest

from sim.study.workers import Pool


@pytest.mark.cli
def test_results_come_back_in_task_order_on_two_processes():
    tasks = [(k, k + 1) for k in range(12)]
    ahead = Pool(n_jobs=2).ahead(operator.mul, tasks)
    assert ahead.results() == [a * b for a, b in tasks]
    assert not ahead.todo


def test_one_process_runs_the_tasks_only_when_asked():
    done = []
    ahead = Pool(n_jobs=1).ahead(lambda k: done.append(k) or -k, [(1,), (2,), (3,)])
    assert done == []
    assert ahead.results() == [-1, -2, -3] and done == [3, 2, 1]  # from the last


@pytest.mark.cli
def test_abandoned_tasks_are_never_run_or_still_running():
    ahead = Pool(n_jobs=2).ahead(pow, [(2, k) for k in range(50)])
    ahead.abandon()
    assert not ahead.todo
    assert all(f.done() for f in ahead.futures.values())
    assert len(ahead.futures) < 50  # one per worker at a time: most were never handed out
