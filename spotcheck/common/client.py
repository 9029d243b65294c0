"""The client's address, as far as this deployment can trust it.

Behind N reverse proxies (setting SPOTCHECK_TRUSTED_PROXIES, 1 behind the documented nginx)
the address is the one the nearest trusted proxy appended to X-Forwarded-For; anything further
left was written by the client and is ignored. With no trusted proxy it is the socket's peer.
The public API's throttle (NINJA_NUM_PROXIES) uses the same rule."""

from django.conf import settings


def client_ip(request) -> str:
    peer = request.META.get("REMOTE_ADDR", "")
    proxies = settings.SPOTCHECK_TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if proxies == 0 or not forwarded:
        return peer
    hops = [hop.strip() for hop in forwarded.split(",")]
    return hops[-min(proxies, len(hops))]
