"""Data models shared by every part of assay."""

from ._config import EMBEDDED_MODEL, SCRIPTED_AUDITOR, RunConfig
from ._render import event_text, transcript_text
from ._rubric import SCORE_MAX, SCORE_MIN, Dimension, Rubric
from ._seed import (
    CannedResult,
    CreateTool,
    OnToolCall,
    ScriptStep,
    Seed,
    Send,
    SetSystem,
    ToolSpec,
)
from ._static import MAX_CHOICES, StaticItem, StaticResult
from ._transcript import (
    AuditEnd,
    SystemSet,
    TargetError,
    TargetReply,
    ToolCall,
    ToolCreated,
    ToolResult,
    Transcript,
    TranscriptEvent,
    UserMessage,
)
from ._verdict import (
    AuditRecord,
    AuditStatus,
    Citation,
    CitationCheck,
    DimensionScore,
    JudgeVerdict,
    Usage,
    VerdictStatus,
)

__all__ = [
    "EMBEDDED_MODEL",
    "MAX_CHOICES",
    "SCORE_MAX",
    "SCORE_MIN",
    "SCRIPTED_AUDITOR",
    "AuditEnd",
    "AuditRecord",
    "AuditStatus",
    "CannedResult",
    "Citation",
    "CitationCheck",
    "CreateTool",
    "Dimension",
    "DimensionScore",
    "JudgeVerdict",
    "OnToolCall",
    "Rubric",
    "RunConfig",
    "ScriptStep",
    "Seed",
    "Send",
    "SetSystem",
    "StaticItem",
    "StaticResult",
    "SystemSet",
    "TargetError",
    "TargetReply",
    "ToolCall",
    "ToolCreated",
    "ToolResult",
    "ToolSpec",
    "Transcript",
    "TranscriptEvent",
    "Usage",
    "UserMessage",
    "VerdictStatus",
    "event_text",
    "transcript_text",
]
