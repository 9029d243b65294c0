"""Development and the demo (`make demo`): plain HTTP on localhost and a demo secret key.

Selected explicitly (the Makefile does); `spotcheck` and the WSGI app default to production.
"""

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = env("SECRET_KEY", default="insecure-demo-key-change-me-in-production")
