"""The dispatch loop, with a fake executor: bounded in-flight work, crashes, stopping."""

from concurrent.futures import Future

from myoemg.batching._discover import Job
from myoemg.batching._executors import dispatch
from myoemg.batching._stop import Stop


class FakeExecutor:
    """Finishes the oldest future at each wait; ``crash`` names jobs whose worker dies (and
    takes everything in flight beside it down too, as a broken process pool does)."""

    def __init__(self, window=4, crash=()):
        self._window, self.crash = window, set(crash)
        self.inflight, self.peak, self.submitted, self.calls = [], 0, [], []

    def window(self):
        return self._window

    def submit(self, job):
        fut = Future()
        fut.job = job
        self.inflight.append(fut)
        self.submitted.append(job.output)
        self.peak = max(self.peak, len(self.inflight))
        return fut

    def wait(self, futures, timeout):
        fut = self.inflight[0]
        if fut.job.output in self.crash:  # the whole pool breaks
            for f in self.inflight:
                f.set_result({"status": "crashed", "error": RuntimeError("pool broke")})
            done, self.inflight = self.inflight, []
            return done
        self.inflight.pop(0)
        fut.set_result({"status": "done", "output": fut.job.output})
        return [fut]

    def result(self, fut, job):
        return fut.result()

    def stop_queued(self):
        self.calls.append("stop_queued")

    def abandon(self):
        self.calls.append("abandon")


def _jobs(n):
    return [Job(recording=f"/d/r{i}.edf", force=None, output=f"r{i}", file=f"r{i}.edf")
            for i in range(n)]


def test_at_most_a_window_in_flight_and_every_job_once():
    ex, seen = FakeExecutor(window=4), []
    dispatch(_jobs(20), ex, lambda job, rec: seen.append(job.output), Stop())
    assert ex.peak == 4 and sorted(seen) == sorted(f"r{i}" for i in range(20))


def test_a_crashing_recording_is_found_alone_and_its_neighbours_are_retried():
    ex, outcome = FakeExecutor(window=4, crash={"r1"}), {}
    dispatch(_jobs(8), ex, lambda job, rec: outcome.setdefault(job.output, rec), Stop())
    assert set(outcome) == {f"r{i}" for i in range(8)}
    assert outcome["r1"]["status"] == "failed" and "on its own" in outcome["r1"]["message"]
    assert all(outcome[k]["status"] == "done" for k in outcome if k != "r1")
    assert ex.submitted.count("r1") == 2  # once with others, once alone


def test_first_interrupt_drains_second_abandons():
    stop, ex, seen = Stop(), FakeExecutor(window=3), []

    def on_result(job, rec):
        seen.append(job.output)
        if len(seen) == 1:
            stop.hit()

    dispatch(_jobs(10), ex, on_result, stop)
    assert seen == ["r0", "r1", "r2"] and ex.calls == ["stop_queued"]  # in flight finished

    stop, ex, seen = Stop(), FakeExecutor(window=3), []

    def twice(job, rec):
        seen.append(job.output)
        stop.hit()

    dispatch(_jobs(10), ex, twice, stop)
    assert seen == ["r0", "r1"] and ex.calls == ["stop_queued", "abandon"]
