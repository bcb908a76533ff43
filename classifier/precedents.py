"""Earlier requests: exact and near duplicates, and the most similar earlier questions.

The index lives in a SQL database (an embedded SQLite file by default, any SQLAlchemy URL
otherwise). It starts with the training corpus and grows with every triaged request;
how a request was answered can be recorded against it ("published in the disclosure
log on 12 March"), which is the strongest hint that s21 applies to a repeat.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from datetime import datetime, timezone

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from scipy import sparse
from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table, Text, create_engine, event, func, select

__all__ = ["PrecedentIndex", "normalise", "text_hash"]

_meta = MetaData()
_requests = Table(
    "requests", _meta,
    Column("id", String(200), primary_key=True),
    Column("received", String(10)), Column("added_at", String(32)), Column("source", String(20)),
    Column("text_hash", String(64), index=True), Column("text", Text),
    Column("regime", String(40)), Column("lead", String(60)),
    Column("outcome", Text), Column("answered", String(10)),
)
_questions = Table(
    "questions", _meta,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("request_id", String(200), ForeignKey("requests.id"), index=True),
    Column("ref", String(20)), Column("text", Text), Column("text_hash", String(64), index=True),
    Column("lead", String(60)), Column("topics", Text), Column("exemptions", Text),
)


def _sqlite_pragmas(dbapi_connection, _record):
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _request_row(it: dict, now: str) -> dict:
    qs = it["questions"]
    return dict(id=it["id"], received=it.get("received"), added_at=now, source=it.get("source", "intake"),
                text_hash=text_hash(it["text"]), text=it["text"], regime=it.get("regime"),
                lead=qs[0]["lead"] if qs else None, outcome=it.get("outcome"), answered=it.get("answered"))


def _question_rows(it: dict) -> list[dict]:
    return [dict(request_id=it["id"], ref=q["ref"], text=q["text"], text_hash=text_hash(q["text"]),
                 lead=q.get("lead"), topics=json.dumps(q.get("topics", [])),
                 exemptions=json.dumps(q.get("exemptions", []))) for q in it["questions"]]


def normalise(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z£]+", " ", text.lower()).split())


def text_hash(text: str) -> str:
    return hashlib.sha256(normalise(text).encode()).hexdigest()


class PrecedentIndex:
    """Thread-safe for one process: reads use an in-memory TF-IDF matrix rebuilt on change."""

    def __init__(self, url: str, near_duplicate: float = 0.8, similar_min: float = 0.35):
        self.engine = create_engine(url, future=True)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        _meta.create_all(self.engine)
        self.near_duplicate, self.similar_min = near_duplicate, similar_min
        self._lock = threading.RLock()
        self._stale = True
        self._fitted_n = 0
        self._req_rows: dict[str, dict] = {}  # in-memory copy of the tables, rebuilt by _refresh
        self._req_ids: list[str] = []
        self._q_rows: list[dict] = []
        self._qm = self._rm = None

    # -- writing ------------------------------------------------------------------
    def is_empty(self) -> bool:
        with self.engine.connect() as c:
            return c.execute(select(_requests.c.id).limit(1)).first() is None

    def add(self, request_id: str, text: str, questions: list[dict], received: str | None = None,
            regime: str | None = None, source: str = "intake", outcome: str | None = None,
            answered: str | None = None) -> None:
        """Store a request and its questions (``{"ref", "text", "lead", "topics", "exemptions"}``)."""
        self.add_many([dict(id=request_id, text=text, questions=questions, received=received, regime=regime,
                            source=source, outcome=outcome, answered=answered)])

    def add_many(self, items: list[dict]) -> None:
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        rows = [(_request_row(it, now), _question_rows(it)) for it in items]
        with self._lock, self.engine.begin() as c:
            replacing = any(req["id"] in self._req_rows for req, _ in rows)
            for req, qs in rows:
                c.execute(_questions.delete().where(_questions.c.request_id == req["id"]))
                c.execute(_requests.delete().where(_requests.c.id == req["id"]))
                c.execute(_requests.insert().values(**req))
                if qs:
                    c.execute(_questions.insert(), qs)
            if self._stale or replacing:
                self._stale = True
            else:
                self._append(rows)

    def record_outcome(self, request_id: str, outcome: str, answered: str | None = None) -> bool:
        with self._lock, self.engine.begin() as c:
            done = c.execute(_requests.update().where(_requests.c.id == request_id)
                             .values(outcome=outcome, answered=answered)).rowcount
            if request_id in self._req_rows:
                self._req_rows[request_id].update(outcome=outcome, answered=answered)
        return bool(done)

    # -- reading ------------------------------------------------------------------
    def _refresh(self) -> None:
        with self.engine.connect() as c:
            reqs = c.execute(select(_requests)).mappings().all()
            qs = c.execute(select(_questions)).mappings().all()
        self._req_rows = {r["id"]: dict(r) for r in reqs}
        self._req_ids = [r["id"] for r in reqs]
        self._q_rows = [dict(q) for q in qs]
        self._vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1, dtype=np.float32)
        texts = [normalise(q["text"]) for q in self._q_rows] + [normalise(r["text"] or "") for r in reqs]
        if texts and any(texts):
            matrix = self._vec.fit_transform(texts).tocsr()
            self._qm, self._rm = matrix[: len(self._q_rows)], matrix[len(self._q_rows):]
        else:
            self._qm = self._rm = None
        self._fitted_n = len(self._req_ids)
        self._stale = False

    def _append(self, rows: list[tuple[dict, list[dict]]]) -> None:
        """Add new rows to the in-memory matrices without refitting (refit once grown by a quarter)."""
        new_q, new_r = [], []
        for req, qs in rows:
            self._req_rows[req["id"]] = req
            self._req_ids.append(req["id"])
            new_r.append(normalise(req["text"]))
            self._q_rows.extend(qs)
            new_q.extend(normalise(q["text"]) for q in qs)
        if self._qm is None or len(self._req_ids) > 1.25 * self._fitted_n:
            self._stale = True
            return
        if new_q:
            self._qm = sparse.vstack([self._qm, self._vec.transform(new_q)], format="csr")
        self._rm = sparse.vstack([self._rm, self._vec.transform(new_r)], format="csr")

    def _view(self, row: dict, score: float | None = None) -> dict:
        req = self._req_rows.get(row.get("request_id", row.get("id")), {})
        out = {"request_id": req.get("id"), "received": req.get("received"), "source": req.get("source"),
               "outcome": req.get("outcome"), "answered": req.get("answered")}
        if "ref" in row:
            out.update(ref=row["ref"], text=row["text"], lead=row["lead"],
                       exemptions=json.loads(row["exemptions"] or "[]"))
        if score is not None:
            out["similarity"] = round(float(score), 3)
        return out

    def find(self, text: str, questions: list[str], exclude: str | None = None, k: int = 3) -> dict:
        """Duplicates of a request and, per question, the most similar earlier questions."""
        with self._lock:
            if not self._stale:  # another process (a second server worker) may have added requests
                with self.engine.connect() as c:
                    stored = c.execute(select(func.count()).select_from(_requests)).scalar_one()
                self._stale = stored != len(self._req_ids)
            if self._stale:
                self._refresh()
            return self._find(text, questions, exclude, k)

    def _find(self, text: str, questions: list[str], exclude: str | None, k: int) -> dict:
        h = text_hash(text)
        exact = [self._view(r) for r in self._req_rows.values() if r["text_hash"] == h and r["id"] != exclude]
        near, similar = [], []
        if self._qm is not None:
            v = self._vec.transform([normalise(text)])
            scores = (self._rm @ v.T).toarray().ravel()
            for i in np.argsort(-scores)[:10]:
                rid = self._req_ids[i]
                if scores[i] >= self.near_duplicate and rid != exclude and self._req_rows[rid]["text_hash"] != h:
                    near.append(self._view(self._req_rows[rid], scores[i]))
            if questions:
                qv = self._vec.transform([normalise(q) for q in questions])
                qs = (qv @ self._qm.T).toarray()
                for row in qs:
                    hits = []
                    for j in np.argsort(-row):
                        if row[j] < self.similar_min or len(hits) == k:
                            break
                        if self._q_rows[j]["request_id"] != exclude:
                            hits.append(self._view(self._q_rows[j], row[j]))
                    similar.append(hits)
        else:
            similar = [[] for _ in questions]
        return {"exact_duplicates": exact, "near_duplicates": near, "similar_questions": similar}
