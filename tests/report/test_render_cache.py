"""A finished room's PDF is laid out once per content; two downloads at once wait for one layout."""
from __future__ import annotations

import threading
import time

from game.report import cache, service
from game.report.aggregate import ReportOptions


def test_the_same_report_is_laid_out_once_and_a_changed_one_again(db, played_room, monkeypatch):
    calls = []

    def slow_render(report, fmt, **_):  # noqa: ANN001, ANN003, ANN202
        calls.append(fmt)
        time.sleep(0.2)
        return service.Rendered(b"%PDF-1.7 fake", "application/pdf", "r.pdf")

    monkeypatch.setattr(service, "_render", slow_render)
    cache.RENDERED.clear()
    report = service.room_report(db, service.room_id_for_code(db, played_room), ReportOptions())
    results = []
    threads = [threading.Thread(target=lambda: results.append(service.render(report, "pdf"))) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert calls == ["pdf"] and len(results) == 3
    again = service.room_report(db, service.room_id_for_code(db, played_room), ReportOptions())
    service.render(again, "pdf")                       # rebuilt, same content: no new layout
    assert calls == ["pdf"]
    stricter = service.room_report(db, service.room_id_for_code(db, played_room), ReportOptions(min_group=8))
    service.render(stricter, "pdf")                    # other content: laid out again
    assert calls == ["pdf", "pdf"]
    service.render(report, "json")                     # JSON is never cached
    assert calls == ["pdf", "pdf", "json"]


def test_the_key_follows_the_content_and_the_day_not_the_hour(db, played_room):
    import dataclasses

    report = service.room_report(db, service.room_id_for_code(db, played_room), ReportOptions())
    morning = dataclasses.replace(report, generated_at="2026-12-04T09:00:00+00:00")
    evening = dataclasses.replace(report, generated_at="2026-12-04T17:30:00+00:00")
    next_day = dataclasses.replace(report, generated_at="2026-12-05T09:00:00+00:00")
    assert cache.content_key(morning, "pdf") == cache.content_key(evening, "pdf")
    assert cache.content_key(morning, "pdf") != cache.content_key(next_day, "pdf")   # the date is printed
    assert cache.content_key(morning, "pdf") != cache.content_key(morning, "xlsx")
    card = dataclasses.replace(morning.cards[0], title=morning.cards[0].title + " (herzien)")
    retitled = dataclasses.replace(morning, cards=[card, *morning.cards[1:]])
    assert cache.content_key(retitled, "pdf") != cache.content_key(morning, "pdf")
