from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "lvzhi.activities"
    verbose_name = _("协商议政")
