"""Steps through the account pages that more than one test file takes."""

GOOD_PASSWORD = "a-long-good-password"


def sign_up(client, email: str, *, next_url: str = "", first_name="Sam", last_name="Rivera"):
    """Post the sign-up form for `email` with a name and a good password; the response."""
    path = f"/accounts/signup/?next={next_url}" if next_url else "/accounts/signup/"
    return client.post(
        path,
        {
            "email": email,
            "first_name": first_name,
            "last_name": last_name,
            "password1": GOOD_PASSWORD,
            "password2": GOOD_PASSWORD,
        },
    )
