from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "lvzhi.supervision"
    verbose_name = _("民主监督")
