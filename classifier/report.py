"""A readable text rendering of the cross-validation report."""

from __future__ import annotations

__all__ = ["render_report"]


def _table(per_label: dict) -> list[str]:
    lines = [f"    {'label':<24} {'P':>6} {'R':>6} {'F1':>6} {'n':>6}"]
    for label, m in per_label.items():
        lines.append(f"    {label:<24} {m['precision']:>6.3f} {m['recall']:>6.3f} {m['f1']:>6.3f} {m['support']:>6}")
    return lines


def render_report(m: dict) -> str:
    out = [f"Cross-validation: {m['folds']} folds grouped by {m['grouped_by']}; "
           f"{m['requests']} requests, {m['questions']} questions", ""]
    s = m["split"]
    out.append(f"Question splitting   P {s['precision']:.3f}  R {s['recall']:.3f}  F1 {s['f1']:.3f}")
    for head in ("topics", "exemptions"):
        h = m[head]
        out += ["", f"{head.capitalize()}   micro P {h['micro']['precision']:.3f} R {h['micro']['recall']:.3f} "
                    f"F1 {h['micro']['f1']:.3f}   macro F1 {h['macro']['f1']:.3f}"]
        out += _table(h["per_label"])
    d = m["departments"]
    out += ["", f"Lead department   top-1 {d['lead_top1']:.3f}   top-2 {d['lead_top2']:.3f}"]
    out += _table(d["per_label"])
    out += ["", "  Confusion (gold lead -> predicted lead, most frequent first):"]
    for gold, row in d["confusion"].items():
        cells = ", ".join(f"{k} {v}" for k, v in sorted(row.items(), key=lambda kv: -kv[1]))
        out.append(f"    {gold:<24} {cells}")
    r = m["regime"]
    out += ["", f"Regime   accuracy {r['accuracy']:.3f}"]
    out += _table(r["per_label"])
    return "\n".join(out)
