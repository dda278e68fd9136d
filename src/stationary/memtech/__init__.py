"""Memory technologies at work: designs built from them (``stationary.arch.designs``) evaluated on networks, side by
side with a baseline and with what the papers report (``data/technology/claims.yaml``).

>>> [c.baseline for c in claims_for("tetris")]
['eyeriss-lpddr']
"""
from stationary.memtech.compare import Claim, DesignResult, Row, claims, claims_for, side_by_side

__all__ = ["Claim", "DesignResult", "Row", "claims", "claims_for", "side_by_side"]
