from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "lvzhi.api"
    verbose_name = _("接口")

    def ready(self) -> None:
        from lvzhi.core.models.people import password_changed
        from lvzhi.core.services import signed_out_everywhere

        # A changed or reset password, or "sign out everywhere", signs every phone out: a
        # token taken before must not outlive it (web sessions end by the session hash).
        password_changed.connect(_revoke_all, dispatch_uid="api-tokens-password")
        signed_out_everywhere.connect(_revoke_all, dispatch_uid="api-tokens-everywhere")


def _revoke_all(sender, user, **kwargs) -> None:
    from lvzhi.api.models import ApiToken

    ApiToken.objects.filter(user=user).delete()
