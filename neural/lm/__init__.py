"""Decoder-only language models trained from scratch on tonggeo's text records (prompt -> completion):
tokenizer, model configurations, training loop, and an OpenAI-compatible completions server.

Records are JSON lines with `prompt` and `completion`; this package never parses geometry.
"""
