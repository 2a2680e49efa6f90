"""neural: the torch side of tonggeo (equivariant graph networks, language-model training and serving).

This package never imports `tonggeo`; tonggeo reaches its models over HTTP or through narrow, lazily
imported entry points, so `import tonggeo` never loads torch.
"""
