"""Generated valid inputs (issue 20): one generator per module, driven by test_module_generated_inputs_all.py."""
