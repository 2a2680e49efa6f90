"""The policy model ranking proposing's walk constructions: proposed clauses first (by the model's score,
as search's LMPolicy ranks them), the fallback's order for the rest and whenever the server fails or
answers nothing usable."""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest

from tonggeo.candidates.enumerate import iter_candidates
from tonggeo.diagram import build_diagram
from tonggeo.dsl import parse_problem
from tonggeo.lm.format import clause_key
from tonggeo.lm.ranker import ModelRanker
from tonggeo.propose.rankers import PriorRanker

ANSWERS = [(" x = circumcenter x a b c", -0.9), (" d = midpoint d b c", -0.2), (" y = midpoint y b c", -0.4),
           ("junk", -0.1)]


def _serve(answers: list[tuple[str, float]]) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            choices = [{"text": t, "logprobs": {"token_logprobs": [lp, lp]}} for t, lp in self.server.answers]  # type: ignore[attr-defined]
            payload = json.dumps({"choices": choices}).encode()
            self.send_response(200)
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.answers = answers  # type: ignore[attr-defined]
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def url() -> Iterator[str]:
    yield from _serve(ANSWERS)


@pytest.fixture
def junk_url() -> Iterator[str]:
    yield from _serve([("junk", -0.1), (" zz = foo zz q", -0.2), ("\x00;;= =", -0.3)])


def _candidates() -> tuple[object, list[object]]:
    diagram = build_diagram(parse_problem("a b c = triangle a b c"), np.random.default_rng(0),
                            require_goals=False)
    return diagram, list(itertools.islice(iter_candidates(diagram, np.random.default_rng(1)), 400))


def test_sampled_constructions_come_first(url: str) -> None:
    diagram, candidates = _candidates()
    keys = {clause_key(c.clause) for c in candidates}  # type: ignore[attr-defined]
    wanted = ["_0 = midpoint _0 b c", "_0 = circumcenter _0 a b c"]
    present = [k for k in wanted if k in keys]
    assert present, "the candidate list should hold a midpoint or a circumcenter"
    ranked = ModelRanker.at(url).rank(diagram, candidates, np.random.default_rng(2))  # type: ignore[arg-type]
    assert sorted(map(id, ranked)) == sorted(map(id, candidates))
    assert [clause_key(c.clause) for c in ranked[: len(present)]] == present


def test_a_dead_server_leaves_the_fallback_order() -> None:
    diagram, candidates = _candidates()
    ranker = ModelRanker.at("http://127.0.0.1:9/v1", timeout=1)
    ranked = ranker.rank(diagram, candidates, np.random.default_rng(2))  # type: ignore[arg-type]
    expected = PriorRanker().rank(diagram, candidates, np.random.default_rng(2))  # type: ignore[arg-type]
    assert [id(c) for c in ranked] == [id(c) for c in expected] and ranker.failed == 1


def test_garbage_answers_leave_the_fallback_order_and_are_counted(junk_url: str) -> None:
    diagram, candidates = _candidates()
    ranker = ModelRanker.at(junk_url, timeout=5)
    ranked = ranker.rank(diagram, candidates, np.random.default_rng(2))  # type: ignore[arg-type]
    expected = PriorRanker().rank(diagram, candidates, np.random.default_rng(2))  # type: ignore[arg-type]
    assert [id(c) for c in ranked] == [id(c) for c in expected]
    assert (ranker.counts.calls, ranker.counts.failed, ranker.counts.unusable) == (1, 0, 1)
