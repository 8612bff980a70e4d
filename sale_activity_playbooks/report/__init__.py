from . import sale_activity_followup_report
from . import sale_activity_playbook_step_report
from . import sale_activity_playbook_step_report_map
