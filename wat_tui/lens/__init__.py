"""Lenses: the model, the loader for the AWS custom-lens JSON format, and risk evaluation."""

from wat_tui.lens.loader import LensError, load_lens, load_lens_bytes
from wat_tui.lens.model import Choice, Lens, Pillar, Question, RiskRule
from wat_tui.lens.risk import Risk, question_risk

__all__ = [
    "Choice",
    "Lens",
    "LensError",
    "Pillar",
    "Question",
    "Risk",
    "RiskRule",
    "load_lens",
    "load_lens_bytes",
    "question_risk",
]
