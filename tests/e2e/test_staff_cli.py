"""Library staff manage board credentials with the `case-reviews` CLI against the running local stack."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import uuid
from datetime import date, timedelta
from typing import Any

import pytest
import requests

from case_reviews.domain.rules import available_until
from tests.e2e.conftest import Stack
from tests.e2e.test_board_and_searcher import deposit, metadata, wait_for, wait_for_outcome
from tests.support.pdfs import make_pdf

pytestmark = pytest.mark.e2e


def staff(
    stack: Stack, *arguments: str, options_first: bool = True, as_json: bool = True
) -> subprocess.CompletedProcess[str]:
    """Run `case-reviews --state-file STATE --json ...` as a staff member would (as_json=False: as text).

    With options_first=False they follow the command: `case-reviews ... --state-file STATE --json`.
    """
    options = ["--state-file", str(stack.state_file), *(["--json"] if as_json else [])]
    command = [*options, *arguments] if options_first else [*arguments, *options]
    return subprocess.run(
        [sys.executable, "-m", "case_reviews_cli", *command],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def staff_json(stack: Stack, *arguments: str, options_first: bool = True) -> Any:
    done = staff(stack, *arguments, options_first=options_first)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def open_submission(stack: Stack, key: str) -> requests.Response:
    return requests.post(
        f"{stack.api_url}/submissions", json=metadata(), headers={"Authorization": f"Bearer {key}"}, timeout=10
    )


def test_a_board_added_by_staff_can_submit_until_its_key_is_revoked(stack: Stack) -> None:
    # Given staff add a board with the CLI and issue it a second key
    added = staff_json(stack, "boards", "add", "Westshire Safeguarding Children Partnership")
    second = staff_json(stack, "boards", "issue-key", added["id"])["key"]
    listed = staff_json(stack, "boards", "list")
    # When the board submits with its first key, staff revoke that key, and it submits again with both
    before = open_submission(stack, added["key"])
    revoked = staff_json(stack, "boards", "revoke-key", added["id"], "--key", added["key"])
    with_revoked = open_submission(stack, added["key"])
    with_second = open_submission(stack, second)
    # Then the board is listed, the first key worked until it was revoked, and the second key still works
    assert {"board_id": added["id"], "name": "Westshire Safeguarding Children Partnership"}.items() <= next(
        board for board in listed if board["board_id"] == added["id"]
    ).items()
    assert before.status_code == 201, before.text
    assert revoked == {"id": added["id"], "revoked": 1}
    assert with_revoked.status_code == 401
    assert with_revoked.headers["Content-Type"].startswith("application/problem+json")
    assert with_second.status_code == 201, with_second.text


def test_a_staff_mistake_is_one_clear_line_and_a_failing_exit(stack: Stack) -> None:
    # Given no board called "no-such-board"
    # When staff issue it a key, and ask for a retention preview on a date that does not exist
    unknown = staff(stack, "boards", "issue-key", "no-such-board")
    bad_date = staff(stack, "retention", "preview", "--as-of", "2031-02-30")
    # Then each fails with a non-zero exit and one line that says what was wrong, and no traceback
    assert unknown.returncode != 0
    assert unknown.stderr.strip().splitlines() == ["case-reviews: error: No board no-such-board."]
    assert bad_date.returncode != 0
    assert "not a date" in bad_date.stderr
    assert "Traceback" not in unknown.stderr + bad_date.stderr


def test_the_global_options_may_follow_the_command(stack: Stack) -> None:
    # Given staff add a board with the options before the command
    added = staff_json(stack, "boards", "add", "Eastshire Safeguarding Adults Board")
    # When they list the boards with --state-file and --json after the command
    listed = staff_json(stack, "boards", "list", options_first=False)
    # Then the listing is the local stack's, as JSON, and holds the board
    assert {"board_id": added["id"], "name": "Eastshire Safeguarding Adults Board"}.items() <= next(
        board for board in listed if board["board_id"] == added["id"]
    ).items()


def test_staff_see_a_deposited_record_the_queues_and_an_index_in_step(stack: Stack) -> None:
    # Given the demo board deposits an anonymous report and it is catalogued
    pdf = make_pdf("The agencies did not share what they knew.")
    submission_id = deposit(stack, pdf, anonymous=True, title="Child Safeguarding Practice Review: Child R")
    outcome = wait_for_outcome(stack, submission_id)
    assert outcome["status"] == "catalogued", outcome
    reference = outcome["reference"]

    # When staff show the record (as JSON and as text), an unknown one, the queues, and check the index
    # (again until the index function has caught up with the deposit)
    record = staff_json(stack, "records", "show", reference)
    as_text = staff(stack, "records", "show", reference, as_json=False)
    unknown = staff(stack, "records", "show", "CR-1900-9999")
    queues = staff_json(stack, "queues", "show")
    checks: list[subprocess.CompletedProcess[str]] = []

    def index_in_step() -> bool:
        checks.append(staff(stack, "index", "check"))
        return checks[-1].returncode == 0

    wait_for(index_in_step, timeout_s=60)
    checked = checks[-1]

    # Then staff see the board behind the anonymous report and the copy's details
    assert record["reference"] == reference
    assert record["anonymous"] is True
    assert record["publisher"] == "Anonymous"
    assert (record["board_id"], record["board_name"]) == (stack.state["demo_board"]["id"], stack.board_name)
    copy = record["electronic_copy"]
    assert copy["status"] == "available"
    assert copy["sha256"] == hashlib.sha256(pdf).hexdigest()
    # The checksum is the upload's (duplicates are found by it); the size is the stored copy's, which for an
    # anonymous report has lost its metadata, so it is smaller than the upload.
    assert 0 < copy["size_bytes"] < len(pdf)
    assert (copy["page_count"], copy["metadata_stripped"], copy["text_layer"]) == (1, True, True)
    assert copy["available_until"] > record["deposited_on"]
    assert as_text.returncode == 0, as_text.stderr
    assert stack.board_name in as_text.stdout
    assert copy["sha256"] in as_text.stdout
    # ... an unknown reference is one line and a failing exit
    assert unknown.returncode == 1
    assert unknown.stderr.strip().splitlines() == ["case-reviews: error: No record CR-1900-9999."]
    # ... every queue, none with dead letters
    assert [queue["queue"] for queue in queues] == [
        "catalogue",
        "index",
        "acknowledge",
        "retention",
        "digest",
        "alerts",
    ]
    assert all(queue["dead_letters"] == 0 for queue in queues), queues
    # ... and the index in step with the catalogue, the deposit included
    assert checked.returncode == 0, checked.stdout + checked.stderr
    drift = json.loads(checked.stdout)
    assert drift["in_sync"] is True
    assert drift["catalogued"] == drift["indexed"] >= 1


def test_staff_preview_the_five_year_rule_and_run_it_for_today(stack: Stack) -> None:
    # Given a catalogued report, deposited today
    submission_id = deposit(stack, make_pdf("A report for the retention preview."), title="Learning Review: Child P")
    outcome = wait_for_outcome(stack, submission_id)
    assert outcome["status"] == "catalogued", outcome
    record = staff_json(stack, "records", "show", outcome["reference"])
    last_day = record["electronic_copy"]["available_until"]
    day_after = (date.fromisoformat(last_day) + timedelta(days=1)).isoformat()

    # When staff preview its last available day and the day after, then run the rule for today
    # (read-only previews; a run for today removes nothing deposited today, on a stack that may be shared)
    on_last_day = staff_json(stack, "retention", "preview", "--as-of", last_day)
    after = staff_json(stack, "retention", "preview", "--as-of", day_after)
    ten_days_before = (date.fromisoformat(last_day) - timedelta(days=10)).isoformat()
    coming = staff_json(stack, "retention", "upcoming", "--as-of", ten_days_before)
    coming_today = staff_json(stack, "retention", "upcoming")
    run = staff_json(stack, "retention", "run")
    queued = staff_json(stack, "retention", "run", "--no-wait")

    def run_done() -> bool:
        queues = {queue["queue"]: queue for queue in staff_json(stack, "queues", "show")}
        return queues["retention"]["waiting"] + queues["retention"]["in_flight"] == 0

    wait_for(run_done, timeout_s=30)

    # Then the copy is due only the day after its last day; the run waited for finished for today without
    # removing it; the run not waited for was queued and done; no dead letter; and the copy is still available
    assert outcome["reference"] not in [copy["reference"] for copy in on_last_day]
    assert {"reference": outcome["reference"], "available_until": last_day} in after
    assert {"reference": outcome["reference"], "available_until": last_day} in coming
    assert outcome["reference"] not in [copy["reference"] for copy in coming_today]
    assert run["message_id"] and run["as_of"] is None
    assert (run["finished"], run["applied_as_of"]) == (True, record["deposited_on"])
    assert outcome["reference"] not in run["removed"] + run["failed"]
    assert queued["message_id"] and queued["as_of"] is None and "removed" not in queued
    assert next(q for q in staff_json(stack, "queues", "show") if q["queue"] == "retention")["dead_letters"] == 0
    assert staff_json(stack, "records", "show", outcome["reference"])["electronic_copy"]["status"] == "available"


def test_a_retention_run_waited_for_prints_the_copy_it_removed(stack: Stack) -> None:
    # Given a report the test deposits, whose last available day staff bring forward to yesterday
    # (so a run as of today removes it, and nothing that is not already past its day: the stack may be shared)
    submission_id = deposit(
        stack, make_pdf("A report whose copy the run removes."), title="Serious Case Review: Child E"
    )
    outcome = wait_for_outcome(stack, submission_id)
    assert outcome["status"] == "catalogued", outcome
    reference = outcome["reference"]
    today = date.fromisoformat(staff_json(stack, "records", "show", reference)["deposited_on"])
    last_day = today - timedelta(days=1)
    staff_json(stack, "records", "extend", reference, "--until", last_day.isoformat())

    # When staff run the rule as of the day after the copy's last day, as text, and wait for it (the default)
    ran = staff(stack, "retention", "run", "--as-of", (last_day + timedelta(days=1)).isoformat(), as_json=False)
    shown = staff_json(stack, "records", "show", reference)

    # Then the run's outcome names the copy removed, its summary is the last line, and the copy is gone
    assert ran.returncode == 0, ran.stdout + ran.stderr
    lines = ran.stdout.strip().splitlines()
    assert f"removed  {reference}" in lines
    assert lines[-1].startswith(f"retention run for {today.isoformat()}: removed ")
    assert "waiting for its outcome" in ran.stderr
    assert shown["electronic_copy"]["status"] == "removed"


def test_staff_hold_audit_and_release_a_record_they_deposited(stack: Stack) -> None:
    # Given a report the test deposits itself (the stack may be shared: no other record is touched)
    submission_id = deposit(stack, make_pdf("A report for the legal hold."), title="Case Management Review: Child H")
    outcome = wait_for_outcome(stack, submission_id)
    assert outcome["status"] == "catalogued", outcome
    reference = outcome["reference"]

    # When staff hold it, try to take it down while held, read the audit trail (JSON and text), and release it
    held = staff_json(stack, "records", "hold", reference, "--reason", "Preserve for the inquiry")
    refused = staff(stack, "records", "take-down", reference, "--code", "court_order", "--note", "Order expected")
    bad_code = staff(stack, "records", "take-down", reference, "--reason", "because")
    trail = staff_json(stack, "records", "audit", reference)
    as_text = staff(stack, "records", "audit", reference, as_json=False)
    released = staff_json(stack, "records", "release", reference)
    shown = staff_json(stack, "records", "show", reference)

    # Then the hold is on the copy, the take-down is refused in one line, the trail names the board's deposit
    # and the staff member's hold with its reason, and after release the copy is available and not held
    assert (held["action"], held["electronic_copy"]["held"]) == ("held", True)
    assert refused.returncode == 1
    assert refused.stderr.strip().splitlines() == [
        f"case-reviews: error: {reference} is on legal hold: release it before taking the copy down."
    ]
    assert bad_code.returncode == 2 and "'because' is not one of" in bad_code.stderr
    assert [(entry["action"], entry["reason"]) for entry in trail] == [
        ("deposited", f"submission {submission_id}"),
        ("held", "Preserve for the inquiry"),
    ]
    assert trail[0]["actor"] == f"board:{stack.state['demo_board']['id']}"
    assert trail[1]["actor"].startswith("local:")
    assert trail[1]["changes"]["copy.held"] == {"before": False, "after": True}
    assert as_text.returncode == 0, as_text.stderr
    assert "Preserve for the inquiry" in as_text.stdout
    assert released["action"] == "released"
    assert shown["electronic_copy"]["status"] == "available"
    assert shown["electronic_copy"]["held"] is False
    assert shown["version"] == 3


def test_staff_import_a_historic_catalogue_once_and_the_public_lists_it_by_year(stack: Stack, tmp_path) -> None:
    # Given a small historic catalogue file whose titles are this test's own (the stack is shared), one row bad
    marker = hashlib.sha256(str(tmp_path).encode() + date.today().isoformat().encode()).hexdigest()[:12]
    catalogue = tmp_path / "historic.csv"
    catalogue.write_text(
        "title,publication_date,nation,review_type,document_type,publisher,themes\n"
        f"Adroddiad {marker}: Ymchwiliad i Ofal Plentyn A,1958-03,wales,other,overview_report,Cyngor Sir Gwernyfed,"
        "neglect\n"
        f"Inquiry {marker} into the Care of Child B,1958,England,Other,Overview Report,Old County Council,\n"
        f"Inquiry {marker} into the Care of Child C,1958-02-30,england,other,overview_report,Old County Council,\n",
        encoding="utf-8",
    )

    # When staff import it, then import it again (as text this time)
    first = staff(stack, "import", str(catalogue))
    again = staff(stack, "import", str(catalogue), as_json=False)
    year = requests.get(f"{stack.api_url}/years/1958", timeout=10)

    # Then the bad row is reported by its line and the run exits 1, the two good rows are imported once,
    # and the year's list shows them in date order, the Welsh title intact
    assert first.returncode == 1, first.stderr
    imported = json.loads(first.stdout)
    assert [(row["line"], row["reason"]) for row in imported["rejected"]] == [
        (4, "publication_date: '1958-02-30' is not a real date (day is out of range for month)")
    ]
    assert (imported["imported"], imported["already_present"]) == (2, 0)
    assert again.returncode == 1
    assert again.stdout.strip().splitlines()[-1] == f"{catalogue}: imported 0, already present 2, rejected 1"
    assert year.status_code == 200
    listed = [(item["publication_date"], item["title"]) for item in year.json()["items"] if marker in item["title"]]
    # (a date known only to its year ends the year's list)
    assert listed == [
        ("1958-03", f"Adroddiad {marker}: Ymchwiliad i Ofal Plentyn A"),
        ("1958", f"Inquiry {marker} into the Care of Child B"),
    ]
    assert {item["reference"] for item in year.json()["items"] if marker in item["title"]} == {
        row["reference"] for row in imported["rows"]
    }


def test_staff_manage_the_digest_s_subscribers(stack: Stack) -> None:
    # Given an address unique to this test
    reader = f"reader-{uuid.uuid4().hex[:8]}@example.org"
    # When staff subscribe it (twice), list the subscribers, remove it, and remove it again
    added = staff_json(stack, "subscribers", "add", reader)
    again = staff_json(stack, "subscribers", "add", reader.upper())
    listed = staff_json(stack, "subscribers", "list")
    removed = staff_json(stack, "subscribers", "remove", reader)
    gone = staff(stack, "subscribers", "remove", reader)
    bad = staff(stack, "subscribers", "add", "not an address")
    # Then it is subscribed once, listed, removed; removing it again and a bad address are one-line errors
    assert added == again
    assert reader in [subscriber["email"] for subscriber in listed]
    assert removed == {"email": reader, "removed": True}
    assert reader not in [s["email"] for s in staff_json(stack, "subscribers", "list")]
    assert gone.returncode == bad.returncode == 1
    assert gone.stderr.strip() == f"case-reviews: error: {reader} is not subscribed."
    assert len(bad.stderr.strip().splitlines()) == 1


def test_staff_correct_a_record_s_metadata_and_search_follows(stack: Stack) -> None:
    # Given a report this test deposits
    marker = uuid.uuid4().hex[:10]
    submission_id = deposit(stack, make_pdf("A report to correct."), title=f"Case Review {marker}")
    outcome = wait_for_outcome(stack, submission_id)
    assert outcome["status"] == "catalogued", outcome
    reference = outcome["reference"]

    # When staff correct its title and themes with the CLI, and a searcher looks for the new title
    edited = staff_json(
        stack, "records", "edit", reference, "--title", f"Corrected Review {marker}", "--themes", "neglect;online harm"
    )
    trail = staff_json(stack, "records", "audit", reference)
    bad = staff(stack, "records", "edit", reference)

    def found() -> bool:
        items = requests.get(f"{stack.api_url}/reviews", params={"q": f"Corrected {marker}"}, timeout=10).json()
        return [item["reference"] for item in items["items"]] == [reference]

    wait_for(found, timeout_s=30)

    # Then the edit is recorded with before and after, search finds the corrected title,
    # and an edit with nothing to change is one line and a failing exit
    assert edited["action"] == "edited"
    assert trail[-1]["changes"]["title"] == {"before": f"Case Review {marker}", "after": f"Corrected Review {marker}"}
    assert trail[-1]["changes"]["themes"]["after"] == ["neglect", "online_abuse"]
    assert bad.returncode == 1 and len(bad.stderr.strip().splitlines()) == 1


def test_staff_list_the_theme_vocabulary(stack: Stack) -> None:
    # Given the library's theme vocabulary
    # When staff list it
    themes = {theme["id"]: theme for theme in staff_json(stack, "themes", "list")}
    # Then every theme has its label and the other words accepted for it
    assert themes["neglect"]["label"] == "Neglect"
    assert "abusive head trauma" in themes["non_accidental_injury_in_infants"]["alternative_labels"]
    assert "CSE" in themes["child_sexual_exploitation"]["alternative_labels"]


def test_staff_describe_a_case_attach_a_copy_to_a_historic_record_and_the_public_sees_both(
    stack: Stack, tmp_path, test_day: date
) -> None:
    # Given a historic, catalogue-only record this test imports
    marker = uuid.uuid4().hex[:10]
    catalogue = tmp_path / "historic.csv"
    catalogue.write_text(
        "title,publication_date,nation,review_type,document_type,publisher,rights_holder,identifiers\n"
        f"Inquiry {marker} into the death of a child,1974-06,england,inquiry_report,overview_report,"
        "Department of Health and Social Security,Crown copyright,Cmd 9999\n",
        encoding="utf-8",
    )
    (row,) = staff_json(stack, "import", str(catalogue))["rows"]
    reference = row["reference"]
    pdf = tmp_path / "inquiry.pdf"
    pdf.write_bytes(make_pdf(f"The report of the inquiry {marker}.", "Its recommendations."))

    # When staff describe the case, attach the report's PDF, and try to attach it again
    edited = staff_json(
        stack, "records", "edit", reference, "--set", "child=Child M", "--set", "outcome=death",
        "--set", "age_band=5 to 9", "--set", f"learning=Agencies {marker} must talk to one another.",
    )  # fmt: skip
    attached = staff_json(stack, "records", "attach", reference, str(pdf))
    again = staff(stack, "records", "attach", reference, str(pdf))

    def searchable() -> dict[str, Any] | None:
        found = requests.get(f"{stack.api_url}/reviews", params={"q": f"inquiry {marker}"}, timeout=10).json()
        hits = [item for item in found["items"] if item["reference"] == reference]
        return hits[0] if hits and hits[0]["electronic_copy"] else None

    hit = wait_for(searchable)

    # Then the case is described, the copy is available for five years and downloadable, search finds the
    # record by its text, and a second attach is one clear line
    assert edited["action"] == "edited"
    assert attached["action"] == "attached"
    # (the stack's clock runs from the suite's day)
    assert attached["electronic_copy"]["available_until"] == available_until(test_day).isoformat()
    assert hit, "the attached copy never became searchable"
    assert (hit["child"], hit["outcome"], hit["age_band"]) == ("Child M", "death", "5_to_9")
    record = requests.get(f"{stack.api_url}/reviews/{reference}", timeout=10).json()
    assert record["rights"]["copyright_holder"] == "Crown copyright"
    assert record["identifiers"] == ["Cmd 9999"]
    download = requests.get(f"{stack.api_url}/reviews/{reference}/download", allow_redirects=False, timeout=10)
    assert download.status_code == 302
    assert again.returncode == 1
    assert again.stderr.strip() == (
        f"case-reviews: error: {reference} already has an electronic copy; only a catalogue-only record is given one."
    )


def test_staff_deposit_a_report_on_a_board_s_behalf_and_the_board_is_acknowledged(stack: Stack, tmp_path) -> None:
    # Given a board with a contact, and a report that reached the library by email
    marker = uuid.uuid4().hex[:10]
    board = staff_json(stack, "boards", "add", f"Eastshire {marker} Safeguarding Partnership")
    contact = f"manager-{marker}@eastshire.example"
    staff_json(stack, "boards", "set-contact", board["id"], contact)
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(make_pdf(f"A learning review {marker}."))
    declared = {
        key: value
        for key, value in metadata(title=f"Local Child Safeguarding Practice Review: Child {marker}").items()
        if key != "contact_email"
    } | {"review_type": "local_child_safeguarding_practice_review", "publication_date": "2024-03-14"}

    # When staff deposit it on the board's behalf
    deposited = staff_json(stack, "deposit", str(pdf), "--board", board["id"], "--metadata", json.dumps(declared))

    # Then it is catalogued as the board's own deposit would be, and the board's contact is acknowledged
    assert deposited["status"] == "catalogued", deposited
    record = requests.get(f"{stack.api_url}/reviews/{deposited['reference']}", timeout=10).json()
    assert record["publisher"] == f"Eastshire {marker} Safeguarding Partnership"

    def acknowledged() -> list[dict[str, Any]]:
        return [m for m in stack.emails() if contact in m["destinations"]["ToAddresses"]]

    assert len(wait_for(acknowledged)) == 1


def test_a_bad_deposit_on_behalf_is_one_clear_line(stack: Stack, tmp_path) -> None:
    # Given a board without contacts and metadata without a contact address
    board = staff_json(stack, "boards", "add", f"Northshire {uuid.uuid4().hex[:8]} Partnership")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(make_pdf("A report."))
    # When staff deposit it, or give metadata with an unknown theme
    without_contact = {key: value for key, value in metadata().items() if key != "contact_email"}
    no_contact = staff(stack, "deposit", str(pdf), "--board", board["id"], "--metadata", json.dumps(without_contact))
    bad_theme = staff(
        stack, "deposit", str(pdf), "--board", board["id"],
        "--metadata", json.dumps(metadata(themes=["neglct"], contact_email="a@b.example")),
    )  # fmt: skip
    # Then each is one line that says what to do, and a failing exit
    assert no_contact.returncode == bad_theme.returncode == 1
    assert f"board {board['id']} has no contact: give contact_email in --metadata" in no_contact.stderr
    assert "did you mean 'Neglect'" in bad_theme.stderr
    assert len(bad_theme.stderr.strip().splitlines()) == 1
