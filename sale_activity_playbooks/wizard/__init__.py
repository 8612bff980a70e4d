from . import sale_activity_playbook_preview
from . import sale_activity_playbook_pause
