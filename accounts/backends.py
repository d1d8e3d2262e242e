from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lock-out check, first in AUTHENTICATION_BACKENDS.

    Every sign-in path of the service (the sign-in page, the API token endpoint) passes the
    request, so the lock-out applies to both. A call without a request (Django's test client
    `login()`) cannot be tied to an address, so it is passed on to the next backend unchecked
    instead of raising."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
