from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "duban.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.db.models.signals import pre_save
        from PIL import Image

        from duban.core.text import clean_before_save
        from duban.core.uploads import MAX_IMAGE_PIXELS

        # No row is written with text XML 1.0 forbids: it would break every download holding it.
        pre_save.connect(clean_before_save, dispatch_uid="duban.core.text")

        # Pillow refuses (DecompressionBombError) an image declaring over twice this many pixels
        # before decoding it; every reader of an uploaded image also checks the size itself.
        Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
