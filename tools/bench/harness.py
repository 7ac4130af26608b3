# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Timing and query counting of one operation, rolled back after each run.

A run opens a cursor with the context of a web client's request (language, time zone,
current company), prepares its records (not timed), empties the record cache as a
new request would, then times the operation up to the flush and the pre-commit hooks
(tracking values and chatter are written there), counts its queries with the cursor's
own counter (as ``assertQueryCount`` does) and rolls everything back. Sides of one
measurement are interleaved (plain, addon, plain, addon…) after one warm-up run each;
a ratio is the median of the rounds' ratios (see ``Result.ratio``)."""

import gc
import re
import signal
import statistics
import time
from contextlib import contextmanager

import adapter

from odoo import api
from odoo.sql_db import Cursor

ADMIN_UID = 2


class CommitDuringRun(Exception):
    pass


_state = {"guard": False, "capture": None}
_execute = Cursor.execute
_commit = Cursor.commit


def _guarded_commit(self):
    if _state["guard"]:
        raise CommitDuringRun("the measured code committed; the run could not be rolled back")
    return _commit(self)


def _capturing_execute(self, query, params=None, log_exceptions=True):
    if _state["capture"] is not None:
        _state["capture"].append(str(query.code if hasattr(query, "code") else query))
    return _execute(self, query, params, log_exceptions)


Cursor.commit = _guarded_commit
Cursor.execute = _capturing_execute


class Stopped(BaseException):
    """The operation ran longer than its time limit (not an Exception: the ORM's broad
    ``except Exception`` clauses must not swallow it)."""


def _alarm(_signum, _frame):
    raise Stopped()


class Sample:
    __slots__ = ("seconds", "queries", "statements", "info", "stopped")

    def __init__(self, seconds, queries, statements, info, stopped=False):
        self.seconds, self.queries, self.statements, self.info = seconds, queries, statements, info
        self.stopped = stopped


def _timed(env, action, state, capture, timeout):
    """Run ``action`` timed; past ``timeout`` seconds it is stopped and the sample is a
    lower bound (time and queries so far), flagged ``stopped``."""
    cr = env.cr
    statements = [] if capture else None
    _state["capture"] = statements
    queries = cr.sql_log_count
    start = time.perf_counter()
    stopped, info = False, None
    if timeout:
        signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        info = action(env, state)
        env.flush_all()
        cr.precommit.run()
    except Stopped:
        stopped = True
    finally:
        if timeout:
            signal.setitimer(signal.ITIMER_REAL, 0)
        _state["capture"] = None
    return Sample(time.perf_counter() - start, cr.sql_log_count - queries, statements or [], info, stopped)


def _prepare(env, setup):
    state = setup(env) if setup else None
    env.flush_all()
    env.cr.precommit.run()
    env.invalidate_all()
    # The garbage the earlier runs left is collected here, untimed: a collection they
    # owe (a full one costs half a second with two registries loaded) would otherwise
    # land in whichever run crosses the threshold. The run still pays the collections
    # its own allocations trigger.
    gc.collect()
    return state


@contextmanager
def _transaction(registry):
    """A cursor whose work is always rolled back; commits are refused."""
    cr = registry.cursor()
    try:
        _state["guard"] = True
        env = api.Environment(cr, ADMIN_UID, {"lang": "en_US", "tz": "UTC"})
        # As the web client sends it: the context names the user's current company.
        yield env(context=dict(env.context, allowed_company_ids=[env.user.company_id.id]))
    finally:
        _state["capture"] = None
        _state["guard"] = False
        cr.precommit.clear()
        cr.postcommit.clear()
        cr.rollback()
        cr.close()


def run_once(registry, setup, action, capture=False, timeout=None):
    """``setup(env) -> state`` untimed, ``action(env, state) -> info`` timed."""
    with _transaction(registry) as env:
        state = _prepare(env, setup)
        return _timed(env, action, state, capture, timeout)


def run_chain(registry, steps, timeout=None):
    """Consecutive timed steps ``[(setup, action)]`` in one transaction (each step
    builds on the previous ones); stops at the first step stopped by the time limit."""
    samples = []
    with _transaction(registry) as env:
        for setup, action in steps:
            state = _prepare(env, setup)
            samples.append(_timed(env, action, state, False, timeout))
            if samples[-1].stopped:
                break
    return samples


class Result:
    """Medians of each side; ``error`` set instead when a side could not run."""

    def __init__(self, name, group, labels):
        self.name, self.group, self.labels = name, group, labels
        self.samples = {label: [] for label in labels}
        self.error = None
        self.target = None  # (text, ok or None)
        self.note = ""

    def seconds(self, label):
        values = self.samples.get(label)
        return statistics.median(s.seconds for s in values) if values else None

    def queries(self, label):
        values = self.samples.get(label)
        return round(statistics.median(s.queries for s in values)) if values else None

    def last(self, label):
        return self.samples[label][-1]

    @property
    def base(self):
        return self.labels[0] if len(self.labels) > 1 else None

    @property
    def subject(self):
        return self.labels[-1]

    def ratio(self):
        """Median of the rounds' ratios: each run of the subject over the run of the base
        just before it. The sides are interleaved, so a round's two runs share the
        machine's state, and its drift from one round to the next (other jobs, CPU
        frequency, the host) cancels out; a ratio of medians takes each median from
        different moments. When the runs do not pair up (a run stopped early): the
        ratio of the medians."""
        if not self.base or self.error:
            return None
        base, subject = self.samples[self.base], self.samples[self.subject]
        if len(base) == len(subject) and all(sample.seconds > 0 for sample in base):
            return statistics.median(s.seconds / b.seconds for b, s in zip(base, subject, strict=True))
        return self.ratio_of_medians()

    def ratio_of_medians(self):
        if not self.base or self.error:
            return None
        base = self.seconds(self.base)
        return self.seconds(self.subject) / base if base else None

    def extra_queries(self):
        if not self.base or self.error:
            return None
        return self.queries(self.subject) - self.queries(self.base)


def measure(name, group, sides, repeats, capture=False, warmup=True, timeout=None):
    """``sides``: [(label, registry, setup, action)], the compared side last."""
    result = Result(name, group, [side[0] for side in sides])
    try:
        rounds = ([None] if warmup else []) + list(range(repeats))
        for index in rounds:
            for label, registry, setup, action in sides:
                sample = run_once(registry, setup, action, capture, timeout)
                if index is not None:
                    result.samples[label].append(sample)
                if sample.stopped:
                    result.samples[label][-1:] = [sample]
                    result.note = f"stopped after {timeout:.0f} s: ≥ {sample.queries:,} queries so far"
                    return result
    except adapter.NotAvailable as exc:
        result.error = f"n/a: {exc}"
    except Exception as exc:  # noqa: BLE001 - a broken measurement is reported, the run goes on
        result.error = f"error: {type(exc).__name__}: {str(exc).splitlines()[0][:160] if str(exc) else ''}"
    return result


def count_statements(statements, pattern):
    regex = re.compile(pattern, re.IGNORECASE | re.DOTALL)
    return sum(1 for statement in statements if regex.search(statement))


@contextmanager
def quiet_logs():
    import logging

    logger = logging.getLogger("odoo")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)
