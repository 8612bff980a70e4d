# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo.tests import HttpCase

# Tours wait for the web client on a busy machine: generous, never lower.
TOUR_TIMEOUT = 180


class _BrowserConsole(logging.Handler):
    """Collects what the browser's console logs (HttpCase logs it through a
    ``<test logger>.browser`` child logger)."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        if record.name.endswith(".browser"):
            self.messages.append(record.getMessage())


class PlaybookTourCase(HttpCase):
    """Tours that fail on any error (Odoo's HttpCase does) and on any
    warning of the browser console: an unknown widget, a missing field, an
    owl warning from our views."""

    def start_tour(self, url_path, tour_name, step_delay=None, **kwargs):
        kwargs.setdefault("timeout", TOUR_TIMEOUT)
        console = _BrowserConsole()
        logger = logging.getLogger(type(self).__module__)
        logger.addHandler(console)
        try:
            result = super().start_tour(url_path, tour_name, step_delay, **kwargs)
        finally:
            logger.removeHandler(console)
        self.assertFalse(
            console.messages,
            f"the browser console warned during the tour {tour_name}",
        )
        return result
