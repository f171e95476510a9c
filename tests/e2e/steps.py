"""Steps that more than one browser test takes."""


def sign_up(page, email: str, first_name: str, password: str, last_name: str = "") -> None:
    """Fill allauth's sign-up form (it asks for a name) and send it."""
    page.get_by_label("Email").fill(email)
    page.get_by_label("First name").fill(first_name)
    if last_name:
        page.get_by_label("Last name").fill(last_name)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Password (again)").fill(password)
    page.get_by_role("button", name="Sign Up").click()
