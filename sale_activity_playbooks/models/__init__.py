from . import mail_activity_type
from . import sale_activity_playbook
from . import sale_activity_playbook_line
from . import crm_team
from . import crm_lead
from . import mail_activity
from . import res_users
