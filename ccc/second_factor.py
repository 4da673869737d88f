"""The second step of logging in for those who must use a second factor: set up an authenticator app
(scan a QR code or type the secret, then confirm with a code), or enter a code from it."""

import base64
import re

import django_otp
import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe

from ccc.accounts import second_factor_check, second_factor_device, second_factor_enrol
from ccc.forms import NHSUKFormMixin
from ccc.middleware import second_factor_passed
from ccc.permissions import needs_second_factor
from ccc.web import form_call


class CodeForm(NHSUKFormMixin, forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="6 digits, for example 123456",
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}),
    )

    def clean_code(self) -> str:
        code = re.sub(r"\s", "", self.cleaned_data["code"])
        if not re.fullmatch(r"\d{6}", code):
            raise forms.ValidationError("Enter the 6 digits your authenticator app shows")
        return code


def _next_url(request) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return wanted
    return settings.LOGIN_REDIRECT_URL


@login_required
def second_factor(request):
    """Enter a code (or set up the app first). Until this is done, every page sends the person here."""
    user, next_url = request.user, _next_url(request)
    if not needs_second_factor(user) or second_factor_passed(request):
        return redirect(next_url)
    device = second_factor_device(user=user)
    enrolling = device is None
    if enrolling:
        device = second_factor_enrol(actor=user)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        checked, problem = form_call(
            form, lambda: second_factor_check(actor=user, device=device, code=form.cleaned_data["code"])
        )
        if checked and problem is None:
            django_otp.login(request, device)
            return redirect(next_url)
        if problem:
            form.add_error("code", problem)
    context = {"form": form, "next": next_url, "enrolling": enrolling}
    if enrolling:
        context["secret"] = base64.b32encode(device.bin_key).decode()
        context["qr_code"] = _qr_svg(device.config_url)
    return render(request, "registration/second_factor.html", context)


def _qr_svg(text: str) -> str:
    # An SVG drawn on the server: no script, nothing for the Content-Security-Policy to refuse.
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return mark_safe(image.to_string(encoding="unicode"))  # noqa: S308 (made here from our own text)
