"""The client's address, for audit rows, the security log and sign-in lock-out.

Behind a load balancer REMOTE_ADDR is the balancer. The forwarded-for header is believed only when
the request comes from a proxy named in TRUSTED_PROXIES (addresses or networks): the address is
then the right-most one in X-Forwarded-For that is not itself a trusted proxy. Anyone else can
write that header, so without the setting it is ignored.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def _address(value: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address((value or "").strip())
    except ValueError:
        return None


def client_address(request) -> str | None:
    remote = _address(request.META.get("REMOTE_ADDR"))
    if remote is None:
        return None
    trusted = _networks(tuple(settings.TRUSTED_PROXIES))
    if not trusted or not any(remote in net for net in trusted):
        return str(remote)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed(forwarded.split(",")[-20:]):
        address = _address(hop)
        if address is None:
            break  # a malformed hop: trust nothing further left
        if not any(address in net for net in trusted):
            return str(address)
    return str(remote)
