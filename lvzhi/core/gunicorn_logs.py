"""Gunicorn's own lines (start, workers, access) in lvzhi's key=value format: its handlers,
wherever --error-logfile and --access-logfile send them, get core.logs' formatter."""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

from lvzhi.core.logs import KeyValueFormatter


class KeyValueLogger(Logger):
    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(KeyValueFormatter())
