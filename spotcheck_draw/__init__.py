"""Spotcheck draw engine: the protocol of ``draw-spec.md`` version 1, pure standard library.

Modules: ``commitments`` (Merkle root, canonical JSON), ``tickets`` (seed and tickets),
``design`` (design parsing), ``selection`` (the draw), ``partition`` (the ticket pass split by
USCC range), ``inspectors`` (staffing), ``kit`` and ``cli`` (verification kit), ``verify``
(the standalone checker copied into every kit).
"""

ALGORITHM = "spotcheck-draw/1"

__all__ = ["ALGORITHM"]
