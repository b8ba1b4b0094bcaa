"""Who is in a group, as Telegram tells a bot: people and the bot itself joining and leaving.

Telegram documents two signals (https://core.telegram.org/bots/api#update, #message):
- `my_chat_member`: the bot's own status changed in a chat (added, made admin, removed or
  kicked, left), a ChatMemberUpdated; delivered only when `allowed_updates` names it or was
  never set (it is in the default set, unlike `chat_member`);
- service messages in the group: `new_chat_members` (people added or joining, the bot itself
  among them when it is added) and `left_chat_member` (someone left or was removed, the bot
  itself when it was removed). They reach a bot in privacy mode too.

Once the bot is out of a group (status left or kicked), sending there answers 403, as Telegram
does: "Forbidden: bot was kicked from the supergroup chat", or "... is not a member ...".

A person who blocks the bot sends `my_chat_member` in their private chat, the bot's status
"member" -> "kicked" (a ChatMemberBanned, until_date 0: for ever), and sends to them answer 403
"Forbidden: bot was blocked by the user"; unblocking (Telegram's Restart) is "kicked" -> "member".
Every update built here is checked against the Bot API spec before it is queued.
"""

from __future__ import annotations

import time

from tests.fakes.telegram_models import JSON, ApiError, FakeChat, FakeUser
from tests.fakes.telegram_updates import UpdateInjection

MEMBER_TYPES = {
    "creator": "ChatMemberOwner",
    "administrator": "ChatMemberAdministrator",
    "member": "ChatMemberMember",
    "restricted": "ChatMemberRestricted",
    "left": "ChatMemberLeft",
    "kicked": "ChatMemberBanned",
}
OUT = ("left", "kicked")


def kind_of_chat(chat: FakeChat) -> str:
    return "supergroup chat" if chat.type == "supergroup" else "group chat"


class MemberChanges(UpdateInjection):
    # ----------------------------------------------------------------- ChatMember
    def chat_member(self, user: FakeUser, status: str) -> JSON:
        """A ChatMember object of that status (its required fields filled as Telegram would)."""
        member: JSON = {"status": status, "user": user.to_api()}
        if status == "administrator":
            member.update(can_manage_chat=True, can_delete_messages=True, can_invite_users=True)
        return self._fill_required(MEMBER_TYPES[status], member)

    def _fill_required(self, type_name: str, data: JSON) -> JSON:
        defaults = {"Boolean": False, "Integer": 0, "String": "", "Float": 0.0}
        for field in self.spec.types[type_name].fields.values():
            if field.required and field.name not in data:
                if field.types[0] in defaults:
                    data[field.name] = defaults[field.types[0]]
                else:
                    inner = self.spec.types.get(field.types[0])
                    data[field.name] = self._fill_required(inner.name, {}) if inner else {}
        return data

    def _checked(self, payload: JSON) -> JSON:
        """Queue an update the spec accepts (a helper's mistake fails the test at once)."""
        problems = self.spec.validate_object("Update", {"update_id": 1, **payload})
        assert not problems, problems
        return self.inject(payload)

    def _my_chat_member(self, chat: FakeChat, by: FakeUser, old: str, new: str) -> JSON:
        change = {
            "chat": chat.to_api(),
            "from": by.to_api(),
            "date": int(time.time()),
            "old_chat_member": self.chat_member(self.bot_user, old),
            "new_chat_member": self.chat_member(self.bot_user, new),
        }
        return self._checked({"my_chat_member": change})

    def _service_message(self, chat: FakeChat, by: FakeUser, key: str, value: object) -> JSON:
        """A service message in the group; it reaches the bot (privacy mode or not) while the
        bot is in the group, and the one of the bot's own removal still does."""
        message = self._user_message(chat, by)
        data = message.to_api()
        data[key] = value
        mine = isinstance(value, dict) and value.get("id") == self.bot_user.id
        if self.bot_status(chat) in OUT and not mine:
            return {"message": data}  # not in the group: it never hears of it
        return self._checked({"message": data})

    # ------------------------------------------------------------------- the bot
    def remove_bot(
        self, chat: FakeChat, *, by: FakeUser | None = None, note: bool = True
    ) -> list[JSON]:
        """An admin removes the bot from the group: `my_chat_member` (to kicked in a
        supergroup, left in a basic group), then the service message naming the bot in
        `left_chat_member` (`note=False`: the first alone, to test that it is enough). From
        now on sends to the chat answer 403."""
        by = by or self.default_user
        old, new = self.bot_status(chat), "kicked" if chat.type == "supergroup" else "left"
        self.member_status[(chat.id, self.bot_user.id)] = new
        updates = [self._my_chat_member(chat, by, old, new)]
        if note:
            bot = self.bot_user.to_api()
            updates.append(self._service_message(chat, by, "left_chat_member", bot))
        return updates

    def add_bot(
        self,
        chat: FakeChat,
        *,
        by: FakeUser | None = None,
        admin: bool = False,
        status_update: bool = True,
    ) -> list[JSON]:
        """Someone adds the bot (back) to the group: `my_chat_member` (to member, or
        administrator), then the service message with the bot in `new_chat_members`
        (`status_update=False`: the second alone, to test that it is enough)."""
        by = by or self.default_user
        old = self.member_status.get((chat.id, self.bot_user.id), "left")
        new = "administrator" if admin else "member"
        self.member_status[(chat.id, self.bot_user.id)] = new
        updates = [self._my_chat_member(chat, by, old, new)] if status_update else []
        bot = [self.bot_user.to_api()]
        return [*updates, self._service_message(chat, by, "new_chat_members", bot)]

    def _take_fault(self, method: str, params: JSON) -> ApiError | None:
        sends = method.startswith(("send", "edit", "copy", "forward", "pin", "delete"))
        if sends and (refused := self.bot_refused(params.get("chat_id"))) is not None:
            return refused
        return super()._take_fault(method, params)

    def bot_refused(self, chat_id: object) -> ApiError | None:
        """The 403 of a send to a group the bot is no longer in (None: it is there)."""
        chat = self.resolve_chat(chat_id) if isinstance(chat_id, int | str) else None
        if chat is None or not chat.is_group:
            return None
        status = self.member_status.get((chat.id, self.bot_user.id))
        if status == "kicked":
            return ApiError(403, f"Forbidden: bot was kicked from the {kind_of_chat(chat)}")
        if status == "left":
            return ApiError(403, f"Forbidden: bot is not a member of the {kind_of_chat(chat)}")
        return None

    # ------------------------------------------------------ a person's private chat
    def block_bot(self, user: FakeUser | None = None) -> JSON:
        """`user` (Alice by default) blocks the bot: `my_chat_member` in their private chat,
        from them, the bot now "kicked"; from now on sends to them answer 403."""
        user = user or self.default_user
        chat = self.private_chat(user)
        old = self.bot_status(chat)
        self.member_status[(chat.id, self.bot_user.id)] = "kicked"
        self.block_chat(chat.id)
        return self._my_chat_member(chat, user, old, "kicked")

    def unblock_bot(self, user: FakeUser | None = None) -> JSON:
        """`user` unblocks the bot: `my_chat_member`, the bot a "member" again; sends go
        through again."""
        user = user or self.default_user
        chat = self.private_chat(user)
        old = self.bot_status(chat)
        self.member_status[(chat.id, self.bot_user.id)] = "member"
        self.unblock_chat(chat.id)
        return self._my_chat_member(chat, user, old, "member")

    # ------------------------------------------------------------------- people
    def member_leaves(self, chat: FakeChat, user: FakeUser, *, by: FakeUser | None = None) -> JSON:
        """`user` leaves the group (or `by`, an admin, removes them): the service message
        with them in `left_chat_member`."""
        self.member_status[(chat.id, user.id)] = "left" if by is None else "kicked"
        return self._service_message(chat, by or user, "left_chat_member", user.to_api())

    def rename_chat(self, chat: FakeChat, title: str, *, by: FakeUser | None = None) -> JSON:
        """A member renames the group: its title changes, and the service message
        `new_chat_title` says so (messages from now on carry the new title)."""
        chat.title = title
        return self._service_message(chat, by or self.default_user, "new_chat_title", title)

    def member_joins(self, chat: FakeChat, user: FakeUser, *, by: FakeUser | None = None) -> JSON:
        """`user` joins the group (or `by` adds them): `new_chat_members` naming them."""
        self.member_status[(chat.id, user.id)] = "member"
        return self._service_message(chat, by or user, "new_chat_members", [user.to_api()])
