"""Codes as an authenticator app makes them, for the tests of the second step."""

from django_otp.oath import TOTP


def code_of(device, offset: int = 0) -> str:
    """The device's TOTP code now (``offset`` time steps later: a code not used before)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + offset * device.step
    return f"{totp.token():0{device.digits}d}"
