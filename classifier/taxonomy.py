"""The label contract, loaded from ``training_data/taxonomy.yaml``.

Labels are data: a council adds one by editing the YAML file and adding examples.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

__all__ = ["Label", "Taxonomy", "load_taxonomy", "HEADS"]

HEADS = ("topics", "exemptions", "departments", "regimes")


@dataclass(frozen=True)
class Label:
    id: str
    name: str
    description: str
    typical_words: tuple[str, ...] = ()


@dataclass(frozen=True)
class Taxonomy:
    version: int
    topics: tuple[Label, ...]
    exemptions: tuple[Label, ...]
    departments: tuple[Label, ...]
    regimes: tuple[Label, ...]

    def ids(self, head: str) -> list[str]:
        return [label.id for label in getattr(self, head)]

    def to_dict(self) -> dict:
        return {
            "version": self.version,
            **{
                head: [
                    {"id": l.id, "name": l.name, "description": l.description}
                    for l in getattr(self, head)
                ]
                for head in HEADS
            },
        }


def _labels(raw: dict, head: str, path: Path) -> tuple[Label, ...]:
    entries = raw.get(head)
    if not isinstance(entries, list) or not entries:
        raise ValueError(f"{path}: '{head}' must be a non-empty list of labels")
    seen: set[str] = set()
    labels = []
    for entry in entries:
        label_id = str(entry.get("id", ""))
        if not label_id or not label_id.replace("_", "").isalnum() or label_id != label_id.lower():
            raise ValueError(f"{path}: {head} id {label_id!r} is not lower_snake_case")
        if label_id in seen:
            raise ValueError(f"{path}: {head} id {label_id!r} appears twice")
        seen.add(label_id)
        labels.append(
            Label(
                id=label_id,
                name=str(entry.get("name", label_id)),
                description=str(entry.get("description", "")),
                typical_words=tuple(str(w) for w in entry.get("typical_words", ())),
            )
        )
    return tuple(labels)


def load_taxonomy(path: str | Path) -> Taxonomy:
    path = Path(path)
    with path.open(encoding="utf-8") as fh:
        raw = yaml.safe_load(fh)
    if not isinstance(raw, dict):
        raise ValueError(f"{path}: expected a mapping with topics, exemptions, departments, regimes")
    return Taxonomy(version=int(raw.get("version", 1)), **{h: _labels(raw, h, path) for h in HEADS})
