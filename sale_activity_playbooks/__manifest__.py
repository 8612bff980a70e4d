# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Sales Activity Playbooks",
    "summary": "Chained follow-ups per sales team, with reminders and escalation, "
    "in the CRM chatter",
    "version": "1.1.0",
    "category": "Sales/CRM",
    "website": "https://github.com/sale-activity-playbooks/sale_activity_playbooks",
    "author": "sale_activity_playbooks developers",
    "license": "LGPL-3",
    "depends": ["crm"],
    "data": [
        "security/ir.model.access.csv",
        "security/sale_activity_playbook_security.xml",
        "data/mail_activity_type_data.xml",
        "data/sale_activity_outcome_data.xml",
        "data/sale_activity_playbook_data.xml",
        "data/sale_activity_playbook_branch_data.xml",
        "data/mail_templates_reminder.xml",
        "data/mail_templates_activity_done.xml",
        "data/mail_template_followup_data.xml",
        "data/ir_cron_data.xml",
        "data/ir_actions_server_data.xml",
        "views/sale_activity_outcome_views.xml",
        "views/sale_activity_playbook_views.xml",
        "views/crm_team_views.xml",
        "views/mail_activity_views.xml",
        "views/crm_lead_views.xml",
        "views/menus.xml",
        "security/sale_activity_followup_security.xml",
        "report/sale_activity_followup_report_views.xml",
        "report/sale_activity_playbook_step_report_views.xml",
        "wizard/sale_activity_playbook_preview_views.xml",
        "wizard/sale_activity_playbook_pause_views.xml",
        "wizard/sale_activity_playbook_stop_views.xml",
        "wizard/sale_activity_followup_views.xml",
        "wizard/sale_activity_playbook_start_views.xml",
    ],
    "demo": [
        "demo/sale_activity_playbook_demo.xml",
        "demo/sale_activity_followup_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "sale_activity_playbooks/static/src/**/*",
            ("remove", "sale_activity_playbooks/static/src/step_report_pivot/**/*"),
        ],
        # Odoo loads its pivot view lazily: our pivot with it
        "web.assets_backend_lazy": [
            "sale_activity_playbooks/static/src/step_report_pivot/**/*",
        ],
        "web.assets_tests": [
            "sale_activity_playbooks/static/tests/tours/**/*",
        ],
    },
    "uninstall_hook": "uninstall_hook",
    "installable": True,
}
