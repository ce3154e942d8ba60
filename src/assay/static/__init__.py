"""Static evals: multiple-choice probes scored without a judge."""

from ..schema import StaticItem, StaticResult
from ._items import load_mwe_jsonl, load_probes, probes_path
from ._score import LETTERS, presented_choices, probe_prompt, score_item

__all__ = [
    "LETTERS",
    "StaticItem",
    "StaticResult",
    "load_mwe_jsonl",
    "load_probes",
    "presented_choices",
    "probe_prompt",
    "probes_path",
    "score_item",
]
