from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "duban.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from PIL import Image

        from duban.core.uploads import MAX_IMAGE_PIXELS

        # Pillow refuses (DecompressionBombError) an image declaring over twice this many pixels
        # before decoding it; every reader of an uploaded image also checks the size itself.
        Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
