"""Every response carries a strict Content-Security-Policy: only our own files run, inline
scripts only with the response's nonce, and no other site may frame a page."""

import re

from django.urls import reverse


def policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {d.split(" ", 1)[0]: d.split(" ", 1)[1] if " " in d else "" for d in header.split("; ")}


def test_a_page_forbids_framing_and_foreign_or_unsigned_scripts(client, call_handler):
    client.force_login(call_handler)

    response = client.get(reverse("home"), follow=True)

    directives = policy(response)
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-inline'" not in directives["style-src"]
    nonce = re.search(r"'nonce-([^']+)'", directives["script-src"]).group(1)
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", response.content.decode())
    assert inline and all(f'nonce="{nonce}"' in attributes for attributes in inline)


def test_every_inline_script_on_the_duty_queue_page_carries_the_nonce(client, clinician, physical_queue):
    client.force_login(clinician)

    response = client.get(reverse("triage:queue_detail", args=[physical_queue.code]))

    assert response.status_code == 200
    nonce = re.search(r"'nonce-([^']+)'", policy(response)["script-src"]).group(1)
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", response.content.decode())
    assert len(inline) >= 3 and all(f'nonce="{nonce}"' in attributes for attributes in inline)


def test_an_api_response_and_the_login_page_carry_the_policy(client, api, call_handler):
    assert "frame-ancestors 'none'" in client.get(reverse("login"))["Content-Security-Policy"]
    api.force_authenticate(call_handler)
    response = api.get("/api/v1/referrals/")
    assert response.status_code == 200
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_the_api_docs_load_swagger_from_our_own_files_with_no_unsigned_inline_code(client, call_handler):
    client.force_login(call_handler)

    response = client.get(reverse("api-docs"))

    assert response.status_code == 200
    html = response.content.decode()
    nonce = re.search(r"'nonce-([^']+)'", policy(response)["style-src"]).group(1)
    assert re.findall(r"<script(?![^>]*\bsrc=)", html) == []
    assert all(f'nonce="{nonce}"' in attrs for attrs in re.findall(r"<style([^>]*)>", html))
    sources = re.findall(r'<script src="([^"]+)"', html)
    assert sources and all(src.startswith("/") and not src.startswith("//") for src in sources)
    script = client.get(sources[-1])
    assert script.status_code == 200 and b"SwaggerUIBundle" in script.content
