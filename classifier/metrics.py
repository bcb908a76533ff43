"""Scores used by ``evaluate`` and the benchmarks: span matching and label P/R/F1."""

from __future__ import annotations

__all__ = ["match_spans", "prf", "multilabel_report"]


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def match_spans(predicted: list[tuple[int, int]], gold: list[tuple[int, int]], min_iou: float = 0.5) -> list[tuple[int, int]]:
    """Pairs (i_pred, i_gold) of one-to-one matches with intersection-over-union >= min_iou."""
    candidates = []
    for i, p in enumerate(predicted):
        for j, g in enumerate(gold):
            inter = _overlap(p, g)
            if inter:
                union = max(p[1], g[1]) - min(p[0], g[0])
                iou = inter / union
                if iou >= min_iou:
                    candidates.append((iou, i, j))
    used_p, used_g, pairs = set(), set(), []
    for _iou, i, j in sorted(candidates, reverse=True):
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            pairs.append((i, j))
    return sorted(pairs)


def prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "support": tp + fn}


def multilabel_report(gold: list[set[str]], pred: list[set[str]], labels: list[str]) -> dict:
    per_label, micro = {}, [0, 0, 0]
    for label in labels:
        tp = sum(1 for g, p in zip(gold, pred) if label in g and label in p)
        fp = sum(1 for g, p in zip(gold, pred) if label not in g and label in p)
        fn = sum(1 for g, p in zip(gold, pred) if label in g and label not in p)
        per_label[label] = prf(tp, fp, fn)
        micro = [micro[0] + tp, micro[1] + fp, micro[2] + fn]
    scored = [v for v in per_label.values() if v["support"]]
    macro = {k: round(sum(v[k] for v in scored) / len(scored), 4) if scored else 0.0 for k in ("precision", "recall", "f1")}
    return {"micro": prf(*micro), "macro": macro, "per_label": per_label}
