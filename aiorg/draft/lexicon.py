"""Well-known firm names, so a draft against an empty knowledge base still finds them.

Names such as 苹果 or 谷歌 carry no cue in the text (no title, no deal verb next to them), so the
discovery rules cannot tell them from ordinary words. This short list holds only household names
of the technology industry, each with the ways articles write it; every spelling of one firm
drafts as one candidate, under its English name. A firm that is in the knowledge base is found
there first; this list is read only where no known name stands.
"""

from __future__ import annotations

#: English name -> the other ways articles write it
WELL_KNOWN_FIRMS: dict[str, tuple[str, ...]] = {
    "Apple": ("苹果", "蘋果"),
    "Google": ("谷歌",),
    "Microsoft": ("微软", "微軟"),
    "Amazon": ("亚马逊", "亞馬遜"),
    "Meta": (),
    "OpenAI": (),
    "Anthropic": (),
    "Nvidia": ("英伟达", "輝達", "NVIDIA"),
    "ByteDance": ("字节跳动", "字節跳動", "字节", "字節"),
    "Alibaba": ("阿里巴巴", "阿里"),
    "Tencent": ("腾讯", "騰訊"),
    "Baidu": ("百度",),
    "Huawei": ("华为", "華為"),
    "DeepSeek": ("深度求索",),
    "xAI": (),
    "Tesla": ("特斯拉",),
    "Samsung": ("三星",),
    "Intel": ("英特尔", "英特爾"),
}


def spellings() -> list[tuple[str, str]]:
    """(how it is written, English name) for every name of the list, longest first."""
    pairs = [(name, name) for name in WELL_KNOWN_FIRMS]
    pairs += [(other, name) for name, others in WELL_KNOWN_FIRMS.items() for other in others]
    return sorted(pairs, key=lambda pair: -len(pair[0]))
