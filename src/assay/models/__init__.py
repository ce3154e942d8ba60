"""Model providers assay registers with Inspect (`local/...`, `sim/...`) and the
model registry (lab, release date, price of known models)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_exports
from ._embedded import EMBEDDED_NAME, resolve_weights
from ._prices import total_cost, usage_cost
from ._registry import (
    MODELS_ENV,
    ModelInfo,
    ModelRegistry,
    Price,
    load_registry,
    registry_files,
)

if TYPE_CHECKING:
    from ._sim import (
        FAULT_KINDS,
        SIM_CALLS_KEPT,
        SimCall,
        SimulatedFault,
        SimulatedRateLimit,
        SimulatedServerError,
        SimulatedTimeout,
        reset_sim_calls,
        sim_call_count,
        sim_call_counts,
        sim_calls,
    )

# The simulated provider imports Inspect (seconds): loaded on first use, so the
# registry (reports, `assay models list`) stays cheap to import.
_LAZY = {
    name: "._sim"
    for name in (
        "FAULT_KINDS",
        "SIM_CALLS_KEPT",
        "SimCall",
        "SimulatedFault",
        "SimulatedRateLimit",
        "SimulatedServerError",
        "SimulatedTimeout",
        "reset_sim_calls",
        "sim_call_count",
        "sim_call_counts",
        "sim_calls",
    )
}

__all__ = [
    "EMBEDDED_NAME",
    "FAULT_KINDS",
    "MODELS_ENV",
    "SIM_CALLS_KEPT",
    "ModelInfo",
    "ModelRegistry",
    "Price",
    "SimCall",
    "SimulatedFault",
    "SimulatedRateLimit",
    "SimulatedServerError",
    "SimulatedTimeout",
    "load_registry",
    "registry_files",
    "reset_sim_calls",
    "resolve_weights",
    "sim_call_count",
    "sim_call_counts",
    "sim_calls",
    "total_cost",
    "usage_cost",
]

__getattr__ = lazy_exports(__name__, _LAZY)
