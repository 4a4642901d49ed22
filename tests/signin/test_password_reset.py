"""Password reset by e-mail only when EMAIL_URL is set; otherwise ask an administrator."""

import re

from django.core import mail


def test_without_email_the_link_is_hidden_and_the_page_says_to_ask(client, cast, settings):
    settings.IXPORTAL_EMAIL_ENABLED = False
    assert b'id="forgot-password"' not in client.get("/accounts/login/").content
    page = client.get("/accounts/password_reset/")
    assert page.status_code == 200
    assert b'id="ask-an-administrator"' in page.content
    assert b'name="email"' not in page.content
    cast.viewer.email = "viewer@example.pt"
    cast.viewer.save(update_fields=["email"])
    client.post("/accounts/password_reset/", {"email": "viewer@example.pt"})
    assert mail.outbox == []


def test_with_email_the_reset_mail_is_sent_and_its_link_works(client, cast, settings):
    settings.IXPORTAL_EMAIL_ENABLED = True  # what EMAIL_URL sets; the test backend is locmem
    cast.viewer.email = "viewer@example.pt"
    cast.viewer.save(update_fields=["email"])
    login_page = client.get("/accounts/login/")
    assert b'href="/accounts/password_reset/" id="forgot-password"' in login_page.content

    response = client.post("/accounts/password_reset/", {"email": "VIEWER@example.pt"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password_reset/done/"
    assert [message.to for message in mail.outbox] == [["viewer@example.pt"]]
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body)[1]

    form = client.get(link, follow=True)
    assert b'name="new_password1"' in form.content
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-new-long-passphrase", "new_password2": "a-new-long-passphrase"},
    )
    assert done.status_code == 302
    cast.viewer.refresh_from_db()
    assert cast.viewer.check_password("a-new-long-passphrase")
    assert b"Your new password is set." in client.get(done["Location"]).content
    # The link works once.
    again = client.get(link, follow=True)
    assert b'id="reset-link-invalid"' in again.content


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, cast, settings):
    settings.IXPORTAL_EMAIL_ENABLED = True
    response = client.post("/accounts/password_reset/", {"email": "nobody@example.pt"})
    assert response["Location"] == "/accounts/password_reset/done/"
    assert mail.outbox == []
