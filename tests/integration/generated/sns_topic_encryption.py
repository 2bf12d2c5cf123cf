"""sns_topic_encryption: prepared topics (standard and FIFO, names up to the longest, 256) encrypted with prepared
keys named in each form KMS takes (key ID, key ARN, alias/NAME, alias ARN; aliases up to 256 characters) or the AWS
managed key alias/aws/sns, given by topic name or ARN; round 1 names the same key in another form (no change),
moves a topic to another key and stops encrypting one (state absent).

Limits used (SNS API reference, CreateTopic: names 1-256 letters, digits, '-', '_', a FIFO topic's ending in
.fifo; KMS API reference, CreateAlias: AliasName 1-256 characters of [a-zA-Z0-9/_-] starting alias/, not
alias/aws/; SNS SetTopicAttributes, KmsMasterKeyId: a key ID, key ARN, alias name or alias ARN)."""

from __future__ import annotations

from tests.integration.generated.base import Generator
from tests.integration.generated.values import NAME_CHARS

# The model's AliasName pattern also takes ':', which the CreateAlias reference excludes ("only alphanumeric
# characters, forward slashes (/), underscores (_), and dashes (-)").
ALIAS_CHARS = NAME_CHARS + "/"


class TopicEncryption(Generator):
    module = "securecloud.monitor.sns_topic_encryption"

    def random_chars(self, count, chars=NAME_CHARS):
        return "".join(self.rng.choice(chars) for _count in range(count))

    def prepare(self, cloud):
        kms, sns = cloud.client("kms"), cloud.client("sns")
        keys = []
        for index in range(2):
            key = kms.create_key(Description=f"gen sns {index}")["KeyMetadata"]
            length = 256 - len("alias/g") - 2 if self.rng.random() < 0.3 else self.rng.randint(1, 40)
            alias = f"alias/g{index}-{self.random_chars(length, ALIAS_CHARS)}"
            kms.create_alias(AliasName=alias, TargetKeyId=key["KeyId"])
            alias_arn = key["Arn"].split(":key/")[0] + ":" + alias
            keys.append({"id": key["KeyId"], "arn": key["Arn"], "alias": alias, "alias_arn": alias_arn})
        topics = []
        for index in range(3):
            fifo = self.rng.random() < 0.3
            length = 256 - 3 - (5 if fifo else 0) if self.rng.random() < 0.3 else self.rng.randint(1, 40)
            name = f"g{index}-{self.random_chars(length)}" + (".fifo" if fifo else "")
            attributes = {"FifoTopic": "true"} if fifo else {}
            topics.append(sns.create_topic(Name=name, Attributes=attributes)["TopicArn"])
        return {"keys": keys, "topics": topics}

    def topic(self, arn):
        return arn if self.rng.random() < 0.5 else arn.rsplit(":", 1)[1]

    def key_form(self, key):
        return key[self.rng.choice(["id", "arn", "alias", "alias_arn"])]

    def arguments(self, round_index):
        keys, topics = self.context["keys"], self.context["topics"]
        if round_index == 0:
            managed_or_own = self.rng.choice([self.key_form(keys[1]), "alias/aws/sns"])
            return [
                {"topic": self.topic(topics[0]), "kms_key_id": self.key_form(keys[0])},
                {"topic": self.topic(topics[1]), "kms_key_id": managed_or_own},
                {"topic": self.topic(topics[2]), "kms_key_id": self.key_form(keys[1])},
            ]
        return [
            {"topic": self.topic(topics[0]), "kms_key_id": self.key_form(keys[0])},
            {"topic": self.topic(topics[1]), "kms_key_id": self.key_form(keys[0])},
            {"topic": self.topic(topics[2]), "state": "absent"},
        ]

    def check(self, round_index, declared, results, cloud):
        sns = cloud.client("sns")
        for task, arn, (_check, real, _again) in zip(declared, self.context["topics"], results, strict=True):
            held = sns.get_topic_attributes(TopicArn=arn)["Attributes"].get("KmsMasterKeyId")
            assert bool(held) == (task.get("state") != "absent"), (arn, held)
            if round_index == 1 and arn == self.context["topics"][0]:
                assert real["changed"] is False, "the same key in another form is no change"
