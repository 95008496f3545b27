"""Token authentication of the API with the rule of the second factor (issue 17).

A token stands in for a login, so it is no way around two-factor authentication: a user who must use a second factor
is refused with a token until an authenticator is set up (which needs a verified session on the website, where the
token is handed out too). Session authentication is checked by ``regio.login.middleware`` before DRF is reached.
"""

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from regio.login import twofactor


class TwoFactorTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if twofactor.requires_two_factor(user, use_scope=False) and not twofactor.has_device(user):
            raise exceptions.PermissionDenied(_("Stel eerst tweestapsverificatie in op de website."))
        return user, token
