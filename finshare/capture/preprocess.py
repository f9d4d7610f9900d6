"""Preprocessing of a scanned or photographed page before OCR.

:func:`preprocess` runs, each step optional: grey → page (find the page's
quadrilateral on a darker background and warp it flat) → scale (to a working
resolution) → deskew (angle from the text lines by a projection profile,
rotated back) → denoise (median or non-local means) → binarise (Otsu or
adaptive). The :class:`PreprocessInfo` it returns records what was found and
one 3×3 matrix from original to processed pixels, so boxes read on the
processed image map back to the original with :meth:`PreprocessInfo.to_original`.

Angles are in degrees, counter-clockwise positive as the page appears on the
screen (Pillow's ``Image.rotate`` convention): a page photographed turned 5°
to the left has ``angle == 5.0`` and is turned back by 5°.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from finshare.core.problems import FinshareError, Problem, Source

from .engines import as_array

WORKING_LONG_SIDE = 1600
MAX_SKEW = 10.0


@dataclass
class PreprocessInfo:
    """What :func:`preprocess` found and did.

    Attributes
    ----------
    original_size, size : (int, int)
        ``(width, height)`` of the image given and of the image returned.
    quad : numpy.ndarray or None
        The page's corners in the original image, ``4×2`` (top-left, top-right,
        bottom-right, bottom-left), or None when no page was found or sought.
    scale : float
        Factor applied to reach the working resolution (1.0 when not scaled).
    angle : float
        Skew found, degrees counter-clockwise (0.0 when not deskewed).
    matrix : numpy.ndarray
        ``3×3`` homography from original to processed pixel coordinates.
    steps : list of str
        The steps applied, in order.
    """

    original_size: tuple[int, int]
    size: tuple[int, int] = (0, 0)
    quad: np.ndarray | None = None
    scale: float = 1.0
    angle: float = 0.0
    matrix: np.ndarray = field(default_factory=lambda: np.eye(3))
    steps: list[str] = field(default_factory=list)

    def to_original(self, boxes) -> np.ndarray:
        """Boxes ``[left, top, width, height]`` on the processed image as boxes on the original.

        Each box's four corners are mapped back through the inverse of
        :attr:`matrix`; the result is their bounding box, rounded to pixels.
        """
        boxes = np.asarray(boxes, dtype=float).reshape(-1, 4)
        l, t, w, h = boxes.T
        xs = np.stack([l, l + w, l + w, l], axis=1)
        ys = np.stack([t, t, t + h, t + h], axis=1)
        points = np.stack([xs, ys, np.ones_like(xs)], axis=-1) @ np.linalg.inv(self.matrix).T
        x, y = points[..., 0] / points[..., 2], points[..., 1] / points[..., 2]
        left, top = x.min(axis=1), y.min(axis=1)
        return np.rint(np.stack([left, top, x.max(axis=1) - left, y.max(axis=1) - top], axis=1)).astype("int64")


def preprocess(image, *, page: bool = True, long_side: int | None = WORKING_LONG_SIDE, deskew: bool = True,
               denoise: str | None = "median", binarise: str | None = None) -> tuple[np.ndarray, PreprocessInfo]:
    """Prepare a page image for OCR.

    Parameters
    ----------
    image : str, Path, PIL.Image.Image or numpy.ndarray
    page : bool, default True
        Look for the page on a darker background and warp it flat.
    long_side : int or None, default 1600
        Scale so the longer side has this many pixels; None keeps the size.
    deskew : bool, default True
        Estimate the skew (up to ±10°) from the text lines and rotate it away.
    denoise : {"median", "nlmeans", None}, default "median"
        3×3 median (salt-and-pepper; ~0.01 s a page) or non-local means (grain; ~0.6 s a
        1600×1000 page with an 11-pixel search window, ~1.4 s with OpenCV's default 21).
    binarise : {"otsu", "adaptive", None}, default None
        Global Otsu threshold, or a local one for uneven light.

    Returns
    -------
    (numpy.ndarray, PreprocessInfo)
        The grey (or black-and-white) uint8 image and what was done.
    """
    grey = _grey(as_array(image))
    info = PreprocessInfo(original_size=(grey.shape[1], grey.shape[0]))
    if page:
        info.quad = find_page(grey)
        if info.quad is not None:
            grey, flatten = _warp_page(grey, info.quad)
            info.matrix, info.steps = flatten @ info.matrix, info.steps + ["page"]
    if long_side:
        info.scale = long_side / max(grey.shape)
        if abs(info.scale - 1.0) > 0.01:
            grey = cv2.resize(grey, None, fx=info.scale, fy=info.scale,
                              interpolation=cv2.INTER_AREA if info.scale < 1 else cv2.INTER_CUBIC)
            info.matrix, info.steps = np.diag([info.scale, info.scale, 1.0]) @ info.matrix, info.steps + ["scale"]
        else:
            info.scale = 1.0
    if deskew:
        info.angle = estimate_skew(grey)
        if abs(info.angle) >= 0.2:
            grey, turn = rotate(grey, -info.angle)
            info.matrix, info.steps = turn @ info.matrix, info.steps + ["deskew"]
    if denoise:
        grey = _denoise(grey, denoise)
        info.steps.append("denoise")
    if binarise:
        grey = _binarise(grey, binarise)
        info.steps.append("binarise")
    info.size = (grey.shape[1], grey.shape[0])
    return grey, info


def _grey(pixels: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(pixels, cv2.COLOR_RGB2GRAY) if pixels.ndim == 3 else pixels


# --- page -------------------------------------------------------------------------------------

def find_page(grey: np.ndarray, min_area: float = 0.2, max_area: float = 0.97) -> np.ndarray | None:
    """Corners of a light page on a darker background, ``4×2`` float (tl, tr, br, bl), or None.

    The page is the largest light region (Otsu threshold on a blurred copy)
    whose outline simplifies to a convex quadrilateral covering between
    ``min_area`` and ``max_area`` of the image; a page that fills the frame
    needs no warp and gives None.
    """
    blurred = cv2.GaussianBlur(grey, (7, 7), 0)
    _, light = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    light = cv2.morphologyEx(light, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
    contours, _ = cv2.findContours(light, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    outline = max(contours, key=cv2.contourArea)
    share = cv2.contourArea(outline) / float(grey.shape[0] * grey.shape[1])
    corners = cv2.approxPolyDP(outline, 0.02 * cv2.arcLength(outline, True), True).reshape(-1, 2)
    if not (min_area <= share <= max_area) or len(corners) != 4 or not cv2.isContourConvex(corners):
        return None
    return _order_corners(_refine_corners(grey, corners.astype(np.float32)))


def _refine_corners(grey: np.ndarray, corners: np.ndarray) -> np.ndarray:
    """Corners moved to the sub-pixel corner of the page edge nearby."""
    criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 40, 0.01)
    refined = cv2.cornerSubPix(cv2.GaussianBlur(grey, (5, 5), 0), corners.reshape(-1, 1, 2).copy(),
                               (7, 7), (-1, -1), criteria).reshape(-1, 2)
    moved = np.linalg.norm(refined - corners, axis=1)
    return np.where((moved < 8)[:, None], refined, corners)


def _order_corners(corners: np.ndarray) -> np.ndarray:
    total, diff = corners.sum(axis=1), corners[:, 1] - corners[:, 0]
    return corners[[np.argmin(total), np.argmin(diff), np.argmax(total), np.argmax(diff)]].astype(float)


def _warp_page(grey: np.ndarray, quad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    tl, tr, br, bl = quad
    width = int(round(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl))))
    height = int(round(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr))))
    target = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(quad.astype(np.float32), target)
    flat = cv2.warpPerspective(grey, matrix, (width, height), flags=cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_REPLICATE)
    return flat, matrix


# --- skew -------------------------------------------------------------------------------------

def estimate_skew(grey: np.ndarray, max_angle: float = MAX_SKEW) -> float:
    """Skew of the text lines in degrees, counter-clockwise positive, within ±``max_angle``.

    Projection profile: the dark pixels (Otsu) are projected across the page at
    candidate angles; the angle at which the rows are sharpest (largest sum of
    squared row counts) is the text direction. A coarse search in 0.5° steps is
    refined in 0.05° steps.
    """
    small = cv2.resize(grey, None, fx=min(1.0, 1000 / max(grey.shape)), fy=min(1.0, 1000 / max(grey.shape)),
                       interpolation=cv2.INTER_AREA)
    _, dark = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    ys, xs = np.nonzero(dark)
    if len(xs) < 50:
        return 0.0
    pick = np.linspace(0, len(xs) - 1, min(len(xs), 60_000)).astype(int)
    # Each dark pixel stands for a square: spread it over its square (seeded) so that 0° is not
    # favoured merely because the pixel grid's rows project onto single bins there.
    jitter = np.random.default_rng(0).uniform(-0.5, 0.5, size=(2, len(pick)))
    xs = xs[pick] + jitter[0] - small.shape[1] / 2.0
    ys = ys[pick] + jitter[1] - small.shape[0] / 2.0
    coarse = _sharpest(xs, ys, np.arange(-max_angle, max_angle + 1e-9, 0.5))
    return round(_sharpest(xs, ys, np.arange(coarse - 0.5, coarse + 0.5 + 1e-9, 0.05)), 2)


def _sharpest(xs: np.ndarray, ys: np.ndarray, angles: np.ndarray) -> float:
    """The angle among ``angles`` whose row profile of the points is sharpest."""
    theta = np.radians(angles)[:, None]
    # Row of each point after turning the page back by theta (screen coordinates, y down).
    rows = np.rint(ys[None, :] * np.cos(theta) + xs[None, :] * np.sin(theta)).astype(np.int64)
    rows -= rows.min(axis=1, keepdims=True)
    offsets = np.arange(len(angles))[:, None] * (rows.max() + 1)
    counts = np.bincount((rows + offsets).ravel(), minlength=len(angles) * (rows.max() + 1))
    score = (counts.reshape(len(angles), -1).astype(float) ** 2).sum(axis=1)
    return float(angles[int(np.argmax(score))])


def rotate(grey: np.ndarray, angle: float, fill: int = 255) -> tuple[np.ndarray, np.ndarray]:
    """Turn an image ``angle`` degrees counter-clockwise on a canvas grown to hold it all.

    Returns the turned image and the 3×3 matrix from old to new pixel coordinates.
    """
    height, width = grey.shape[:2]
    turn = cv2.getRotationMatrix2D((width / 2.0, height / 2.0), angle, 1.0)
    cos, sin = abs(turn[0, 0]), abs(turn[0, 1])
    new_w, new_h = int(np.ceil(width * cos + height * sin)), int(np.ceil(width * sin + height * cos))
    turn[0, 2] += new_w / 2.0 - width / 2.0
    turn[1, 2] += new_h / 2.0 - height / 2.0
    turned = cv2.warpAffine(grey, turn, (new_w, new_h), flags=cv2.INTER_LINEAR, borderValue=fill)
    return turned, np.vstack([turn, [0.0, 0.0, 1.0]])


# --- clean-up ---------------------------------------------------------------------------------

def _denoise(grey: np.ndarray, how: str) -> np.ndarray:
    if how == "median":
        return cv2.medianBlur(grey, 3)
    if how == "nlmeans":
        return cv2.fastNlMeansDenoising(grey, None, h=12, templateWindowSize=7, searchWindowSize=11)
    raise _bad_option("denoise", how, "median, nlmeans")


def _binarise(grey: np.ndarray, how: str) -> np.ndarray:
    if how == "otsu":
        return cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[1]
    if how == "adaptive":
        return cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, 31, 15)
    raise _bad_option("binarise", how, "otsu, adaptive")


def _bad_option(name: str, value, allowed: str) -> FinshareError:
    return FinshareError([Problem(
        "bad-value", f"未知的预处理选项 / unknown preprocessing option: {name}={value!r}",
        Source(field=name), f"use one of {allowed}, or None to skip the step")])
