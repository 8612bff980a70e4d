from . import sale_activity_playbook_preview
