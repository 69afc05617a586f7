from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "lvzhi.core"
    verbose_name = _("组织与人员")

    def ready(self) -> None:
        from django.db.models.signals import pre_save

        from lvzhi.core import lookups  # noqa: F401  (registers pk__any_of)
        from lvzhi.core.cleaning import drop_control_characters

        # Every row any page, API call or import saves: one place, so no path is missed.
        pre_save.connect(drop_control_characters, dispatch_uid="lvzhi-clean-text")

        from django.contrib.auth.signals import user_logged_in

        from lvzhi.core import after_response, audit
        from lvzhi.core.middleware import IdleTimeoutMiddleware, PasswordChangeRequiredMiddleware

        audit.connect()
        after_response.connect()
        from lvzhi.core import audit_log, directory, exports

        directory.connect()
        exports.register(exports.ExportKind("people.roster", _("委员名册"),
                                            directory.roster_export_body,
                                            directory.build_roster))
        exports.register(exports.ExportKind("core.audit", _("安全审计日志"),
                                            audit_log.export_body, audit_log.build_export))
        _watch_setup()
        user_logged_in.connect(IdleTimeoutMiddleware.start_clock, dispatch_uid="idle-clock")
        user_logged_in.connect(PasswordChangeRequiredMiddleware.remember_expiry,
                               dispatch_uid="password-expiry")


def _watch_setup() -> None:
    """Filter bars keep their options (core.forms.kept_options) until these change."""
    from django.db.models.signals import post_delete, post_save

    from lvzhi.core import demo, forms, models

    for name in forms.SETUP_MODELS:
        model = getattr(models, name)
        post_save.connect(forms.setup_changed, sender=model, dispatch_uid=f"setup-{name}")
        post_delete.connect(forms.setup_changed, sender=model, dispatch_uid=f"setup-d-{name}")
    demo.AFTER.append(forms.setup_changed)  # the loaders create rows past the signals
