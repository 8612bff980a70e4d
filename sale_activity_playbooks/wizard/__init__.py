from . import sale_activity_playbook_preview
from . import sale_activity_playbook_pause
from . import sale_activity_followup_done
from . import sale_activity_followup_reschedule
from . import sale_activity_followup_reassign
from . import sale_activity_playbook_start
from . import sale_activity_playbook_stop
