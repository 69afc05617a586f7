from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "lvzhi.core"
    verbose_name = _("组织与人员")

    def ready(self) -> None:
        from django.db.models.signals import pre_save

        from lvzhi.core.cleaning import drop_control_characters

        # Every row any page, API call or import saves: one place, so no path is missed.
        pre_save.connect(drop_control_characters, dispatch_uid="lvzhi-clean-text")

        from django.contrib.auth.signals import user_logged_in

        from lvzhi.core import audit
        from lvzhi.core.middleware import IdleTimeoutMiddleware, PasswordChangeRequiredMiddleware

        audit.connect()
        from lvzhi.core import audit_log, directory, exports

        directory.connect()
        exports.register(exports.ExportKind("people.roster", _("委员名册"),
                                            directory.roster_export_body,
                                            directory.build_roster))
        exports.register(exports.ExportKind("core.audit", _("安全审计日志"),
                                            audit_log.export_body, audit_log.build_export))
        user_logged_in.connect(IdleTimeoutMiddleware.start_clock, dispatch_uid="idle-clock")
        user_logged_in.connect(PasswordChangeRequiredMiddleware.remember_expiry,
                               dispatch_uid="password-expiry")
