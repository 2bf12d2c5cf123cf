"""Generated valid inputs of codestar_connection.

Limits used (AWS CodeStar Connections API reference): CreateConnection ConnectionName 1-32 characters of any kind
(pattern ``[\\s\\S]*``), ProviderType Bitbucket, GitHub, GitHubEnterpriseServer, GitLab or GitLabSelfManaged (the
self-managed ones need a HostArn, of a host made by CreateHost, which the local cloud does not have: those are left
out); tags (keys 1-128 not starting with aws:, values 0-256, at most 200). A connection's provider cannot change."""

from __future__ import annotations

import string

from tests.integration.generated.base import Generator
from tests.integration.generated.edges import edge_tags
from tests.integration.generated.values import maybe, tags, text

PROVIDERS = ["Bitbucket", "GitHub", "GitLab"]
NAME_CHARS = string.ascii_letters + string.digits + " -_.@/:+=,"


class CodestarConnection(Generator):
    module = "securecloud.monitor.codestar_connection"

    def connection(self, name, provider=None):
        arguments = {"name": name}
        if provider is not None:
            arguments["provider_type"] = provider
        maybe(self.rng, arguments, "tags", self.rng.choice([tags(self.rng), edge_tags(self.rng)]))
        maybe(self.rng, arguments, "purge_tags", self.rng.random() < 0.5)
        return arguments

    def new_name(self, index):
        run = f"g{self.rng.randint(0, 10**5)}-{index}"
        if self.rng.random() < 0.3:
            return (run + "x" * 32)[:32]
        return run + text(self.rng, 0, 32 - len(run), NAME_CHARS)

    def arguments(self, round_index):
        if round_index == 0:
            return [self.connection(self.new_name(index), self.rng.choice([*PROVIDERS, None])) for index in range(2)]
        changed = []
        for previous in self.previous:
            roll = self.rng.random()
            if roll < 0.6:
                changed.append(self.connection(previous["name"], previous.get("provider_type")))
            else:
                changed.append({"name": previous["name"], "state": "absent"})
        return [*changed, self.connection(self.new_name(2), self.rng.choice(PROVIDERS))]

    def check(self, round_index, declared, results, cloud):
        client = cloud.client("codestar-connections")
        names = {c["ConnectionName"]: c for c in client.list_connections()["Connections"]}
        for arguments, (_check, real, _again) in zip(declared, results, strict=True):
            if arguments.get("state") == "absent":
                assert arguments["name"] not in names, arguments
                continue
            found = names[arguments["name"]]
            assert found["ProviderType"] == arguments.get("provider_type", "GitHub"), found
            assert found["ConnectionArn"] == real["connection_arn"], (found, real)
