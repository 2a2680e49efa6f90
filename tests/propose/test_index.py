"""The persistent SQLite index of emitted problems."""

from __future__ import annotations

from pathlib import Path

from tonggeo.propose.index import ProblemIndex


def _add(index: ProblemIndex, key: str) -> bool:
    return index.add(key, name=f"p_{key}", text="a b = segment a b", aux=1, symmetric=False, steps=3,
                     score=1.0, base="segment", run="test")


def test_keys_persist_across_connections(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "index.sqlite"
    with ProblemIndex(path) as index:
        assert _add(index, "k1")
        assert not _add(index, "k1")
        assert _add(index, "k2")
        assert len(index) == 2
    with ProblemIndex(path) as again:
        assert "k1" in again and "k2" in again and "k3" not in again
        assert not _add(again, "k2")
        assert list(again.keys()) == ["k1", "k2"]
    with ProblemIndex(path, readonly=True) as reader:
        assert "k1" in reader and len(reader) == 2
