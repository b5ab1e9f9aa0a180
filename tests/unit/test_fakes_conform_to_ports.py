"""The in-memory fakes keep to the ports they stand for: a port that changes breaks this test, not a
service test that passes against a fake the real adapter no longer resembles."""

from __future__ import annotations

import inspect

import pytest

from case_reviews import ports
from tests.unit import fakes

# Each fake, the port it stands for, and whether it implements all of it (a partial fake implements what
# the services under test call; what it has must still match the port).
FAKES = [
    (fakes.InMemoryBoardStore, ports.BoardStore, True),
    (fakes.InMemorySubmissionStore, ports.SubmissionStore, True),
    (fakes.InMemoryRecordStore, ports.RecordStore, True),
    (fakes.InMemoryRecordStore, ports.AuditStore, True),
    (fakes.InMemoryRetentionStore, ports.RetentionStore, True),
    (fakes.InMemoryImportStore, ports.ImportStore, True),
    (fakes.InMemorySubscriberStore, ports.SubscriberStore, True),
    (fakes.InMemoryAlertStore, ports.AlertStore, True),
    (fakes.CountingRateLimiter, ports.RateLimiter, True),
    (fakes.InMemoryFileStore, ports.FileStore, True),
    (fakes.RecordingUploads, ports.FileStore, False),
    (fakes.InMemorySearchIndex, ports.SearchIndex, False),
    (fakes.ScriptedSearchIndex, ports.SearchIndex, False),
    (fakes.InMemoryIndexMaintenance, ports.IndexMaintenance, True),
    (fakes.ScriptedInspector, ports.PdfInspector, True),
    (fakes.RecordingEventBus, ports.EventBus, True),
    (fakes.RecordingRunQueue, ports.RunQueue, True),
    (fakes.InMemoryMessageQueues, ports.MessageQueues, True),
    (fakes.RecordingMailer, ports.Mailer, True),
    (fakes.MemoryOnce, ports.Once, True),
]


def port_members(port: type) -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(member)
        for name, member in vars(port).items()
        if callable(member) and (not name.startswith("_") or name == "__call__")
    }


def shape(signature: inspect.Signature) -> list[tuple[str, object, bool]]:
    """The parameters as a caller sees them: name, kind, and whether it may be left out."""
    return [
        (parameter.name, parameter.kind, parameter.default is not inspect.Parameter.empty)
        for parameter in signature.parameters.values()
    ]


@pytest.mark.parametrize(("fake", "port", "complete"), FAKES, ids=lambda item: getattr(item, "__name__", ""))
def test_each_fake_has_the_port_s_methods_with_the_port_s_parameters(fake: type, port: type, complete: bool) -> None:
    # Given a fake and the port it stands for
    members = port_members(port)
    # When their methods are compared
    missing = sorted(name for name in members if not hasattr(fake, name))
    differing = {
        name: (shape(inspect.signature(getattr(fake, name))), shape(wanted))
        for name, wanted in members.items()
        if hasattr(fake, name) and shape(inspect.signature(getattr(fake, name))) != shape(wanted)
    }
    # Then a complete fake lacks none, and every method it has takes what the port's takes
    assert (missing if complete else [], differing) == ([], {})
