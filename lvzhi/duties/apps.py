from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutiesConfig(AppConfig):
    name = "lvzhi.duties"
    verbose_name = _("履职档案")
