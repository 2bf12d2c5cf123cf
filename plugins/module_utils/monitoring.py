# Copyright: Contributors to the securecloud.monitor project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the monitoring role's filter plugins (plugins/filter/monitoring.py, monitoring_edge.py) share: the checks of
their settings, the alert topic every alarm notifies, the runbook link that ends every alarm description, and
CloudWatch's limit on alarm names. No AWS call here."""

# CloudWatch alarm names: 1-255 characters.
ALARM_NAME_MAX = 255


def runbook_suffix(settings, page):
    """The end of an alarm description: its runbook page in settings.runbook_url_template."""
    return " Runbook: " + settings["runbook_url_template"].replace("{runbook}", page)


def topic_arn(settings, region):
    """The alert topic (settings.topic_name) of a region: an alarm notifies topics of its own region only."""
    return f"arn:aws:sns:{region}:{settings['account_id']}:{settings['topic_name']}"


def notifications(settings, region):
    """The actions and tags every alarm of a region has: the alert topic on ALARM and OK, the settings' tags."""
    topic = topic_arn(settings, region)
    return {"alarm_actions": [topic], "ok_actions": [topic], "tags": dict(settings.get("tags") or {})}


def too_long_names(alarms):
    """The alarm names over CloudWatch's limit."""
    return [alarm["name"] for alarm in alarms if len(alarm["name"]) > ALARM_NAME_MAX]
