"""Statistics: bootstrap confidence intervals."""

from ._bootstrap import Estimate, bootstrap_ci

__all__ = ["Estimate", "bootstrap_ci"]
