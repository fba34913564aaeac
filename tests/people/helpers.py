import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def photo_bytes(size=(800, 600), colour=(200, 30, 30), fmt="JPEG", exif=True) -> bytes:
    """A photo with a GPS-ish EXIF comment, as phones make them."""
    image = Image.new("RGB", size, colour)
    # A blue stripe in the middle, to see the crop is centred.
    for x in range(size[0] // 2 - 10, size[0] // 2 + 10):
        for y in range(size[1]):
            image.putpixel((x, y), (0, 0, 255))
    out = io.BytesIO()
    kwargs = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "PhoneMaker"  # Make
        data[0x8825] = {2: (52, 5, 0)}  # GPSInfo: latitude
        kwargs["exif"] = data.tobytes()
    image.save(out, fmt, **kwargs)
    return out.getvalue()


def upload(name="me.jpg", content=None, **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content if content is not None else photo_bytes(**kwargs))
