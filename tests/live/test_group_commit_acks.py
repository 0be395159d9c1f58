"""Over Socket.IO: votes arriving together are acknowledged only after their shared COMMIT."""
from __future__ import annotations

import threading

from sqlalchemy import event

from tests.play.test_group_commit import Holding


def test_votes_sent_together_are_acknowledged_after_one_commit(db, join):
    anna, bas, cem, dirk = join("Anna", "HR"), join("Bas", "Leidinggevende"), join("Cem", "MT-lid"), join("Dirk", "HR")
    assert anna.call("draw_card", {"round": 1})["ok"]
    log: list[str] = []
    on_commit = lambda _conn: log.append("commit")  # noqa: E731
    event.listen(db.engine, "commit", on_commit)
    hold = Holding(db)  # the votes below gather while it keeps the group's turn
    replies: dict[str, dict] = {}

    def vote(player, choice: int) -> None:  # noqa: ANN001
        reply = player.call("cast_vote", {"round": 1, "choice": choice})
        log.append("ack")
        replies[player.token] = reply

    threads = [threading.Thread(target=vote, args=(p, c)) for p, c in ((anna, 1), (bas, 2), (cem, 2))]
    try:
        for t in threads:
            t.start()
        hold.until_joined(3)
        assert log == []  # three votes are in, none is acknowledged: nothing is committed yet
        hold.end()
        for t in threads:
            t.join(30)
    finally:
        event.remove(db.engine, "commit", on_commit)
    assert [r["ok"] for r in replies.values()] == [True] * 3
    assert log == ["commit", "commit", "ack", "ack", "ack"]  # the hold's, the three votes' and only then the acks
    assert dirk.last_state()["team"]["votes_cast"] == 3
