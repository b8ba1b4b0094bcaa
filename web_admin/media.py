"""Links to proof photos that expire: presigned URLs on S3, a signed route for the local folder.

A local link is `/api/v1/media/{key}?expires=UNIX&sig=HMAC`, the HMAC-SHA256 (with a key
derived from SECRET_KEY) of the key and the expiry. It needs no sign-in, so it works in an
<img> tag, and stops working at `expires`.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from core.clock import Clock
from core.media.storage import InvalidMediaKey, LocalMediaStore, MediaStore, check_key
from web_admin.problems import ApiError
from web_admin.routing import ApiRoute

LINK_LIFETIME = 3600  # seconds
MEDIA_PATH = "/api/v1/media/"


class MediaLinks:
    def __init__(self, media: MediaStore, secret_key: str, base_url: str, clock: Clock) -> None:
        self.media = media
        self._key = hmac.new(secret_key.encode(), b"habitlink media links", "sha256").digest()
        self.base_url = base_url.rstrip("/")
        self.clock = clock

    def _signature(self, key: str, expires: int) -> str:
        return hmac.new(self._key, f"{key}\n{expires}".encode(), hashlib.sha256).hexdigest()

    async def url(self, key: str, lifetime: int = LINK_LIFETIME) -> str:
        if not isinstance(self.media, LocalMediaStore):
            return await self.media.url(key, lifetime)
        expires = int(self.clock.now().timestamp()) + lifetime
        sig = self._signature(key, expires)
        return f"{self.base_url}{MEDIA_PATH}{key}?expires={expires}&sig={sig}"

    def valid(self, key: str, expires: int, sig: str) -> bool:
        if expires <= self.clock.now().timestamp():
            return False
        return hmac.compare_digest(self._signature(key, expires), sig)


router = APIRouter(tags=["proofs"], route_class=ApiRoute)
GONE = "This link is not valid or has expired."


def _links(request: Request) -> MediaLinks:
    links: MediaLinks = request.app.state.web.media_links
    return links


@router.get(
    MEDIA_PATH + "{key:path}",
    response_class=Response,
    responses={200: {"content": {"image/jpeg": {}}}, 404: {"description": GONE}},
    summary="A proof photo, through a signed link",
)
async def media_file(
    key: str,
    links: Annotated[MediaLinks, Depends(_links)],
    expires: Annotated[int, Query(ge=0, le=2**40)],
    sig: Annotated[str, Query(max_length=64)],
) -> Response:
    try:
        check_key(key)
    except InvalidMediaKey:
        raise ApiError(404, GONE) from None
    if not links.valid(key, expires, sig):
        raise ApiError(404, GONE)
    data = await links.media.get(key)
    return Response(
        data, media_type="image/jpeg", headers={"Cache-Control": "private, max-age=3600"}
    )
