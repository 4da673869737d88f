"""How a person signs in: Django's own check of username and password, plus the account's end date."""

from django.contrib.auth.backends import ModelBackend


class AccountBackend(ModelBackend):
    """ModelBackend refusing accounts that are disabled or past their end date.

    ``user_can_authenticate`` is asked both at login and by ``get_user`` on every request with a
    session, so an account disabled or ended today stops working on its very next page.
    """

    def user_can_authenticate(self, user) -> bool:
        return bool(getattr(user, "may_sign_in", False))
