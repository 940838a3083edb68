"""Condition kinds: importing this package registers the built-ins."""

from . import author, clock, context, decision, logic, model, review, sentiment, text, thread
from .base import CONDITIONS, CompileContext, Condition, Finding, register
from .logic import compile_condition

__all__ = [
    "CONDITIONS",
    "CompileContext",
    "Condition",
    "Finding",
    "author",
    "clock",
    "compile_condition",
    "context",
    "decision",
    "logic",
    "model",
    "register",
    "review",
    "sentiment",
    "text",
    "thread",
]
