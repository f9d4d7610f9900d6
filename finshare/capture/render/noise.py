"""Noise for rendered pages: scanner and camera faults, each a seeded function.

Every option is ``f(image, rng) -> (image, matrix)``: the noisy image and the
3×3 homography taking clean-page pixel coordinates to noisy-image ones
(the identity for photometric noise), so a page's field boxes can follow the
geometry (:func:`move_boxes`). :func:`noisy` picks a plausible combination.
"""
from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageEnhance, ImageFilter

EYE = np.eye(3)


def rotation(image: Image.Image, rng: np.random.Generator) -> tuple[Image.Image, np.ndarray]:
    """Turn the page by up to ±4° (a skewed scan), the canvas grown to hold it, white behind."""
    angle = float(rng.uniform(1.0, 4.0) * rng.choice([-1, 1]))
    out = image.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor="white")
    t = np.radians(angle)
    cos, sin = np.cos(t), np.sin(t)
    cx, cy, ox, oy = image.width / 2, image.height / 2, out.width / 2, out.height / 2
    move = np.array([[1, 0, ox], [0, 1, oy], [0, 0, 1]]) @ np.array([[cos, sin, 0], [-sin, cos, 0], [0, 0, 1]]) \
        @ np.array([[1, 0, -cx], [0, 1, -cy], [0, 0, 1]])
    return out, move


def blur(image: Image.Image, rng: np.random.Generator) -> tuple[Image.Image, np.ndarray]:
    """Out of focus: a Gaussian blur of radius 0.6–1.4 pixels."""
    return image.filter(ImageFilter.GaussianBlur(float(rng.uniform(0.6, 1.4)))), EYE


def speckle(image: Image.Image, rng: np.random.Generator) -> tuple[Image.Image, np.ndarray]:
    """Sensor grain plus dust: Gaussian noise and a sprinkle of dark and light dots."""
    a = np.asarray(image.convert("RGB"), dtype=np.float32)
    a += rng.normal(0, rng.uniform(6, 14), a.shape[:2])[..., None]
    dots = rng.random(a.shape[:2])
    share = rng.uniform(0.0005, 0.002)
    a[dots < share] = 40
    a[dots > 1 - share] = 255
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)), EYE


def low_contrast(image: Image.Image, rng: np.random.Generator) -> tuple[Image.Image, np.ndarray]:
    """A faded print on greyish paper: contrast 40–65 %, slightly darker."""
    out = ImageEnhance.Contrast(image).enhance(float(rng.uniform(0.4, 0.65)))
    return ImageEnhance.Brightness(out).enhance(float(rng.uniform(0.85, 0.98))), EYE


def jpeg(image: Image.Image, rng: np.random.Generator) -> tuple[Image.Image, np.ndarray]:
    """Blocky compression: saved and read back as JPEG at quality 15–40."""
    buf = io.BytesIO()
    image.convert("RGB").save(buf, "JPEG", quality=int(rng.integers(15, 41)))
    buf.seek(0)
    return Image.open(buf).convert("RGB"), EYE


def homography(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """The 3×3 matrix mapping the four points ``src`` onto ``dst`` (both 4×2)."""
    rows, rhs = [], []
    for (x, y), (u, v) in zip(src, dst):
        rows += [[x, y, 1, 0, 0, 0, -u * x, -u * y], [0, 0, 0, x, y, 1, -v * x, -v * y]]
        rhs += [u, v]
    h = np.linalg.solve(np.array(rows, float), np.array(rhs, float))
    return np.append(h, 1).reshape(3, 3)


def _desk(rng: np.random.Generator, size: tuple[int, int]) -> np.ndarray:
    """A wood-like desk: a brown base with soft grain stripes and grain noise, as float RGB."""
    w, h = size
    y = np.arange(h, dtype=np.float32)[:, None]
    x = np.arange(w, dtype=np.float32)[None, :]
    grain = np.sin(y / rng.uniform(6, 14) + 3 * np.sin(x / rng.uniform(80, 200))) * 0.5 + 0.5
    base = np.array(rng.choice([[120, 85, 55], [150, 115, 80], [90, 90, 95], [170, 160, 145]]), np.float32)
    return base * (0.8 + 0.25 * grain[..., None]) + rng.normal(0, 6, (h, w, 1))


def desk_photo(image: Image.Image, rng: np.random.Generator) -> tuple[Image.Image, np.ndarray]:
    """A phone photo of the page on a desk: perspective, a textured background, uneven light."""
    w, h = image.size
    W, H = int(w * 1.3), int(h * 1.4)
    corners = np.array([[0, 0], [w, 0], [w, h], [0, h]], float)
    offset = np.array([(W - w) / 2, (H - h) / 2])
    jitter = rng.uniform(-1, 1, (4, 2)) * np.array([w * 0.07, h * 0.08])
    quad = corners + offset + jitter
    forward = homography(corners, quad)
    back = np.linalg.inv(forward)
    back /= back[2, 2]
    coeffs = tuple(back.flatten()[:8])
    page = image.convert("RGB").transform((W, H), Image.PERSPECTIVE, coeffs, Image.BICUBIC)
    mask = Image.new("L", image.size, 255).transform((W, H), Image.PERSPECTIVE, coeffs, Image.BILINEAR)
    desk = Image.fromarray(np.clip(_desk(rng, (W, H)), 0, 255).astype(np.uint8))
    desk.paste(page, (0, 0), mask)
    gx, gy = np.meshgrid(np.linspace(-1, 1, W), np.linspace(-1, 1, H))
    lx, ly = rng.uniform(-1, 1, 2)
    light = 1.05 - 0.3 * np.hypot(gx - lx, gy - ly) / 2.0 + 0.08 * gx * rng.uniform(-1, 1)
    a = np.asarray(desk, np.float32) * np.clip(light, 0.55, 1.1)[..., None]
    out = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.5))
    return out, forward


#: every option by name, in the order :func:`noisy` applies them
OPTIONS = {"desk_photo": desk_photo, "rotation": rotation, "low_contrast": low_contrast, "blur": blur,
           "speckle": speckle, "jpeg": jpeg}


def noisy(image: Image.Image, rng: np.random.Generator) -> tuple[Image.Image, np.ndarray, list[str]]:
    """A plausible combination: a desk photo (a third of the time) or a skewed scan, plus some faults.

    Returns the image, the clean → noisy homography and the names applied, in order.
    """
    if rng.random() < 1 / 3:
        chosen = ["desk_photo"] + [n for n, p in (("blur", 0.3), ("jpeg", 0.5)) if rng.random() < p]
    else:
        chosen = [n for n, p in (("rotation", 0.7), ("low_contrast", 0.35), ("blur", 0.4), ("speckle", 0.45),
                                 ("jpeg", 0.4)) if rng.random() < p] or ["speckle"]
    matrix = EYE
    for name in chosen:
        image, step = OPTIONS[name](image, rng)
        matrix = step @ matrix
    return image, matrix, chosen


def move_boxes(boxes: dict[str, list[int]], matrix: np.ndarray, size: tuple[int, int]) -> dict[str, list[int]]:
    """Each ``[l, t, w, h]`` box carried through ``matrix``: the axis-aligned box of its moved corners,
    clipped to an image of ``size``."""
    if not boxes:
        return {}
    names = list(boxes)
    b = np.array([boxes[n] for n in names], float)
    l, t, r, btm = b[:, 0], b[:, 1], b[:, 0] + b[:, 2], b[:, 1] + b[:, 3]
    pts = np.stack([np.stack([l, t]), np.stack([r, t]), np.stack([r, btm]), np.stack([l, btm])])  # 4×2×n
    homog = np.concatenate([pts, np.ones((4, 1, len(names)))], axis=1)
    moved = np.einsum("ij,kjn->kin", matrix, homog)
    xy = moved[:, :2] / moved[:, 2:3]
    lo = np.floor(xy.min(axis=0))
    hi = np.ceil(xy.max(axis=0))
    lo = np.clip(lo, 0, np.array(size)[:, None])
    hi = np.clip(hi, 0, np.array(size)[:, None])
    return {n: [int(lo[0, i]), int(lo[1, i]), int(hi[0, i] - lo[0, i]), int(hi[1, i] - lo[1, i])]
            for i, n in enumerate(names)}
