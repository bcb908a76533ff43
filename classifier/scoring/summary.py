"""What a batch run found: counts for the terminal and a self-contained HTML report."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from html import escape

__all__ = ["Summary", "digest"]


def digest(result: dict) -> dict:
    """The few fields of a result that the summary counts (small to send between processes)."""
    depts = result.get("departments") or []
    topics, exemptions = set(), set()
    for q in result.get("questions", []):
        topics.update(t["label"] for t in q["topics"])
        exemptions.update(e["label"] for e in q["exemptions"])
    return {"lead": depts[0]["label"] if depts else None, "p": depts[0]["probability"] if depts else None,
            "review": bool(result.get("needs_review")), "regime": result["regime"]["label"],
            "month": (result.get("received") or "")[:7], "topics": sorted(topics), "exemptions": sorted(exemptions)}


@dataclass
class Summary:
    rows_read: int = 0
    already_done: int = 0
    scored: int = 0
    failed: int = 0
    needs_review: int = 0
    lead: Counter = field(default_factory=Counter)
    exemptions: Counter = field(default_factory=Counter)
    topics: Counter = field(default_factory=Counter)
    regimes: Counter = field(default_factory=Counter)
    months: Counter = field(default_factory=Counter)
    confidence: Counter = field(default_factory=Counter)  # lead-department probability, in tenths
    failures: Counter = field(default_factory=Counter)

    def add(self, d: dict) -> None:
        """Count one scored request, from its ``digest``."""
        self.scored += 1
        self.needs_review += d["review"]
        self.lead[d["lead"] or "(no questions)"] += 1
        if d["p"] is not None:
            self.confidence[min(9, int(d["p"] * 10))] += 1
        self.regimes[d["regime"]] += 1
        if d["month"]:
            self.months[d["month"]] += 1
        self.topics.update(d["topics"])
        self.exemptions.update(d["exemptions"])

    def fail(self, reason: str) -> None:
        self.failed += 1
        self.failures[reason.split(";")[0][:80]] += 1

    @property
    def balanced(self) -> bool:
        return self.already_done + self.scored + self.failed == self.rows_read

    def text(self) -> str:
        def line(title, counter):
            return f"{title}: " + (", ".join(f"{k} {v}" for k, v in counter.most_common()) or "none")

        check = "OK" if self.balanced else "MISMATCH"
        lines = [
            f"rows read {self.rows_read} = already scored {self.already_done} + scored {self.scored} "
            f"+ failed {self.failed}  [{check}]",
            f"needs review: {self.needs_review} of {self.scored}",
            line("lead department", self.lead), line("exemptions (requests)", self.exemptions),
            line("topics (requests)", self.topics), line("regime", self.regimes),
        ]
        if self.failures:
            lines.append(line("failures", self.failures))
        return "\n".join(lines)

    def html(self, title: str = "foi-triage batch report") -> str:
        conf = Counter({f"{k / 10:.1f}–{(k + 1) / 10:.1f}": v for k, v in sorted(self.confidence.items())})
        charts = [
            ("Requests by lead department", self.lead), ("Requests with each likely exemption", self.exemptions),
            ("Requests by topic", self.topics), ("Requests by regime", self.regimes),
            ("Requests per month received", Counter(dict(sorted(self.months.items())))),
            ("Confidence in the lead department", conf),
        ]
        body = "".join(_bars(t, c, sort=t not in ("Requests per month received", "Confidence in the lead department"))
                       for t, c in charts)
        return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:62em;margin:2em auto;color:#222}}
.kpi{{display:inline-block;margin:0 2em 1em 0}}.kpi b{{display:block;font-size:1.8em}}
h2{{font-size:1.1em;margin-top:2em}}svg text{{font-size:12px}}</style></head><body>
<h1>{escape(title)}</h1>
<div class="kpi"><b>{self.rows_read}</b>rows read</div><div class="kpi"><b>{self.scored + self.already_done}</b>scored</div>
<div class="kpi"><b>{self.needs_review}</b>need review (this run)</div><div class="kpi"><b>{self.failed}</b>failed</div>
{body}
<p><small>Suggestions from a model, to be checked by an FOI officer. Exemptions are the ones
likely to apply, not decisions.</small></p></body></html>"""


def _bars(title: str, counter: Counter, sort: bool = True) -> str:
    items = counter.most_common() if sort else list(counter.items())
    if not items:
        return f"<h2>{escape(title)}</h2><p>None.</p>"
    top = max(v for _, v in items) or 1
    h, label_w, bar_w = 22, 190, 420
    rows = []
    for i, (label, value) in enumerate(items):
        w = max(1, int(bar_w * value / top))
        y = i * h
        rows.append(f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">{escape(str(label))}</text>'
                    f'<rect x="{label_w}" y="{y + 3}" width="{w}" height="{h - 6}" fill="#3b6ea5"/>'
                    f'<text x="{label_w + w + 4}" y="{y + 15}">{value}</text>')
    return (f"<h2>{escape(title)}</h2><svg width='{label_w + bar_w + 60}' height='{len(items) * h}' role='img' "
            f"aria-label='{escape(title)}'>{''.join(rows)}</svg>")
