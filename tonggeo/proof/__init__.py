"""Proofs: traceback from the goals to the premises, text and JSON forms, and the independent checker."""

from tonggeo.proof.checker import CheckReport, ProofChecker, check_proof, stated_facts
from tonggeo.proof.model import Proof, ProofStep, proof_from_json, proof_to_json
from tonggeo.proof.traceback import extract_proof, needed_records
from tonggeo.proof.writer import proof_text, step_reason

__all__ = [
    "CheckReport",
    "Proof",
    "ProofChecker",
    "ProofStep",
    "check_proof",
    "extract_proof",
    "needed_records",
    "proof_from_json",
    "proof_text",
    "proof_to_json",
    "stated_facts",
    "step_reason",
]
