"""The published contract is the real one: Schemathesis, with every check and every phase, finds nothing.

Schemathesis (its CLI, as anyone would run it) reads GET /openapi.json from the running local stack
and sends what it generates over HTTP: the examples, the coverage phase's boundary and invalid
values, fuzzed requests, and stateful sequences following the document's links. Every check is on:
no server error, statuses, content types, headers and bodies as documented, valid data accepted and
invalid data refused, 405 with Allow for methods a path does not answer, authentication not ignored.
The board routes run with a board key of the run's own. The two rules no JSON Schema can state are
kept by tests/e2e/schemathesis_hooks.py.

A fixed seed and a bounded number of examples per operation make the run the same every time, and
take about a minute and a half on the local stack.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from tests.e2e.conftest import Stack
from tests.e2e.test_staff_cli import staff_json

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
PHASES = "examples,coverage,fuzzing,stateful"
MAX_EXAMPLES = 30
SEED = 1
RUN_TIMEOUT_S = 900
# The run's configuration: the board key (from the environment, so it is never written down) for the
# document's boardKey scheme.
CONFIGURATION = '[auth.openapi.boardKey]\nbearer = "${CASE_REVIEWS_CONTRACT_BOARD_KEY}"\n'


def test_schemathesis_with_every_check_and_phase_finds_nothing(stack: Stack, tmp_path: Path) -> None:
    # Given a board of the run's own (its deposits never mix with the other tests'), and its key
    board = staff_json(stack, "boards", "add", f"Contract Run {uuid.uuid4().hex[:8]} Safeguarding Partnership")
    configuration = tmp_path / "schemathesis.toml"
    configuration.write_text(CONFIGURATION, encoding="utf-8")
    report = tmp_path / "junit.xml"
    environment = {
        **os.environ,
        "CASE_REVIEWS_CONTRACT_BOARD_KEY": board["key"],
        "SCHEMATHESIS_HOOKS": "tests.e2e.schemathesis_hooks",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }

    # When Schemathesis runs every check, in every phase, against the API the stack serves
    done = subprocess.run(
        [
            str(Path(sys.executable).with_name("schemathesis")),
            "--config-file",
            str(configuration),
            "run",
            "--checks",
            "all",
            "--phases",
            PHASES,
            "--max-examples",
            str(MAX_EXAMPLES),
            "--seed",
            str(SEED),
            "--no-color",
            "--report",
            "junit",
            "--report-junit-path",
            str(report),
            f"{stack.api_url}/openapi.json",
        ],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
        check=False,
    )

    # Then it finds no failure and no error, having tested every operation and the stateful sequences
    summary = done.stdout[done.stdout.find("SUMMARY") :] if "SUMMARY" in done.stdout else done.stdout[-4000:]
    assert done.returncode == 0, f"{summary}\n{done.stderr[-2000:]}"
    suite = ElementTree.parse(report).getroot()
    assert (suite.get("failures"), suite.get("errors")) == ("0", "0"), summary
    tested = {case.get("name") for case in suite.iter("testcase")}
    assert {"POST /submissions", "GET /reviews", "GET /years/{year}", "Stateful tests"} <= tested, tested
    for phase in ("Examples", "Coverage", "Fuzzing", "Stateful"):
        assert f"✅ {phase}" in done.stdout, summary
