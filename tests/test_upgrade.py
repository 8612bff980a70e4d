"""Upgrading from 1.0.0: a database that had the module before gets the
outcomes and the Standard sales cadence's branches that 1.1.0 brings (its
data files never create what is missing on update), and nothing that would
change how its follow-ups behave: Follow-up discipline does not start
closing follow-ups on replies by itself. Its neglect cron, which ran on
crm.lead, runs on the neglect scan's model."""

import pytest

ADDON = "sale_activity_playbooks"
NEW_XMLIDS = (
    "outcome_call_reached",
    "outcome_call_no_answer",
    "outcome_call_voicemail",
    "outcome_call_not_interested",
    "outcome_meeting_held",
    "outcome_meeting_no_show",
    "playbook_standard_cadence_call_again",
    "playbook_standard_cadence_not_interested",
)

# What 1.0.0 left in the database: none of the new records, and Follow-up
# discipline as it was.
AS_IN_1_0_0 = f"""
env.ref("{ADDON}.playbook_follow_up_discipline").stop_on_reply = False
data = env["ir.model.data"].search(
    [("module", "=", "{ADDON}"), ("name", "in", {list(NEW_XMLIDS)!r})]
)
records = [env[d.model].browse(d.res_id) for d in data]
for record in records:
    if record._name == "sale.activity.playbook.line":
        record.unlink()
for record in records:
    if record._name == "sale.activity.outcome":
        record.unlink()
env.ref("{ADDON}.ir_cron_playbook_neglect").model_id = env["ir.model"]._get(
    "crm.lead"
)
module = env["ir.module.module"].search([("name", "=", "{ADDON}")])
series = module.latest_version.split(".")[:2]
module.latest_version = ".".join(series + ["1", "0", "0"])
result(module.latest_version)
"""

AFTER = f"""
result({{
    "xmlids": sorted(
        env["ir.model.data"].search(
            [("module", "=", "{ADDON}"), ("name", "in", {list(NEW_XMLIDS)!r})]
        ).mapped("name")
    ),
    "call_again_outcomes": env.ref(
        "{ADDON}.playbook_standard_cadence_call_again"
    ).outcome_ids.mapped("name"),
    "stop_on_reply": env.ref("{ADDON}.playbook_follow_up_discipline").stop_on_reply,
    "neglect_cron_model": env.ref("{ADDON}.ir_cron_playbook_neglect").model_id.model,
    "version": env["ir.module.module"].search(
        [("name", "=", "{ADDON}")]
    ).latest_version,
}})
"""


@pytest.mark.slow
def test_upgrading_from_1_0_0_brings_outcomes_and_branches(databases):
    database = databases.crm_without_demo("upgrade")
    database.odoo("-i", ADDON)
    old_version = database.script(AS_IN_1_0_0)
    assert old_version.endswith(".1.0.0")
    database.odoo("-u", ADDON)
    after = database.script(AFTER)
    assert after["xmlids"] == sorted(NEW_XMLIDS)
    assert after["call_again_outcomes"] == ["No answer", "Left a voicemail"]
    assert after["stop_on_reply"] is False, "no new behaviour by surprise"
    assert after["version"].endswith(".1.1.0")
    # the neglect cron ran on crm.lead: its record is noupdate, the update
    # points it at the scan's own model
    assert after["neglect_cron_model"] == "sale.activity.neglect"
