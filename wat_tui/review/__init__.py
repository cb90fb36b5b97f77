"""The review domain: sessions, answers, notes, action items, participants, undo; no UI here."""
