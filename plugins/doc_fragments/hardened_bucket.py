# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment:
    # Options every module of this collection that owns a hardened bucket shares (plugins/module_utils/s3_bucket.py).
    DOCUMENTATION = r"""
options:
  access_logging:
    description:
      - Server access logging of the bucket. Not set leaves it alone.
      - The target bucket must let C(logging.s3.amazonaws.com) write (a bucket policy, as its object ownership
        is C(BucketOwnerEnforced)); it must not be this bucket.
    type: dict
    suboptions:
      enabled:
        description: V(false) turns access logging off.
        type: bool
        default: true
      target_bucket:
        description: Bucket receiving the access logs. Required when O(access_logging.enabled=true).
        type: str
      target_prefix:
        description: Key prefix of the access log objects.
        type: str
        default: ""
  force:
    description:
      - With O(state=absent), delete every object version and delete marker, then the bucket. Objects under
        Object Lock retention cannot be deleted, and the task fails then.
    type: bool
    default: false
notes:
  - Supports check mode and diff mode. In check mode no call that changes anything is made.
  - Tags are set with C(PutBucketTagging), which replaces the whole tag set.
"""
