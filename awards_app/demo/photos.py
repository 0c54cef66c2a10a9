"""Photos for the demo's nominations: drawn, not downloaded (no stock images in the repository, no
people's faces): a sky, the ground in the colours of the activity's theme, and a row of
volunteers, varied by the activity's key so that no two look alike."""
from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw

SIZE = (960, 640)
GROUND = {"nature": (86, 140, 70), "education": (196, 164, 112), "community": (150, 150, 160)}
SHIRTS = [(230, 120, 40), (40, 110, 190), (220, 60, 80), (250, 200, 60), (60, 170, 150)]


def activity_photo(key: str, theme: str, variant: int = 0) -> bytes:
    """A JPEG picture for the activity `key` (`variant` gives another view of it)."""
    rng = random.Random(f"{key}-{variant}")
    width, height = SIZE
    image = Image.new("RGB", SIZE)
    draw = ImageDraw.Draw(image)
    horizon = int(height * rng.uniform(0.5, 0.62))
    for y in range(horizon):  # sky: deeper blue at the top
        shade = y / horizon
        draw.line([(0, y), (width, y)], fill=(int(110 + 120 * shade), int(170 + 70 * shade), 235))
    ground = GROUND.get(theme, GROUND["community"])
    draw.rectangle([0, horizon, width, height], fill=ground)
    sun_x = rng.randint(80, width - 80)
    draw.ellipse([sun_x - 40, 50, sun_x + 40, 130], fill=(255, 236, 150))
    for _ in range(rng.randint(3, 7)):  # trees or buildings behind
        x = rng.randint(0, width)
        if theme == "nature":
            draw.ellipse([x - 50, horizon - 120, x + 50, horizon - 10], fill=(50, 110, 60))
            draw.rectangle([x - 8, horizon - 20, x + 8, horizon + 10], fill=(110, 80, 50))
        else:
            top = horizon - rng.randint(60, 160)
            draw.rectangle([x - 45, top, x + 45, horizon], fill=(200, 200, 205))
    people = rng.randint(5, 9)
    for index in range(people):  # volunteers in the programme's shirts
        x = int((index + 0.5) * width / people) + rng.randint(-20, 20)
        base = horizon + rng.randint(90, 170)
        shirt = SHIRTS[rng.randrange(len(SHIRTS))]
        draw.rounded_rectangle([x - 22, base - 90, x + 22, base], radius=14, fill=shirt)
        draw.ellipse([x - 16, base - 126, x + 16, base - 94], fill=(240, 205, 170))
        draw.rectangle([x - 18, base, x - 4, base + 50], fill=(60, 60, 80))
        draw.rectangle([x + 4, base, x + 18, base + 50], fill=(60, 60, 80))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82)
    return buffer.getvalue()
