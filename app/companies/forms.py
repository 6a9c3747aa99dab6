"""The forms of the company pages: new company, settings, store, member, API token."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.auth.models import Role
from app.companies.service import CompanyError, check_orgnr

ROLE_LABELS = {
    Role.ADMIN: _l("Admin"),
    Role.ACCOUNTANT: _l("Accountant"),
    Role.STORE_MANAGER: _l("Store manager"),
    Role.AUDITOR: _l("Auditor"),
}

LANGUAGES = [SelectChoice("sv", "Svenska"), SelectChoice("en", "English")]


class NewCompanyForm(FlaskForm):
    """A new company: its name and organisation number (check digit verified)."""

    name = StringField(
        _l("Company name"),
        validators=[DataRequired(message=_l("Give the company a name.")), Length(max=200)],
        filters=[lambda v: (v or "").strip()],
    )
    orgnr = StringField(
        _l("Organisation number"),
        validators=[
            DataRequired(message=_l("An organisation number has ten digits, like 556677-8899."))
        ],
        filters=[lambda v: (v or "").strip()],
    )

    def validate_orgnr(self, field: StringField) -> None:
        """Ten digits whose last is the Luhn check digit; written back as NNNNNN-NNNN."""
        try:
            field.data = check_orgnr(field.data or "")
        except CompanyError as error:
            raise ValidationError(str(error)) from error


class SettingsForm(FlaskForm):
    """SPEC "Settings per company", plus automatic corrections."""

    sync_sales = BooleanField(_l("Sync sales after each end-of-day closure"))
    approve_first = BooleanField(_l("Approve each closure before it is posted"))
    invoice = BooleanField(_l("Create invoices for sales on account"))
    tip_on_invoice = BooleanField(_l("Allow tip on invoice"))
    use_order = BooleanField(_l("Use order instead of invoice"))
    auto_correct = BooleanField(_l("Correct posted closures automatically when a revision arrives"))
    voucher_series = StringField(
        _l("Voucher series"),
        validators=[
            DataRequired(),
            Length(max=10),
            Regexp(r"^[A-Z0-9]+$", message=_l("Capital letters and digits only, e.g. K.")),
        ],
        filters=[lambda v: (v or "").strip().upper()],
    )
    start_date = DateField(_l("Start date"), validators=[Optional()])
    cash_threshold = DecimalField(
        _l("Cash-difference threshold (SEK)"),
        places=2,
        validators=[DataRequired(), NumberRange(min=Decimal("0"), max=Decimal("1000000"))],
    )
    language = SelectField(_l("Language of reports"), choices=LANGUAGES)

    def validate_tip_on_invoice(self, field: BooleanField) -> None:
        """A tip on an invoice needs invoices."""
        if field.data and not self.invoice.data:
            raise ValidationError(_l("Turn on invoices to allow tips on them."))

    def validate_use_order(self, field: BooleanField) -> None:
        """Orders replace invoices, so invoices must be on."""
        if field.data and not self.invoice.data:
            raise ValidationError(_l("Turn on invoices to use orders instead."))


class StoreForm(FlaskForm):
    """A store's POS id, name and Fortnox cost center."""

    store_id = StringField(_l("Store id (POS)"), validators=[DataRequired(), Length(max=40)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    cost_center = StringField(_l("Cost center"), validators=[DataRequired(), Length(max=20)])


class MultiCheckbox(SelectMultipleField):
    """A list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class MemberForm(FlaskForm):
    """A member's role and, for a store manager, stores."""

    role = SelectField(
        _l("Role"), choices=[SelectChoice(r, label) for r, label in ROLE_LABELS.items()]
    )
    stores = MultiCheckbox(_l("Stores (store managers only)"), coerce=int, validate_choice=False)


class InviteForm(MemberForm):
    """A new member: a person by email (created with a password when new)."""

    email = StringField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    name = StringField(_l("Name"), validators=[Optional(), Length(max=200)])
    password = PasswordField(
        _l("Password (for a new person, at least 10 characters)"),
        validators=[Optional(), Length(min=10, max=200)],
    )


class TokenForm(FlaskForm):
    """A label for a new API token."""

    name = StringField(_l("Label"), default="POS", validators=[DataRequired(), Length(max=100)])
