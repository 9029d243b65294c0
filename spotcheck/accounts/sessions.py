"""The idle timeout: a session ends SESSION_COOKIE_AGE after the last request.

Saving the session on every request would cost writes on every page, so the session's expiry is
pushed forward at most once a minute: the timeout is exact to that minute.
"""

import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

SEEN_KEY = "seen_at"
REFRESH_SECONDS = 60


def _stamp(session) -> None:
    session[SEEN_KEY] = int(time.time())


@receiver(user_logged_in, dispatch_uid="session_seen_at_login")
def stamp_at_login(sender, request, user, **kwargs):
    # The login saves the session anyway; the first minute after it needs no extra write.
    _stamp(request.session)


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and request.user.is_authenticated:
            seen = session.get(SEEN_KEY, 0)
            if time.time() - seen >= REFRESH_SECONDS:
                _stamp(session)  # modified: saved with a new expiry at the end of the request
        return self.get_response(request)
