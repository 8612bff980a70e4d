from . import sale_activity_followup_report
