"""Generated valid inputs of wafv2_web_acl: a REGIONAL web ACL (associated, logged) and one of either scope.

Limits used (AWS WAF API reference and developer guide): EntityName (web ACL, rule, custom response body key)
1-128 of word characters and -; EntityDescription 3-256 of word characters, spaces and +=:#@/-,. (first and last
not a space); MetricName 1-255 of word characters and #:.-/; rule priorities unique; RateBasedStatement Limit
10-2,000,000,000, EvaluationWindowSec 60, 120, 300 or 600; ResponseStatusCode 200-599; CustomHTTPHeader names 1-64
of letters, digits and ._$-, values 1-255; ResponseContent 1-10,240; ImmunityTime 60-259,200 seconds; TokenDomain
1-253 of word characters and .-/; LabelName 1-1024 of letters, digits and _-:; RedactedFields at most 100; logging
destinations named aws-waf-logs-...; web ACL capacity at most 1,500 WCUs without the extra charge, 5,000 at most
(AWS managed groups: CommonRuleSet 700, KnownBadInputs 200, SQLi 200, AdminProtection 100, AmazonIpReputationList
25 WCUs; their rule names from the developer guide's rule group list); tags keys 1-128, values 0-256, at most 50."""

from __future__ import annotations

import string

from tests.integration.generated.base import Generator
from tests.integration.generated.set_members import next_set
from tests.integration.generated.shield_protection import load_balancer
from tests.integration.generated.values import NAME_CHARS, maybe, text
from tests.integration.generated.xray_group import many_tags

ACTIONS = ["allow", "block", "count", "captcha", "challenge"]
MANAGED = {  # name: (WCUs, some of its rules)
    "AWSManagedRulesCommonRuleSet": (700, ["SizeRestrictions_BODY", "NoUserAgent_HEADER", "GenericLFI_URIPATH"]),
    "AWSManagedRulesKnownBadInputsRuleSet": (200, ["Host_localhost_HEADER", "PROPFIND_METHOD"]),
    "AWSManagedRulesSQLiRuleSet": (200, ["SQLi_QUERYARGUMENTS", "SQLi_BODY"]),
    "AWSManagedRulesAdminProtectionRuleSet": (100, ["AdminProtection_URIPATH"]),
    "AWSManagedRulesAmazonIpReputationList": (25, []),
}
COUNTRIES = ["US", "DE", "FR", "GB", "KP", "CN", "RU", "BR", "IN", "JP", "ZA", "AU"]
DESCRIPTION_CHARS = string.ascii_letters + string.digits + "_+=:#@/-,. "
HEADER_CHARS = string.ascii_letters + string.digits + "._$-"
LABEL_CHARS = string.ascii_letters + string.digits + "_-:"
LOG_GROUPS = ["aws-waf-logs-generated-a", "aws-waf-logs-generated-b"]
ACCOUNT = "123456789012"


def name(rng, stem, high=128):
    """stem and name characters, the longest (``high``) now and then."""
    if rng.random() < 0.2:
        return (stem + text(rng, high, high, NAME_CHARS)).ljust(high, "x")[:high]
    return stem + text(rng, 0, 12, NAME_CHARS)


def description(rng):
    middle = text(rng, 1, rng.choice([40, 254]), DESCRIPTION_CHARS)
    return f"{rng.choice(string.ascii_letters)}{middle}{rng.choice(string.digits + '.')}"


def response(rng, body_keys):
    found = {"response_code": rng.choice([200, 403, 429, 503, rng.randint(200, 599)])}
    if body_keys:
        maybe(rng, found, "custom_response_body_key", rng.choice(body_keys))
    headers = {text(rng, 1, 64, HEADER_CHARS): text(rng, 1, 255) for _count in range(rng.randint(1, 3))}
    maybe(rng, found, "response_headers", headers, chance=0.4)
    return found


def statement(rng):
    """A statement in the API's shape, as the option takes it."""
    byte_match = {
        "ByteMatchStatement": {
            "SearchString": "/" + text(rng, 1, 50, NAME_CHARS),
            "FieldToMatch": {"UriPath": {}},
            "TextTransformations": [{"Priority": 0, "Type": rng.choice(["NONE", "LOWERCASE", "URL_DECODE"])}],
            "PositionalConstraint": rng.choice(["EXACTLY", "STARTS_WITH", "ENDS_WITH", "CONTAINS"]),
        }
    }
    label = {"LabelMatchStatement": {"Scope": "LABEL", "Key": "awswaf:managed:aws:core-rule-set:NoUserAgent_Header"}}
    size = {
        "SizeConstraintStatement": {
            "FieldToMatch": {"QueryString": {}},
            "ComparisonOperator": rng.choice(["GT", "GE", "LT", "EQ"]),
            "Size": rng.randint(0, 21_474_836_480),
            "TextTransformations": [{"Priority": 0, "Type": "NONE"}],
        }
    }
    # AWS fills in SensitivityLevel (LOW) and the body's OversizeHandling (CONTINUE) when they are left out.
    sqli = {
        "SqliMatchStatement": {"FieldToMatch": {"Body": {}}, "TextTransformations": [{"Priority": 1, "Type": "NONE"}]}
    }
    maybe(rng, sqli["SqliMatchStatement"], "SensitivityLevel", rng.choice(["LOW", "HIGH"]))
    xss = {
        "XssMatchStatement": {
            "FieldToMatch": {"SingleHeader": {"Name": "user-agent"}},
            "TextTransformations": [
                {"Priority": 0, "Type": "HTML_ENTITY_DECODE"},
                {"Priority": 1, "Type": "LOWERCASE"},
            ],
        }
    }
    composed = rng.choice(
        [
            {"AndStatement": {"Statements": [byte_match, size]}},
            {"OrStatement": {"Statements": [sqli, xss, label]}},
            {"NotStatement": {"Statement": byte_match}},
        ]
    )
    return rng.choice([byte_match, label, size, sqli, xss, composed])


def forwarded_ip(rng, with_position):
    found = {}
    maybe(rng, found, "header_name", rng.choice(["X-Forwarded-For", "X-Client-IP", "True-Client-IP"]))
    maybe(rng, found, "fallback_behavior", rng.choice(["MATCH", "NO_MATCH"]))
    if with_position:
        maybe(rng, found, "position", rng.choice(["FIRST", "LAST", "ANY"]))
    return found


class Wafv2WebAclGenerator(Generator):
    module = "securecloud.monitor.wafv2_web_acl"
    count = 0
    scopes = ("REGIONAL", "REGIONAL")

    def prepare(self, cloud) -> dict:
        wafv2, logs = cloud.client("wafv2"), cloud.client("logs")
        visibility = {"SampledRequestsEnabled": False, "CloudWatchMetricsEnabled": False, "MetricName": "gwaf"}
        ip_set = wafv2.create_ip_set(
            Name="gwaf-ips", Scope="REGIONAL", IPAddressVersion="IPV4", Addresses=["192.0.2.0/24"]
        )["Summary"]["ARN"]
        rule = {
            "Name": "gwaf-rg-rule",
            "Priority": 0,
            "Action": {"Block": {}},
            "Statement": {"GeoMatchStatement": {"CountryCodes": ["KP"]}},
            "VisibilityConfig": visibility,
        }
        rule_group = wafv2.create_rule_group(
            Name="gwaf-rg", Scope="REGIONAL", Capacity=10, Rules=[rule], VisibilityConfig=visibility
        )["Summary"]["ARN"]
        for group in LOG_GROUPS:
            logs.create_log_group(logGroupName=group)
        return {
            "ip_set": ip_set,
            "rule_group": rule_group,
            "load_balancers": [load_balancer(cloud, f"gwaf-alb-{index}") for index in range(2)],
        }

    def rule(self, rule_name, priority, scope, body_keys):
        found = {"name": rule_name, "priority": priority}
        kinds = ["rate_based", "managed_rule_group", "geo_match", "statement"]
        kind = self.rng.choice(kinds + (["rule_group", "ip_set"] if scope == "REGIONAL" else []))
        found.update(getattr(self, kind)())
        if kind in ("managed_rule_group", "rule_group"):
            maybe(self.rng, found, "override_action", self.rng.choice(["none", "count"]))
        else:
            found["action"] = self.rng.choice(ACTIONS)
            if found["action"] == "block":
                maybe(self.rng, found, "custom_response", response(self.rng, body_keys), chance=0.4)
            for key in ("captcha_immunity_time", "challenge_immunity_time"):
                maybe(self.rng, found, key, self.rng.choice([60, 259_200, self.rng.randint(60, 259_200)]), 0.2)
        maybe(self.rng, found, "rule_labels", [text(self.rng, 1, 40, LABEL_CHARS) for _c in range(2)], 0.3)
        if self.rng.random() < 0.4:
            visibility = {}
            maybe(self.rng, visibility, "cloudwatch_metrics_enabled", self.rng.random() < 0.5)
            maybe(self.rng, visibility, "sampled_requests_enabled", self.rng.random() < 0.5)
            maybe(self.rng, visibility, "metric_name", name(self.rng, "m#:.-/", 255))
            found["visibility"] = visibility
        return found

    def rate_based(self):
        found = {"limit": self.rng.choice([10, 2_000_000_000, self.rng.randint(10, 100_000)])}
        maybe(self.rng, found, "evaluation_window_sec", self.rng.choice([60, 120, 300, 600]))
        maybe(self.rng, found, "aggregate_key_type", self.rng.choice(["IP", "FORWARDED_IP", "CONSTANT"]))
        if found.get("aggregate_key_type") == "FORWARDED_IP":
            maybe(self.rng, found, "forwarded_ip_config", forwarded_ip(self.rng, with_position=False))
        if found.get("aggregate_key_type") == "CONSTANT" or self.rng.random() < 0.2:
            found["scope_down_statement"] = statement(self.rng)  # CONSTANT needs a scope-down statement
        return {"rate_based": found}

    def managed_rule_group(self):
        group = self.rng.choice([group for group in MANAGED if MANAGED[group][0] <= 200])
        found = {"name": group}
        maybe(self.rng, found, "vendor_name", "AWS")
        rules = MANAGED[group][1]
        if rules:
            maybe(self.rng, found, "excluded_rules", self.rng.sample(rules, self.rng.randint(1, len(rules))), 0.3)
            overrides = [{"name": rule, "action": self.rng.choice(ACTIONS)} for rule in rules[:1]]
            maybe(self.rng, found, "rule_action_overrides", overrides, 0.3)
        maybe(self.rng, found, "scope_down_statement", statement(self.rng), 0.2)
        return {"managed_rule_group": found}

    def rule_group(self):
        found = {"arn": self.context["rule_group"]}
        maybe(self.rng, found, "excluded_rules", ["gwaf-rg-rule"], 0.3)
        maybe(self.rng, found, "rule_action_overrides", [{"name": "gwaf-rg-rule", "action": "count"}], 0.3)
        return {"rule_group": found}

    def ip_set(self):
        found = {"arn": self.context["ip_set"]}
        maybe(self.rng, found, "forwarded_ip_config", forwarded_ip(self.rng, with_position=True), 0.4)
        return {"ip_set": found}

    def geo_match(self):
        found = {"country_codes": self.rng.sample(COUNTRIES, self.rng.randint(1, len(COUNTRIES)))}
        maybe(self.rng, found, "forwarded_ip_config", forwarded_ip(self.rng, with_position=False), 0.3)
        return {"geo_match": found}

    def statement(self):
        return {"statement": statement(self.rng)}

    def bodies(self):
        content_types = ["TEXT_PLAIN", "TEXT_HTML", "APPLICATION_JSON"]
        contents = {"TEXT_PLAIN": "denied", "TEXT_HTML": "<p>denied</p>", "APPLICATION_JSON": '{"error": "denied"}'}
        found = {}
        for index in range(self.rng.randint(1, 2)):
            kind = self.rng.choice(content_types)
            content = contents[kind] if self.rng.random() < 0.8 else "x" * 10_240
            found[name(self.rng, f"body{index}-")] = {"content_type": kind, "content": content}
        return found

    def rules(self, scope, body_keys, current):
        """The rules: round 0 anew, round 1 some kept, some changed, some left out, some new; unique priorities."""

        def make(rule_name):
            self.count += 1
            return self.rule(rule_name or name(self.rng, f"r{self.count}-"), 0, scope, body_keys)

        rules = next_set(self.rng, current, make) if current else [make(None) for _c in range(self.rng.randint(0, 4))]
        rules = list({rule["name"]: rule for rule in rules}.values())
        priorities = self.rng.sample(range(0, 1000), len(rules) + 1)
        rules = [dict(rule, priority=priority) for rule, priority in zip(rules, priorities, strict=False)]
        return rules, priorities[-1]

    def web_acl(self, acl_name, scope, previous):
        task = {"name": acl_name}
        if scope == "CLOUDFRONT" or self.rng.random() < 0.3:
            task["scope"] = scope
        # Bodies declared once stay declared: a rule kept from round 0 may name one.
        bodies = (previous or {}).get("custom_response_bodies") or (self.bodies() if self.rng.random() < 0.4 else {})
        if bodies:
            task["custom_response_bodies"] = bodies
        task["rules"], free_priority = self.rules(scope, list(bodies), (previous or {}).get("rules", []))
        maybe(self.rng, task, "description", description(self.rng))
        task["default_action"] = self.rng.choice(["allow", "block"])
        if task["default_action"] == "block":
            maybe(self.rng, task, "default_action_response", response(self.rng, list(bodies)), 0.4)
        for key in ("captcha_immunity_time", "challenge_immunity_time"):
            maybe(self.rng, task, key, self.rng.choice([60, 259_200, self.rng.randint(60, 259_200)]), 0.3)
        maybe(self.rng, task, "token_domains", [f"{text(self.rng, 1, 20, string.ascii_lowercase)}.example.com"], 0.3)
        maybe(self.rng, task, "visibility", {"metric_name": name(self.rng, "acl-", 255)}, 0.3)
        maybe(self.rng, task, "capacity_limit", self.rng.choice([1500, 5000]), 0.3)
        maybe(self.rng, task, "tags", many_tags(self.rng))
        if self.rng.random() < 0.3:
            task["origin_verify"] = {
                "priority": free_priority,
                "header_name": "x-origin-verify",
                "values": [text(self.rng, 1, 200, NAME_CHARS) for _c in range(self.rng.randint(1, 3))],
            }
        if self.rng.random() < 0.4:
            task["logging"] = self.logging()
        return task

    def logging(self):
        arn = f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:{LOG_GROUPS[0]}"
        found = {"destination": self.rng.choice([*LOG_GROUPS, arn])}
        fields = ["uri_path", "query_string", "method", {"single_header": "x-api-key"}, "authorization", "cookie"]
        maybe(self.rng, found, "redacted_fields", self.rng.sample(fields, self.rng.randint(0, len(fields))))
        if self.rng.random() < 0.3:
            condition = self.rng.choice(
                [{"action_condition": "BLOCK"}, {"label_name_condition": "awswaf:managed:aws:core-rule-set:x"}]
            )
            found["filter"] = {
                "default_behavior": self.rng.choice(["KEEP", "DROP"]),
                "filters": [{"behavior": "KEEP", "requirement": "MEETS_ANY", "conditions": [condition]}],
            }
        return found

    def arguments(self, round_index: int) -> list[dict]:
        if round_index == 0:
            self.scopes = ["REGIONAL", self.rng.choice(["REGIONAL", "CLOUDFRONT"])]
            names = [name(self.rng, "gwaf-a-"), name(self.rng, "gwaf-b-")]
            tasks = [self.web_acl(acl_name, scope, None) for acl_name, scope in zip(names, self.scopes, strict=True)]
        else:
            pairs = zip(self.previous, self.scopes, strict=True)
            tasks = [self.web_acl(previous["name"], scope, previous) for previous, scope in pairs]
            if self.rng.random() < 0.3:
                tasks[1] = {"name": tasks[1]["name"], "scope": self.scopes[1], "state": "absent"}
        tasks[0]["associations"] = self.rng.sample(self.context["load_balancers"], self.rng.randint(0, 2))
        return tasks

    def check(self, round_index, declared, results, cloud) -> None:
        wafv2 = cloud.client("wafv2")
        for task in declared:
            scope = task.get("scope", "REGIONAL")
            summaries = wafv2.list_web_acls(Scope=scope)["WebACLs"]
            held = [acl for acl in summaries if acl["Name"] == task["name"]]
            if task.get("state") == "absent":
                assert held == [], held
                continue
            acl = wafv2.get_web_acl(Name=task["name"], Scope=scope, Id=held[0]["Id"])["WebACL"]
            names = {rule["name"] for rule in task["rules"]} | ({"origin-verify"} if "origin_verify" in task else set())
            assert {rule["Name"] for rule in acl["Rules"]} == names, acl["Rules"]
