"""The stack's services for a command: the local stack's (from its state file) or AWS's (from CloudFormation).

Against AWS the resources come from the CloudFormation stack's outputs, reached with the staff
member's own profile and region; with --local, from the state file `make run` writes, with the
embedded AWS's endpoint and the stack's clock (a stack run on a chosen day keeps its offset).
Nothing here runs before a command needs its services, so parsing a command line touches nothing.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from case_reviews.domain.queues import QUEUE_ROLES
from case_reviews_cli.options import Options, StaffError

if TYPE_CHECKING:
    from case_reviews.bootstrap import Services

# The queues the functions consume (as in template.yaml and the local stack).
QUEUES = QUEUE_ROLES
# The search alias in both stacks (template.yaml's OPENSEARCH_INDEX, and the local stack's).
SEARCH_ALIAS = "reviews"


def connect(options: Options) -> Services:
    """The services of the stack the options name."""
    return local_services(options.state_file) if options.local else aws_services(options.stack)


def queue_settings(queue_urls: dict[str, str], dead_letter_urls: dict[str, str]) -> dict[str, str]:
    """The queue URLs as the settings bootstrap reads (config.QueueSettings)."""
    settings = {}
    for queue in QUEUES:
        settings[f"{queue.upper()}_QUEUE_URL"] = queue_urls[queue]
        settings[f"{queue.upper()}_DEAD_LETTER_QUEUE_URL"] = dead_letter_urls[queue]
    return settings


def local_services(state_file: Path) -> Services:
    """The local stack's services: its resources from the state file, the embedded AWS, its clock."""
    from case_reviews import bootstrap
    from case_reviews.adapters.aws import Clients
    from case_reviews.adapters.clock import SetClock, SystemClock
    from case_reviews.config import Settings

    if not state_file.exists():
        raise StaffError(f"{state_file} not found: start the local stack with `make run` first")
    state = json.loads(state_file.read_text(encoding="utf-8"))
    offset = float(state.get("clock_offset_seconds") or 0)
    # The stack may run on a set clock (a test on a chosen day): staff commands keep to the same time.
    clock = SetClock(datetime.now(UTC) + timedelta(seconds=offset)) if offset else SystemClock()
    clients = Clients(
        region=state["region"],
        endpoint_url=state["aws_endpoint_url"],
        credentials={"aws_access_key_id": "local", "aws_secret_access_key": "local"},
    )
    settings = {
        "CATALOGUE_TABLE_NAME": state["catalogue_table"],
        "REPORTS_BUCKET_NAME": state["bucket"],
        "EVENT_BUS_NAME": state["event_bus"],
        "OPENSEARCH_URL": state["opensearch_url"],
        "OPENSEARCH_AUTH": "none",
        "OPENSEARCH_INDEX": SEARCH_ALIAS,
        "AWS_REGION": state["region"],
        **queue_settings(state["queues"], state["dead_letter_queues"]),
    }
    return bootstrap.build(Settings(settings), clients, clock)


def aws_services(stack_name: str) -> Services:
    """The stack's services in AWS, found from its CloudFormation outputs (the staff member's own profile)."""
    from case_reviews import bootstrap
    from case_reviews.adapters.aws import Clients
    from case_reviews.config import Settings

    clients = Clients()
    cloudformation = clients.aws("cloudformation")
    stack = cloudformation.describe_stacks(StackName=stack_name)["Stacks"][0]
    outputs = {output["OutputKey"]: output["OutputValue"] for output in stack.get("Outputs", [])}
    settings = {
        "CATALOGUE_TABLE_NAME": outputs["TableName"],
        "REPORTS_BUCKET_NAME": outputs["BucketName"],
        "EVENT_BUS_NAME": outputs["EventBusName"],
        "OPENSEARCH_URL": outputs["SearchDomainEndpoint"],
        "OPENSEARCH_AUTH": "sigv4",
        "OPENSEARCH_INDEX": SEARCH_ALIAS,
        # SigV4 signs for the region the staff member's profile reached the stack in.
        "AWS_REGION": cloudformation.meta.region_name,
        **queue_settings(
            {queue: outputs[f"{queue.capitalize()}QueueUrl"] for queue in QUEUES},
            {queue: outputs[f"{queue.capitalize()}DeadLetterQueueUrl"] for queue in QUEUES},
        ),
    }
    return bootstrap.build(Settings(settings), clients)
