"""Signing in to /admin: email and password, checked like the API's sign-in (the same Argon2
hashing through core.accounts and the same LoginThrottle), kept in a signed session cookie.

The cookie holds the account id, a fingerprint of its password hash (a new password ends every
admin session) and the CSRF token; nothing else. It is HttpOnly, SameSite=Lax, limited to
/admin and Secure in production. Every request under /admin asks the database again whether the
account is still an admin (and not banned), so a demoted admin loses access at once.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from dataclasses import dataclass

from sqladmin.authentication import AuthenticationBackend
from sqladmin.templating import Jinja2Templates
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response

from bot.config import Environment
from core.db.models import User
from core.uow import UnitOfWork
from web_admin.admin.access import is_admin
from web_admin.admin.csrf import CsrfMiddleware, new_csrf_token
from web_admin.context import Web, client_address
from web_admin.throttle import try_again_in

log = logging.getLogger("habitlink.web.admin")
COOKIE = "habitlink_admin"
SESSION_HOURS = 8
# The same words whether the account exists or not, and the throttle counts unknown emails too.
WRONG = "The email or password is not right. Check both and try again."
TOO_MANY = "Too many failed sign-ins. To keep accounts safe, signing in is paused: {when}."
NOT_AN_ADMIN = (
    "This account is not an admin of this HabitLink. An admin can make it one on the server "
    "with habitlink admin promote."
)
NOT_AN_ADMIN_ANY_MORE = "This account is no longer an admin of this HabitLink."


@dataclass(frozen=True)
class SignedIn:
    """The admin of this request (on request.state.admin), for the pages and the audit log."""

    id: int
    email: str
    display_name: str


def fingerprint(user: User) -> str:
    """Changes whenever the password does; never reveals anything about it."""
    return hashlib.sha256(f"admin-session:{user.password_hash}".encode()).hexdigest()[:32]


def session_secret(web: Web) -> str:
    """The cookie's signing key, derived from SECRET_KEY so it differs from the API's tokens'."""
    key = web.settings.secret_key.get_secret_value().encode()
    return hmac.new(key, b"habitlink admin session", hashlib.sha256).hexdigest()


class AdminAuth(AuthenticationBackend):
    def __init__(self, web: Web) -> None:
        super().__init__(
            secret_key=session_secret(web),
            session_cookie=COOKIE,
            max_age=SESSION_HOURS * 3600,
            path="/admin",
            same_site="lax",
            https_only=web.settings.environment is Environment.PRODUCTION,
        )
        self.middlewares.append(Middleware(CsrfMiddleware))
        self.web = web
        self.templates: Jinja2Templates | None = None  # the Admin's, set once it exists

    def unit(self) -> UnitOfWork:
        web = self.web
        return UnitOfWork(
            web.db, web.clock, default_timezone=web.settings.default_timezone, media=web.media
        )

    async def page(self, request: Request, message: str, status: int, email: str) -> Response:
        """The sign-in page again, saying why, with the email as typed (never the password)."""
        assert self.templates is not None
        context = {"error": message, "email": email}
        return await self.templates.TemplateResponse(
            request, "sqladmin/login.html", context, status_code=status
        )

    async def login(self, request: Request) -> Response | bool:
        form = await request.form()
        email = str(form.get("email", ""))[:320]
        password = str(form.get("password", ""))[:1024]
        address = client_address(request)
        throttle = self.web.throttle
        wait = await throttle.retry_after(email, address)
        if wait:
            text = TOO_MANY.format(when=try_again_in(wait))
            response = await self.page(request, text, 429, email)
            response.headers["Retry-After"] = str(wait)
            return response
        async with self.unit() as uow:
            user = await uow.accounts(self.web.passwords).authenticate(email, password)
            if user is None:
                await throttle.failed(email, address)
                return await self.page(request, WRONG, 400, email)
            await throttle.succeeded(email)
            await uow.commit()  # an upgraded password hash is kept
            if not await is_admin(uow, user.id):
                log.info("admin sign-in refused: not an admin", extra={"user_id": user.id})
                return await self.page(request, NOT_AN_ADMIN, 403, email)
        request.session.clear()  # nothing from before signing in carries over
        request.session.update(user_id=user.id, fp=fingerprint(user))
        new_csrf_token(request)
        log.info("admin signed in", extra={"user_id": user.id})
        return True

    async def logout(self, request: Request) -> Response | bool:
        request.session.clear()
        return False  # to the sign-in page

    async def authenticate(self, request: Request) -> Response | bool:
        user_id = request.session.get("user_id")
        if not isinstance(user_id, int):
            return False
        async with self.unit() as uow:
            user = await uow.users.get(user_id)
            if user is None or request.session.get("fp") != fingerprint(user):
                request.session.clear()
                return False
            if not await is_admin(uow, user.id):
                request.session.clear()
                assert self.templates is not None
                return await self.templates.TemplateResponse(
                    request,
                    "sqladmin/error.html",
                    {"status_code": 403, "message": NOT_AN_ADMIN_ANY_MORE},
                    status_code=403,
                )
        request.state.admin = SignedIn(user.id, user.email or "", user.display_name)
        return True

    async def get_user_id(self, request: Request) -> int | None:
        admin = getattr(request.state, "admin", None)
        return admin.id if isinstance(admin, SignedIn) else None


def signed_in(request: Request) -> SignedIn:
    """The admin of this request; only reachable behind `authenticate` (every admin route)."""
    admin = getattr(request.state, "admin", None)
    if not isinstance(admin, SignedIn):
        raise PermissionError("not signed in as an admin")
    return admin
