"""What the people who run a HabitLink instance do: roles, bans, moderation, the outbox, the
dashboard and the audit log. Every function checks that the acting account is an admin, on each
call, and writes an audit entry in the same unit of work as its change (see core.admin.audit).

    async with units() as uow:
        await uow.admin.moderation.hide_learning(actor_id, learning_id)
        await uow.commit()
"""
