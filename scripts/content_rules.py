"""Write the risk rules of a built-in lens from its choices' framework risk levels.

    python scripts/content_rules.py content/lenses/*.json

No risk when every HIGH- and MEDIUM-level practice is in place, medium risk when every HIGH-level one is, high
risk otherwise and whenever "None of these" is chosen. Run it after editing a lens's choices; a test checks that
the rules in the files are exactly what this produces.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def _all(ids: list[str], none_id: str | None) -> str:
    parts = list(ids) + ([f"!{none_id}"] if none_id else [])
    if not parts:
        return "default"
    return " && ".join(parts)


def rules_for(question: dict[str, Any]) -> list[dict[str, str]]:
    choices = question["choices"]
    none_id = next((c["id"] for c in choices if c["id"].endswith("_no")), None)
    high = [c["id"] for c in choices if c.get("riskLevel") == "HIGH" and c["id"] != none_id]
    medium = [c["id"] for c in choices if c.get("riskLevel") == "MEDIUM"]
    return [
        {"condition": _all(high + medium, none_id), "risk": "NO_RISK"},
        {"condition": _all(high, none_id), "risk": "MEDIUM_RISK"},
        {"condition": "default", "risk": "HIGH_RISK"},
    ]


def with_rules(doc: dict[str, Any]) -> dict[str, Any]:
    for pillar in doc["pillars"]:
        for question in pillar["questions"]:
            question["riskRules"] = rules_for(question)
    return doc


def main(paths: list[str]) -> int:
    for p in paths:
        path = Path(p)
        doc = with_rules(json.loads(path.read_text(encoding="utf-8")))
        path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
