"""The CJK fonts the renderer draws with (Debian ``fonts-noto-cjk``), kept in one place.

Noto CJK ``.ttc`` collections hold one face per region; index 2 is Simplified
Chinese (SC). A missing font is a :class:`~finshare.core.problems.FinshareError`
telling how to install it.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

from ...core.problems import FinshareError, Problem, Source

FONT_DIR = Path("/usr/share/fonts/opentype/noto")
#: style → (file, face index of Simplified Chinese)
FACES = {"sans": ("NotoSansCJK-Regular.ttc", 2), "serif": ("NotoSerifCJK-Regular.ttc", 2),
         "bold": ("NotoSansCJK-Bold.ttc", 2)}


@lru_cache(maxsize=256)
def font(size: int, style: str = "sans") -> ImageFont.FreeTypeFont:
    """The SC face of ``style`` ("sans", "serif" or "bold") at ``size`` pixels.

    Raises
    ------
    FinshareError
        ``missing-font`` when the Noto CJK collection is not installed.
    """
    name, index = FACES[style]
    path = FONT_DIR / name
    if not path.exists():
        raise FinshareError([Problem(
            "missing-font",
            f"找不到中文字体 {path} / the CJK font {path} is not installed",
            Source(file=str(path)),
            "安装 Noto CJK 字体 / install it: apt-get install fonts-noto-cjk")])
    return ImageFont.truetype(str(path), size, index=index)
