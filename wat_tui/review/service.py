"""The one facade the CLI, the screens and the exchange code call to read and change reviews.

Every edit is one transaction that appends its operations to the log, updates the registers they materialise
into, and records how to undo it. Nothing here imports the UI.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from wat_tui.errors import Ambiguous, NotFound, WatError
from wat_tui.lens.builtin import BUILTIN_ALIASES, builtin_lens_path
from wat_tui.lens.loader import LensError, load_lens, load_lens_bytes
from wat_tui.lens.model import Lens, Question
from wat_tui.lens.risk import Risk
from wat_tui.review.analysis import Analysis, AnalysisError
from wat_tui.review.compare import Milestone, Snapshot, SnapshotError, snapshot
from wat_tui.review.state import (
    ACTION_FIELDS,
    ACTION_PREFIX,
    ANSWER_PREFIX,
    NOTE_PREFIX,
    PARTICIPANT_PREFIX,
    ActionItem,
    Answer,
    Conflict,
    Note,
    Participant,
    SessionState,
    current,
)
from wat_tui.review.targets import target_kind
from wat_tui.review.validate import Context, check, readable
from wat_tui.store.db import open_database
from wat_tui.store.engine import Database
from wat_tui.store.lenses import LensStore, StoredLens
from wat_tui.store.oplog import Op, OpLog, Value, canonical
from wat_tui.store.records import Records

SESSION_FIELDS = ("name", "workload", "workload_type", "planned_minutes", "created_at")
#: Page cache (KiB) while a merge runs.
BULK_CACHE_KIB = 64 * 1024


@dataclass(frozen=True)
class SessionSummary:
    id: str
    name: str
    workload: str
    workload_type: str
    planned_minutes: int
    created_at: str
    answered: int
    total: int
    high: int
    medium: int


def participant_key(name: str, email: str = "") -> str:
    """Natural key: the e-mail when given, else the name, case and spacing folded."""
    basis = email.strip().lower() or re.sub(r"\s+", " ", name.strip().lower())
    return basis


#: Registers :meth:`Review.state` leaves unread: milestones, each a whole snapshot (:meth:`Review.full_state`).
MILESTONE_SKIP = "milestone/"
#: The longest facilitator name taken (a name, not a paragraph).
MAX_FACILITATOR_NAME = 80


class Review:
    """The one door to a review database: every read and write of the rest of the app goes through a named
    method here (the connection and the operation log are this class's own; tests/test_architecture.py checks)."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._records = Records(db)
        meta = self._records.meta()
        self.writer_id: str = meta["writer_id"]
        self.writer_name: str = meta.get("writer_name", "")
        self.device: str = meta.get("device", "")
        self._log = OpLog(db, self.writer_id)
        self.lenses = LensStore(db)
        #: Operation id -> whether its value is usable (:func:`~wat_tui.review.validate.readable`), for
        #: :meth:`state`, which runs after every edit; an operation's value never changes.
        self._readable: dict[tuple[str, int], bool] = {}

    @classmethod
    def open(cls, data_dir: Path) -> Review:
        return cls(open_database(data_dir))

    @property
    def facilitator_named(self) -> bool:
        """Whether the facilitator on this laptop has said their name (else the name is the computer account's)."""
        return self._records.meta().get("facilitator_named") == "1"

    def set_facilitator_name(self, name: str) -> None:
        """The name of the facilitator on this laptop: on their notes, and on this laptop's operations in a merge
        (other laptops show it in conflicts instead of the computer account, often the same ``root`` on every VM).
        """
        name = " ".join(name.split())
        if not name:
            raise WatError("the facilitator's name is empty")
        if not name.isprintable():
            raise WatError("the facilitator's name holds control characters")
        if len(name) > MAX_FACILITATOR_NAME:
            raise WatError(f"the facilitator's name is longer than {MAX_FACILITATOR_NAME} characters")
        with self._log.transaction():
            self._records.set_meta("writer_name", name)
            self._records.set_meta("facilitator_named", "1")
            self._records.rename_writer(self.writer_id, name)
        self.writer_name = name

    @property
    def data_dir(self) -> Path:
        """The data directory this review's database is in (a background job opens its own connection there)."""
        return self._db.path.parent

    def __enter__(self) -> Review:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    def set_clock(self, now: Callable[[], datetime]) -> None:
        """Stamp operations from ``now`` (the app's clock) instead of the system clock: the stamps and the session
        clock then agree, as they do in the room, also under a test's injected clock. Stamps never go back."""
        self._log.clock._now = lambda: int(now().timestamp() * 1000)

    # -- lenses ---------------------------------------------------------------------------------------------

    def import_lens(
        self, path: Path, alias: str | None = None, origin: str = "import"
    ) -> tuple[StoredLens, bool]:
        lens = load_lens(path, alias)
        with self._log.transaction():
            return self.lenses.store(lens, path.read_bytes(), origin)

    def lens_for_alias(self, alias: str) -> StoredLens:
        """The newest stored version of a lens, storing a built-in one on first use."""
        path = builtin_lens_path(alias)
        if path is not None:
            data = path.read_bytes()
            lens = load_lens_bytes(data, str(path), alias=alias)
            stored, _ = self.lenses.store(lens, data, "builtin")
            if stored.alias == alias:
                return stored
        stored_latest = self.lenses.latest(alias)
        if stored_latest is None:
            known = sorted({*BUILTIN_ALIASES, *(s.alias for s in self.lenses.all_latest())})
            raise NotFound(f"no lens with alias {alias!r}; known lenses: {', '.join(known)}")
        return stored_latest

    # -- sessions -------------------------------------------------------------------------------------------

    def create_session(
        self,
        name: str,
        *,
        workload: str = "",
        workload_type: str = "general",
        planned_minutes: int = 300,
        lenses: Sequence[str] = ("wellarchitected",),
        participants: Iterable[tuple[str, str]] = (),
    ) -> str:
        from wat_tui.review.workload_types import presets

        sid = str(uuid.uuid4())
        created = datetime.now(UTC).isoformat(timespec="seconds")
        fields: list[tuple[str, Any]] = [
            ("name", name), ("workload", workload), ("workload_type", workload_type),
            ("planned_minutes", planned_minutes), ("created_at", created),
        ]
        for field, value in fields:
            check(f"session/{field}", value)
        presets().workload_type(workload_type)
        people = [(PARTICIPANT_PREFIX + participant_key(pname),
                   {"name": pname, "role": role, "email": ""}) for pname, role in participants]
        for target, person in people:
            check(target, person)
        with self._log.transaction():
            stored = [self.lens_for_alias(a) for a in dict.fromkeys(lenses)]
            if not stored:
                raise WatError("a session needs at least one lens")
            self._records.add_session((sid, name, workload, workload_type, planned_minutes, created))
            for field, value in fields:
                self._log.write(sid, f"session/{field}", value)
            lens_value = [{"alias": s.alias, "hash": s.content_hash, "version": s.version} for s in stored]
            check("session/lenses", lens_value)
            self._log.write(sid, "session/lenses", lens_value)
            for target, person in people:
                self._log.write(sid, target, person)
            self.project(sid)
        return sid

    def project(self, sid: str) -> None:
        """Refresh the session's listing row and lens links from its registers.

        Only values the app can use count (see :func:`~wat_tui.review.validate.readable`): a planned duration it
        cannot read is 0, and the lens links come from the newest ``session/lenses`` value whose lenses are all
        stored, so a session keeps a lens to show whatever arrived or was stored before the ingest rules.
        """
        regs = self._log.registers(sid, "session/")
        values = {k.removeprefix("session/"): current([v for v in vs if readable(k, v.value)])
                  for k, vs in regs.items()}
        planned = values.get("planned_minutes")
        self._records.update_session((sid, str(values.get("name") or ""), str(values.get("workload") or ""),
                                      str(values.get("workload_type") or ""),
                                      planned if isinstance(planned, int) else 0,
                                      str(values.get("created_at") or "")))
        links = self._usable_lenses(sid, values.get("lenses"))
        if links is None:
            return  # nothing usable at all: keep the links the session had
        self._records.set_lens_links(sid, links)

    def _lenses_usable(self, value: Any) -> bool:
        """A readable ``session/lenses`` value whose lens versions are all stored here."""
        return (value is not None and readable("session/lenses", value)
                and all(self.lenses.by_hash(item["hash"]) is not None for item in value))

    def _usable_lenses(self, sid: str, value: Any) -> list[tuple[str, str]] | None:
        """(alias, content hash) of the session's lenses: from ``value`` (the register's current value) when it
        is usable, else from the newest usable ``session/lenses`` operation in the log; None when there is none."""
        if not self._lenses_usable(value):
            value = None
            for candidate in self._records.logged_values(sid, "session/lenses"):
                if self._lenses_usable(candidate):
                    value = candidate
                    break
        if value is None:
            return None
        return [(item["alias"], item["hash"]) for item in value]

    def _context(self, sid: str) -> Context:
        """What the rules need to know of the session: its lenses (see :mod:`wat_tui.review.validate`)."""
        links = self._records.lens_links(sid)
        return Context("this session", [self.lenses.load(h) for _, h in links])

    def list_sessions(self) -> list[SessionSummary]:
        out = []
        for row in self._records.sessions():
            st = self.state(row[0])
            counts = st.counts()

            out.append(SessionSummary(row[0], row[1], row[2], row[3], row[4], row[5], answered=st.answered,
                                      total=st.total_questions, high=counts[Risk.HIGH],
                                      medium=counts[Risk.MEDIUM]))
        return out

    def find_session(self, ref: str) -> str:
        """A session id from an id, a unique id prefix, a name, or a unique prefix of a name."""
        if not ref.strip():
            raise NotFound("no session given; 'wat-tui list' shows them")  # "" prefixes every id
        rows = self._records.session_names()
        matchers: list[Callable[[str, str], bool]] = [
            lambda i, n: i == ref,
            lambda i, n: n == ref,
            lambda i, n: n.casefold() == ref.casefold(),
            # One tier for both prefixes: a name that happens to look like another session's id is ambiguous.
            lambda i, n: i.startswith(ref) or n.casefold().startswith(ref.casefold()),
        ]
        for matcher in matchers:
            hits = [(i, n) for i, n in rows if matcher(i, n)]
            if len(hits) == 1:
                return str(hits[0][0])
            if len(hits) > 1:
                names = ", ".join(f"{n!r} ({i[:8]})" for i, n in hits[:5])
                raise Ambiguous(
                    f"session {ref!r} matches {len(hits)} sessions: {names}; give more of the name or id"
                )
        raise NotFound(f"no session matches {ref!r}; 'wat-tui list' shows them")

    def state(self, sid: str) -> SessionState:
        row = self._records.session(sid)
        if row is None:
            raise NotFound(f"no session with id {sid!r}")
        links = [h for _, h in self._records.lens_links(sid)]
        if not links:  # stored before the ingest rules: an unusable session/lenses left the session without any
            links = [h for _, h in self._usable_lenses(sid, None) or []]
        lenses = [self.lenses.load(h) for h in links]
        # A value the app cannot use (stored before the ingest rules, or by an older version) is skipped, and its
        # register named in ``unreadable``: the session still opens and shows everything else.
        regs: dict[str, list[Value]] = {}
        unreadable: list[str] = []
        known = self._readable
        # Milestones (whole snapshots, read by full_state) are left out of what every key reads.
        for target, values in self._log.registers(sid, skip=MILESTONE_SKIP).items():
            every = True  # this runs for every value after every edit: remembered per operation, no new lists
            for v in values:
                ok = known.get((v.writer_id, v.seq))
                if ok is None:
                    ok = known[(v.writer_id, v.seq)] = readable(target, v.value)
                every = every and ok
            usable = values if every else [v for v in values if known[(v.writer_id, v.seq)]]
            if len(usable) < len(values) or (target == "session/lenses" and usable
                                             and not self._lenses_usable(current(usable))):
                unreadable.append(target)
            if usable:
                regs[target] = usable
        answers: dict[str, Answer] = {}
        notes: list[Note] = []
        participants: list[Participant] = []
        conflicts = [Conflict(t, tuple(vs)) for t, vs in regs.items() if len(vs) > 1]
        actions_root: dict[str, Any] = {}
        for target, values in regs.items():
            value = current(values)
            # Only the declared forms are read; another form (a newer version's) is kept, never interpreted.
            kind = target_kind(target)
            name = kind.name if kind is not None else ""
            if name == "answer":
                ans = Answer.from_value(value)
                if ans is not None and not ans.is_empty:
                    answers[target.removeprefix(ANSWER_PREFIX)] = ans
            elif name == "note" and isinstance(value, dict):
                notes.append(Note(target.removeprefix(NOTE_PREFIX), value.get("question", ""),
                                  value.get("author", ""), value.get("body", ""), bool(value.get("private")),
                                  str(value.get("created") or values[0].hlc), conflict=len(values) > 1))
            elif name == "participant" and isinstance(value, dict):
                participants.append(Participant(target.removeprefix(PARTICIPANT_PREFIX),
                                                value.get("name", ""), value.get("role", ""),
                                                value.get("email", "")))
            elif name == "action" and isinstance(value, dict):
                actions_root[target.removeprefix(ACTION_PREFIX)] = (value, values[0].hlc)
        actions = []
        for aid, (root, hlc) in actions_root.items():
            fields = {f: regs.get(f"{ACTION_PREFIX}{aid}/{f}", []) for f in ACTION_FIELDS}
            text = {f: str(current(fields[f]) or "") for f in ACTION_FIELDS}
            actions.append(ActionItem(
                aid, root.get("question"), text["title"], text["owner"], text["due"], text["status"], hlc=hlc,
                conflict_fields=tuple(f for f in ACTION_FIELDS if len(fields[f]) > 1),
            ))
        notes.sort(key=lambda n: n.hlc)
        actions.sort(key=lambda a: a.hlc)
        participants.sort(key=lambda p: p.name.lower())
        return SessionState(row[0], row[1], row[2], row[3], row[4], row[5], lenses, answers, notes, actions,
                            participants, conflicts, unreadable)

    # -- edits ----------------------------------------------------------------------------------------------

    def _edit(self, sid: str, writes: Sequence[tuple[str, Any]], *, undoable: bool = True,
              again: bool = False) -> None:
        """The one path every write takes: the rules, then ops stamped with this writer and its clock, in one
        transaction; with how to undo them when ``undoable`` (a person's edit), without (the clock's intervals,
        which a person does not take back with Undo, and which must not drop what Redo would restore). ``again``
        writes a value that is already so (the room confirming a prepared answer), otherwise skipped."""
        with self._log.transaction():
            if not self._records.session_exists(sid):
                raise NotFound(f"no session with id {sid!r}")
            # The same rules a merge applies to another laptop's operations (wat_tui/review/validate.py): what is
            # accepted here, this laptop's bundles can carry.
            ctx = self._context(sid)
            for target, value in writes:
                check(target, value, ctx)
            changes = []
            for target, value in writes:
                values = self._log.values(sid, target)
                if not again and [canonical(v.value) for v in values] == (
                        [canonical(value)] if value is not None else []):
                    continue  # already so, with no conflict to resolve: nothing to record, nothing to undo
                changes.append((target, value, current(values)))
            if not changes:
                return
            if not undoable:
                for target, value, _ in changes:
                    self._log.write(sid, target, value)
                return
            self._records.push_undo(sid, [(t, canonical(before), canonical(value)) for t, value, before in changes])
            for target, value, _ in changes:
                self._log.write(sid, target, value)
            if any(t.startswith("session/") for t, _, _ in changes):
                self.project(sid)

    def _replay(self, sid: str, undo: bool) -> bool:
        with self._log.transaction():
            entries = self._records.undo_steps(sid, undo)
            if not entries:
                return False
            for eid, target, value in entries:
                self._log.write(sid, target, json.loads(value))
                self._records.mark_undo(eid, undone=undo)
            if any(t.startswith("session/") for _, t, _ in entries):
                self.project(sid)
            return True

    def write(self, sid: str, writes: Sequence[tuple[str, Any]]) -> None:
        """One undoable user action writing raw registers (used for the agenda and the parking lot)."""
        self._edit(sid, writes)

    def record(self, sid: str, writes: Sequence[tuple[str, Any]]) -> None:
        """Writes that are not a person's edit to take back (the clock's intervals): the same rules and stamps
        as :meth:`write`, nothing on the undo stack."""
        self._edit(sid, writes, undoable=False)

    def undo(self, sid: str) -> bool:
        """Restore what the last action changed, as a new operation; False when there is nothing to undo."""
        return self._replay(sid, undo=True)

    def redo(self, sid: str) -> bool:
        return self._replay(sid, undo=False)

    def set_session_field(self, sid: str, field: str, value: Any) -> None:
        if field not in SESSION_FIELDS:
            raise WatError(f"unknown session field {field!r}")
        check(f"session/{field}", value)
        if field == "workload_type":  # only here: a bundle may bring a type a newer version knows
            from wat_tui.review.workload_types import presets

            presets().workload_type(value)
        self._edit(sid, [(f"session/{field}", value)])

    def _question(self, sid: str, alias: str, qid: str) -> Question:
        content_hash = dict(self._records.lens_links(sid)).get(alias)
        if content_hash is None:
            raise NotFound(f"session has no lens {alias!r}")
        lens: Lens = self.lenses.load(content_hash)
        q = lens.question(qid)
        if q is None:
            raise NotFound(f"lens {alias!r} has no question {qid!r}")
        return q

    def answer_of(self, sid: str, alias: str, qid: str) -> Answer:
        return Answer.from_value(current(self._log.values(sid, f"{ANSWER_PREFIX}{alias}/{qid}"))) or Answer()

    def set_answer(self, sid: str, alias: str, qid: str, answer: Answer) -> None:
        self._question(sid, alias, qid)
        self._write_answer(sid, alias, qid, answer)

    def _write_answer(self, sid: str, alias: str, qid: str, answer: Answer) -> None:
        # Its choices and reasons: the answer rule (wat_tui/review/validate.py), as for a merged answer.
        self._edit(sid, [(f"{ANSWER_PREFIX}{alias}/{qid}", None if answer.is_empty else answer.to_value())])

    def confirm_answer(self, sid: str, alias: str, qid: str) -> None:
        """The room confirms an answer prepared before the workshop: the same answer, written again now (an
        operation of its own, so every laptop sees it confirmed; nothing to undo, the answer is unchanged)."""
        self._question(sid, alias, qid)
        target = f"{ANSWER_PREFIX}{alias}/{qid}"
        values = self._log.values(sid, target)
        if len(values) > 1:
            raise WatError(f"{qid}: its answer is in conflict; settle the conflict first")
        value = current(values)
        if value is None:
            raise WatError(f"{qid} has no answer to confirm")
        self._edit(sid, [(target, value)], undoable=False, again=True)

    def toggle_choice(self, sid: str, alias: str, qid: str, cid: str) -> Answer:
        """Tick or untick a practice; "None of these" clears the others and is cleared by any of them."""
        q = self._question(sid, alias, qid)
        choice = q.choice(cid)
        if choice is None:
            raise NotFound(f"question {q.label} has no choice {cid!r}")
        old = self.answer_of(sid, alias, qid)
        selected = set(old.selected)
        if cid in selected:
            selected.discard(cid)
        elif choice.is_none_choice:
            selected = {cid}
        else:
            selected = {c for c in selected if not (q.choice(c) and q.choice(c).is_none_choice)} | {cid}  # type: ignore[union-attr]
        na = {k: v for k, v in old.na_choices.items() if k not in selected}
        new = Answer(tuple(sorted(selected)), na, False, None)
        self._write_answer(sid, alias, qid, new)  # the question was looked up above
        return new

    def set_not_applicable(self, sid: str, alias: str, qid: str, reason: str | None) -> None:
        """Mark the whole question not applicable with one of the tool's reasons, or (None) applicable
        again."""
        old = self.answer_of(sid, alias, qid)
        new = Answer(old.selected, old.na_choices, reason is not None, reason)
        self.set_answer(sid, alias, qid, new)

    def set_choice_not_applicable(self, sid: str, alias: str, qid: str, cid: str, reason: str | None) -> None:
        choice = self._question(sid, alias, qid).choice(cid)
        if reason is not None and choice is not None and choice.is_none_choice:
            # "Not applicable" counts a choice as in place, which for "None of these" means nothing.
            raise WatError(f"choice {cid!r} is 'None of these'; it cannot be marked not applicable")
        old = self.answer_of(sid, alias, qid)
        na = dict(old.na_choices)
        if reason is None:
            na.pop(cid, None)
        else:
            na[cid] = reason
        selected = tuple(c for c in old.selected if c != cid or reason is None)
        self.set_answer(sid, alias, qid, Answer(selected, na, old.not_applicable, old.reason))

    def add_note(self, sid: str, question: str, author: str, body: str, private: bool = False) -> str:
        nid = str(uuid.uuid4())
        # "created" (a clock stamp) keeps notes in the order they were written; edits carry it along.
        self._edit(sid, [(NOTE_PREFIX + nid, {"question": question, "author": author, "body": body,
                                              "private": private, "created": self._log.clock.tick()})])
        return nid

    def _note_value(self, sid: str, nid: str) -> dict[str, Any]:
        value = current(self._log.values(sid, NOTE_PREFIX + nid))
        if not isinstance(value, dict):
            raise NotFound(f"no note {nid!r}")
        return value

    def edit_note(self, sid: str, nid: str, body: str, private: bool | None = None) -> None:
        value = dict(self._note_value(sid, nid), body=body)
        if private is not None:
            value["private"] = private
        self._edit(sid, [(NOTE_PREFIX + nid, value)])

    def delete_note(self, sid: str, nid: str) -> None:
        self._note_value(sid, nid)
        self._edit(sid, [(NOTE_PREFIX + nid, None)])

    def add_action(self, sid: str, title: str, owner: str = "", due: str = "", status: str = "open",
                   question: str | None = None) -> str:
        aid = str(uuid.uuid4())
        self._edit(sid, [(ACTION_PREFIX + aid, {"question": question}), *(
            (f"{ACTION_PREFIX}{aid}/{f}", v) for f, v in
            (("title", title), ("owner", owner), ("due", due), ("status", status)))])
        return aid

    def edit_action(self, sid: str, aid: str, **fields: str) -> None:
        if not isinstance(current(self._log.values(sid, ACTION_PREFIX + aid)), dict):
            raise NotFound(f"no action item {aid!r}")
        unknown = set(fields) - set(ACTION_FIELDS)
        if unknown:
            raise WatError(f"unknown action item field {sorted(unknown)[0]!r}")
        self._edit(sid, [(f"{ACTION_PREFIX}{aid}/{f}", v) for f, v in fields.items()])

    def delete_action(self, sid: str, aid: str) -> None:
        """A tombstone on the item and each field, so an edit made elsewhere meanwhile shows as a conflict."""
        if not isinstance(current(self._log.values(sid, ACTION_PREFIX + aid)), dict):
            raise NotFound(f"no action item {aid!r}")
        self._edit(sid, [(ACTION_PREFIX + aid, None),
                         *((f"{ACTION_PREFIX}{aid}/{f}", None) for f in ACTION_FIELDS)])

    def set_participant(self, sid: str, name: str, role: str, email: str = "") -> str:
        if not isinstance(name, str) or not isinstance(email, str):
            raise WatError("a participant's name and e-mail are text")
        if not name.strip():  # before the key is made of it (the participant rule says the same)
            raise WatError("a participant needs a name")
        key = participant_key(name, email)
        value = {"name": name.strip(), "role": role, "email": email.strip()}
        self._edit(sid, [(PARTICIPANT_PREFIX + key, value)])
        return key

    def remove_participant(self, sid: str, key: str) -> None:
        if not isinstance(current(self._log.values(sid, PARTICIPANT_PREFIX + key)), dict):
            raise NotFound(f"no participant {key!r}")
        self._edit(sid, [(PARTICIPANT_PREFIX + key, None)])

    # -- this laptop's own place in a session --------------------------------------------------------------

    def set_local_setting(self, sid: str, key: str, value: str) -> None:
        """This laptop's own state for a session (the open question, the bell): never shared in bundles."""
        with self._log.transaction():
            if not self._records.session_exists(sid):
                raise NotFound(f"no session with id {sid!r}")
            self._records.set_local_setting(sid, key, value)

    def local_setting(self, sid: str, key: str, default: str | None = None) -> str | None:
        value = self._records.local_setting(sid, key)
        return default if value is None else value

    def latest_stamp(self, sid: str, writer_id: str) -> str | None:
        """The clock stamp of ``writer_id``'s newest operation on the session, if any."""
        return self._records.latest_stamp(sid, writer_id)

    # -- reading the store: what the exchange code, the clock and the demo need --------------------------------

    def transaction(self) -> AbstractContextManager[None]:
        """Group several calls into one transaction (the outermost one commits, or nothing does)."""
        return self._log.transaction()

    @property
    def in_transaction(self) -> bool:
        return self._db.in_transaction

    def outside_changes(self) -> int:
        """A number that changes whenever another connection (another process or window on this data directory)
        commits a change; this Review's own writes leave it as it is. A follower (the room's view) polls it."""
        return self._log.outside_changes()

    @property
    def write_count(self) -> int:
        """Rows written through this door since it opened: a change means a write went through."""
        return self._db.total_changes

    def session_exists(self, sid: str) -> bool:
        return self._records.session_exists(sid)

    def session_name(self, sid: str) -> str:
        row = self._records.session(sid)
        return row[1] if row else ""

    def values(self, sid: str, target: str) -> list[Value]:
        """A register's current values (more than one: a conflict)."""
        return self._log.values(sid, target)

    def registers(self, sid: str, prefix: str = "") -> dict[str, list[Value]]:
        """Every register of a session whose target starts with ``prefix``."""
        return self._log.registers(sid, prefix)

    def ops(self, sid: str) -> list[Op]:
        """The session's operation log, by writer and seq."""
        return self._log.ops(sid)

    def op(self, writer_id: str, seq: int) -> Op | None:
        """One stored operation by its id."""
        return self._records.op(writer_id, seq)

    def op_source(self, writer_id: str, seq: int) -> str:
        """Where an operation came from ("local" or a bundle file); "" when it is not here."""
        return self._records.op_source(writer_id, seq)

    def logged_values(self, sid: str, target: str) -> list[Any]:
        """Every value ever written to ``target`` (tombstones included), newest first."""
        return self._records.logged_values(sid, target)

    def rebuild_registers(self, sid: str) -> None:
        """Recompute the session's registers from its log (a check that they materialise it exactly)."""
        self._log.rebuild(sid)

    def conflicted_targets(self, sid: str) -> list[str]:
        """Targets holding more than one value, in order (equal values not yet collapsed: see :meth:`values`)."""
        return self._records.conflicted_targets(sid)

    def writers(self) -> dict[str, tuple[str, str]]:
        """Writer id -> (name, device) of every writer this database has heard of."""
        return self._records.writers()

    def add_writers(self, names: dict[str, tuple[str, str]]) -> None:
        """Remember other laptops' writers (id -> name, device); a known one keeps its name."""
        self._records.add_writers(names)

    def session_lenses(self, sid: str) -> dict[str, Lens]:
        """The session's lenses by alias."""
        return {alias: self.lenses.load(h) for alias, h in self._records.lens_links(sid)}

    def adopt_session(self, sid: str) -> None:
        """A session arriving from another laptop: its listing row, filled in by :meth:`project`."""
        self._records.add_session((sid, "", "", "", 0, ""))

    def ingest(self, ops: Iterable[Op]) -> list[Op]:
        """Add other laptops' operations (a merge), each keeping its own writer and stamp; returns the new ones.
        A reused id with another payload raises ValueError before anything is written."""
        return self._log.ingest_many(ops)

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """A large write (a merge): a bigger page cache while it lasts; when it fails or is rolled back (a
        preview), the clock goes back to where it was, as nothing it observed was kept."""
        clock = (self._log.clock.ms, self._log.clock.counter)
        cache = self._records.cache_kib()
        # A big merge touches more pages than the default 2 MiB cache holds; spilling them costs a tenth of the time.
        self._records.set_cache_kib(-BULK_CACHE_KIB)
        try:
            yield
        except BaseException:
            self._log.clock.ms, self._log.clock.counter = clock
            raise
        finally:
            self._records.set_cache_kib(cache)

    def wall_ms(self) -> int:
        """This laptop's clock, in milliseconds since 1970 (see :meth:`HybridClock.wall_ms`)."""
        return self._log.clock.wall_ms()

    def horizon_ms(self) -> int:
        """The latest stamp taken as real (see :meth:`HybridClock.horizon_ms`)."""
        return self._log.clock.horizon_ms()

    def demo_session_id(self) -> str | None:
        """The demo session, when it was made here and is still here."""
        sid = self._records.meta().get("demo_session")
        return sid if sid is not None and self.session_exists(sid) else None

    def set_demo_session_id(self, sid: str) -> None:
        self._records.set_meta("demo_session", sid)

    def set_position(self, sid: str, question_key: str) -> None:
        self.set_local_setting(sid, "position", question_key)

    def position(self, sid: str) -> str | None:
        return self.local_setting(sid, "position")

    # -- analysis, action plan and follow-up (issue 14) ------------------------------------------------------

    def full_state(self, sid: str) -> SessionState:
        """:meth:`state` with the analysis, the action items' links, the chosen cadence and the milestones (what
        the report, the roadmap and the follow-up read; the workspace reads :meth:`state` after every key)."""
        from dataclasses import replace

        state = self.state(sid)
        # state() leaves milestones unread: name here the ones this version cannot use.
        unreadable = [t for t, values in self._log.registers(sid, MILESTONE_SKIP).items()
                      if not all(readable(t, v.value) for v in values)]
        return replace(state, analysis=self.analysis(sid), links=self.action_findings(sid),
                       cadence=self.chosen_cadence(sid), milestones=self.milestones(sid),
                       unreadable=sorted([*state.unreadable, *unreadable]) if unreadable else state.unreadable)

    def _usable_values(self, sid: str, prefix: str, kind: str) -> dict[str, Any]:
        """Target -> current value of the registers of target kind ``kind`` under ``prefix``, skipping values the
        app cannot use (see :func:`~wat_tui.review.validate.readable`); a conflict shows the newest value."""
        out: dict[str, Any] = {}
        for target, values in self._log.registers(sid, prefix).items():
            t = target_kind(target)
            if t is None or t.name != kind:
                continue
            usable = [v for v in values if readable(target, v.value)]
            if usable:
                out[target] = current(usable)
        return out

    def analysis(self, sid: str) -> dict[str, Analysis]:
        """Finding key (``alias/qid`` or ``alias/qid/choice``) -> the room's analysis of it."""
        out: dict[str, Analysis] = {}
        for target, value in self._usable_values(sid, "analysis/", "analysis").items():
            if not isinstance(value, dict):
                continue  # cleared
            try:
                out[target.removeprefix("analysis/")] = Analysis(value.get("impact"), value.get("effort"),
                                                                 value.get("note") or "")
            except AnalysisError:
                continue  # a note longer than this version takes (kept in the log, left out here)
        return out

    def set_analysis(self, sid: str, key: str, impact: str | None, effort: str | None, note: str = "") -> None:
        """Score finding ``key`` (``alias/qid``, or ``alias/qid/choice`` for one missing practice) on business
        impact and technical effort (low, medium, high, or None for not scored), with an optional note; all
        three empty clears it. One undoable edit."""
        if not isinstance(key, str):
            raise WatError("a finding is named by text: <lens alias>/<question id>[/<choice id>]")
        if not isinstance(note, str):
            raise WatError("an analysis note is text")
        if target_kind(f"analysis/{key}") is None:
            raise WatError(f"finding {key[:80]!r}: expected <lens alias>/<question id>[/<choice id>]")
        value = None if impact is None and effort is None and not note.strip() else {
            "impact": impact, "effort": effort, "note": note}
        self._edit(sid, [(f"analysis/{key}", value)])

    def action_findings(self, sid: str) -> dict[str, tuple[str, ...]]:
        """Action id -> the finding keys stored as its links (its own question is not among them unless linked)."""
        out: dict[str, tuple[str, ...]] = {}
        for target, value in self._usable_values(sid, ACTION_PREFIX, "action-findings").items():
            if isinstance(value, list) and value:
                out[target.removeprefix(ACTION_PREFIX).rsplit("/", 1)[0]] = tuple(str(k) for k in value)
        return out

    def _action_root(self, sid: str, aid: str) -> None:
        if not isinstance(current(self._log.values(sid, ACTION_PREFIX + aid)), dict):
            raise NotFound(f"no action item {aid!r}")

    def set_action_findings(self, sid: str, aid: str, keys: Sequence[str]) -> None:
        """The findings action item ``aid`` addresses, all at once (an empty list unlinks every one)."""
        self._action_root(sid, aid)
        self._edit(sid, [(f"{ACTION_PREFIX}{aid}/findings", list(dict.fromkeys(keys)) or None)])

    def link_action(self, sid: str, aid: str, key: str) -> None:
        """Say that action item ``aid`` addresses finding ``key`` (a question or one practice of it)."""
        self._action_root(sid, aid)
        keys = list(self.action_findings(sid).get(aid, ()))
        if key not in keys:
            self.set_action_findings(sid, aid, [*keys, key])

    def unlink_action(self, sid: str, aid: str, key: str) -> None:
        self._action_root(sid, aid)
        keys = list(self.action_findings(sid).get(aid, ()))
        if key in keys:
            self.set_action_findings(sid, aid, [k for k in keys if k != key])

    def chosen_cadence(self, sid: str) -> str:
        """The cadence chosen for the session; "" when none was (the workload type's applies)."""
        value = self._usable_values(sid, "session/", "session-cadence").get("session/cadence")
        return value if isinstance(value, str) else ""

    def cadence(self, sid: str) -> str:
        """The cadence that applies: the chosen one when this version knows it, else the workload type's (a
        general workload's when the type is unknown here)."""
        from wat_tui.review.workload_types import presets

        chosen = self.chosen_cadence(sid)
        if chosen in {c.id for c in presets().cadences}:
            return chosen
        row = self._records.session(sid)
        if row is None:
            raise NotFound(f"no session with id {sid!r}")
        try:
            return presets().workload_type(row[3]).cadence
        except WatError:
            return presets().workload_type("general").cadence

    def set_cadence(self, sid: str, cadence: str | None) -> None:
        """Choose the session's review cadence (new, existing, critical, post-incident), or None to follow the
        workload type again."""
        if cadence is not None:
            from wat_tui.review.workload_types import presets

            if not isinstance(cadence, str):
                raise WatError("a review cadence is named by its id, e.g. critical")
            known = [c.id for c in presets().cadences]
            if cadence not in known:
                raise WatError(f"unknown review cadence {cadence[:40]!r}; expected one of: {', '.join(known)}")
        self._edit(sid, [("session/cadence", cadence)])

    def milestones(self, sid: str) -> list[Milestone]:
        """The recorded milestones, oldest first. A milestone is written once: should two values ever reach one
        (a hand-made bundle), the earliest written is the milestone, on every laptop alike."""
        out: list[Milestone] = []
        for target in self._log.registers(sid, "milestone/"):
            kind = target_kind(target)
            if kind is None or kind.name != "milestone":
                continue
            for value in reversed(self._records.logged_values(sid, target)):
                if not readable(target, value):
                    continue
                try:
                    out.append(Milestone(target.removeprefix("milestone/"), Snapshot.from_value(value)))
                except SnapshotError:
                    continue
                break
        out.sort(key=lambda m: (m.at, m.name.casefold(), m.id))
        return out

    def record_milestone(self, sid: str, name: str, at: datetime | None = None) -> str:
        """Record a milestone: a named, dated, immutable snapshot of the answers' risks, the analysis and the
        action items, stored as one operation (merged like any other, never undone). Returns its id."""
        if not isinstance(name, str) or not name.strip():
            raise WatError("a milestone needs a name")
        name = " ".join(name.split())
        taken = at if at is not None else datetime.fromtimestamp(self.wall_ms() / 1000, UTC)
        if taken.tzinfo is None:
            taken = taken.astimezone()
        with self._log.transaction():
            st = self.full_state(sid)
            for m in st.milestones:
                if m.name.casefold() == name.casefold():
                    raise WatError(f"a milestone named {m.name!r} exists already (recorded {m.at}); give another "
                                   "name")
            snap = snapshot(st, st.analysis, label=name, taken_at=taken.isoformat(timespec="seconds"))
            mid = str(uuid.uuid4())
            self._edit(sid, [(f"milestone/{mid}", snap.to_value())], undoable=False)
        return mid

    def find_milestone(self, sid: str, ref: str) -> Milestone:
        """A milestone by id, unique id prefix, name, or unique prefix of a name (case ignored)."""
        found = self.milestones(sid)
        if not found:
            raise NotFound("this session has no milestone yet; record one with 'wat-tui milestone SESSION NAME'")
        folded = ref.strip().casefold()
        matchers: list[Callable[[Milestone], bool]] = [
            lambda m: m.id == ref, lambda m: m.name.casefold() == folded,
            lambda m: bool(folded) and (m.id.startswith(ref) or m.name.casefold().startswith(folded))]
        for matcher in matchers:
            hits = [m for m in found if matcher(m)]
            if len(hits) == 1:
                return hits[0]
            if len(hits) > 1:
                names = ", ".join(f"{m.name!r} ({m.at[:10]})" for m in hits[:5])
                raise Ambiguous(f"milestone {ref!r} matches {len(hits)}: {names}; give more of the name")
        names = ", ".join(repr(m.name) for m in found[:10])
        raise NotFound(f"no milestone matches {ref!r}; this session has {names}")


__all__ = ["LensError", "Review", "SessionSummary", "participant_key"]
