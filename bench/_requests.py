"""Realistic benchmark requests: new letters assembled from the corpus's own questions.

Each request has a greeting, a line of background, about six numbered questions drawn
from different corpus requests, and a signature: about 250 words, like a typical request.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from classifier.train import TrainingData  # noqa: E402

_OPENINGS = ["Dear FOI Officer,", "Dear Sir or Madam,", "Hello,", "To the Information Governance team,"]
_BACKGROUND = [
    "I am writing under the Freedom of Information Act 2000 to ask for the following information about your services.",
    "As part of research into council services across England, I would be grateful for answers to the questions below.",
    "Please treat this as a request under the Freedom of Information Act; where a question cannot be answered, please say why.",
]
_CONTEXT = [
    "We are comparing how councils organise and fund these services, and the answers will be used in a report "
    "that we intend to share with the councils that take part. Where the information is already published, a "
    "link to the page is enough; where a figure is an estimate, please say so.",
    "I have tried to find this on your website but could not, so I am asking formally. If answering any part "
    "would take you over the cost limit, please tell me which parts you can answer and how I could narrow the rest.",
    "For context, this follows a report to the scrutiny committee last year and a number of complaints from "
    "residents in my ward. Electronic copies are fine, and spreadsheets are most useful to me.",
]
_CLOSINGS = ["Kind regards,\nSam Taylor\nResearch Analyst", "Yours faithfully,\nA. Resident",
             "Many thanks,\nJordan Lee\nData desk"]


def benchmark_requests(n: int, seed: int = 7, questions: int = 6) -> list[str]:
    rng = random.Random(seed)
    pool = [q.text.replace("\n", " ") for r in TrainingData().requests for q in r.questions if len(q.text) > 40]
    out = []
    for _ in range(n):
        qs = rng.sample(pool, questions)
        body = "\n".join(f"{i}. {q}" for i, q in enumerate(qs, 1))
        out.append(f"{rng.choice(_OPENINGS)}\n\n{rng.choice(_BACKGROUND)} {rng.choice(_CONTEXT)}\n\n{body}\n\n"
                   f"{rng.choice(_CONTEXT)}\n\n{rng.choice(_CLOSINGS)}\n")
    return out
