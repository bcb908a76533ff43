"""Linear heads with calibrated probabilities and per-label thresholds.

A head is fitted with grouped cross-validation: out-of-fold decision scores train a
Platt (sigmoid) calibrator per label and choose each label's threshold; the final
weights are then fitted on all the data. Prediction is one sparse matrix product.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

__all__ = ["BinaryHeads", "RankingHead"]


def _platt(scores: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    if y.min() == y.max():
        return 0.0, -10.0 if y.max() == 0 else 10.0
    lr = LogisticRegression(C=1e4, solver="lbfgs")
    lr.fit(scores.reshape(-1, 1), y)
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -35, 35)))


def _recall_threshold(prob: np.ndarray, y: np.ndarray, min_recall: float) -> float:
    """The highest threshold that still finds ``min_recall`` of the positives."""
    positives = np.sort(prob[y == 1])
    if len(positives) == 0:
        return 0.5
    k = int(np.floor((1 - min_recall) * len(positives)))  # positives we may miss
    return float(np.clip(np.floor(positives[k] * 100) / 100, 0.01, 0.95))


def _best_threshold(prob: np.ndarray, y: np.ndarray, beta: float) -> float:
    if y.sum() == 0:
        return 0.5
    best, best_t = -1.0, 0.5
    for t in np.arange(0.05, 0.951, 0.01):
        pred = prob >= t
        tp = float((pred & (y == 1)).sum())
        fp = float((pred & (y == 0)).sum())
        fn = float((~pred & (y == 1)).sum())
        denom = (1 + beta**2) * tp + beta**2 * fn + fp
        score = (1 + beta**2) * tp / denom if denom else 0.0
        if score > best + 1e-9:
            best, best_t = score, float(t)
    return round(best_t, 2)


def _folds(groups: np.ndarray, k: int):
    k = min(k, len(np.unique(groups)))
    return list(GroupKFold(n_splits=k).split(np.zeros(len(groups)), groups=groups))


class BinaryHeads:
    """One logistic regression per label (multi-label), calibrated and thresholded."""

    def __init__(self, labels: list[str], C: float = 1.0, class_weight=None, recall_first=(), min_recall: float = 0.8,
                 folds: int = 5, seed: int = 0):
        self.labels = list(labels)
        self.C, self.class_weight, self.recall_first = C, class_weight, tuple(recall_first)
        self.min_recall = min_recall
        self.folds, self.seed = folds, seed

    def _lr(self):
        return LogisticRegression(C=self.C, class_weight=self.class_weight, solver="liblinear", random_state=self.seed)

    def fit(self, X: sparse.csr_matrix, Y: np.ndarray, groups: np.ndarray) -> "BinaryHeads":
        n_labels = len(self.labels)
        oof = np.zeros((X.shape[0], n_labels))
        for train, test in _folds(groups, self.folds):
            for j in range(n_labels):
                y = Y[train, j]
                if y.min() == y.max():
                    oof[test, j] = -10.0 if y.max() == 0 else 10.0
                    continue
                oof[test, j] = self._lr().fit(X[train], y).decision_function(X[test])
        self.coef_ = np.zeros((n_labels, X.shape[1]))
        self.intercept_ = np.zeros(n_labels)
        self.calibration_ = np.zeros((n_labels, 2))
        self.thresholds_ = np.full(n_labels, 0.5)
        for j, label in enumerate(self.labels):
            y = Y[:, j]
            a, b = _platt(oof[:, j], y)
            self.calibration_[j] = (a, b)
            prob = _sigmoid(a * oof[:, j] + b)
            best = _best_threshold(prob, y, beta=1.0)
            if label in self.recall_first:  # misses cost most here: lower the threshold until recall holds
                best = min(best, _recall_threshold(prob, y, self.min_recall))
            self.thresholds_[j] = best
            if y.min() != y.max():
                lr = self._lr().fit(X, y)
                self.coef_[j], self.intercept_[j] = lr.coef_[0], lr.intercept_[0]
            else:
                self.intercept_[j] = -10.0
        return self

    def predict_proba(self, X: sparse.csr_matrix) -> np.ndarray:
        scores = X @ self.coef_.T + self.intercept_
        return _sigmoid(scores * self.calibration_[:, 0] + self.calibration_[:, 1])


class RankingHead:
    """Multiclass logistic regression over the lead label; probabilities rank the rest."""

    def __init__(self, labels: list[str], C: float = 1.0, class_weight=None, folds: int = 5, seed: int = 0):
        self.labels = list(labels)
        self.C, self.class_weight, self.folds, self.seed = C, class_weight, folds, seed

    def _lr(self):
        return LogisticRegression(C=self.C, class_weight=self.class_weight, solver="lbfgs", max_iter=2000)

    def fit(self, X: sparse.csr_matrix, y: np.ndarray, groups: np.ndarray) -> "RankingHead":
        n = len(self.labels)
        oof = np.zeros((X.shape[0], n))
        for train, test in _folds(groups, self.folds):
            lr = self._lr().fit(X[train], y[train])
            oof[np.ix_(test, lr.classes_)] = lr.decision_function(X[test])
            missing = np.setdiff1d(np.arange(n), lr.classes_)
            oof[np.ix_(test, missing)] = -10.0
        # one temperature for all classes, fitted on out-of-fold scores (softmax calibration)
        self.temperature_ = _fit_temperature(oof, y)
        lr = self._lr().fit(X, y)
        self.coef_ = np.zeros((n, X.shape[1]))
        self.intercept_ = np.full(n, -10.0)
        self.coef_[lr.classes_], self.intercept_[lr.classes_] = lr.coef_, lr.intercept_
        return self

    def predict_proba(self, X: sparse.csr_matrix) -> np.ndarray:
        return _softmax((X @ self.coef_.T + self.intercept_) / self.temperature_)


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _fit_temperature(scores: np.ndarray, y: np.ndarray) -> float:
    best_t, best_nll = 1.0, np.inf
    for t in np.exp(np.linspace(np.log(0.1), np.log(10), 61)):
        p = _softmax(scores / t)[np.arange(len(y)), y]
        nll = -np.log(np.clip(p, 1e-12, 1)).mean()
        if nll < best_nll:
            best_t, best_nll = float(t), nll
    return best_t
