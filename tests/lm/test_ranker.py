"""The policy model ranking proposing's walk constructions: sampled clauses first (most votes first),
the fallback's order for the rest and whenever the server fails."""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest

from tonggeo.constructions.enumerate import iter_candidates
from tonggeo.diagram import build_diagram
from tonggeo.dsl import parse_problem
from tonggeo.lm.format import clause_key
from tonggeo.lm.ranker import ModelRanker
from tonggeo.propose.rankers import PriorRanker

ANSWERS = [" x = circumcenter x a b c", " d = midpoint d b c", " y = midpoint y b c", "junk"]


@pytest.fixture
def url() -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            payload = json.dumps({"choices": [{"text": t} for t in ANSWERS]}).encode()
            self.send_response(200)
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    finally:
        httpd.shutdown()
        httpd.server_close()


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
    ranked = ModelRanker(url).rank(diagram, candidates, np.random.default_rng(2))  # type: ignore[arg-type]
    assert sorted(map(id, ranked)) == sorted(map(id, candidates))
    assert [clause_key(c.clause) for c in ranked[: len(present)]] == present


def test_a_dead_server_leaves_the_fallback_order() -> None:
    diagram, candidates = _candidates()
    ranker = ModelRanker("http://127.0.0.1:9/v1", timeout=1)
    ranked = ranker.rank(diagram, candidates, np.random.default_rng(2))  # type: ignore[arg-type]
    expected = PriorRanker().rank(diagram, candidates, np.random.default_rng(2))  # type: ignore[arg-type]
    assert [id(c) for c in ranked] == [id(c) for c in expected] and ranker.failed == 1
