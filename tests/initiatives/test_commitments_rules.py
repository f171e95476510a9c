"""The rules of commitments, reached without HTTP: who may sign, and the renewal date."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope

from initiatives import services
from stakeholders.models import Interaction, InteractionKind

from ..stakeholders.factories import ContactFactory, PartnerFactory
from .factories import (
    CommitmentFactory,
)


def test_a_commitment_is_signed_by_someone_of_that_partner_and_written_in_their_timeline(
    world, initiative
):
    partner = PartnerFactory(organization=world.org, name="United Way Riverside")
    signer = ContactFactory(organization=world.org, partner=partner)
    outsider = ContactFactory(organization=world.org)
    with scope(organization=world.org):
        with pytest.raises(ValidationError) as refused:
            services.commitment_create(
                initiative=initiative,
                partner=partner,
                signed_by=outsider,
                signed_on=datetime.date(2027, 3, 1),
                role="funder",
            )
        assert "signed_by" in refused.value.error_dict
        commitment = services.commitment_create(
            initiative=initiative,
            partner=partner,
            signed_by=signer,
            signed_on=datetime.date(2027, 3, 1),
            role="funder",
        )
        entry = Interaction.objects.get(contact=signer)
    assert entry.kind == InteractionKind.COMMITMENT
    assert entry.key == f"commitment:{commitment.pk}:signed"
    assert "United Way Riverside" in entry.summary


def test_a_renewal_before_the_signature_is_refused(world, initiative):
    commitment = CommitmentFactory(initiative=initiative)
    with scope(organization=world.org), pytest.raises(ValidationError):
        services.commitment_create(
            initiative=initiative,
            partner=commitment.partner,
            signed_by=commitment.signed_by,
            signed_on=datetime.date(2027, 3, 1),
            renewal_on=datetime.date(2027, 1, 1),
            role="partner",
        )
