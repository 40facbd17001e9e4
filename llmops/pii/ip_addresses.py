"""IP addresses of hosts, and the dotted numbers of the same shape that are not addresses.

Manuals are full of "25.1.3.4"-shaped section numbers and four-part versions; replacing them
corrupts headings and the index, and one false address in a model's answer can hold back a
promotion (the leak probe counts it). Addresses that point at no one's device (loopback,
unspecified, multicast, netmasks, CIDR ranges) are not personal data either, nor are the addresses
of named servers and network services. Link-local addresses are: they can embed the device's MAC.
"""

from __future__ import annotations

import ipaddress
import re

from presidio_analyzer import Pattern, RecognizerResult
from presidio_analyzer.predefined_recognizers import IpRecognizer

# Dotted numbers that look like IPv4 addresses but number something: "section 25.1.3.4", "version
# 2.14.1.3", a heading "## 5.6.12.1. Epochs ..." or a line of a table of contents.
_NUMBERING_WORD = re.compile(r"(?:\b(?:sections?|chapters?|clauses?|paragraphs?|parts?|rules?|articles?|"
                             r"versions?|releases?|rev|v)\.?|§)\s*$", re.IGNORECASE)
_LINE_START = re.compile(r"(?:^|\n)[ \t#>*\-]*$")
_TITLE_AFTER = re.compile(r"\.? +[A-Z]")
_IP_CONTEXT = re.compile(r"服务器|主机|地址|網路|网络|网关|閘道|登录|登入|访问|訪問|端口|埠|防火墙|連線|连接|内网|外网|"
                         r"\b(?:ip|ipv4|address(?:es)?|hosts?|server|gateway|dns|subnet|ping|ssh|connect(?:ed|ion)?|"
                         r"login|logged|port|route[rs]?|network|proxy|firewall|vpn|device|client|remote|origin|from|via)\b",
                         re.IGNORECASE)


# The address of a named server or of the network's own services: "debian.org (130.89.148.77)",
# "PING (...)", "nameserver 192.168.11.1". Whose device a client address is, is personal; these are not.
_INFRASTRUCTURE_BEFORE = re.compile(
    r"(?:[\w-]+\.[A-Za-z]{2,}[\w.-]*\)?\s*\(|\b(?:nameserver|dns|ping|mirror|gateway|netmask|broadcast)\b[^\n]{0,25})$",
    re.IGNORECASE,
)


def _is_infrastructure(text: str, start: int) -> bool:
    return _INFRASTRUCTURE_BEFORE.search(text[max(0, start - 60) : start]) is not None


_OCTET = r"(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)"
# Chinese writes an address against its words ("服务器10.2.3.4无法访问"), where no word boundary falls.
_BESIDE_CHINESE = Pattern("IPv4 beside Chinese", rf"(?:(?<=\p{{Han}})|(?<![\w.]))(?:{_OCTET}\.){{3}}{_OCTET}"
                                                 rf"(?:(?=\p{{Han}})|(?![\w./]))", 0.6)  # "/8": a range


class HostIpRecognizer(IpRecognizer):
    """IP_ADDRESS for hosts only: loopback/unspecified and CIDR ranges in docs identify no one, and
    neither do section or version numbers of the same shape (see `_is_numbering`)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(patterns=[*IpRecognizer.PATTERNS, _BESIDE_CHINESE], **kwargs)

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None, regex_flags=None) -> list[RecognizerResult]:
        found = super().analyze(text, entities, nlp_artifacts, regex_flags)
        return [r for r in found if not _is_numbering(text, r.start, r.end) and not _is_infrastructure(text, r.start)]

    def invalidate_result(self, pattern_text: str) -> bool:
        """Invalid, or an address/range that cannot point at a person's device."""
        if super().invalidate_result(pattern_text):
            return True
        if "/" in pattern_text:  # a range, unless it holds one host ("194.162.139.125/32")
            return pattern_text.rsplit("/", 1)[1] not in ("32", "128")
        address = ipaddress.ip_address(pattern_text.split("%")[0])
        return (address.is_loopback or address.is_unspecified or address.is_multicast
                or pattern_text.startswith("255."))  # a netmask


def _is_numbering(text: str, start: int, end: int) -> bool:
    """A dotted quad that numbers a section or a version: part of a longer dotted number, after a
    word such as "section" or "version", or, with every part under 100 as such numbers have, opening
    a heading or contents line with a title after it, or with no word about networks near it."""
    before, after = text[max(0, start - 20) : start], text[end : end + 3]
    if re.match(r"\.[\dA-Za-z]", after) or re.search(r"\d[.:]$", before):  # 1:1.2.3.3.dfsg-1
        return True
    if _NUMBERING_WORD.search(before):
        return True
    parts = text[start:end].split(".")
    if not all(part.isdigit() and int(part) < 100 for part in parts):
        return False
    if _LINE_START.search(before) is not None and _TITLE_AFTER.match(after) is not None:
        return True
    # Every part under 100 and nothing about networks nearby: a version ("upgrade to 5.5.4.3").
    return _IP_CONTEXT.search(text[max(0, start - 60) : end + 30]) is None
