# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Allowed values read from botocore's service models, so that the collection keeps no hand-written copy of an
enum AWS extends (a value AWS adds is accepted as soon as botocore knows it). No AWS calls here."""

import functools


@functools.cache
def api_shape(service, shape):
    """The botocore shape ``shape`` of ``service``'s model (e.g. wafv2 ``EntityId``), for its constraints."""
    import botocore.session

    return botocore.session.get_session().get_service_model(service).shape_for(shape)


@functools.cache
def api_enum(service, shape):
    """The values botocore's model of ``service`` allows for the enum ``shape`` (e.g. codebuild ``ComputeType``)."""
    return tuple(api_shape(service, shape).enum)
