"""The argument_spec a module's main() builds, without running the module."""

from __future__ import annotations

import pytest
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator


def built_argument_spec(module):
    """The keyword arguments main() gives AnsibleAWSModule (main() stops there), argument_spec first among them."""
    captured = {}

    class Built(Exception):
        pass

    def capture(**kwargs):
        captured.update(kwargs)
        raise Built

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(module, "AnsibleAWSModule", capture)
        with pytest.raises(Built):
            module.main()
    return captured["argument_spec"]


def params_validator(module):
    """``validate(arguments)``: ``arguments`` as main()'s argument spec turns them into params (defaults filled in)."""
    validator = ArgumentSpecValidator(built_argument_spec(module))

    def validate(arguments):
        result = validator.validate(arguments)
        assert not result.error_messages, result.error_messages
        return result.validated_parameters

    return validate
