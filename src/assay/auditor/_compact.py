"""The auditor's history compaction, consulted only once the history could need it.

Inspect's compaction handler estimates the history's tokens before every auditor
call: it counts the messages added since the last call through the model
(`Model.count_tokens`, for some providers a request of its own). In the
zero-latency benchmark that was about 0.4 ms of assay's 6 ms of CPU per model
call, for audits whose history never came near the threshold.

`DeferredCompaction` passes the history straight through while a cheap upper bound
on Inspect's own estimate is at most half the threshold, so Inspect could not have
compacted it, and hands every call to Inspect from the first one where it could.
It still records every output with Inspect's handler, so the token baseline Inspect
compares against is the one it would have had: the first call it sees makes the
same estimate, and every decision after that is Inspect's own.

The bound: the provider's reported input tokens of the last call (the baseline
Inspect uses) plus, for each message since, the length of its JSON; before the first
output, the length of the tool definitions' JSON plus every message's. Every
character counts as one, a non-ASCII one as six (what JSON's ASCII escapes make of
it, at least its UTF-8 bytes). A token is at least one byte of the text counted,
and the JSON holds all of that text, so the bound exceeds any tokenizer's count of
it; Inspect's own estimate adds 10% and a provider's counting some overhead, which
halving the threshold leaves room for. A message with images, audio, video or
documents (whose tokens text length does not bound) ends the deferral.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from inspect_ai.model import (
    ChatMessage,
    ChatMessageUser,
    Compact,
    ContentReasoning,
    ContentText,
    Model,
    ModelOutput,
    get_model_info,
)
from inspect_ai.tool import ToolInfo

DEFER_SHARE = 0.5
"""Share of the compaction threshold the history's bound must stay within to defer."""


def deferral_limit(model: Model, threshold: int | float) -> int | None:
    """The bound up to which compaction is deferred; None to never defer.

    The threshold resolves as Inspect resolves it (a token count, or a share of the
    model's input window); when the model's window is unknown, nothing is deferred.
    """
    if isinstance(threshold, int) or threshold > 1.0:
        return int(DEFER_SHARE * int(threshold))
    info = get_model_info(model)
    window = info.input_tokens if info is not None else None
    return int(DEFER_SHARE * int(threshold * window)) if window else None


def text_bound(text: str) -> int:
    """At least the UTF-8 bytes of `text`, and its length with non-ASCII escaped as JSON.

    Each non-ASCII character adds 1-3 bytes to the UTF-8 encoding and takes 6 or 12
    characters escaped (`\\uXXXX`, a surrogate pair beyond the BMP): counting five
    per added byte covers both.
    """
    return len(text) + 5 * (len(text.encode("utf-8")) - len(text))


def tools_bound(tools: Sequence[ToolInfo]) -> int:
    """An upper bound on the tokens of tool definitions, from their JSON."""
    return sum(text_bound(json.dumps(t.model_dump(exclude_none=True))) + 64 for t in tools)


def message_bound(message: ChatMessage) -> int | None:
    """An upper bound on a message's tokens, from its JSON; None if it holds media."""
    if not isinstance(message.content, str) and not all(
        isinstance(c, ContentText | ContentReasoning) for c in message.content
    ):
        return None
    return text_bound(message.model_dump_json())


def output_tokens_baseline(output: ModelOutput) -> int | None:
    """The input tokens Inspect's handler takes as its baseline from an output (or None).

    As Inspect reads them: the output's input context size, else all input-side usage.
    """
    if output.input_context_tokens is not None:
        return output.input_context_tokens
    usage = output.usage
    if usage is None:
        return None
    return (
        usage.input_tokens
        + (usage.input_tokens_cache_read or 0)
        + (usage.input_tokens_cache_write or 0)
    )


class DeferredCompaction:
    """Inspect's compaction handler, skipped while the history is surely below its threshold.

    Args:
        compact: Inspect's handler (from `inspect_ai.model.compaction`).
        limit: Defer while the bound is at most this (`deferral_limit`); None: never.
        tools: The tool definitions the handler counts.
    """

    def __init__(self, compact: Compact, limit: int | None, tools: Sequence[ToolInfo]):
        self._compact = compact
        self._limit = limit
        self._deferring = limit is not None
        self._tools = tools_bound(tools) if self._deferring else 0
        self._bounds: dict[int, int | None] = {}  # by id(message): computed once each
        self._baseline: int | None = None  # the last output's input tokens
        self._baseline_messages = 0  # how many messages the input that set it held
        self.deferred = 0
        """How many calls passed the history straight through."""

    async def compact_input(
        self, messages: list[ChatMessage]
    ) -> tuple[list[ChatMessage], ChatMessageUser | None]:
        """The input for the next call, and a message to add to the history (or None)."""
        if self._deferring:
            bound = self._bound(messages)
            if bound is not None and self._limit is not None and bound <= self._limit:
                self.deferred += 1
                return list(messages), None
            self._deferring = False  # from here on Inspect decides every call
        return await self._compact.compact_input(messages)

    async def record_output(self, input: list[ChatMessage], output: ModelOutput) -> None:
        """Let Inspect's handler calibrate its token baseline on `output`."""
        if self._deferring:
            baseline = output_tokens_baseline(output)
            if baseline is not None:  # Inspect keeps its last baseline otherwise
                self._baseline, self._baseline_messages = baseline, len(input)
        await self._compact.record_output(input, output)

    def _bound(self, messages: list[ChatMessage]) -> int | None:
        """An upper bound on Inspect's estimate for `messages`; None if there is none.

        While deferring, each input is the whole history, which only grows, so the
        messages since the baseline are those after the input that set it.
        """
        if self._baseline is None:
            total, since = self._tools, messages
        else:
            total, since = self._baseline, messages[self._baseline_messages :]
        for message in since:
            key = id(message)
            if key not in self._bounds:
                self._bounds[key] = message_bound(message)
            size = self._bounds[key]
            if size is None:
                return None
            total += size
        return total
