"""Condition kinds: importing this package registers the built-ins."""

from . import author, clock, context, decision, logic, model, sentiment, text, thread
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
    "sentiment",
    "text",
    "thread",
]
