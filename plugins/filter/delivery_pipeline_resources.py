# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
name: delivery_pipeline_resources
short_description: The delivery_pipeline role's services, IAM roles, build projects and pipelines
version_added: 1.1.0
description:
  - Computes, with no AWS call, what the C(securecloud.monitor.delivery_pipeline) role builds on for each blue/green
    service of the base layer, and the IAM roles CodePipeline, CodeBuild and CodeDeploy assume with their inline
    policies.
  - The services are those of C(base.services) with a C(blue_green) block, less those C(settings.services) switches
    off (C(enabled) false), sorted by name; none when C(settings.services_enabled) is false.
  - Each role is allowed what it touches only, named resources of the environment, and C(*) only for the actions
    AWS does not scope to a resource (C(ecr:GetAuthorizationToken), C(ecs:RegisterTaskDefinition),
    C(ecs:DescribeTaskDefinition), C(elasticloadbalancing:Describe*)). The services' build and deploy roles exist
    only with services, the infrastructure's validate, plan and apply roles only with
    C(settings.infrastructure_enabled).
options:
  _input:
    description: The base layer's outputs (the fact C(base)); C(services) and C(ecs_cluster_name) are read.
    type: dict
    required: true
  settings:
    description:
      - The role's settings. Keys C(prefix) (the environment), C(partition), C(region), C(account), C(github_owner),
        C(branch), C(services_enabled), C(services) (per service C(enabled), C(repository), C(branch),
        C(buildspec)), C(infrastructure_enabled), C(application), C(bucket), C(bucket_arn), C(log_group),
        C(log_group_arn), C(registry), C(key_arn), C(connection_arn), C(role_names) (by purpose C(pipeline),
        C(build), C(validate), C(plan), C(apply), C(deploy)), C(infra_projects) (by stage C(validate), C(plan),
        C(apply), each C(name) and C(buildspec)), C(apply_services) (the AWS services the Apply build manages),
        C(state) (the S3 backend's C(bucket) and C(key) of the Terraform state, or V({})), C(build_image),
        C(build_compute_type), C(build_timeout_minutes), C(service_buildspec) (the role's own buildspec, for the
        services that name none), C(infrastructure_repository), C(infrastructure_branch),
        C(infrastructure_inventory), C(infrastructure_limit), C(deployment_config), C(termination_wait_minutes),
        C(rollback_on_alarm), C(alarm_prefix) and C(tags) (of the IAM roles).
    type: dict
    required: true
  observed:
    description:
      - What the role read from the cloud. C(alarms) the C(metric_alarms) of one
        M(amazon.aws.cloudwatch_metric_alarm_info) call with the prefix C(settings.alarm_prefix); a deployment rolls
        back on the first 10 (by name) of its service's alarms, those named C(settings.alarm_prefix) + SERVICE + V(-),
        when C(settings.rollback_on_alarm) is true. An alarm that matches two services (V(api) and V(api-admin)) is the
        one with the longer name's.
    type: dict
    default: {}
"""

EXAMPLES = r"""
- name: Create the roles CodePipeline, CodeBuild and CodeDeploy assume
  securecloud.monitor.iam_role_set:
    prefix: dev-code
    roles: "{{ (base | securecloud.monitor.delivery_pipeline_resources(settings)).roles }}"
"""

RETURN = r"""
_value:
  description: The desired state.
  type: dict
  contains:
    units:
      description:
        - One entry per blue/green service, C(name), C(repository), C(branch), C(buildspec) (empty for the role's
          own), C(ecr_repository), C(project), C(pipeline), C(deployment_group), C(cluster), C(service),
          C(container), C(task_family), C(task_role_arn), C(execution_role_arn), C(target_groups),
          C(prod_listener_arn) and C(test_listener_arn).
      type: list
      elements: dict
    roles:
      description:
        - The IAM roles in the shape of O(securecloud.monitor.iam_role_set#module:roles), each C(name),
          C(description), C(assume_role_policy) (the role's AWS service, from C(settings.account) only),
          C(managed_policies), C(inline_policy) (named V(delivery)) and C(tags) (C(settings.tags)).
      type: list
      elements: dict
    role_arns:
      description: The ARN of each IAM role, by purpose (the keys of C(settings.role_names)).
      type: dict
    projects:
      description:
        - The CodeBuild projects, one per service then one per infrastructure stage, in the options of
          M(securecloud.monitor.codebuild_project) (C(name), C(description), C(source), C(artifacts),
          C(environment), C(service_role), C(timeout_in_minutes), C(encryption_key), C(logs_config)).
      type: list
      elements: dict
    pipelines:
      description:
        - The pipelines, one per service (Source, Build, blue/green Deploy) then the infrastructure's (Source,
          Validate, Plan, manual Approve, Apply), in the options of M(securecloud.monitor.codepipeline_pipeline)
          (C(name), C(role_arn), C(pipeline_type), C(execution_mode), C(artifact_store), C(stages), C(triggers)).
      type: list
      elements: dict
    deployment_groups:
      description:
        - One blue/green deployment group per service in the shape of
          O(securecloud.monitor.codedeploy_deployment_group_set#module:deployment_groups) (C(name), C(service_role),
          C(deployment_config_name), C(ecs_service), C(target_groups), C(prod_listener_arns),
          C(test_listener_arns), C(termination_wait_minutes), C(auto_rollback), C(alarms)).
      type: list
      elements: dict
"""

import re  # noqa: E402

from ansible_collections.securecloud.monitor.plugins.plugin_utils.filter_settings import (  # noqa: E402
    as_bool,
    as_int,
    checked_settings,
)

_REQUIRED = ("prefix", "partition", "region", "application", "bucket", "bucket_arn", "log_group", "log_group_arn")
# CodeDeploy watches at most 10 alarms per deployment group.
CODEDEPLOY_ALARMS_MAX = 10
# The name of each role's one inline policy.
INLINE_POLICY = "delivery"
# Global services: their ARNs have no region.
_GLOBAL_SERVICES = ("budgets", "shield")


def delivered_services(base_services, per_service, enabled):
    if not enabled:
        return []
    disabled = {name for name, values in per_service.items() if "enabled" in values and not values["enabled"]}
    return sorted(name for name, svc in base_services.items() if svc.get("blue_green") and name not in disabled)


def _unit(name, base, settings):
    own = (settings.get("services") or {}).get(name) or {}
    svc = base["services"][name]
    prefix = settings["prefix"]
    return {
        "name": name,
        "repository": own.get("repository", f"{settings.get('github_owner', '')}/{name}"),
        "branch": own.get("branch", settings.get("branch", "main")),
        "buildspec": own.get("buildspec", ""),
        "ecr_repository": f"{prefix}/{name}",
        "project": f"{prefix}-{name}-build",
        "pipeline": f"{prefix}-{name}",
        "deployment_group": f"{prefix}-{name}",
        "cluster": base["ecs_cluster_name"],
        "service": svc["service_name"],
        "container": name,
        "task_family": svc["task_definition_family"],
        "task_role_arn": svc["task_role_arn"],
        "execution_role_arn": svc["execution_role_arn"],
        "target_groups": svc["blue_green"]["target_group_names"],
        "prod_listener_arn": svc["blue_green"]["prod_listener_arn"],
        "test_listener_arn": svc["blue_green"]["test_listener_arn"],
    }


class _Arns:
    """The ARNs of the environment's account and region."""

    def __init__(self, settings):
        self.partition, self.region, self.account = settings["partition"], settings["region"], settings["account"]

    def regional(self, service, resource):
        return f"arn:{self.partition}:{service}:{self.region}:{self.account}:{resource}"

    def iam(self, resource):
        return f"arn:{self.partition}:iam::{self.account}:{resource}"

    def s3(self, resource):
        return f"arn:{self.partition}:s3:::{resource}"


def _allow(sid, action, resource, **extra):
    return {"Sid": sid, "Effect": "Allow", "Action": action, "Resource": resource, **extra}


def _common(settings):
    bucket = settings["bucket_arn"]
    return [
        _allow(
            "WriteBuildLogs", ["logs:CreateLogStream", "logs:PutLogEvents"], f"{settings['log_group_arn']}:log-stream:*"
        ),
        _allow("ReadWriteArtifacts", ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"], f"{bucket}/*"),
        _allow("LocateArtifactBucket", ["s3:GetBucketLocation", "s3:GetBucketVersioning"], bucket),
        _allow(
            "UseDeliveryKey",
            ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:DescribeKey"],
            settings.get("key_arn", ""),
        ),
    ]


def _state_access(settings, arns):
    state = settings.get("state") or {}
    if "bucket" not in state:
        return []
    state_object = f"{state['bucket']}/{state['key']}"
    return [
        _allow(
            "TerraformState",
            ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
            [arns.s3(state_object), arns.s3(f"{state_object}.tflock")],
        ),
        _allow("TerraformStateBucket", "s3:ListBucket", arns.s3(state["bucket"])),
    ]


def _pass_task_roles(units):
    task_roles = [u["task_role_arn"] for u in units] + [u["execution_role_arn"] for u in units]
    return _allow(
        "PassTaskRolesToEcs",
        "iam:PassRole",
        sorted(set(task_roles)),
        Condition={"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}},
    )


def _pipeline_statements(units, settings, arns):
    projects = [u["project"] for u in units]
    if as_bool(settings.get("infrastructure_enabled", True)):
        projects += [project["name"] for project in settings["infra_projects"].values()]
    statements = [
        *_common(settings)[1:],
        _allow(
            "UseGitHubConnection",
            ["codestar-connections:UseConnection", "codeconnections:UseConnection"],
            settings.get("connection_arn", ""),
        ),
        _allow(
            "RunBuilds",
            ["codebuild:StartBuild", "codebuild:BatchGetBuilds"],
            [arns.regional("codebuild", f"project/{name}") for name in projects],
        ),
    ]
    if not units:
        return statements
    application = settings["application"]
    deploy_actions = ["CreateDeployment", "GetDeployment", "GetApplication", "GetApplicationRevision"]
    deploy_actions += ["RegisterApplicationRevision", "GetDeploymentConfig"]
    return [
        *statements,
        _allow(
            "DeployThroughCodeDeploy",
            [f"codedeploy:{action}" for action in deploy_actions],
            [
                arns.regional("codedeploy", f"application:{application}"),
                arns.regional("codedeploy", f"deploymentgroup:{application}/*"),
                arns.regional("codedeploy", "deploymentconfig:*"),
            ],
        ),
        _allow("RegisterTaskDefinitions", "ecs:RegisterTaskDefinition", "*"),
        _pass_task_roles(units),
    ]


def _build_statements(settings, arns):
    push = ["BatchCheckLayerAvailability", "BatchGetImage", "CompleteLayerUpload", "GetDownloadUrlForLayer"]
    push += ["InitiateLayerUpload", "PutImage", "UploadLayerPart"]
    return [
        *_common(settings),
        _allow("LogInToEcr", "ecr:GetAuthorizationToken", "*"),
        _allow(
            "PushServiceImages",
            [f"ecr:{action}" for action in push],
            arns.regional("ecr", f"repository/{settings['prefix']}/*"),
        ),
        _allow("ReadTaskDefinitions", "ecs:DescribeTaskDefinition", "*"),
    ]


def _deploy_statements(units, cluster, settings, arns):
    listeners = [u["prod_listener_arn"] for u in units] + [u["test_listener_arn"] for u in units]
    describe = ["DescribeListeners", "DescribeRules", "DescribeTargetGroups", "DescribeTargetHealth"]
    return [
        _allow(
            "ManageTaskSets",
            ["ecs:DescribeServices", "ecs:CreateTaskSet", "ecs:UpdateServicePrimaryTaskSet", "ecs:DeleteTaskSet"],
            [arns.regional("ecs", f"service/{cluster}/{u['service']}") for u in units]
            + [arns.regional("ecs", f"task-set/{cluster}/*")],
        ),
        _allow("ReadLoadBalancing", [f"elasticloadbalancing:{action}" for action in describe], "*"),
        _allow(
            "SwapListeners",
            ["elasticloadbalancing:ModifyListener", "elasticloadbalancing:ModifyRule"],
            sorted({arn for arn in listeners if arn}),
        ),
        _allow(
            "WatchRollbackAlarms",
            "cloudwatch:DescribeAlarms",
            arns.regional("cloudwatch", f"alarm:{settings['prefix']}-*"),
        ),
        _allow("ReadRevisions", ["s3:GetObject", "s3:GetObjectVersion"], f"{settings['bucket_arn']}/*"),
        _allow("DecryptRevisions", "kms:Decrypt", settings.get("key_arn", "")),
        _pass_task_roles(units),
    ]


def _apply_statements(settings, arns):
    prefix, partition, account = settings["prefix"], arns.partition, arns.account
    manage = []
    for service in settings.get("apply_services") or []:
        region = "" if service in _GLOBAL_SERVICES else arns.region
        sid = "Manage" + re.sub("[^a-zA-Z0-9]", "", service).capitalize()
        manage.append(_allow(sid, f"{service}:*", f"arn:{partition}:{service}:{region}:{account}:*"))
    return [
        *manage,
        _allow("ManageEnvironmentRoles", "iam:*", [arns.iam(f"role/{prefix}-*"), arns.iam(f"policy/{prefix}-*")]),
        _allow("CreateServiceLinkedRoles", "iam:CreateServiceLinkedRole", arns.iam("role/aws-service-role/*")),
        _allow("ManageEnvironmentBuckets", "s3:*", [arns.s3(f"{prefix}-*"), arns.s3(f"{prefix}-*/*")]),
    ]


def _role(settings, name, service, description, statements, managed_policies=None):
    """A role in the options of securecloud.monitor.iam_role_set: assumed by ``service`` of this account only."""
    trust = {
        "Effect": "Allow",
        "Principal": {"Service": service},
        "Action": "sts:AssumeRole",
        "Condition": {"StringEquals": {"aws:SourceAccount": settings["account"]}},
    }
    return {
        "name": name,
        "description": description,
        "assume_role_policy": {"Version": "2012-10-17", "Statement": [trust]},
        "managed_policies": managed_policies or [],
        "inline_policy": {"name": INLINE_POLICY, "document": {"Version": "2012-10-17", "Statement": statements}},
        "tags": dict(settings.get("tags") or {}),
    }


def delivery_roles(units, cluster, settings):
    arns = _Arns(settings)
    names, prefix = settings["role_names"], settings["prefix"]
    codebuild = "codebuild.amazonaws.com"
    read_only = [f"arn:{arns.partition}:iam::aws:policy/ReadOnlyAccess"]
    roles = [
        _role(
            settings,
            names["pipeline"],
            "codepipeline.amazonaws.com",
            f"CodePipeline runs the {prefix} delivery pipelines",
            _pipeline_statements(units, settings, arns),
        )
    ]
    if units:
        roles.append(
            _role(
                settings,
                names["build"],
                codebuild,
                f"CodeBuild builds and pushes the {prefix} service images",
                _build_statements(settings, arns),
            )
        )
        roles.append(
            _role(
                settings,
                names["deploy"],
                "codedeploy.amazonaws.com",
                f"CodeDeploy shifts the {prefix} services between their blue and green tasks",
                _deploy_statements(units, cluster, settings, arns),
            )
        )
    if as_bool(settings.get("infrastructure_enabled", True)):
        common, state = _common(settings), _state_access(settings, arns)
        roles += [
            _role(
                settings,
                names["validate"],
                codebuild,
                f"CodeBuild lints and tests the {prefix} infrastructure code (no AWS access)",
                common,
            ),
            _role(
                settings,
                names["plan"],
                codebuild,
                f"CodeBuild plans the {prefix} infrastructure (site.yml --check --diff, read only)",
                common + state,
                read_only,
            ),
            _role(
                settings,
                names["apply"],
                codebuild,
                f"CodeBuild applies the {prefix} infrastructure (site.yml) in this account and region",
                common + state + _apply_statements(settings, arns),
                read_only,
            ),
        ]
    return roles


def role_arns(settings):
    return {
        purpose: f"arn:{settings['partition']}:iam::{settings['account']}:role/{name}"
        for purpose, name in settings["role_names"].items()
    }


def _project(name, description, buildspec, privileged, variables, role_arn, stream, settings):
    return {
        "name": name,
        "description": description,
        "source": {"type": "CODEPIPELINE", "buildspec": buildspec},
        "artifacts": {"type": "CODEPIPELINE"},
        "environment": {
            "type": "LINUX_CONTAINER",
            "image": settings["build_image"],
            "compute_type": settings["build_compute_type"],
            "privileged_mode": privileged,
            "environment_variables": [{"name": key, "value": value} for key, value in variables],
        },
        "service_role": role_arn,
        "timeout_in_minutes": as_int(settings["build_timeout_minutes"]),
        "encryption_key": settings.get("key_arn", ""),
        "logs_config": {
            "cloud_watch_logs": {"status": "ENABLED", "group_name": settings["log_group"], "stream_name": stream}
        },
    }


def build_projects(units, settings):
    arns, prefix = role_arns(settings), settings["prefix"]
    projects = [
        _project(
            unit["project"],
            f"Tests, builds and pushes the {unit['name']} image of {prefix}",
            # The service's own buildspec when it names one, the role's otherwise.
            unit["buildspec"] or settings["service_buildspec"],
            True,  # docker build
            [
                ("REPOSITORY_URI", f"{settings['registry']}/{unit['ecr_repository']}"),
                ("CONTAINER_NAME", unit["container"]),
                ("TASK_FAMILY", unit["task_family"]),
            ],
            arns["build"],
            unit["name"],
            settings,
        )
        for unit in units
    ]
    if not as_bool(settings.get("infrastructure_enabled", True)):
        return projects
    variables = [("INVENTORY", settings["infrastructure_inventory"]), ("LIMIT", settings["infrastructure_limit"])]
    return projects + [
        _project(
            project["name"],
            f"{stage.capitalize()} stage of the {prefix} infrastructure pipeline",
            project["buildspec"],
            False,
            variables,
            arns[stage],
            f"infrastructure-{stage}",
            settings,
        )
        for stage, project in settings["infra_projects"].items()
    ]


def _action(name, category, provider, configuration, inputs=(), outputs=(), owner="AWS"):
    action = {
        "name": name,
        "category": category,
        "owner": owner,
        "provider": provider,
        "version": "1",
        "configuration": configuration,
    }
    if inputs:
        action["input_artifacts"] = list(inputs)
    if outputs:
        action["output_artifacts"] = list(outputs)
    return action


def _source_stage(repository, branch, output, settings):
    configuration = {
        "ConnectionArn": settings.get("connection_arn", ""),
        "FullRepositoryId": repository,
        "BranchName": branch,
        "OutputArtifactFormat": "CODE_ZIP",
        "DetectChanges": "false",  # the trigger starts the pipeline
    }
    action = _action("GitHub", "Source", "CodeStarSourceConnection", configuration, outputs=[output])
    return {"name": "Source", "actions": [action]}


def _pipeline(name, stages, branch, settings):
    return {
        "name": name,
        "role_arn": role_arns(settings)["pipeline"],
        "pipeline_type": "V2",
        "execution_mode": "QUEUED",
        "artifact_store": {
            "type": "S3",
            "location": settings["bucket"],
            "encryption_key": {"id": settings.get("key_arn", ""), "type": "KMS"},
        },
        "stages": stages,
        "triggers": [
            {
                "provider_type": "CodeStarSourceConnection",
                "git_configuration": {"source_action_name": "GitHub", "push": [{"branches": {"includes": [branch]}}]},
            }
        ],
    }


def _service_pipeline(unit, settings):
    deploy = {
        "ApplicationName": settings["application"],
        "DeploymentGroupName": unit["deployment_group"],
        "TaskDefinitionTemplateArtifact": "BuildOutput",
        "TaskDefinitionTemplatePath": "taskdef.json",
        "AppSpecTemplateArtifact": "BuildOutput",
        "AppSpecTemplatePath": "appspec.yaml",
        "Image1ArtifactName": "BuildOutput",
        "Image1ContainerName": "IMAGE1_NAME",
    }
    build = {"ProjectName": unit["project"]}
    stages = [
        _source_stage(unit["repository"], unit["branch"], "SourceOutput", settings),
        {
            "name": "Build",
            "actions": [_action("TestBuildPush", "Build", "CodeBuild", build, ["SourceOutput"], ["BuildOutput"])],
        },
        {"name": "Deploy", "actions": [_action("BlueGreen", "Deploy", "CodeDeployToECS", deploy, ["BuildOutput"])]},
    ]
    return _pipeline(unit["pipeline"], stages, unit["branch"], settings)


def _infrastructure_pipeline(settings):
    projects, branch = settings["infra_projects"], settings["infrastructure_branch"]
    review = (
        "Review the plan report (artifact PlanReport: plan.log, the output of site.yml --check --diff) before "
        f"applying it to {settings['prefix']}."
    )

    def build(name, category, stage, outputs=()):
        return _action(name, category, "CodeBuild", {"ProjectName": projects[stage]["name"]}, ["Source"], outputs)

    stages = [
        _source_stage(settings["infrastructure_repository"], branch, "Source", settings),
        {"name": "Validate", "actions": [build("LintValidateTest", "Test", "validate")]},
        {"name": "Plan", "actions": [build("CheckDiff", "Build", "plan", ["PlanReport"])]},
        {"name": "Approve", "actions": [_action("ReviewPlan", "Approval", "Manual", {"CustomData": review})]},
        {"name": "Apply", "actions": [build("SiteYml", "Build", "apply")]},
    ]
    return _pipeline(f"{settings['prefix']}-infrastructure", stages, branch, settings)


def pipelines(units, settings):
    found = [_service_pipeline(unit, settings) for unit in units]
    if as_bool(settings.get("infrastructure_enabled", True)):
        found.append(_infrastructure_pipeline(settings))
    return found


def alarms_by_service(alarm_names, alarm_prefix, services):
    """Alarm names by service, sorted: the alarms named ``<alarm_prefix><service>-*`` out of the one read of every
    metric alarm named ``<alarm_prefix>*``. An alarm goes to the longest service name it matches, so that service
    ``api`` does not take the alarms of ``api-admin`` (``dev-mon-api-admin-5xx``), which a lookup by the prefix
    ``dev-mon-api-`` would also have found; ``apix``'s alarms never match ``api-``."""
    longest_first = sorted(set(services), key=len, reverse=True)
    found = {service: [] for service in services}
    for alarm in sorted(set(alarm_names)):
        owner = next((s for s in longest_first if alarm.startswith(f"{alarm_prefix}{s}-")), None)
        if owner is not None:
            found[owner].append(alarm)
    return found


def deployment_groups(units, settings, observed, services=()):
    """One group per unit in the options of codedeploy_deployment_group_set's O(deployment_groups); ``services`` are
    every service name of the base layer, which own their alarms even when they are not delivered."""
    alarms = {}
    if as_bool(settings.get("rollback_on_alarm", True)):
        read = [alarm["alarm_name"] for alarm in (observed or {}).get("alarms") or []]
        owners = set(services) | {unit["name"] for unit in units}
        alarms = alarms_by_service(read, settings.get("alarm_prefix") or "", owners)
    groups = []
    for unit in units:
        names = alarms.get(unit["name"], [])[:CODEDEPLOY_ALARMS_MAX]
        groups.append(
            {
                "name": unit["deployment_group"],
                "service_role": role_arns(settings)["deploy"],
                "deployment_config_name": settings["deployment_config"],
                "ecs_service": {"cluster_name": unit["cluster"], "service_name": unit["service"]},
                "target_groups": unit["target_groups"],
                "prod_listener_arns": [unit["prod_listener_arn"]],
                "test_listener_arns": [unit["test_listener_arn"]] if unit["test_listener_arn"] else [],
                "termination_wait_minutes": as_int(settings["termination_wait_minutes"]),
                "auto_rollback": {
                    "enabled": True,
                    "events": ["DEPLOYMENT_FAILURE"] + (["DEPLOYMENT_STOP_ON_ALARM"] if names else []),
                },
                "alarms": {"names": names},
            }
        )
    return groups


def delivery_pipeline_resources(base, settings, observed=None):
    settings = checked_settings("delivery_pipeline_resources", settings, _REQUIRED)
    base = base or {}
    base_services = base.get("services") or {}
    names = delivered_services(
        base_services, settings.get("services") or {}, as_bool(settings.get("services_enabled", True))
    )
    units = [_unit(name, base, settings) for name in names]
    return {
        "units": units,
        "roles": delivery_roles(units, base.get("ecs_cluster_name", ""), settings),
        "role_arns": role_arns(settings),
        "projects": build_projects(units, settings),
        "pipelines": pipelines(units, settings),
        "deployment_groups": deployment_groups(units, settings, observed, base_services),
    }


class FilterModule:
    def filters(self):
        return {"delivery_pipeline_resources": delivery_pipeline_resources}
