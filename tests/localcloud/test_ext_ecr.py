"""ECR repository names: the local cloud takes the names AWS takes (botocore's model pattern, with ``__`` and runs of
``-`` between components) and refuses, in ECR's words, those AWS refuses."""

from __future__ import annotations

import re

import botocore.session
import pytest
from botocore.exceptions import ClientError

# Names the ECR API reference's pattern for repositoryName allows; moto 5.2.5 refused the last three.
ACCEPTED = ["app", "team/app.v2", "team/my__app", "team/my--app", "a__b/c---d_e"]
# Not in the pattern: a separator at an end, a triple underscore, upper case.
REFUSED = ["app-", "my___app", "Team/app"]


@pytest.fixture
def ecr(cloud):
    client = cloud.client("ecr")
    yield client
    for repository in client.describe_repositories()["repositories"]:
        client.delete_repository(repositoryName=repository["repositoryName"], force=True)


def model_pattern():
    return botocore.session.get_session().get_service_model("ecr").shape_for("RepositoryName").metadata["pattern"]


@pytest.mark.parametrize("name", ACCEPTED)
def test_a_name_of_the_model_pattern_is_created(ecr, name):
    assert re.fullmatch(model_pattern(), name)
    created = ecr.create_repository(repositoryName=name)["repository"]
    assert created["repositoryName"] == name


@pytest.mark.parametrize("name", REFUSED)
def test_a_name_outside_the_pattern_is_refused(ecr, name):
    assert not re.fullmatch(model_pattern(), name)
    with pytest.raises(ClientError) as raised:
        ecr.create_repository(repositoryName=name)
    assert raised.value.response["Error"]["Code"] == "InvalidParameterException"
