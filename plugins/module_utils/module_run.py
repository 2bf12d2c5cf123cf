# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The ending every module's ``main()`` shares: input errors fail the task before any AWS call, one error type of
the module's service fails it with ``fail_json_aws_error``, and the result leaves with its diff. No AWS calls here."""

from ansible_collections.securecloud.monitor.plugins.module_utils.diff import diff_payload


def fail_on_input_errors(module, errors):
    """Fail the task with every input error at once (each names its option and the fix)."""
    if errors:
        module.fail_json(msg=" ".join(errors), errors=errors)


def run_module(module, errors, process, aws_errors):
    """Fail on ``errors``, else exit with what ``process()`` returns; ``aws_errors`` (a type or a tuple) it raises
    fail the task with the AWS error code and message."""
    fail_on_input_errors(module, errors)
    try:
        result = process()
    except aws_errors as e:
        module.fail_json_aws_error(e)
    module.exit_json(**result)


def run_model_checked(module, errors, make_client, model_errors, manage, aws_errors):
    """:func:`run_module` for a module whose requests are also checked against the service model: the client is made
    once ``errors`` is empty (it loads the model the check reads), ``model_errors(service_model)`` then fails the task
    before ``manage(client)`` makes its first call."""

    def process():
        client = make_client()
        fail_on_input_errors(module, model_errors(client.meta.service_model))
        return manage(client)

    run_module(module, errors, process, aws_errors)


def exit_with_diff(module, result, before, after, secret_keys=()):
    """Exit with ``result`` plus, in diff mode, the before and after state (secrets redacted)."""
    module.exit_json(**result, **diff_payload(module, before, after, secret_keys))
