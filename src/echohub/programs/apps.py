from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "echohub.programs"
    verbose_name = _("Programs")

    def ready(self) -> None:
        from echohub.pagecache.cache import bump_on_change
        from echohub.programs.models import Program, Session, Speaker

        # What the catalogue, program, session and hub pages show (audiences included).
        bump_on_change(Program, Session, Speaker)
