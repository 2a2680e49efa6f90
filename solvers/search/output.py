"""Proofs that use auxiliary points: the constructions first, in the DSL, then the numbered steps."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from tonggeo.dsl.ast import Clause
from tonggeo.proof import Proof, proof_text, proof_to_json

AUX_HEADER = "Auxiliary constructions:"


def proof_with_aux_text(
    proof: Proof, aux: Sequence[Clause], rule_texts: Mapping[str, str] | None = None
) -> str:
    """The proof as text, the auxiliary clauses listed right after the problem's name."""
    text = proof_text(proof, rule_texts)
    if not aux:
        return text
    first, _, rest = text.partition("\n")
    block = "".join(f"  {clause.to_text()}\n" for clause in aux)
    return f"{first}\n{AUX_HEADER}\n{block}{rest}"


def proof_with_aux_json(proof: Proof, aux: Sequence[Clause]) -> str:
    """The proof's JSON with an `aux` list of the auxiliary clauses (DSL text) ahead of the steps."""
    data = proof_to_json(proof)
    ordered = {"problem": data.pop("problem"), "aux": [clause.to_text() for clause in aux], **data}
    return json.dumps(ordered, indent=1)
