"""Expiry warnings: 30 days ahead, the board is warned once per copy and staff get one list a day.

The retention run (the daily schedule) announces them; the acknowledge function sends them.
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest

from case_reviews import bootstrap
from tests.integration.conftest import client, sent_emails, wire
from tests.integration.test_retention import deposited_today, run_retention

__all__ = ["deposited_today"]  # the fixture: a report catalogued (and acknowledged) today

CONTACT = "business.manager@board.example"  # the sample submission's contact
STAFF = "case-reviews-staff@library.example.org"  # the local stack's StaffEmail
STAFF_ARN = "arn:aws:sts::123456789012:assumed-role/library-staff/j.smith"


def last_day(reference: str) -> date:
    return bootstrap.services().records_store.get_record(reference).electronic_copy.available_until


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def words(body: str) -> str:
    """An email's body (the embedded SES keeps the HTML part) as its words, without tags or line breaks."""
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


def warnings() -> list[dict]:
    return [email for email in sent_emails() if email["subject"].startswith("Electronic copy to be removed")]


def summaries() -> list[dict]:
    return [email for email in sent_emails() if email["subject"].startswith("Electronic copies to be removed")]


def daily_run(as_of: date, pipeline) -> dict:
    """The retention function's run for `as_of`, then every queue drained (the emails go out)."""
    response = run_retention(as_of)
    pipeline.drain()
    return response


def test_a_copy_30_days_from_its_last_day_gets_one_warning_however_often_the_run_comes(deposited_today, pipeline):
    # Given a catalogued copy (its acknowledgement already sent) and the day its last available day is 30 days away
    reference = deposited_today
    until = last_day(reference)
    as_of = until - timedelta(days=30)
    before = len(sent_emails())

    # When the retention run comes the day before, on that day, then twice more that day
    day_before = daily_run(as_of - timedelta(days=1), pipeline)
    warned_before = len(warnings())
    responses = [daily_run(as_of, pipeline) for _ in range(3)]

    # Then nothing is sent the day before (31 days away); on the day the board's contact gets one warning with
    # the reference, the title, the last day and the removal day, in both parts, however often the run comes
    assert day_before == {"batchItemFailures": []}
    assert all(response == {"batchItemFailures": []} for response in responses)
    assert warned_before == 0
    sent = warnings()
    assert len(sent) == 1
    warning = sent[0]
    assert warning["to"] == [CONTACT]
    assert warning["subject"] == (
        f"Electronic copy to be removed on {long_date(until + timedelta(days=1))}: "
        f"Serious Case Review: Child K — Overview Report ({reference})"
    )
    body = words(warning["body"])
    assert f"Reference {reference}" in body
    assert f"stays available until {long_date(until)}" in body
    assert f"It will be removed on {long_date(until + timedelta(days=1))}" in body
    assert f"https://reviews.example.org/v1/record/{reference}" in body
    assert "The catalogue record stays" in body
    # And staff's list went once that day, besides the warning
    assert len(sent_emails()) - before == 2
    assert len(summaries()) == 1


def test_the_warning_announced_twice_is_sent_once(deposited_today, pipeline, aws):
    # Given a copy warned of by the run of its day
    reference = deposited_today
    until = last_day(reference)
    daily_run(until - timedelta(days=30), pipeline)
    assert len(warnings()) == 1

    # When the same warning reaches the bus again (a run that stopped before noting it had announced it)
    client("events").put_events(
        Entries=[
            {
                "EventBusName": aws.names.event_bus,
                "Source": "case-reviews.catalogue",
                "DetailType": "ExpiryApproaching",
                "Detail": json.dumps({"reference": reference, "available_until": until.isoformat()}),
            }
        ]
    )
    received = pipeline.drain()

    # Then the acknowledge function got it, and there is still one warning
    assert received["acknowledge"] == 1
    assert len(warnings()) == 1


def test_a_copy_on_legal_hold_gets_no_warning_and_is_not_in_the_staff_list(deposited_today, pipeline):
    # Given a copy on legal hold whose last available day is 30 days away
    reference = deposited_today
    until = last_day(reference)
    bootstrap.services().rulings.hold(reference, "Litigation pending: preserve", STAFF_ARN)
    pipeline.drain()

    # When the retention runs of the whole window come
    outcomes = [
        bootstrap.services().retention.apply(until - timedelta(days=days), has_time=lambda: True)
        for days in range(30, -1, -1)
    ]
    pipeline.drain()

    # Then no run saw it, the board is not warned and staff get no list (there is nothing to remove)
    assert {(o.expiring, tuple(o.warned), o.summary_requested) for o in outcomes} == {(0, (), False)}
    assert warnings() == []
    assert summaries() == []


def test_a_copy_held_after_its_warning_was_announced_is_not_warned(deposited_today, pipeline):
    # Given a run that announced the warning, and a hold placed before the acknowledge function got it
    reference = deposited_today
    until = last_day(reference)
    bootstrap.services().retention.apply(until - timedelta(days=30), has_time=lambda: True)
    bootstrap.services().rulings.hold(reference, "Preserve for the inquiry", STAFF_ARN)

    # When the acknowledge function gets the warning and the day's summary request
    pipeline.drain()

    # Then it sends neither: the record, read afresh, is held
    assert warnings() == []
    assert summaries() == []


def test_staff_get_one_list_a_day_naming_each_copy_once(deposited_today, pipeline):
    # Given a copy whose last available day is 30 days away
    reference = deposited_today
    until = last_day(reference)
    as_of = until - timedelta(days=30)

    # When the run comes twice on that day, then on the next day
    daily_run(as_of, pipeline)
    daily_run(as_of, pipeline)
    first_day = summaries()
    daily_run(as_of + timedelta(days=1), pipeline)

    # Then staff got one list on the first day naming the copy once with its board and last day, one more the
    # next day, and the board still only the one warning
    assert len(first_day) == 1
    summary = first_day[0]
    assert summary["to"] == [STAFF]
    assert summary["subject"] == f"Electronic copies to be removed by {long_date(until)}: 1"
    assert summary["body"].count(reference) == 2  # the reference and the record's link
    body = words(summary["body"])
    assert (
        f"{reference} {long_date(until)} Serious Case Review: Child K — Overview Report "
        "Northshire Safeguarding Children Partnership"
    ) in body
    assert "Copies on legal hold are not listed." in body
    assert len(summaries()) == 2
    assert summaries()[1]["subject"] == f"Electronic copies to be removed by {long_date(until + timedelta(days=1))}: 1"
    assert len(warnings()) == 1


def test_no_staff_address_means_no_list_but_the_board_is_still_warned(
    deposited_today, pipeline, function_settings, clock
):
    # Given no staff mailbox configured (StaffEmail left empty)
    wire({**function_settings, "STAFF_EMAIL": ""}, clock)
    reference = deposited_today

    # When the run of the copy's warning day comes
    daily_run(last_day(reference) - timedelta(days=30), pipeline)

    # Then the board is warned and no list goes anywhere
    assert len(warnings()) == 1
    assert summaries() == []


def test_a_copy_brought_into_the_window_is_warned_by_the_next_run_with_its_new_date(deposited_today, pipeline):
    # Given a copy already inside its window (warned of) whose date staff then bring forward by ten days
    reference = deposited_today
    until = last_day(reference)
    as_of = until - timedelta(days=30)
    daily_run(as_of, pipeline)
    earlier = until - timedelta(days=10)
    bootstrap.services().rulings.extend(reference, earlier, STAFF_ARN, reason="Board asked")
    pipeline.drain()

    # When the next day's run comes, and the one after
    outcomes = []
    for days in (1, 2):
        outcomes.append(bootstrap.services().retention.apply(as_of + timedelta(days=days), lambda: True))
        pipeline.drain()

    # Then the first of them warns of the new date, once; the other warns of nothing
    assert [outcome.warned for outcome in outcomes] == [[reference], []]
    sent = warnings()
    assert len(sent) == 2
    assert f"stays available until {long_date(earlier)}" in words(sent[1]["body"])


@pytest.mark.parametrize("days_before", [31, -1])
def test_a_run_outside_the_window_announces_nothing(deposited_today, pipeline, days_before):
    # Given a copy whose last available day is 31 days away, or was yesterday (so the run removes it)
    reference = deposited_today
    as_of = last_day(reference) - timedelta(days=days_before)

    # When the run of that day comes
    outcome = bootstrap.services().retention.apply(as_of, has_time=lambda: True)
    pipeline.drain()

    # Then it warns of nothing and asks for no list
    assert (outcome.expiring, outcome.warned, outcome.summary_requested) == (0, [], False)
    assert warnings() == summaries() == []


def test_a_second_run_of_the_day_reads_the_window_but_announces_no_warning_again(deposited_today, pipeline):
    # Given the run of a copy's warning day, done
    reference = deposited_today
    as_of = last_day(reference) - timedelta(days=30)
    first = bootstrap.services().retention.apply(as_of, has_time=lambda: True)

    # When the run comes again that day, and on the next
    again = bootstrap.services().retention.apply(as_of, has_time=lambda: True)
    next_day = bootstrap.services().retention.apply(as_of + timedelta(days=1), lambda: True)
    received = pipeline.drain()

    # Then only the first announced the warning (the others found it noted); each asked for the day's list,
    # and the acknowledge function sent one warning and one list per day
    assert (first.expiring, first.warned, first.summary_requested) == (1, [reference], True)
    assert (again.expiring, again.warned, again.summary_requested) == (1, [], True)
    assert (next_day.expiring, next_day.warned) == (1, [])
    assert received["acknowledge"] == 4
    assert (len(warnings()), len(summaries())) == (1, 2)


def test_after_set_contact_the_warning_goes_to_the_board_s_current_contacts(deposited_today, pipeline, board_key):
    # Given a copy deposited by the board's business manager, and the board's contacts set by staff since
    # (through the table: the board's other details and its listing stay as they were)
    reference = deposited_today
    board_id, _ = board_key
    boards = bootstrap.services().boards
    boards.set_contacts(board_id, ["Safeguarding.Team@Northshire.example", "lead@northshire.example"])
    assert boards.show(board_id).contacts == ("safeguarding.team@northshire.example", "lead@northshire.example")
    assert [board.board_id for board in boards.list_boards()] == [board_id]
    until = last_day(reference)

    # When the run of the day 30 days before its last day comes
    daily_run(until - timedelta(days=30), pipeline)

    # Then one warning went, in one email to both current contacts, and none to the deposit's contact
    [warning] = warnings()
    assert warning["to"] == ["safeguarding.team@northshire.example", "lead@northshire.example"]
    assert CONTACT not in warning["to"]
