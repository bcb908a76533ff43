"""Tune the near-duplicate threshold of the precedent index.

Positives: each corpus request against an edited copy of itself (another year, a
question dropped, greeting and signature changed, a few typos) - the same ask sent again.
Negatives: each corpus request against the most similar *other* corpus request (the
hardest pair that is not a duplicate). The threshold with the best F1 is written to
bench/results/precedents.json; set it as `precedents.near_duplicate` in config.yaml.

    python bench/precedents.py
"""

from __future__ import annotations

import json
import random
import re

import numpy as np
from _requests import ROOT

from classifier.intake import clean_body
from classifier.precedents import PrecedentIndex, normalise
from classifier.train import TrainingData


def edited(text: str, rng: random.Random) -> str:
    text = re.sub(r"\b(20\d\d)\b", lambda m: str(int(m.group(1)) + 1), text)  # a year later
    lines = text.splitlines()
    numbered = [i for i, l in enumerate(lines) if re.match(r"\s*\d+[.)]", l)]
    if len(numbered) > 3:
        del lines[rng.choice(numbered)]  # one question fewer
    text = "\n".join(lines).replace("Dear", "Hello").replace("Kind regards", "Thanks")
    words = text.split(" ")
    for _ in range(3):  # a few typos
        i = rng.randrange(len(words))
        if len(words[i]) > 4:
            w = words[i]
            j = rng.randrange(1, len(w) - 1)
            words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    return " ".join(words)


def main() -> None:
    rng = random.Random(5)
    requests = TrainingData().requests
    index = PrecedentIndex("sqlite://")
    index.add_many([dict(id=r.id, text=clean_body(r.text).text or r.text, questions=[]) for r in requests])
    index.find("warm up", [])
    pos, neg = [], []
    for r in requests:
        probe = clean_body(edited(r.text, rng)).text
        v = index._vec.transform([normalise(probe)])
        scores = (index._rm @ v.T).toarray().ravel()
        ids = index._req_ids
        own = ids.index(r.id)
        pos.append(float(scores[own]))
        scores[own] = -1
        neg.append(float(scores.max()))
    pos, neg = np.array(pos), np.array(neg)
    curve = [(float(t), 2 * (pos >= t).sum() / ((pos >= t).sum() + (neg >= t).sum() + len(pos)))
             for t in np.arange(0.3, 0.99, 0.01)]
    top = max(f for _, f in curve)
    plateau = [t for t, f in curve if f >= top - 0.002]  # the middle of the best plateau, not its edge
    t = round(float(np.median(plateau)), 2)
    best = (t, 2 * (pos >= t).sum() / ((pos >= t).sum() + (neg >= t).sum() + len(pos)))
    report = {"pairs": len(pos), "threshold": t, "f1": round(float(best[1]), 4),
              "recall": round(float((pos >= t).mean()), 4), "false_positive_rate": round(float((neg >= t).mean()), 4),
              "positive_similarity_median": round(float(np.median(pos)), 3),
              "hardest_negative_similarity_median": round(float(np.median(neg)), 3),
              "hardest_negative_similarity_max": round(float(neg.max()), 3)}
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "precedents.json").write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
