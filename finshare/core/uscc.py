"""统一社会信用代码 (unified social credit code), GB 32100-2015.

18 characters from the 31-symbol alphabet ``0-9`` and ``A-Y`` without
``I O Z S V``; the last is a check character: with weights
``3**(i-1) mod 31`` the check value is ``(31 - sum % 31) % 31``.
"""
from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
WEIGHTS = [pow(3, i, 31) for i in range(17)]


def check_character(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters."""
    total = sum(_VALUE[c] * w for c, w in zip(first17, WEIGHTS))
    return ALPHABET[(31 - total % 31) % 31]


def uscc_problem(code: str) -> str | None:
    """Why ``code`` is not a valid USCC (``中文 / English``), or None when it is.

    Examples
    --------
    >>> uscc_problem("91350100M000100Y43") is None
    True
    >>> uscc_problem("91350100M000100Y4Z")
    "第 18 位 'Z' 不是允许的字符（不用 I、O、Z、S、V）/ character 18 'Z' is not allowed (I, O, Z, S, V are never used)"
    """
    code = str(code).strip().upper()
    if len(code) != 18:
        return (f"有 {len(code)} 位，统一社会信用代码应为 18 位 / "
                f"has {len(code)} characters; a unified social credit code has 18")
    for i, c in enumerate(code, 1):
        if c not in _VALUE:
            return (f"第 {i} 位 {c!r} 不是允许的字符（不用 I、O、Z、S、V）/ "
                    f"character {i} {c!r} is not allowed (I, O, Z, S, V are never used)")
    expected = check_character(code[:17])
    if code[17] != expected:
        return (f"校验码是 {code[17]!r}，按 GB 32100 应为 {expected!r} / "
                f"check character is {code[17]!r} but GB 32100 gives {expected!r}")
    return None
