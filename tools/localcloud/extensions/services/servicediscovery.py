"""Cloud Map behaviour moto 5.2.5 gets wrong.

DeleteNamespace: AWS deletes the Route 53 hosted zone it created for a DNS
namespace together with the namespace; moto keeps the zone, so a torn-down
environment would leave a private hosted zone behind.
"""

from __future__ import annotations

from typing import Any

from ..registry import ExtensionRequest, action


@action("servicediscovery", "DeleteNamespace")
def delete_namespace(req: ExtensionRequest) -> dict[str, Any]:
    req.require("Id")
    backend = req.moto_backend("servicediscovery")
    namespace = backend.get_namespace(req.params["Id"])  # raises NamespaceNotFound like moto/AWS
    zone_id = (namespace.dns_properties or {}).get("HostedZoneId")
    operation_id = backend.delete_namespace(namespace.id)
    if zone_id:
        req.moto_backend("route53", req.partition).delete_hosted_zone(zone_id)
    return {"OperationId": operation_id}
