import functools
import weakref

from django.conf import settings
from django.contrib.auth import (
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    load_backend,
    middleware,
)
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import Http404
from django.urls import Resolver404, get_urlconf, resolve
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.functional import SimpleLazyObject, empty
from django_scopes import scope

from .models import Membership, Notification, Organization, User


class _Columns:
    """The columns of a model as the ORM reads them: each field with the converters the
    backend and the field apply to what the database returns (SQLCompiler.get_converters)."""

    def __init__(self, connection, model, alias: str):
        self.connection = connection
        self.model = model
        self.fields = model._meta.concrete_fields
        self.names = [field.attname for field in self.fields]
        self.sql = ", ".join(f"{alias}.{connection.ops.quote_name(f.column)}" for f in self.fields)
        self.converters = []
        for field in self.fields:
            col = field.get_col(alias)
            steps = [*connection.ops.get_db_converters(col), *field.get_db_converters(connection)]
            self.converters.append((col, steps))

    def instance(self, values):
        converted = []
        for value, (col, steps) in zip(values, self.converters, strict=True):
            for step in steps:
                value = step(value, col, self.connection)
            converted.append(value)
        return self.model.from_db(self.connection.alias, self.names, converted)


# Per connection (a converter may be a method of the connection's backend).
_membership_queries: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _membership_query(connection) -> tuple[str, _Columns, _Columns]:
    """The one query of every organization page: the member's membership, its organization
    and the unread notifications of the bell, written once per connection. Built by the ORM,
    the same query cost ~2.5 ms of Python on every request, more than running it."""
    if connection in _membership_queries:
        return _membership_queries[connection]
    membership = _Columns(connection, Membership, "m")
    organization = _Columns(connection, Organization, "o")
    q = connection.ops.quote_name

    def column(model, name: str) -> str:
        return q(model._meta.get_field(name).column)

    org, user = column(Membership, "organization"), column(Membership, "user")
    # Only quoted names of the models' own tables and columns; the values go as parameters.
    sql = (
        f"SELECT {membership.sql}, {organization.sql}, "  # noqa: S608
        f"(SELECT COUNT(*) FROM {q(Notification._meta.db_table)} n"
        f" WHERE n.{column(Notification, 'organization')} = m.{org}"
        f" AND n.{column(Notification, 'user')} = m.{user}"
        f" AND n.{column(Notification, 'read_at')} IS NULL)"
        f" FROM {q(Membership._meta.db_table)} m"
        f" INNER JOIN {q(Organization._meta.db_table)} o"
        f" ON o.{q(Organization._meta.pk.column)} = m.{org}"
        f" WHERE m.{user} = %s AND o.{column(Organization, 'slug')} = %s"
    )
    _membership_queries[connection] = sql, membership, organization
    return sql, membership, organization


def membership_for(user_id: int, slug: str) -> Membership | None:
    """The user's membership of the organization `slug` (its `organization` read with it, and
    `unread_notifications` counted), or None when they are not a member."""
    connection = connections[DEFAULT_DB_ALIAS]
    sql, membership_columns, organization_columns = _membership_query(connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id, slug])
        row = cursor.fetchone()
    if row is None:
        return None
    split = len(membership_columns.names)
    membership = membership_columns.instance(row[:split])
    membership.organization = organization_columns.instance(row[split:-1])
    membership.unread_notifications = row[-1]
    return membership


_user_queries: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _read_user(user_id) -> User | None:
    """`User.objects.get(pk=user_id)` (what ModelBackend.get_user runs), the query written
    once per connection: the ORM's compiling of it cost more than running it."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection not in _user_queries:
        columns = _Columns(connection, User, "u")
        pk = connection.ops.quote_name(User._meta.pk.column)
        table = connection.ops.quote_name(User._meta.db_table)
        sql = f"SELECT {columns.sql} FROM {table} u WHERE u.{pk} = %s"  # noqa: S608
        _user_queries[connection] = sql, columns
    sql, columns = _user_queries[connection]
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id])
        row = cursor.fetchone()
    return None if row is None else columns.instance(row)


_user_membership_queries: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def user_and_membership(user_id, slug: str) -> tuple[User | None, Membership | None]:
    """`_read_user` and `membership_for` in one round trip (an organization's page needs
    both): the user, and their membership of `slug` or None."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection not in _user_membership_queries:
        membership_sql, membership, organization = _membership_query(connection)
        user = _Columns(connection, User, "u")
        q = connection.ops.quote_name
        # The membership query's own count of unread notifications and its two tables,
        # joined to the user (left: a user of no such organization is still read).
        count = membership_sql[membership_sql.index("(SELECT COUNT(*)") :]
        count = count[: count.index(f" FROM {q(Membership._meta.db_table)} m")]
        org, member = (q(Membership._meta.get_field(f).column) for f in ("organization", "user"))
        sql = (
            f"SELECT {user.sql}, {membership.sql}, {organization.sql}, {count}"  # noqa: S608
            f" FROM {q(User._meta.db_table)} u"
            f" LEFT JOIN ({q(Membership._meta.db_table)} m"
            f" INNER JOIN {q(Organization._meta.db_table)} o"
            f" ON o.{q(Organization._meta.pk.column)} = m.{org}"
            f" AND o.{q(Organization._meta.get_field('slug').column)} = %s)"
            f" ON m.{member} = u.{q(User._meta.pk.column)}"
            f" WHERE u.{q(User._meta.pk.column)} = %s"
        )
        _user_membership_queries[connection] = sql, user, membership, organization
    sql, user_columns, membership_columns, organization_columns = _user_membership_queries[
        connection
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, [slug, user_id])
        row = cursor.fetchone()
    if row is None:
        return None, None
    user_end = len(user_columns.names)
    membership_end = user_end + len(membership_columns.names)
    user = user_columns.instance(row[:user_end])
    if row[user_end] is None:  # no membership of this organization
        return user, None
    membership = membership_columns.instance(row[user_end:membership_end])
    membership.organization = organization_columns.instance(row[membership_end:-1])
    membership.unread_notifications = row[-1]
    membership.user = user
    return user, membership


@functools.cache
def _backend(path: str):
    return load_backend(path)


@functools.lru_cache(maxsize=4096)
def _auth_hash(password: str, secret: str) -> str:
    """AbstractBaseUser._get_session_auth_hash: an HMAC of the password field (its salt and
    hash) with this secret; the same on every request of the person, so made once."""
    key_salt = "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash"
    return salted_hmac(key_salt, password, secret=secret, algorithm="sha256").hexdigest()


def _session_auth_hashes(user):
    """The user's session auth hash and (lazily) those of the fallback secrets."""
    if type(user).get_session_auth_hash is not AbstractBaseUser.get_session_auth_hash:
        return user.get_session_auth_hash(), user.get_session_auth_fallback_hash()
    fallbacks = (_auth_hash(user.password, s) for s in settings.SECRET_KEY_FALLBACKS)
    return _auth_hash(user.password, settings.SECRET_KEY), fallbacks


def session_user(request, read_user=_read_user):
    """django.contrib.auth.get_user, as safe and cheaper: the user of the request's session,
    else AnonymousUser. The session's auth hash is checked against the user's password as
    Django does (in constant time; a fallback secret's hash is replaced by the current one
    and the session key cycled; any other mismatch flushes the session), with the HMAC made
    once per password and the ModelBackend's query written once (`read_user`, which may
    read more with it)."""
    session = request.session
    try:
        user_id = User._meta.pk.to_python(session[SESSION_KEY])
        backend_path = session[BACKEND_SESSION_KEY]
    except KeyError:
        return AnonymousUser()
    if backend_path not in settings.AUTHENTICATION_BACKENDS:
        return AnonymousUser()
    backend = _backend(backend_path)
    if isinstance(backend, ModelBackend) and type(backend).get_user is ModelBackend.get_user:
        user = read_user(user_id)
        if user is not None and not backend.user_can_authenticate(user):
            user = None
    else:
        user = backend.get_user(user_id)
    if user is None or not hasattr(user, "get_session_auth_hash"):
        return user or AnonymousUser()
    session_hash = session.get(HASH_SESSION_KEY)
    auth_hash, fallback_hashes = _session_auth_hashes(user)
    if session_hash and constant_time_compare(session_hash, auth_hash):
        return user
    if session_hash and any(constant_time_compare(session_hash, h) for h in fallback_hashes):
        session.cycle_key()
        session[HASH_SESSION_KEY] = auth_hash
        return user
    session.flush()
    return AnonymousUser()


def _get_user(request):
    if not hasattr(request, "_cached_user"):
        request._cached_user = session_user(request)
    return request._cached_user


class AuthenticationMiddleware(middleware.AuthenticationMiddleware):
    """django.contrib.auth's (a subclass, as the admin's checks want), reading the user with
    `session_user` (lazily, on first use)."""

    def process_request(self, request):
        request.user = SimpleLazyObject(lambda: _get_user(request))
        request.auser = functools.partial(middleware.auser, request)


@functools.lru_cache(maxsize=4096)
def _organization_slug(urlconf: str, path: str) -> str | None:
    """The organization a path is a page of (its `org_slug`), or None. The same path always
    resolves the same way under one URLconf: resolved once per process (Django resolves
    every request's path again for its view)."""
    try:
        return resolve(path, urlconf).kwargs.get("org_slug")
    except Resolver404:
        return None


class OrganizationMiddleware:
    """Resolves /o/<org_slug>/… once per request (as pretix does).

    Sets `request.organization` and `request.membership`, activates the
    organization's query scope, time zone and language around the whole response,
    and answers 404 to anyone who is not a member, so slugs don't leak.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.organization = None
        request.membership = None
        slug = _organization_slug(get_urlconf() or settings.ROOT_URLCONF, request.path_info)
        if slug is None:
            return self.get_response(request)

        read = {}
        if type(request.user) is SimpleLazyObject and request.user._wrapped is empty:
            # The user not read yet: read with them their membership, in one query.
            def read_user(user_id):
                user, read["membership"] = user_and_membership(user_id, slug)
                return user

            request._cached_user = session_user(request, read_user)
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        membership = read.get("membership", False)
        if membership is False or (membership and membership.user_id != request.user.pk):
            membership = membership_for(request.user.pk, slug)
        if membership is None:
            raise Http404("No such organization")

        organization = membership.organization
        request.organization = organization
        request.membership = membership
        with (
            scope(organization=organization),
            timezone.override(organization.tzinfo),
            translation.override(organization.language),
        ):
            response = self.get_response(request)
            # Render lazy responses inside the scope, time zone and language.
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
        # Every page of an organization holds its people's data: no shared cache keeps it.
        patch_cache_control(response, private=True, no_store=True)
        return response


class RefuseNulBytesMiddleware:
    """Answers 400 to a request with a NUL byte in any query or form key or value.

    No text we keep may hold one (PostgreSQL refuses them in text columns, so a
    filter or a form given `%00` would crash deep in a query); refusing them here,
    once, spares every view and form from checking.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        sources = [request.GET, request.POST] if request.method == "POST" else [request.GET]
        for data in sources:
            for key, values in data.lists():
                if "\x00" in key or any("\x00" in value for value in values):
                    raise BadRequest("A NUL byte in the request.")
        return self.get_response(request)
