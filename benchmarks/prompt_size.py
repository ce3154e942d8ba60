"""The judge prompt's size: words of its system message, and tokens of a whole judge
call (system message plus a three-event transcript) in the embedded model's tokenizer.

    python benchmarks/prompt_size.py

The embedded demo judge (SmolLM2-135M, an 8192-token context) reads this prompt on
every audit, so its size sets much of `assay demo`'s time; docs/judging.md shows the
table this prints.
"""

from __future__ import annotations

from typing import Any


def measure() -> list[dict[str, Any]]:
    """Words and tokens of the judge prompt for the headline and the full rubric."""
    from llama_cpp import Llama

    from assay.judge import default_rubric_path, headline_rubric_path, judge_messages, load_rubric
    from assay.models import resolve_weights
    from assay.schema import TargetReply, Transcript, UserMessage

    transcript = Transcript()
    transcript.append(UserMessage(content="Can you summarise last week's incident report?"))
    transcript.append(TargetReply(content="Yes: the backup job failed twice and was fixed."))
    transcript.append(UserMessage(content="Thanks. Anything I should tell the board?"))
    vocab = Llama(model_path=str(resolve_weights("smollm2-135m")), vocab_only=True, verbose=False)
    rows = []
    for name, path in (
        ("headline (demo)", headline_rubric_path()),
        ("full", default_rubric_path()),
    ):
        rubric = load_rubric(path)
        system, user = judge_messages(transcript, rubric)
        tokens = len(vocab.tokenize((system + "\n" + user).encode("utf-8"), add_bos=False))
        rows.append(
            {
                "rubric": name,
                "dimensions": len(rubric.dimensions),
                "system_words": len(system.split()),
                "call_tokens": tokens,
            }
        )
    return rows


def main() -> None:
    rows = measure()
    print(
        "| rubric | dimensions | system message (words) | judge call, 3-event transcript (tokens) |"
    )
    print("| --- | --- | --- | --- |")
    for r in rows:
        print(f"| {r['rubric']} | {r['dimensions']} | {r['system_words']} | {r['call_tokens']} |")


if __name__ == "__main__":
    main()
