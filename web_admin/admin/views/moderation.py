"""Learnings and proofs: hide and unhide (hidden ones vanish from the feed, the group's lists,
boards, collages and the API at once), and delete a proof's image from storage."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from sqladmin import expose
from starlette.requests import Request
from starlette.responses import Response

from core.db.models import Message, MessageKind, Proof
from web_admin.admin.base import AdminView, Button, name_of


class LearningView(AdminView, model=Message):
    name = "Learning"
    name_plural = "Learnings"
    icon = "fa-solid fa-lightbulb"
    column_list = ["id", "group", "author", "content", "likes_count", "hidden_at", "created_at"]
    column_details_list = [
        "id", "group", "author", "content", "likes_count", "hidden_at", "hider", "created_at",
    ]  # fmt: skip
    column_labels = {
        "id": "Id", "group": "Group", "author": "Author", "content": "Learning",
        "likes_count": "Likes", "hidden_at": "Hidden", "hider": "Hidden by",
        "created_at": "Posted",
    }  # fmt: skip
    column_formatters = column_formatters_detail = dict.fromkeys(
        ["group", "author", "hider"], name_of
    )
    column_searchable_list = ["content"]
    column_sortable_list = ["id", "created_at", "hidden_at", "likes_count"]
    column_default_sort = [("id", True)]

    def list_query(self, request: Request) -> Any:
        return super().list_query(request).where(Message.type == MessageKind.LEARNING.value)

    def count_query(self, request: Request) -> Any:
        return super().count_query(request).where(Message.type == MessageKind.LEARNING.value)

    def details_query(self, request: Request) -> Any:
        return super().details_query(request).where(Message.type == MessageKind.LEARNING.value)

    def buttons(self, request: Request, model: Any) -> list[Button]:
        return [self.hide_button(request, model)]

    @expose("/{pk:int}/hide", methods=["POST"])
    async def hide(self, request: Request) -> Response:
        return await self.act(
            request,
            "Hidden: it is gone from the feed and the group's lists.",
            lambda uow, actor, pk: uow.admin.moderation.hide_learning(actor, pk),
        )

    @expose("/{pk:int}/unhide", methods=["POST"])
    async def unhide(self, request: Request) -> Response:
        return await self.act(
            request,
            "Shown again.",
            lambda uow, actor, pk: uow.admin.moderation.unhide_learning(actor, pk),
        )


LearningView.identity = "learning"  # SQLAdmin names it after the table's class, Message


class ProofView(AdminView, model=Proof):
    name = "Proof"
    name_plural = "Proofs"
    icon = "fa-solid fa-camera"
    column_list = ["id", "group", "member", "day", "note", "hidden_at", "image_deleted_at"]
    column_details_list = [
        "id", "group", "member", "habit", "day", "note", "hidden_at", "hider",
        "image_deleted_at", "created_at",
    ]  # fmt: skip
    column_labels = {
        "id": "Id", "group": "Group", "member": "Member", "habit": "Habit", "day": "Date",
        "note": "Note", "hidden_at": "Hidden", "hider": "Hidden by",
        "image_deleted_at": "Image deleted", "created_at": "Posted",
    }  # fmt: skip
    column_formatters = column_formatters_detail = dict.fromkeys(
        ["group", "member", "habit", "hider"], name_of
    )
    non_link_related_fields = ["habit"]  # habits have no admin page
    column_sortable_list = ["id", "day", "hidden_at"]
    column_default_sort = [("id", True)]

    async def images(self, request: Request, model: Any) -> list[str]:
        """The photo, through a short-lived signed link (on this server for local storage)."""
        if model.image_deleted_at is not None:
            return []
        url = await self.web.media_links.url(model.image_key, lifetime=600)
        if url.startswith(self.web.media_links.base_url):
            parts = urlsplit(url)
            url = f"{parts.path}?{parts.query}"  # wherever the admin is reached from
        return [url]

    def buttons(self, request: Request, model: Any) -> list[Button]:
        if model.image_deleted_at is not None:
            return []
        delete = Button(
            "Delete the image",
            self.action_url(request, model, "delete-image"),
            "danger",
            "Delete this proof's photo from storage for good? The proof stays hidden.",
        )
        return [self.hide_button(request, model), delete]

    @expose("/{pk:int}/hide", methods=["POST"])
    async def hide(self, request: Request) -> Response:
        return await self.act(
            request,
            "Hidden: it is gone from boards, collages and the group's lists.",
            lambda uow, actor, pk: uow.admin.moderation.hide_proof(actor, pk),
        )

    @expose("/{pk:int}/unhide", methods=["POST"])
    async def unhide(self, request: Request) -> Response:
        return await self.act(
            request,
            "Shown again.",
            lambda uow, actor, pk: uow.admin.moderation.unhide_proof(actor, pk),
        )

    @expose("/{pk:int}/delete-image", methods=["POST"])
    async def delete_image(self, request: Request) -> Response:
        return await self.act(
            request,
            "The image is deleted from storage; the proof stays hidden.",
            lambda uow, actor, pk: uow.admin.moderation.delete_proof_image(actor, pk),
        )
