"""The language-model policy against a fake OpenAI-compatible server on 127.0.0.1 (no network): what it
sends, how it reads the answers back into drawn DSL clauses, and what it does when the server fails."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest

from solvers.search import HeuristicPolicy, SearchState
from solvers.search.lm_policy import LMPolicy
from tonggeo.config import LMPolicyConfig, SearchConfig
from tonggeo.ddar import initial_state
from tonggeo.ddar.premises import split_goals
from tonggeo.dsl import parse_problem

PROBLEM = ("a b = segment a b; c = on_bline c a b; d = on_tline d b a b; e = intersection_lt e c d a a b"
           " ? cong e c c d")
ANSWER = """Here you go:
x = midpoint x a b
- e = foot e c b d
z = midpoint z a b
w = midpoint w a q
not a clause
`v = on_line v a e, on_line v b c`
"""


@dataclass
class FakeServer:
    """A chat completions endpoint that records each request and answers with `answer` (or `status`)."""

    answer: str = ANSWER
    status: int = 200
    requests: list[dict[str, object]] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)


@pytest.fixture
def server() -> Iterator[tuple[FakeServer, str]]:
    fake = FakeServer()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers["Content-Length"])
            fake.requests.append(json.loads(self.rfile.read(length)))
            fake.paths.append(self.path)
            body = json.dumps({"choices": [{"message": {"role": "assistant", "content": fake.answer}}]})
            self.send_response(fake.status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body.encode() if fake.status == 200 else b"{}")

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
    problem = parse_problem(PROBLEM, "L058-9")
    goals, _ = split_goals(problem.goals)
    return SearchState(initial_state(problem, np.random.default_rng(0)), (), tuple(goals))


def test_answers_become_drawn_clauses_in_order(server: tuple[FakeServer, str]) -> None:
    _, url = server
    policy = LMPolicy(LMPolicyConfig(endpoint=url, model="fake", samples=1, timeout=10))
    ranked = policy.rank(_node(), 10, np.random.default_rng(0))
    texts = [r.clause.to_text() for r in ranked]
    # the repeated midpoint, the point q that does not exist and the prose are dropped; a new point named
    # like an existing one (e) is renamed onto a free name
    assert texts == ["x = midpoint x a b", "f = foot f c b d", "v = on_line v a e, on_line v b c"]
    assert [r.score for r in ranked] == sorted((r.score for r in ranked), reverse=True)
    assert all(len(r.coords) == 1 for r in ranked)
    assert policy.rank(_node(), 2, np.random.default_rng(0))[:2] == ranked[:2]


def test_request_carries_the_problem_and_the_derived_facts(server: tuple[FakeServer, str]) -> None:
    fake, url = server
    node = _node()
    from tonggeo.ddar.rules import load_rules
    from tonggeo.ddar.saturate import Saturator, plans_for

    Saturator(node.state.db, plans_for(load_rules())).run(node.goals)
    policy = LMPolicy(LMPolicyConfig(endpoint=url, model="fake", samples=3, timeout=10))
    policy.rank(node, 5, np.random.default_rng(0))
    (request,) = fake.requests
    assert fake.paths == ["/v1/chat/completions"]
    assert request["model"] == "fake" and request["n"] == 3
    user = request["messages"][1]["content"]  # type: ignore[index]
    assert "cong c d c e" in user or "cong e c c d" in user or "? cong" in user
    assert "a b = segment a b" in user
    assert "Derived facts:" in user and "Derived facts: none" not in user


def test_a_failing_server_falls_back(server: tuple[FakeServer, str]) -> None:
    fake, url = server
    fake.status = 500
    node = _node()
    alone = LMPolicy(LMPolicyConfig(endpoint=url, timeout=10))
    assert alone.rank(node, 5, np.random.default_rng(0)) == []
    fallback = HeuristicPolicy(SearchConfig(jobs=1))
    backed = LMPolicy(LMPolicyConfig(endpoint=url, timeout=10), fallback=fallback)
    assert [r.clause for r in backed.rank(node, 5, np.random.default_rng(0))] == [
        r.clause for r in fallback.rank(node, 5, np.random.default_rng(0))
    ]


def test_an_unreachable_server_falls_back_quickly() -> None:
    # a port nothing listens on, on this machine only
    with ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler) as probe:
        port = probe.server_address[1]
    policy = LMPolicy(LMPolicyConfig(endpoint=f"http://127.0.0.1:{port}/v1", timeout=2))
    assert policy.rank(_node(), 5, np.random.default_rng(0)) == []
