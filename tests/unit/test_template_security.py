"""What template.yaml lets each part do, read as AWS would: alarms reach someone, each role reaches only
its own items and index paths, the API is throttled per route and per client, and logs are kept."""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import Any

import pytest

from case_reviews.adapters.dynamodb import keys
from tests.support.template import allows, as_list, resources, role_statements, text

RESOURCES = resources()
DOMAIN = "arn:aws:es:eu-west-2:123456789012:domain/case-reviews-prod"
TABLE = "CatalogueTable.Arn"
BOARDS_INDEX = f"{TABLE}/index/{keys.BOARDS_INDEX}"
IDEMPOTENCY = "IdempotencyTable.Arn"
ALARM_ARN = "arn:aws:cloudwatch:eu-west-2:123456789012:alarm:case-reviews-prod-CopiesOverdueAlarm-1A2B3C"


def of_type(kind: str) -> dict[str, dict[str, Any]]:
    return {name: resource for name, resource in RESOURCES.items() if resource["Type"] == kind}


def statements_of(role: str) -> list[dict[str, Any]]:
    return role_statements(RESOURCES[role])


def domain_statements_for(role: str) -> list[dict[str, Any]]:
    """The search domain's access-policy statements whose principal is `role`."""
    policy = RESOURCES["SearchDomain"]["Properties"]["AccessPolicies"]["Statement"]
    return [s for s in policy if isinstance(s, dict) and s.get("Principal", {}).get("AWS") == {"GetAtt": f"{role}.Arn"}]


def pk(key: dict[str, str]) -> str:
    return key["pk"]


# ---------------------------------------------------------------- alarms reach someone


def test_every_alarm_notifies_the_alarm_topic() -> None:
    # Given every alarm of the template
    alarms = of_type("AWS::CloudWatch::Alarm")
    # Then each tells the alarm topic when it fires and when it clears
    assert alarms
    for name, alarm in alarms.items():
        assert alarm["Properties"]["AlarmActions"] == [{"Ref": "AlarmTopic"}], name
        assert alarm["Properties"]["OKActions"] == [{"Ref": "AlarmTopic"}], name


def test_cloudwatch_may_use_the_alarm_topics_key_and_publish_to_it() -> None:
    # Given the alarm topic
    topic = RESOURCES["AlarmTopic"]["Properties"]
    # Then it is encrypted with a key of this template (an AWS managed alias/aws/... key refuses CloudWatch)
    key_ref = topic["KmsMasterKeyId"]
    assert isinstance(key_ref, dict) and key_ref.get("Ref") in RESOURCES
    key_policy = RESOURCES[key_ref["Ref"]]["Properties"]["KeyPolicy"]["Statement"]
    cloudwatch = [s for s in key_policy if s.get("Principal", {}).get("Service") == "cloudwatch.amazonaws.com"]
    topic_policy = [
        s
        for p in of_type("AWS::SNS::TopicPolicy").values()
        if {"Ref": "AlarmTopic"} in p["Properties"]["Topics"]
        for s in p["Properties"]["PolicyDocument"]["Statement"]
        if s["Principal"].get("Service") == "cloudwatch.amazonaws.com"
    ]
    # When an alarm of this account publishes
    ours = {"aws:SourceAccount": "123456789012", "aws:SourceArn": ALARM_ARN}
    # Then CloudWatch may encrypt the message with the key, and publish it to the topic
    assert allows(cloudwatch, "kms:GenerateDataKey", "*", context=ours)
    assert allows(cloudwatch, "kms:Decrypt", "*", context=ours)
    assert allows(topic_policy, "sns:Publish", "AlarmTopic", context=ours)
    # But an alarm of another account may not use them
    theirs = {"aws:SourceAccount": "210987654321", "aws:SourceArn": ALARM_ARN.replace("123456789012", "210987654321")}
    assert not allows(cloudwatch, "kms:GenerateDataKey", "*", context=theirs)
    assert not allows(topic_policy, "sns:Publish", "AlarmTopic", context=theirs)


@pytest.mark.parametrize("metric", ["Errors", "Throttles"])
def test_every_function_has_an_alarm_on_its_errors_and_throttles(metric: str) -> None:
    # Given every function of the template
    functions = set(of_type("AWS::Serverless::Function"))
    # When the alarms on that Lambda metric are read, by the function they watch
    watched = {
        dimension["Value"]["Ref"]
        for alarm in of_type("AWS::CloudWatch::Alarm").values()
        if alarm["Properties"].get("Namespace") == "AWS/Lambda" and alarm["Properties"]["MetricName"] == metric
        for dimension in alarm["Properties"]["Dimensions"]
        if dimension["Name"] == "FunctionName"
    }
    # Then every function is watched
    assert watched == functions


@pytest.mark.parametrize(
    ("namespace", "metric"),
    [
        ("AWS/ApiGateway", "5XXError"),
        ("AWS/ES", "ClusterStatus.red"),
        ("AWS/ES", "ClusterStatus.yellow"),
        ("AWS/ES", "FreeStorageSpace"),
        ("AWS/SES", "Reputation.BounceRate"),
        ("AWS/SES", "Reputation.ComplaintRate"),
    ],
)
def test_the_api_the_search_domain_and_mail_are_watched(namespace: str, metric: str) -> None:
    # Given the alarms, and the metrics each reads (directly, or inside a metric-math expression)
    def metrics(alarm: dict[str, Any]) -> list[tuple[str, str]]:
        props = alarm["Properties"]
        if "MetricName" in props:
            return [(props["Namespace"], props["MetricName"])]
        return [
            (m["MetricStat"]["Metric"]["Namespace"], m["MetricStat"]["Metric"]["MetricName"])
            for m in props["Metrics"]
            if "MetricStat" in m
        ]

    # Then one watches this metric
    assert any((namespace, metric) in metrics(alarm) for alarm in of_type("AWS::CloudWatch::Alarm").values())


# ---------------------------------------------------------------- the API's search access


@pytest.mark.parametrize("source", ["role", "domain access policy"])
def test_the_api_may_search_the_alias_and_ping_the_domain_but_not_write_to_it(source: str) -> None:
    # Given what the API role's own policy, or the domain's access policy for that role, allows
    # (within one account either one alone lets a request through, so both must be narrow)
    statements = [
        s for s in statements_of("ApiFunctionRole") if any(str(a).startswith("es:") for a in as_list(s["Action"]))
    ]
    if source != "role":
        statements = domain_statements_for("ApiFunctionRole")
    # Then searches and yearly lists (POST reviews/_search), and /health's HEAD /, are allowed
    assert allows(statements, "es:ESHttpPost", f"{DOMAIN}/reviews/_search")
    assert allows(statements, "es:ESHttpHead", f"{DOMAIN}/")
    # And nothing that writes, deletes, or reads documents by id
    for action, path in [
        ("es:ESHttpPost", "_bulk"),
        ("es:ESHttpPost", "reviews/_bulk"),
        ("es:ESHttpPost", "reviews/_update/CR-2016-0001"),
        ("es:ESHttpPost", "reviews/_delete_by_query"),
        ("es:ESHttpPut", "reviews/_doc/CR-2016-0001"),
        ("es:ESHttpDelete", "reviews"),
        ("es:ESHttpGet", "reviews/_doc/CR-2016-0001"),
        ("es:ESHttpPost", "reviews-v2/_search"),
    ]:
        assert not allows(statements, action, f"{DOMAIN}/{path}"), (action, path)


@pytest.mark.parametrize("source", ["role", "domain access policy"])
def test_the_index_function_may_write_documents_but_not_search_or_delete(source: str) -> None:
    statements = [
        s for s in statements_of("IndexFunctionRole") if any(str(a).startswith("es:") for a in as_list(s["Action"]))
    ]
    if source != "role":
        statements = domain_statements_for("IndexFunctionRole")
    # What indexing does: find the alias, create the first index behind it, write a document
    assert allows(statements, "es:ESHttpHead", f"{DOMAIN}/_alias/reviews")
    assert allows(statements, "es:ESHttpPut", f"{DOMAIN}/reviews-v2")
    assert allows(statements, "es:ESHttpPut", f"{DOMAIN}/reviews/_doc/CR-2016-0001")
    # And nothing else
    for action, path in [
        ("es:ESHttpDelete", "reviews-v2"),
        ("es:ESHttpPost", "_bulk"),
        ("es:ESHttpPost", "reviews/_delete_by_query"),
        ("es:ESHttpPut", "_cluster/settings"),
    ]:
        assert not allows(statements, action, f"{DOMAIN}/{path}"), (action, path)


# ---------------------------------------------------------------- item kinds per role


def test_the_api_reads_and_writes_only_the_items_it_serves() -> None:
    api = statements_of("ApiFunctionRole")
    # What the API does: authenticate a board, open and follow submissions, list a board's deposits,
    # read records, unsubscribe, and /health
    assert allows(api, "dynamodb:GetItem", TABLE, (pk(keys.credential_key("h")),))
    assert allows(api, "dynamodb:GetItem", TABLE, (pk(keys.board_key("b")),))
    assert allows(api, "dynamodb:PutItem", TABLE, (pk(keys.submission_key("s")),))
    assert allows(api, "dynamodb:GetItem", TABLE, (pk(keys.submission_key("s")),))
    assert allows(api, "dynamodb:Query", BOARDS_INDEX, (keys.board_partition("b"),))
    assert allows(api, "dynamodb:BatchGetItem", TABLE, (pk(keys.record_key("CR-2016-0001")),))
    assert allows(api, "dynamodb:DeleteItem", TABLE, (pk(keys.subscriber_key("a@b.org")),))
    assert allows(api, "dynamodb:DeleteItem", TABLE, (pk(keys.unsubscribe_key("t")),))
    assert allows(api, "dynamodb:GetItem", TABLE, ("HEALTH",))
    # ...and sign people up for alerts: a pending alert, its tokens and address, the rate counters, the
    # confirmation (which makes a "New in the Library" sign-up a digest subscriber), and the unsubscribe links
    for action, key in [
        ("dynamodb:PutItem", pk(keys.alert_key("a1"))),
        ("dynamodb:PutItem", pk(keys.alert_token_key("t"))),
        ("dynamodb:UpdateItem", pk(keys.alert_address_key("a@b.org"))),
        ("dynamodb:UpdateItem", pk(keys.rate_key("alerts-client#192.0.2.1", 0))),
        ("dynamodb:UpdateItem", pk(keys.alert_token_key("t"))),
        ("dynamodb:PutItem", pk(keys.subscriber_key("a@b.org"))),
        ("dynamodb:PutItem", pk(keys.unsubscribe_key("t"))),
        ("dynamodb:DeleteItem", pk(keys.alert_key("a1"))),
        ("dynamodb:BatchGetItem", pk(keys.alert_key("a1"))),
    ]:
        assert allows(api, action, TABLE, (key,)), (action, key)
    # And it cannot mint a key, create a board, write a record, draw a reference or change anything
    for action, key in [
        ("dynamodb:PutItem", pk(keys.credential_key("h"))),
        ("dynamodb:PutItem", pk(keys.board_key("b"))),
        ("dynamodb:PutItem", pk(keys.record_key("CR-2016-0001"))),
        ("dynamodb:PutItem", pk(keys.alert_run_key("r"))),
        ("dynamodb:UpdateItem", pk(keys.subscriber_key("a@b.org"))),
        ("dynamodb:UpdateItem", pk(keys.credential_key("h"))),
        ("dynamodb:UpdateItem", pk(keys.submission_key("s"))),
        ("dynamodb:UpdateItem", pk(keys.counter_key(2016))),
        ("dynamodb:DeleteItem", pk(keys.record_key("CR-2016-0001"))),
        ("dynamodb:DeleteItem", pk(keys.credential_key("h"))),
    ]:
        assert not allows(api, action, TABLE, (key,)), (action, key)
    # Nor list other partitions of the boards index (every board, every subscriber), nor scan
    assert not allows(api, "dynamodb:Query", BOARDS_INDEX, (keys.BOARDS,))
    assert not allows(api, "dynamodb:Query", BOARDS_INDEX, (keys.SUBSCRIBERS,))
    assert not allows(api, "dynamodb:Query", BOARDS_INDEX, (keys.ALERTS,))
    assert not allows(api, "dynamodb:Scan", TABLE)
    # Nor touch the idempotency table
    assert not allows(api, "dynamodb:GetItem", IDEMPOTENCY, ("catalogue.upload#x",))


@pytest.mark.parametrize("source", ["role", "domain access policy"])
def test_the_alerts_function_may_only_search_the_alias(source: str) -> None:
    statements = [
        s for s in statements_of("AlertsFunctionRole") if any(str(a).startswith("es:") for a in as_list(s["Action"]))
    ]
    if source != "role":
        statements = domain_statements_for("AlertsFunctionRole")
    assert allows(statements, "es:ESHttpPost", f"{DOMAIN}/reviews/_search")
    for action, path in [("es:ESHttpPut", "reviews/_doc/CR-2016-0001"), ("es:ESHttpPost", "_bulk")]:
        assert not allows(statements, action, f"{DOMAIN}/{path}"), (action, path)


@pytest.mark.parametrize("source", ["role", "domain access policy"])
def test_the_acknowledge_function_may_only_search_the_alias(source: str) -> None:
    # Given what the acknowledge function may do on the search domain (it lists what is published under a board)
    statements = [
        s
        for s in statements_of("AcknowledgeFunctionRole")
        if any(str(a).startswith("es:") for a in as_list(s["Action"]))
    ]
    if source != "role":
        statements = domain_statements_for("AcknowledgeFunctionRole")
    # Then it may search the alias, and neither write, bulk-load nor read a document
    assert allows(statements, "es:ESHttpPost", f"{DOMAIN}/reviews/_search")
    for action, path in [
        ("es:ESHttpPut", "reviews/_doc/CR-2016-0001"),
        ("es:ESHttpPost", "_bulk"),
        ("es:ESHttpGet", "reviews/_doc/CR-2016-0001"),
    ]:
        assert not allows(statements, action, f"{DOMAIN}/{path}"), (action, path)


def test_the_alerts_function_reads_the_alerts_and_records_only_its_runs() -> None:
    alerts = statements_of("AlertsFunctionRole")
    # What the daily run does: list the alerts, read an address and its alerts, record a followed run
    assert allows(alerts, "dynamodb:Query", BOARDS_INDEX, (keys.ALERTS,))
    assert allows(alerts, "dynamodb:GetItem", TABLE, (pk(keys.alert_address_key("a@b.org")),))
    assert allows(alerts, "dynamodb:BatchGetItem", TABLE, (pk(keys.alert_key("a1")),))
    assert allows(alerts, "dynamodb:PutItem", TABLE, (pk(keys.alert_run_key("r")),))
    assert allows(alerts, "dynamodb:PutItem", IDEMPOTENCY, ("alerts.delivery#hash",))
    # And it cannot change an alert, read the tokens of their links, or touch records or subscribers
    for action, key in [
        ("dynamodb:PutItem", pk(keys.alert_key("a1"))),
        ("dynamodb:GetItem", pk(keys.alert_token_key("t"))),
        ("dynamodb:GetItem", pk(keys.record_key("CR-2016-0001"))),
        ("dynamodb:PutItem", pk(keys.subscriber_key("a@b.org"))),
    ]:
        assert not allows(alerts, action, TABLE, (key,)), (action, key)
    assert not allows(alerts, "dynamodb:Query", BOARDS_INDEX, (keys.SUBSCRIBERS,))
    assert not allows(alerts, "dynamodb:PutItem", IDEMPOTENCY, ("digest.delivery#hash",))


def test_the_site_reads_what_its_pages_show_and_opens_submissions_but_writes_nothing_else() -> None:
    site = statements_of("SiteFunctionRole")
    # What the pages do: check a board's key, open a submission and show its status, show records and the
    # latest additions, sign the upload
    assert allows(site, "dynamodb:GetItem", TABLE, (pk(keys.credential_key("h")),))
    assert allows(site, "dynamodb:GetItem", TABLE, (pk(keys.board_key("b")),))
    assert allows(site, "dynamodb:PutItem", TABLE, (pk(keys.submission_key("s")),))
    assert allows(site, "dynamodb:GetItem", TABLE, (pk(keys.submission_key("s")),))
    assert allows(site, "dynamodb:GetItem", TABLE, (pk(keys.record_key("CR-2016-0001")),))
    assert allows(site, "dynamodb:Query", BOARDS_INDEX, (keys.ADDED_DEPOSITS,))
    assert allows(site, "s3:PutObject", "ReportsBucket.Arn/incoming/7c9e6679.pdf")
    # And what the alert sign-up form does, as POST /alerts: read the address's alerts and whether it has the
    # digest, add a pending alert with its tokens (or renew its link), count the sign-ups
    for action, key in [
        ("dynamodb:GetItem", pk(keys.alert_address_key("a@b.org"))),
        ("dynamodb:GetItem", pk(keys.subscriber_key("a@b.org"))),
        ("dynamodb:BatchGetItem", pk(keys.alert_key("a1"))),
        ("dynamodb:PutItem", pk(keys.alert_key("a1"))),
        ("dynamodb:PutItem", pk(keys.alert_token_key("t"))),
        ("dynamodb:UpdateItem", pk(keys.alert_address_key("a@b.org"))),
        ("dynamodb:UpdateItem", pk(keys.alert_key("a1"))),
        ("dynamodb:UpdateItem", pk(keys.rate_key("alerts-client#192.0.2.1", 0))),
        ("dynamodb:DeleteItem", pk(keys.alert_token_key("t"))),
    ]:
        assert allows(site, action, TABLE, (key,)), (action, key)
    # And nothing else: no key, board, record or change of a submission; no board's deposits; no subscriber
    # made or removed, no token read (a link is confirmed or stopped by the API's pages, not the site)
    for action, key in [
        ("dynamodb:PutItem", pk(keys.credential_key("h"))),
        ("dynamodb:PutItem", pk(keys.board_key("b"))),
        ("dynamodb:PutItem", pk(keys.record_key("CR-2016-0001"))),
        ("dynamodb:UpdateItem", pk(keys.submission_key("s"))),
        ("dynamodb:DeleteItem", pk(keys.submission_key("s"))),
        ("dynamodb:PutItem", pk(keys.subscriber_key("a@b.org"))),
        ("dynamodb:PutItem", pk(keys.unsubscribe_key("t"))),
        ("dynamodb:DeleteItem", pk(keys.subscriber_key("a@b.org"))),
        ("dynamodb:DeleteItem", pk(keys.alert_key("a1"))),
        ("dynamodb:GetItem", pk(keys.alert_token_key("t"))),
        ("dynamodb:PutItem", pk(keys.alert_address_key("a@b.org"))),
    ]:
        assert not allows(site, action, TABLE, (key,)), (action, key)
    assert not allows(site, "dynamodb:Query", BOARDS_INDEX, (keys.board_partition("b"),))
    assert not allows(site, "dynamodb:Query", BOARDS_INDEX, (keys.SUBSCRIBERS,))
    assert not allows(site, "s3:GetObject", "ReportsBucket.Arn/reports/CR-2016-0001.pdf")
    assert not allows(site, "s3:PutObject", "ReportsBucket.Arn/reports/CR-2016-0001.pdf")


@pytest.mark.parametrize("source", ["role", "domain access policy"])
def test_the_site_may_only_search(source: str) -> None:
    statements = [
        s for s in statements_of("SiteFunctionRole") if any(str(a).startswith("es:") for a in as_list(s["Action"]))
    ]
    if source != "role":
        statements = domain_statements_for("SiteFunctionRole")
    assert allows(statements, "es:ESHttpPost", f"{DOMAIN}/reviews/_search")
    for action, path in [
        ("es:ESHttpPost", "_bulk"),
        ("es:ESHttpPut", "reviews/_doc/CR-2016-0001"),
        ("es:ESHttpGet", "reviews/_doc/CR-2016-0001"),
        ("es:ESHttpHead", ""),
    ]:
        assert not allows(statements, action, f"{DOMAIN}/{path}"), (action, path)


def test_the_catalogue_function_writes_records_but_cannot_mint_board_keys() -> None:
    catalogue = statements_of("CatalogueFunctionRole")
    # What cataloguing does: move the submission, draw a reference, write the record, its audit entry
    # and the checksum claim, read the board
    assert allows(catalogue, "dynamodb:UpdateItem", TABLE, (pk(keys.submission_key("s")),))
    assert allows(catalogue, "dynamodb:UpdateItem", TABLE, (pk(keys.counter_key(2016)),))
    assert allows(catalogue, "dynamodb:PutItem", TABLE, (pk(keys.record_key("CR-2016-0001")),))
    assert allows(catalogue, "dynamodb:PutItem", TABLE, (pk(keys.content_key("abc")),))
    assert allows(catalogue, "dynamodb:GetItem", TABLE, (pk(keys.board_key("b")),))
    assert allows(catalogue, "dynamodb:PutItem", IDEMPOTENCY, ("catalogue.upload#hash",))
    # And it cannot write a board's key or a board, nor read keys, nor another function's idempotency
    for action, key in [
        ("dynamodb:PutItem", pk(keys.credential_key("h"))),
        ("dynamodb:UpdateItem", pk(keys.credential_key("h"))),
        ("dynamodb:GetItem", pk(keys.credential_key("h"))),
        ("dynamodb:PutItem", pk(keys.board_key("b"))),
        ("dynamodb:PutItem", pk(keys.subscriber_key("a@b.org"))),
    ]:
        assert not allows(catalogue, action, TABLE, (key,)), (action, key)
    assert not allows(catalogue, "dynamodb:PutItem", IDEMPOTENCY, ("acknowledge.catalogued#hash",))
    assert not allows(catalogue, "dynamodb:Query", BOARDS_INDEX, (keys.board_partition("b"),))


def test_every_table_grant_of_every_function_names_the_item_kinds_it_is_for() -> None:
    # Given every statement of a function role that reaches a table or its indexes
    for name, role in of_type("AWS::IAM::Role").items():
        for statement in role_statements(role):
            actions = [str(a) for a in as_list(statement["Action"])]
            if not any(a.startswith("dynamodb:") for a in actions):
                continue
            # Then it is limited to partitions by LeadingKeys (no grant on a whole table)
            condition = statement.get("Condition", {}).get("ForAllValues:StringLike", {})
            assert condition.get("dynamodb:LeadingKeys"), (name, statement.get("Sid"))


# ---------------------------------------------------------------- abuse


def test_search_and_board_routes_have_throttles_of_their_own_on_resources_that_exist() -> None:
    # Given the API's method settings, and the paths of the API and site functions' events
    api = RESOURCES["Api"]["Properties"]
    paths = {
        event["Properties"]["Path"]
        for function in ("ApiFunction", "SiteFunction")
        for event in RESOURCES[function]["Properties"]["Events"].values()
    }
    throttles: dict[tuple[str, str], str] = {}
    for setting in api["MethodSettings"]:
        # A resource path is written "/" then the path with each "/" as "~1": /~1reviews is /reviews.
        path = setting["ResourcePath"]
        path = path if path == "/*" else path.removeprefix("/").replace("~1", "/")
        # Then each setting is for a resource the API has (or all of them)
        assert path == "/*" or path in paths, path
        throttles[(path, setting["HttpMethod"])] = setting["ThrottlingRateLimit"]["Ref"]
    # And searching and depositing count against buckets of their own, not the rest of the API's
    # (the site's results and yearly lists search too; its deposit form opens a board's submission)
    for path in ("/reviews", "/reviews/{proxy+}", "/years/{proxy+}", "/search", "/published/{proxy+}"):
        assert throttles[(path, "GET")] == "SearchThrottlingRateLimit"
    for path, method in [
        ("/submissions", "POST"),
        ("/submissions", "GET"),
        ("/submissions/{proxy+}", "GET"),
        ("/deposit", "POST"),
    ]:
        assert throttles[(path, method)] == "BoardThrottlingRateLimit"
    assert throttles[("/*", "*")] == "ApiThrottlingRateLimit"


def test_a_web_acl_with_a_per_ip_rate_limit_guards_the_api_stage() -> None:
    # Given the web ACLs and their associations
    acls = of_type("AWS::WAFv2::WebACL")
    associations = of_type("AWS::WAFv2::WebACLAssociation").values()
    # Then one is associated with the API's stage
    stage_arn = "arn:aws:apigateway:eu-west-2::/restapis/Api/stages/Api.Stage"
    guarding = [
        a["Properties"]["WebACLArn"]["GetAtt"].removesuffix(".Arn")
        for a in associations
        if text(a["Properties"]["ResourceArn"]) == stage_arn
    ]
    assert len(guarding) == 1 and guarding[0] in acls
    # And it blocks a client (by IP) that goes over its rate
    rules = acls[guarding[0]]["Properties"]["Rules"]
    assert any(
        rule["Statement"].get("RateBasedStatement", {}).get("AggregateKeyType") == "IP" and "Block" in rule["Action"]
        for rule in rules
    )


def test_every_gateway_error_can_be_read_by_a_browser_on_another_site() -> None:
    # Given the errors API Gateway answers itself (a type of its own replaces DEFAULT_4XX/5XX whole)
    responses = RESOURCES["Api"]["Properties"]["GatewayResponses"]
    # Then each carries the same CORS header as the API's own answers
    for name, response in responses.items():
        assert response["ResponseParameters"]["Headers"].get("Access-Control-Allow-Origin") == "'*'", name


# ---------------------------------------------------------------- smaller items


def test_the_api_keeps_its_responses_out_of_traces() -> None:
    # Presigned upload policies and download signatures are in the responses
    variables = RESOURCES["ApiFunction"]["Properties"]["Environment"]["Variables"]
    assert variables["POWERTOOLS_TRACER_CAPTURE_RESPONSE"] == "false"


def test_a_deleted_upload_leaves_no_version_behind_for_more_than_a_day() -> None:
    # Given the reports bucket's lifecycle rules that apply under incoming/
    rules = RESOURCES["ReportsBucket"]["Properties"]["LifecycleConfiguration"]["Rules"]
    applying = [rule for rule in rules if "incoming/".startswith(rule.get("Prefix", ""))]
    # Then the soonest expiry of a noncurrent version there is one day
    days = [
        rule["NoncurrentVersionExpiration"]["NoncurrentDays"]
        for rule in applying
        if "NoncurrentVersionExpiration" in rule
    ]
    assert min(days) == 1


def test_the_reports_bucket_logs_every_request_where_the_log_delivery_may_write() -> None:
    # Given the reports bucket's access logging, and the policy of the bucket it logs to
    logging = RESOURCES["ReportsBucket"]["Properties"]["LoggingConfiguration"]
    target = logging["DestinationBucketName"]["Ref"]
    policies = [p for p in of_type("AWS::S3::BucketPolicy").values() if p["Properties"]["Bucket"] == {"Ref": target}]
    statements = [s for p in policies for s in p["Properties"]["PolicyDocument"]["Statement"]]
    delivery = [s for s in statements if s["Principal"] == {"Service": "logging.s3.amazonaws.com"}]
    # Then S3's log delivery may write, for the reports bucket, the logs under the prefix they are given
    reports = {
        "aws:SourceAccount": "123456789012",
        "aws:SourceArn": "arn:aws:s3:::" + text(RESOURCES["ReportsBucket"]["Properties"]["BucketName"]),
    }
    log_object = f"{target}.Arn/{logging['LogFilePrefix']}2026-01-01-00-00-00-ABC"
    assert allows(delivery, "s3:PutObject", log_object, context=reports)
    # And not for another bucket
    other = {**reports, "aws:SourceArn": "arn:aws:s3:::someone-elses-bucket"}
    assert not allows(delivery, "s3:PutObject", log_object, context=other)


def test_every_log_group_is_one_the_logs_key_may_encrypt() -> None:
    # Given the logs key's grant to CloudWatch Logs, and every log group (each encrypted with that key)
    key_policy = RESOURCES["LogsKey"]["Properties"]["KeyPolicy"]["Statement"]
    grant = next(s for s in key_policy if str(text(s["Principal"].get("Service", ""))).startswith("logs."))
    patterns = [text(p) for p in grant["Condition"]["ArnLike"]["kms:EncryptionContext:aws:logs:arn"]]
    for name, group in of_type("AWS::Logs::LogGroup").items():
        assert group["Properties"]["KmsKeyId"] == {"GetAtt": "LogsKey.Arn"}, name
        arn = f"arn:aws:logs:eu-west-2:123456789012:log-group:{text(group['Properties']['LogGroupName'])}"
        # Then CloudWatch Logs may use the key for it (else the log group cannot be created)
        assert any(fnmatchcase(arn, pattern) for pattern in patterns), name


def test_every_checkov_skip_gives_its_reason() -> None:
    # Given every check skipped in the template
    skips = [
        (name, skip)
        for name, resource in RESOURCES.items()
        for skip in resource.get("Metadata", {}).get("checkov", {}).get("skip", [])
    ]
    assert skips
    # Then each says why, in a sentence
    for name, skip in skips:
        assert skip["id"].startswith("CKV"), name
        assert len(skip.get("comment", "").split()) >= 8, (name, skip["id"])
