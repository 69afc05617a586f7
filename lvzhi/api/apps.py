from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "lvzhi.api"
    verbose_name = _("接口")

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_save, pre_save

        user_model = get_user_model()
        pre_save.connect(_note_password_change, sender=user_model,
                         dispatch_uid="api-tokens-password")
        post_save.connect(_revoke_on_password_change, sender=user_model,
                          dispatch_uid="api-tokens-revoke")
        from lvzhi.core.services import signed_out_everywhere

        signed_out_everywhere.connect(_revoke_all, dispatch_uid="api-tokens-everywhere")


def _note_password_change(sender, instance, **kwargs) -> None:
    # set_password() leaves the new raw password in _password until the save.
    instance._password_changed = instance.pk is not None and \
        getattr(instance, "_password", None) is not None


def _revoke_on_password_change(sender, instance, **kwargs) -> None:
    """A changed or reset password signs every phone out: a token taken with the old
    password must not outlive it (the web sessions end by Django's session hash)."""
    if getattr(instance, "_password_changed", False):
        from lvzhi.api.models import ApiToken

        ApiToken.objects.filter(user=instance).delete()


def _revoke_all(sender, user, **kwargs) -> None:
    from lvzhi.api.models import ApiToken

    ApiToken.objects.filter(user=user).delete()
