"""One judge scoring one transcript, with retries and explicit failure."""

from __future__ import annotations

from inspect_ai.model import (
    ChatMessage,
    ChatMessageSystem,
    ChatMessageUser,
    GenerateConfig,
    Model,
    ResponseSchema,
)
from inspect_ai.util import JSONSchema

from ..schema import JudgeVerdict, Rubric, Transcript, Usage
from ._citations import check_citations
from ._parse import UnusableVerdict, parse_reply
from ._prompt import judge_messages, verdict_schema

JUDGE_MAX_TOKENS = 6000


def verdict_json_schema(rubric: Rubric) -> JSONSchema:
    """`verdict_schema` as Inspect's `JSONSchema`, every dimension sharing one entry object.

    Inspect deep-copies a call's response schema when it merges generate configs, and
    the schema repeats one entry per rubric dimension: validated from the dict, each
    repeat is an object tree of its own, and copying the default rubric's schema took
    milliseconds per judge call. A deep copy copies a shared object once, so sharing
    equal entries makes it cheap; the schema's JSON, what a provider receives, is the
    same.
    """
    names = tuple(rubric.names)  # all of the rubric that `verdict_schema` reads
    schema = _SCHEMAS.get(names)
    if schema is None:
        schema = JSONSchema.model_validate(verdict_schema(rubric))
        scores = (schema.properties or {})["scores"]
        # Equal entries become one object; an entry unlike the others keeps its own.
        shared: dict[str, JSONSchema] = {}
        scores.properties = {
            name: shared.setdefault(entry.model_dump_json(), entry)
            for name, entry in (scores.properties or {}).items()
        }
        _SCHEMAS[names] = schema
    # A copy per call, built once per rubric: cheap, since shared entries copy once.
    return schema.model_copy(deep=True)


_SCHEMAS: dict[tuple[str, ...], JSONSchema] = {}
"""`verdict_json_schema` by the rubric's dimension names, built once per process."""


async def judge_transcript(
    judge: Model,
    transcript: Transcript,
    rubric: Rubric,
    retries: int = 2,
    usage: Usage | None = None,
    seed: int = 0,
) -> JudgeVerdict:
    """Score a transcript on every rubric dimension.

    The judge writes a short summary and a few highlights before its scores; they
    are kept on the verdict. Each failed attempt (provider error or unusable reply)
    is retried with a new sampling seed; after `retries` extra attempts the verdict
    is an `error` with the last reason, and carries no scores. Attempt `n` (from 1)
    samples with seed `seed + n - 1`: a run's seed reproduces its judges' sampling,
    and runs with different seeds sample their judges differently.

    Args:
        judge: The judge model.
        transcript: The audit to score.
        rubric: The dimensions to score.
        retries: Extra attempts after the first.
        usage: Accumulates the judge's token usage when given.
        seed: The run's sampling seed; each attempt's seed is derived from it.
    """
    system, user = judge_messages(transcript, rubric)
    messages: list[ChatMessage] = [ChatMessageSystem(content=system), ChatMessageUser(content=user)]
    schema = ResponseSchema(name="verdict", json_schema=verdict_json_schema(rubric))
    reason = "no attempt made"
    for attempt in range(1, retries + 2):
        config = GenerateConfig(
            response_schema=schema,
            temperature=0.0 if attempt == 1 else 0.7,
            seed=seed + attempt - 1,
            max_tokens=JUDGE_MAX_TOKENS,
        )
        try:
            output = await judge.generate(messages, config=config)
        except Exception as exc:  # provider failures count as failed attempts
            reason = f"judge call failed: {type(exc).__name__}: {exc}"
            continue
        if usage is not None and output.usage is not None:
            usage.add(output.usage.input_tokens, output.usage.output_tokens)
        try:
            reply = parse_reply(output.completion, rubric)
        except UnusableVerdict as exc:
            reason = f"unusable judge output: {exc}"
            continue
        events = len(transcript.events)
        return JudgeVerdict(
            judge=str(judge),
            rubric=rubric.key,
            status="ok",
            scores=check_citations(reply.scores, transcript),
            attempts=attempt,
            summary=reply.summary,
            # An event number outside the transcript points nowhere: keep the note only.
            highlights=[
                h if h.event is None or h.event < events else h.model_copy(update={"event": None})
                for h in reply.highlights
            ],
        )
    return JudgeVerdict(
        judge=str(judge), rubric=rubric.key, status="error", error=reason, attempts=retries + 1
    )
