"""October 2026 in a small province, counted by hand (see the expected numbers in the tests)."""

from tests.reports.conftest import at, attach, close_event, make_dossier, pay, rate

NOW = at(2026, 11, 23, 12, 0)


def october(*, commune, department, birth, land) -> dict:
    d = {}
    # Result ready exactly at the due minute: on time (the boundary belongs to "on time").
    d["d1"] = make_dossier(procedure=land, agency=commune, channel="counter", state="returned",
                           received_at=at(2026, 10, 1, 9, 0), due_at=at(2026, 10, 8, 17, 0),
                           resolved_at=at(2026, 10, 8, 17, 0), returned_at=at(2026, 10, 9, 8, 0))
    # One minute after the due time: late.
    d["d2"] = make_dossier(procedure=birth, agency=commune, channel="online", state="resolved", fee_vnd=8000,
                           received_at=at(2026, 10, 2, 9, 0), due_at=at(2026, 10, 9, 17, 0),
                           resolved_at=at(2026, 10, 9, 17, 1))
    # Postponed with an apology: the new date was kept, the first one was not — late.
    d["d3"] = make_dossier(procedure=land, agency=commune, channel="counter", state="resolved",
                           received_at=at(2026, 10, 2, 10, 0), original_due_at=at(2026, 10, 10, 17, 0),
                           due_at=at(2026, 10, 20, 17, 0), resolved_at=at(2026, 10, 15, 9, 0))
    # Fully online, paid online, digitised, electronic result, returned, rated satisfied.
    d["d4"] = make_dossier(procedure=birth, agency=commune, channel="online", state="returned", fee_vnd=8000,
                           received_at=at(2026, 10, 3, 8, 0), due_at=at(2026, 10, 10, 17, 0),
                           resolved_at=at(2026, 10, 5, 9, 0), returned_at=at(2026, 10, 6, 9, 0))
    attach(d["d4"], kind="submitted")
    attach(d["d4"], kind="result")
    pay(d["d4"], when=at(2026, 10, 3, 8, 30))
    rate(d["d4"], level="satisfied", when=at(2026, 10, 7, 9, 0))
    rate(d["d1"], level="unsatisfied", when=at(2026, 10, 10, 9, 0))
    # By post, refused.
    d["d5"] = make_dossier(procedure=land, agency=commune, channel="post", state="refused",
                           received_at=at(2026, 10, 4, 9, 0), due_at=at(2026, 10, 18, 17, 0))
    close_event(d["d5"], to_state="refused", when=at(2026, 10, 5, 9, 0))
    # Received late on the last evening of the month; still in progress and overdue on 23 November.
    d["d6"] = make_dossier(procedure=land, agency=commune, channel="counter", state="in_progress",
                           received_at=at(2026, 10, 31, 23, 30), due_at=at(2026, 11, 5, 17, 0))
    # Withdrawn by the applicant.
    d["d7"] = make_dossier(procedure=land, agency=commune, channel="counter", state="withdrawn",
                           received_at=at(2026, 10, 11, 9, 0), due_at=at(2026, 10, 25, 17, 0))
    close_event(d["d7"], to_state="withdrawn", when=at(2026, 10, 12, 9, 0))
    # Received the evening before the month began, resolved on its first morning: resolved, not received, in October.
    d["d8"] = make_dossier(procedure=land, agency=commune, channel="counter", state="resolved",
                           received_at=at(2026, 9, 30, 23, 59), due_at=at(2026, 10, 14, 17, 0),
                           resolved_at=at(2026, 10, 1, 8, 0))
    # The department: one received in October and still running on time; one waiting for a supplement
    # past its date (the clock is stopped: in progress, not overdue). The first is due years ahead: the
    # browser tests read these figures at the real date, where "on time" must still hold.
    d["d9"] = make_dossier(procedure=land, agency=department, channel="counter", state="in_progress",
                           received_at=at(2026, 10, 10, 9, 0), due_at=at(2036, 12, 1, 17, 0))
    d["d10"] = make_dossier(procedure=land, agency=department, channel="counter", state="supplement_requested",
                            received_at=at(2026, 9, 1, 9, 0), due_at=at(2026, 9, 15, 17, 0))
    return d
