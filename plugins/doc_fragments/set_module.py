# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment:
    # The one convention of the modules that manage a set of resources by name prefix
    # (plugins/module_utils/set_module.py; docs/modules.md, "Set modules").
    DOCUMENTATION = r"""
options:
  prefix:
    description:
      - The scope of the task, the resources of the module's kind whose name starts with this prefix. The task never
        changes or deletes a resource outside the scope, and every name it declares must start with the prefix.
      - Whether the option is required and whether V('') (every resource of the kind) is accepted is said in the
        module's notes.
    type: str
  purge:
    description:
      - V(true) deletes the resources in the scope that the task does not declare; V(false) leaves them alone.
      - Not set means V(true). A module whose O(purge) used to default to V(false) keeps that default, until 2.0.0 and
        with a deprecation warning, for a task still written with its deprecated option names (see its notes).
    type: bool
  state:
    description:
      - V(present) makes the resources in the scope match the task. V(absent) deletes every resource in the scope,
        whatever O(purge) is; the resources the task declares are then ignored.
    type: str
    choices: [present, absent]
    default: present
notes:
  - This is a set module. All set modules of the collection name their scope O(prefix), delete undeclared resources
    in the scope with O(purge) (true when not set), and empty the scope with O(state=absent). The option names they
    had before are deprecated aliases that still work until 2.0.0.
  - A set module checks and plans the whole set before its first write. When a write fails all the same (throttling
    retries exhausted, a permission missing), the task stops there and fails; its message and its result keys
    C(written) and C(not_written) name the resources whose writes were all made and those with a write not made.
    Fix the cause and run the task again; it reads what AWS holds and writes only what is missing.
"""

    # For the set modules that also take owner_tag (set_module.set_argument_spec(owner_tag=True)):
    # extends_documentation_fragment securecloud.monitor.set_module.owner_tag, and the result key kept_foreign in the
    # module's RETURN.
    OWNER_TAG = r"""
options:
  owner_tag:
    description:
      - The tag that marks the resources of the scope this task owns. With it, O(purge) and O(state=absent) delete
        only the resources in the scope that carry this tag key with this value; the others in the scope are left
        alone and listed in the result key C(kept_foreign).
      - Use it when the names of another owner can start with O(prefix), for example environments V(prod) and
        V(prod-eu) with the prefixes V(prod-) and V(prod-eu-) in a service whose resources are global to the account,
        or resources a person made by hand under the same prefix.
      - Every declared resource must carry the tag in its tags (the task fails before any call otherwise), so that
        what the task creates is its own. A resource the task declares by its name is the task's whatever its tags,
        and is updated (so tagged) as declared.
      - Not set, every resource in the scope is the task's.
    type: dict
    suboptions:
      key:
        description: The tag key, for example V(securecloud:environment).
        type: str
        required: true
      value:
        description: The value of the tag key that marks this task's resources, for example V(prod).
        type: str
        required: true
notes:
  - With O(owner_tag), the module reads the tags of the resources in the scope that O(purge) or O(state=absent) would
    delete, to tell its own from the others, before any write.
"""
