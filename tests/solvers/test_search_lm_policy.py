"""Learned policies against a fake OpenAI-compatible completions server on 127.0.0.1: what they send,
how samples become drawn clauses ranked by mean log-probability minus lambda x value, and what search
does when the server answers garbage, is too slow, or is gone (it goes on with the heuristics, and the
failures are counted)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest

from solvers.search import HeuristicPolicy, SearchState
from solvers.search.lm_policy import LMPolicy, LMSettings, MixedPolicy, learned_policy
from tonggeo.ddar import initial_state
from tonggeo.ddar.premises import split_goals
from tonggeo.dsl import parse_problem
from tonggeo.lm.format import clause_key

PROBLEM = "a b c = triangle a b c; d = midpoint d b c; e = midpoint e a c ? para d e a b"
GOOD = [" f = midpoint f a b", " f = foot f a b c", " d = midpoint d a b", " f = midpoint f a q", "garbage"]


@dataclass
class FakeServer:
    """Answers /v1/completions: policy requests with `texts` (logprobs -0.1 x rank), value requests
    (max_tokens 1) with `values` by prompt order; `mode` = ok | garbage | json_garbage | slow | error;
    after `die_after` requests it shuts itself down (a server dying mid-search)."""

    texts: list[str] = field(default_factory=lambda: list(GOOD))
    value_label: str = " 1"
    mode: str = "ok"
    requests: list[dict[str, object]] = field(default_factory=list)
    die_after: int | None = None


@pytest.fixture
def server() -> Iterator[tuple[FakeServer, str]]:
    fake = FakeServer()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            fake.requests.append(body)
            if fake.die_after is not None and len(fake.requests) > fake.die_after:
                threading.Thread(target=httpd.shutdown, daemon=True).start()
                httpd.socket.close()  # no more connections: the process is gone
                self.connection.close()
                return
            if fake.mode == "slow":
                time.sleep(2.0)
            if fake.mode == "error":
                self.send_response(500)
                self.end_headers()
                return
            if fake.mode == "garbage":
                payload = b"<html>not json"
            elif fake.mode == "json_garbage":  # well-formed JSON, nonsense inside
                payload = json.dumps({"choices": [
                    {"text": 17, "logprobs": "x"},
                    {"text": " f = midpoint f a", "logprobs": {"token_logprobs": ["nan", None, {}]}},
                    {"text": "\u0000 = ; ; ==", "logprobs": {"token_logprobs": [float("nan")]}},
                    {"text": " f = circle f a b c d e f g h", "logprobs": None},
                    "not a choice",
                    {"text": " " + "f = midpoint f a b; " * 500},
                ]}).encode()
            elif body.get("max_tokens") == 1:
                prompts = body["prompt"] if isinstance(body["prompt"], list) else [body["prompt"]]
                tops = {" 0": -3.0, " 1": -3.0, " 2": -3.0}
                choices = [
                    {
                        "text": fake.value_label,
                        "logprobs": {"top_logprobs": [{**tops, fake.value_label: -0.01}]},
                    }
                    for _ in prompts
                ]
                payload = json.dumps({"choices": choices}).encode()
            else:
                choices = [
                    {"text": t, "logprobs": {"token_logprobs": [-0.1 * (k + 1)] * 3}}
                    for k, t in enumerate(fake.texts)
                ]
                payload = json.dumps({"choices": choices}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake, f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    finally:
        httpd.shutdown()
        httpd.server_close()


def _node() -> SearchState:
    problem = parse_problem(PROBLEM, "midlines")
    goals, _ = split_goals(problem.goals)
    return SearchState(initial_state(problem, np.random.default_rng(0)), (), tuple(goals))


def test_samples_become_drawn_clauses_ranked_by_logprob(server: tuple[FakeServer, str]) -> None:
    fake, url = server
    policy = LMPolicy(LMSettings(url=url, samples=5, timeout=10))
    ranked = policy.rank(_node(), 8, np.random.default_rng(0))
    # the clash `d = midpoint d a b` is renamed; the undrawable/garbage samples are dropped;
    # `f = midpoint f a b` and the renamed one are the same construction: kept once, best score
    assert [clause_key(r.clause) for r in ranked] == ["_0 = midpoint _0 a b", "_0 = foot _0 a b c"]
    assert ranked[0].score == pytest.approx(-0.1) and ranked[1].score == pytest.approx(-0.2)
    request = fake.requests[0]
    assert request["prompt"] == f"next: {PROBLEM} =>"
    assert request["n"] == 5 and request["logprobs"] == 1
    assert (policy.counts.calls, policy.counts.failed, policy.counts.unusable) == (1, 0, 0)


def test_value_enters_the_score(server: tuple[FakeServer, str]) -> None:
    fake, url = server
    policy = LMPolicy(LMSettings(url=url, value_url=url, samples=5, timeout=10, value_lambda=0.5))
    ranked = policy.rank(_node(), 8, np.random.default_rng(0))
    value_request = fake.requests[1]
    assert value_request["prompt"] == [
        f"value: {PROBLEM.replace(' ?', ' | f = midpoint f a b ?')} =>",
        f"value: {PROBLEM.replace(' ?', ' | f = foot f a b c ?')} =>",
    ]
    assert ranked[0].score == pytest.approx(-0.1 - 0.5 * 1.0, abs=0.01)


@pytest.mark.parametrize("mode", ["garbage", "error", "slow"])
def test_faults_fall_back_to_the_heuristic(server: tuple[FakeServer, str], mode: str) -> None:
    fake, url = server
    fake.mode = mode
    heuristic = HeuristicPolicy()
    policy, model = learned_policy("lm", LMSettings(url=url, timeout=0.5))
    start = time.monotonic()
    ranked = policy.rank(_node(), 4, np.random.default_rng(0))
    assert time.monotonic() - start < 30  # the timeout holds: no hang
    expected = heuristic.rank(_node(), 4, np.random.default_rng(0))
    assert [r.clause for r in ranked] == [r.clause for r in expected]
    assert (model.counts.calls, model.counts.failed) == (1, 1)


def test_nonsense_inside_valid_json_is_unusable_not_a_crash(server: tuple[FakeServer, str]) -> None:
    fake, url = server
    fake.mode = "json_garbage"
    policy, model = learned_policy("mixed", LMSettings(url=url, timeout=5))
    ranked = policy.rank(_node(), 4, np.random.default_rng(0))
    expected = HeuristicPolicy().rank(_node(), 4, np.random.default_rng(0))
    keys = {clause_key(r.clause) for r in ranked}
    assert {clause_key(r.clause) for r in expected} <= keys  # the heuristic's candidates all there
    # the one usable sample (the long answer's first clause) may be drawn; nothing crashed or hung
    assert model.counts.calls == 1 and model.counts.failed == 0
    assert keys - {clause_key(r.clause) for r in expected} <= {"_0 = midpoint _0 a b"}


def test_a_server_dying_mid_search_leaves_the_heuristic(server: tuple[FakeServer, str]) -> None:
    fake, url = server
    fake.die_after = 1
    policy, model = learned_policy("lm", LMSettings(url=url, samples=5, timeout=2))
    first = policy.rank(_node(), 4, np.random.default_rng(0))
    assert [clause_key(r.clause) for r in first][:1] == ["_0 = midpoint _0 a b"]  # the model's
    for _ in range(2):  # the server is gone: each later state gets the heuristic's candidates
        start = time.monotonic()
        ranked = policy.rank(_node(), 4, np.random.default_rng(0))
        assert time.monotonic() - start < 30
        expected = HeuristicPolicy().rank(_node(), 4, np.random.default_rng(0))
        assert [r.clause for r in ranked] == [r.clause for r in expected]
    assert (model.counts.calls, model.counts.failed, model.counts.unusable) == (3, 2, 0)


def test_unusable_answers_are_counted(server: tuple[FakeServer, str]) -> None:
    fake, url = server
    fake.texts = ["x", " q = midpoint q z z", ""]
    policy = LMPolicy(LMSettings(url=url, timeout=10), fallback=HeuristicPolicy())
    assert policy.rank(_node(), 4, np.random.default_rng(0))
    assert (policy.counts.calls, policy.counts.failed, policy.counts.unusable) == (1, 0, 1)


def test_dead_server() -> None:
    policy = LMPolicy(LMSettings(url="http://127.0.0.1:9/v1", timeout=1))
    assert policy.rank(_node(), 4, np.random.default_rng(0)) == []
    assert policy.counts.failed == 1


def test_mixed_only_adds_candidates(server: tuple[FakeServer, str]) -> None:
    fake, url = server
    fake.texts = [" f = foot f a b c", " f = midpoint f a b"]
    heuristic = HeuristicPolicy()
    mixed = MixedPolicy(heuristic, LMPolicy(LMSettings(url=url, timeout=10)))
    ranked = mixed.rank(_node(), 6, np.random.default_rng(0))
    alone = heuristic.rank(_node(), 6, np.random.default_rng(0))
    keys = [clause_key(r.clause) for r in ranked]
    assert [k for k in keys if k in {clause_key(r.clause) for r in alone}] == [
        clause_key(r.clause) for r in alone
    ]
    assert len(keys) == len(set(keys)) >= len(alone)


def test_search_with_a_failing_model_still_proves(server: tuple[FakeServer, str]) -> None:
    from solvers import Budget
    from solvers.registry import SolverOptions, get_solver

    fake, url = server
    fake.mode = "garbage"
    problem = parse_problem(  # JGEX L058-9: DDAR alone leaves it open, one aux point settles it
        "a b = segment a b; c = on_bline c a b; d = on_tline d b a b; e = intersection_lt e c d a a b"
        " ? cong e c c d",
        "L058-9",
    )
    policy, model = learned_policy("mixed", LMSettings(url=url, timeout=1))
    solver = get_solver("search", SolverOptions(policy=policy))
    result = solver.solve(problem, Budget(seconds=60, jobs=1), np.random.default_rng(0))
    assert result.status.value == "proved" and len(result.aux) == 1
    assert model.counts.calls >= 1 and model.counts.failed == model.counts.calls
