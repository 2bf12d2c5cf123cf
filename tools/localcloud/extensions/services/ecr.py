"""ECR: repository names as AWS takes them now.

moto 5.2.5 checks CreateRepository's name against ECR's old pattern (components joined by one ``.``, ``_`` or ``-``)
and refuses names AWS accepts since ECR took the OCI distribution rules: ``__`` and runs of ``-`` between components
(``[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(\\/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*`` in botocore's model and the ECR API
reference, CreateRepository repositoryName). The strict layer (strict.py) already refuses a name outside the model's
pattern before moto sees it; moto's own check is given the model's pattern so that it refuses nothing more."""

from __future__ import annotations

import botocore.session
import moto.ecr.models


def model_name_pattern() -> str:
    model = botocore.session.get_session().get_service_model("ecr")
    return model.shape_for("RepositoryName").metadata["pattern"]


moto.ecr.models.ECR_REPOSITORY_NAME_PATTERN = model_name_pattern()
