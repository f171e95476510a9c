from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Anyone may sign up; invitations are how people join an organization."""

    def is_open_for_signup(self, request) -> bool:
        return True
