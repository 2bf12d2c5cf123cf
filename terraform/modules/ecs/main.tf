locals {
  namespace_name = coalesce(var.service_discovery_namespace, "${var.name}.internal")

  # Which services each service may call (the inverse of allowed_from).
  reaches = { for s, _ in var.services :
    s => sort(concat(
      [for t, tsvc in var.services : t if contains(tsvc.allowed_from, s)],
      [for t, ext in var.external_targets : t if contains(ext.allowed_from, s)],
    ))
  }

  # Where a caller finds each of its targets: through the target's NLB when it
  # has one (its security group only accepts the NLB), else Cloud Map.
  # External targets (RDS) at their own endpoint.
  endpoint = merge(
    { for t, tsvc in var.services : t => {
      host = tsvc.nlb != null ? var.load_balancers[tsvc.nlb].dns_name : "${t}.${local.namespace_name}"
      port = tsvc.nlb != null ? var.load_balancers[tsvc.nlb].port : tsvc.port
    } },
    { for t, ext in var.external_targets : t => { host = ext.host, port = ext.port } },
  )

  # What ECS reads for each secret key, and the ARN IAM grants: generated
  # secrets, or the secrets RDS manages for the databases.
  secret_value_from = merge(
    { for k, s in aws_secretsmanager_secret.this : k => s.arn },
    { for k, e in var.external_secrets : k => e.value_from },
  )
  secret_arn = merge(
    { for k, s in aws_secretsmanager_secret.this : k => s.arn },
    { for k, e in var.external_secrets : k => e.arn },
  )

  # Services whose task runs the X-Ray daemon sidecar (below; its IAM in iam.tf).
  traced = { for s, svc in var.services : s => var.xray_daemon_enabled && svc.tracing }

  # Who deploys each service: CodeDeploy (blue/green) or ECS (rolling).
  blue_green_services = { for s, svc in var.services : s => svc if contains(var.blue_green_services, s) }
  rolling_services    = { for s, svc in var.services : s => svc if !contains(var.blue_green_services, s) }
  services            = merge(aws_ecs_service.this, aws_ecs_service.blue_green)

  # <TARGET>_HOST / <TARGET>_PORT for every target a service may reach, and
  # the X-Ray daemon's address in traced services; the service's own
  # environment wins, with {namespace} and {environment} filled in.
  environment = { for s, svc in var.services : s => merge(
    merge([for t in local.reaches[s] : {
      "${upper(replace(t, "-", "_"))}_HOST" = local.endpoint[t].host
      "${upper(replace(t, "-", "_"))}_PORT" = tostring(local.endpoint[t].port)
    }]...),
    local.traced[s] ? { AWS_XRAY_DAEMON_ADDRESS = local.xray_daemon_address } : {},
    { for k, v in svc.environment : k => replace(replace(v, "{namespace}", local.namespace_name), "{environment}", var.name) },
  ) }

  volume_names = { for s, svc in var.services :
    s => { for p in svc.writable_paths : p => trim(replace(p, "/[^A-Za-z0-9_-]+/", "-"), "-") }
  }

  # Private ECR images need pull permissions on their repository; public ones
  # (public.ecr.aws, Docker Hub) need none. The X-Ray daemon's image counts
  # for the services that run it.
  ecr_repository_arns = { for s, svc in var.services :
    s => distinct(flatten([for image in concat([svc.image], local.traced[s] ? [var.xray_daemon_image] : []) :
      [for m in regexall("^(\\d{12})\\.dkr\\.ecr\\.([a-z0-9-]+)\\.amazonaws\\.com[^/]*/([^:@]+)", image) :
        "arn:${var.partition}:ecr:${m[1]}:${m[0]}:repository/${m[2]}"
      ]
    ]))
  }
}

# The X-Ray daemon sidecar of traced services: the app sends segments over UDP
# to localhost:2000 (one network namespace per task in awsvpc mode; the port
# mapping is not opened by any security group), the daemon batches them to
# X-Ray with the task role. Not essential: a daemon crash loses traces, never
# the task. Its size is reserved out of the task's, leaving the app the rest.
locals {
  xray_daemon_container_name = "xray-daemon"
  xray_daemon_address        = "localhost:2000"

  xray_daemon_container = { for s, svc in var.services : s => {
    name              = local.xray_daemon_container_name
    image             = var.xray_daemon_image
    essential         = false
    cpu               = 32
    memoryReservation = 64
    memory            = 128
    portMappings = [{
      containerPort = 2000
      hostPort      = 2000
      protocol      = "udp"
    }]
    # Fargate has no instance metadata: the daemon takes its region from here.
    environment            = [{ name = "AWS_REGION", value = var.region }]
    readonlyRootFilesystem = true
    privileged             = false
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.service[s].name
        awslogs-region        = var.region
        awslogs-stream-prefix = "xray"
      }
    }
  } if local.traced[s] }
}

resource "aws_ecs_cluster" "this" {
  name = var.name

  setting {
    name = "containerInsights"
    # Spelled out so that static scanners can resolve the value.
    value = var.container_insights == "enhanced" ? "enhanced" : "enabled"
  }

  # ECS Exec sessions (off per service by default) are encrypted and logged.
  configuration {
    execute_command_configuration {
      kms_key_id = var.kms_key_arn
      logging    = "OVERRIDE"

      log_configuration {
        cloud_watch_encryption_enabled = true
        cloud_watch_log_group_name     = aws_cloudwatch_log_group.exec.name
      }
    }
  }

  tags = var.tags
}

resource "aws_ecs_cluster_capacity_providers" "this" {
  cluster_name       = aws_ecs_cluster.this.name
  capacity_providers = ["FARGATE", "FARGATE_SPOT"]

  default_capacity_provider_strategy {
    capacity_provider = "FARGATE"
    base              = 0
    weight            = 1
  }
}

resource "aws_cloudwatch_log_group" "exec" {
  name              = "/ecs/${var.name}/exec"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn

  tags = var.tags
}

resource "aws_cloudwatch_log_group" "service" {
  for_each = var.services

  name              = "/ecs/${var.name}/${each.key}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn

  tags = merge(var.tags, { Service = each.key })
}

resource "aws_ecs_task_definition" "this" {
  for_each = var.services

  family                   = "${var.name}-${each.key}"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = tostring(each.value.cpu)
  memory                   = tostring(each.value.memory)
  execution_role_arn       = aws_iam_role.execution[each.key].arn
  task_role_arn            = aws_iam_role.task[each.key].arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  # Task-local scratch space, so the root filesystem can stay read-only; the
  # path a service keeps on EFS (efs_mounts) is its access point instead,
  # mounted over TLS with the task role's IAM identity.
  dynamic "volume" {
    for_each = local.volume_names[each.key]
    content {
      name = volume.value

      dynamic "efs_volume_configuration" {
        for_each = try(var.efs_mounts[each.key].path, null) == volume.key ? [var.efs_mounts[each.key]] : []
        content {
          file_system_id     = efs_volume_configuration.value.file_system_id
          transit_encryption = "ENABLED"
          authorization_config {
            access_point_id = efs_volume_configuration.value.access_point_id
            iam             = "ENABLED"
          }
        }
      }
    }
  }

  # The app first, then the X-Ray daemon sidecar in traced services.
  container_definitions = jsonencode(concat([merge(
    {
      name      = each.key
      image     = each.value.image
      essential = true
      portMappings = [{
        containerPort = each.value.port
        hostPort      = each.value.port
        protocol      = "tcp"
      }]
      environment = [for k in sort(keys(local.environment[each.key])) : { name = k, value = local.environment[each.key][k] }]
      # Only ARNs here: ECS fetches the values at task start with the execution role.
      secrets = [for k in sort(keys(each.value.secrets)) : {
        name      = k
        valueFrom = local.secret_value_from[each.value.secrets[k]]
      }]
      readonlyRootFilesystem = each.value.readonly_root_filesystem
      privileged             = false
      mountPoints = [for p, v in local.volume_names[each.key] : {
        sourceVolume  = v
        containerPath = p
        readOnly      = false
      }]
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.service[each.key].name
          awslogs-region        = var.region
          awslogs-stream-prefix = "ecs"
        }
      }
    },
    each.value.command == null ? {} : { command = each.value.command },
    each.value.health_check == null ? {} : {
      healthCheck = {
        command     = each.value.health_check.command
        interval    = each.value.health_check.interval
        timeout     = each.value.health_check.timeout
        retries     = each.value.health_check.retries
        startPeriod = each.value.health_check.start_period
      }
    },
    # Segments sent before the daemon listens are lost (UDP): start it first.
    local.traced[each.key] ? { dependsOn = [{ containerName = local.xray_daemon_container_name, condition = "START" }] } : {},
  )], local.traced[each.key] ? [local.xray_daemon_container[each.key]] : []))

  tags = merge(var.tags, { Service = each.key })
}

# Services that roll (ECS deployment controller): Terraform deploys every new
# task definition itself.
resource "aws_ecs_service" "this" {
  for_each = local.rolling_services

  name                               = each.key
  cluster                            = aws_ecs_cluster.this.arn
  task_definition                    = aws_ecs_task_definition.this[each.key].arn
  desired_count                      = each.value.desired_count
  platform_version                   = "LATEST"
  deployment_minimum_healthy_percent = each.value.deployment_minimum_healthy_percent
  deployment_maximum_percent         = each.value.deployment_maximum_percent
  health_check_grace_period_seconds  = each.value.nlb != null ? each.value.health_check_grace_period_seconds : null
  enable_execute_command             = each.value.enable_execute_command
  # The emulator drops this at create; false is also the AWS default.
  enable_ecs_managed_tags = false
  propagate_tags          = "SERVICE"
  # Set explicitly: AWS now defaults new services to ENABLED, and a null here
  # would then show as drift (see ignore_changes below for the emulator).
  availability_zone_rebalancing = "ENABLED"
  # Ansible reports convergence itself; do not block apply on task health.
  wait_for_steady_state = false

  # Plain Fargate by launch type (the emulator keeps launchType but drops
  # capacity provider strategies); FARGATE_SPOT needs the strategy.
  launch_type = each.value.capacity_provider == "FARGATE" ? "FARGATE" : null

  dynamic "capacity_provider_strategy" {
    for_each = each.value.capacity_provider == "FARGATE" ? [] : [each.value.capacity_provider]
    content {
      capacity_provider = capacity_provider_strategy.value
      base              = 0
      weight            = 1
    }
  }

  deployment_controller {
    type = "ECS"
  }

  network_configuration {
    subnets          = var.subnet_ids
    security_groups  = [aws_security_group.service[each.key].id]
    assign_public_ip = false
  }

  dynamic "load_balancer" {
    for_each = each.value.nlb == null ? [] : [var.load_balancers[each.value.nlb]]
    content {
      target_group_arn = load_balancer.value.target_group_arn
      container_name   = each.key
      container_port   = each.value.port
    }
  }

  service_registries {
    registry_arn = aws_service_discovery_service.this[each.key].arn
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  tags = merge(var.tags, { Service = each.key })

  lifecycle {
    # moto 5.2.5 drops availabilityZoneRebalancing at CreateService and reads
    # back nothing; the value is a constant here, so only drift goes unseen.
    ignore_changes = [availability_zone_rebalancing]
  }

  # Capacity providers must be on the cluster, secret values and the
  # daemon's X-Ray permissions in place, before the first task starts.
  depends_on = [
    aws_ecs_cluster_capacity_providers.this,
    aws_secretsmanager_secret_version.this,
    aws_iam_role_policy.execution,
    aws_iam_role_policy.xray,
  ]
}

# The blue group a blue/green service was created on. When it is replaced (a
# new target port), the service is replaced with it: CodeDeploy owns the
# service's load balancer afterwards, so no update could move it.
resource "terraform_data" "blue_green_target_group" {
  for_each = local.blue_green_services

  input = var.load_balancers[each.value.nlb].target_group_arn
}

# Services deployed blue/green by CodeDeploy (CODE_DEPLOY deployment
# controller). Terraform creates them on the blue target group with the
# current task definition; from then on CodeDeploy deployments own the task
# definition, the load balancer (which group serves) and the network
# configuration: AWS refuses UpdateService for those ("Use AWS CodeDeploy to
# trigger a new deployment"), so Terraform ignores them. The delivery layer's
# AppSpec carries them (see the blue_green output). No deployment circuit
# breaker: it exists for the ECS controller only (CodeDeploy rolls back).
resource "aws_ecs_service" "blue_green" {
  for_each = local.blue_green_services

  name                               = each.key
  cluster                            = aws_ecs_cluster.this.arn
  task_definition                    = aws_ecs_task_definition.this[each.key].arn
  desired_count                      = each.value.desired_count
  platform_version                   = "LATEST"
  deployment_minimum_healthy_percent = each.value.deployment_minimum_healthy_percent
  deployment_maximum_percent         = each.value.deployment_maximum_percent
  health_check_grace_period_seconds  = each.value.health_check_grace_period_seconds
  enable_execute_command             = each.value.enable_execute_command
  enable_ecs_managed_tags            = false
  propagate_tags                     = "SERVICE"
  availability_zone_rebalancing      = "ENABLED"
  wait_for_steady_state              = false

  launch_type = each.value.capacity_provider == "FARGATE" ? "FARGATE" : null

  dynamic "capacity_provider_strategy" {
    for_each = each.value.capacity_provider == "FARGATE" ? [] : [each.value.capacity_provider]
    content {
      capacity_provider = capacity_provider_strategy.value
      base              = 0
      weight            = 1
    }
  }

  # Changing the controller replaces the service (the provider forces a new
  # one); turning blue/green on or off for a service recreates it.
  deployment_controller {
    type = "CODE_DEPLOY"
  }

  network_configuration {
    subnets          = var.subnet_ids
    security_groups  = [aws_security_group.service[each.key].id]
    assign_public_ip = false
  }

  # One target group: CodeDeploy services take exactly one; the green twin is
  # the deployment group's.
  load_balancer {
    target_group_arn = var.load_balancers[each.value.nlb].target_group_arn
    container_name   = each.key
    container_port   = each.value.port
  }

  service_registries {
    registry_arn = aws_service_discovery_service.this[each.key].arn
  }

  tags = merge(var.tags, { Service = each.key })

  lifecycle {
    ignore_changes = [
      # as for the rolling services (moto 5.2.5 drops it)
      availability_zone_rebalancing,
      # CodeDeploy's
      task_definition,
      load_balancer,
      network_configuration,
    ]
    replace_triggered_by = [terraform_data.blue_green_target_group[each.key]]
  }

  # As above; and after the rolling services, so that a service switched to
  # blue/green is created only once its rolling predecessor (same name) is
  # gone: ECS refuses a second service of that name while the first drains.
  depends_on = [
    aws_ecs_cluster_capacity_providers.this,
    aws_secretsmanager_secret_version.this,
    aws_iam_role_policy.execution,
    aws_iam_role_policy.xray,
    aws_ecs_service.this,
  ]
}
