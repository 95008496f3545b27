"""Login hardening (issue 17): two-factor authentication, OpenID Connect per municipality, and the security log.

* ``twofactor``: TOTP devices and recovery codes (django-otp), who must use them, and verifying a session.
* ``middleware``: leads a user who must verify (or set up a device) there before any other page or API call.
* ``oidc``: a municipality's own identity provider (mozilla-django-oidc), configured per municipality in the database.
* ``models``: ``IdentityProvider`` (per municipality) and ``SecurityEvent`` (the append-only log of login events).
* ``views`` / ``forms``: the Dutch pages under ``/account/``.
"""
